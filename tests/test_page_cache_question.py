"""A question page kept for signed-out readers is still each reader's own to answer from.

Someone opening a busy thread at 2am gets it fast, from the page cache, and can still post
a perspective from it: the form's CSRF token is their own, never the last reader's. A
keeper link shown once, a shuffled order or a page made for another host name is never
handed to anyone else, and a new or hidden perspective shows or goes at once.
"""

import re

import pytest

from app.questions import services
from app.questions.models import Answer
from app.web.extensions import db
from tests.test_csrf import token_from

pytestmark = pytest.mark.settings(WTF_CSRF_ENABLED=True)


def juniper_thread(make, answers=3):
    """A question with `answers` perspectives, stored through the services; the question."""
    asked = make.question(title="Juniper nights", body="How do you get through them?").post
    for n in range(answers):
        make.answer(asked, body=f"Perspective number {n} on juniper nights.")
    return asked


def test_a_kept_question_page_is_served_without_asking_the_database_again(app, make, queries):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    first = app.test_client().get(path).get_data(as_text=True)
    with queries as seen:
        again = app.test_client().get(path).get_data(as_text=True)
    assert seen.n == 1 and "content_generation" in seen.statements[0]
    assert "Perspective number 2" in again
    strip = re.compile(r'name="csrf_token" type="hidden" value="[^"]+"')
    assert strip.sub("", again) == strip.sub("", first)


def test_each_reader_posts_from_a_kept_page_with_their_own_token(app, make):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    first, second = app.test_client(), app.test_client()
    token_first, token_second = token_from(first, path), token_from(second, path)
    assert token_first != token_second
    words = {"body": "Waiting for the birds helped me.", "as": "anonymous"}
    refused = second.post(f"{path}/answers", data={**words, "csrf_token": token_first})
    assert refused.status_code == 400
    posted = second.post(f"{path}/answers", data={**words, "csrf_token": token_second})
    assert posted.status_code == 303
    assert "Waiting for the birds" in app.test_client().get(path).get_data(as_text=True)


def test_a_perspective_posted_or_hidden_changes_the_kept_page_at_once(app, make):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    reader = app.test_client()
    reader.get(path)
    added = make.answer(asked, body="A new juniper perspective arrives.").post
    assert "A new juniper perspective arrives." in reader.get(path).get_data(as_text=True)
    with app.app_context():
        services.hide(db.session.get(Answer, added.id), None, "Breaks the house rules")
        db.session.commit()
    assert "A new juniper perspective arrives." not in reader.get(path).get_data(as_text=True)
    assert "A new juniper perspective arrives." not in (
        app.test_client().get(path).get_data(as_text=True)
    )


def test_a_keeper_link_shown_once_is_never_kept_for_another_reader(app, make):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    app.test_client().get(path)  # a kept copy exists before anyone posts
    writer = app.test_client()
    token = token_from(writer, path)
    words = {"body": "My own juniper story.", "as": "anonymous", "csrf_token": token}
    posted = writer.post(f"{path}/answers", data=words)
    shown = writer.get(posted.headers["Location"]).get_data(as_text=True)
    keeper = re.search(r"/keep/([A-Za-z0-9_-]{20,})", shown).group(1)
    for reader in (app.test_client(), app.test_client(), writer):
        page = reader.get(path).get_data(as_text=True)
        assert "My own juniper story." in page
        assert keeper not in page


def test_a_shuffled_thread_is_each_readers_own_order(app, make):
    asked = juniper_thread(make, answers=8)
    path = f"/q/{asked.id}?order=shuffle"

    def order(reader):
        return re.findall(r'data-answer-id="(\d+)"', reader.get(path).get_data(as_text=True))

    readers = [app.test_client() for _ in range(3)]
    orders = [order(reader) for reader in readers]
    assert [order(reader) for reader in readers] == orders  # each stays put on reload
    assert len({tuple(o) for o in orders}) > 1  # 8 perspectives: 40,320 orders


def test_a_page_made_for_another_host_is_never_served_to_this_one(app, make):
    asked = juniper_thread(make)
    api = f"/api/v1/questions/{asked.id}"
    stranger = app.test_client()
    poisoned = stranger.get(api, base_url="http://elsewhere.example")
    assert "elsewhere.example" in poisoned.get_data(as_text=True)
    page = app.test_client().get(api)
    assert "elsewhere.example" not in page.get_data(as_text=True)


def test_a_kept_answer_from_the_api_is_still_json(app, make):
    asked = juniper_thread(make)
    api = f"/api/v1/questions/{asked.id}"
    first = app.test_client().get(api)
    again = app.test_client().get(api)
    assert again.mimetype == first.mimetype == "application/json"
    assert again.get_json() == first.get_json()
    assert len(again.get_json()["perspectives"]) == 3
