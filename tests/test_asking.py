"""Asking a question without an account."""

import pytest
from sqlalchemy import func, select

from app.questions.keeper_links import KeeperToken
from app.questions.models import Question
from app.web.extensions import db
from tests.builders import keeper_link

GOOD = {
    "title": "Should I tell my new manager about my diagnosis?",
    "body": "I start a peer support job next week. **Part of me** wants to say it on day one.",
    "topic": "work-and-lived-experience-roles",
    "content_notes": ["medication"],
    "content_note_other": "hospital stay",
    "as": "anonymous",
}


def count_questions(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


def test_ask_page_offers_topics_notes_and_a_gentle_prompt(client):
    html = client.get("/ask").get_data(as_text=True)
    assert 'name="title"' in html
    assert 'name="body"' in html
    assert 'value="disclosure-and-identity"' in html
    assert 'name="content_notes" id="content_notes-1" value="suicide"' in html
    assert 'name="content_note_other"' in html
    assert "do not need to tell your whole story" in html


def test_asking_redirects_to_a_page_showing_the_keeper_link_once(client, app):
    response = client.post("/ask", data=GOOD)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = keeper_link(page)
    assert link
    assert link.startswith("/keep/")
    assert "nobody can recover this link" in page
    assert 'href="/keep/' in page
    assert "kettle-link.txt" in page  # a no-JavaScript way to keep it
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert keeper_link(again) is None
    assert link.removeprefix("/keep/") not in again


def test_asked_question_shows_its_words_notes_and_topic(client, app):
    location = client.post("/ask", data=GOOD).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "Should I tell my new manager about my diagnosis?" in html
    assert "<strong>Part of me</strong>" in html
    assert '<details class="content-note">' in html
    assert "Medication, <bdi>hospital stay</bdi>" in html
    assert "Work and lived-experience roles" in html


def test_question_without_title_is_refused_and_keeps_the_words(client, app):
    response = client.post("/ask", data={**GOOD, "title": "   "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please give your question a title." in html
    assert "Part of me" in html  # the body is still in the form
    assert 'aria-describedby="title-hint title-error"' in html
    assert count_questions(app) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"topic": "no-such-topic"}, "Please choose a topic from the list."),
        ({"content_notes": ["made-up"]}, "Please choose content notes from the list."),
        ({"title": "x" * 151}, "Please keep the question line to 150 characters."),
        ({"body": "x" * 20_001}, "Please shorten it by 1 character."),
        ({"content_note_other": "x" * 121}, "Please keep your own content note to 120"),
        ({"as": "17"}, "You can no longer post as that name"),
        ({"website": "http://spam.example"}, "Something filled in a hidden box"),
    ],
)
def test_refused_asks_say_what_to_do_in_plain_words(client, app, change, message):
    response = client.post("/ask", data={**GOOD, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "valid choice" not in html
    assert "Field " not in html
    assert count_questions(app) == 0


def test_a_request_bigger_than_the_limit_gets_a_kind_413(client, app):
    size = app.config["LONG_FORM_MAX_BYTES"] + 1000
    response = client.post("/ask", data={**GOOD, "body": "x" * size})
    assert response.status_code == 413
    assert "too long to send" in response.get_data(as_text=True)
    assert count_questions(app) == 0


def test_control_and_bidi_characters_are_dropped(client, app):
    title = "Is this\x00 ok\u202e to ask?"
    location = client.post("/ask", data={**GOOD, "title": title, "body": "a\x00b"}).headers[
        "Location"
    ]
    with app.app_context():
        question = db.session.scalar(select(Question))
        assert question.title == "Is this ok to ask?"
        assert question.body_source == "ab"
    assert client.get(location).status_code == 200


def test_keeper_tokens_are_stored_only_as_hashes(client, app):
    location = client.post("/ask", data=GOOD).headers["Location"]
    token = keeper_link(client.get(location).get_data(as_text=True)).removeprefix("/keep/")
    with app.app_context():
        keeper = db.session.scalar(select(KeeperToken))
        assert len(token) >= 43  # 256 bits, URL-safe
        assert keeper.token_hash != token
        assert len(keeper.token_hash) == 64
        for value in (keeper.token_hash, keeper.feed_hash):
            assert token not in value
