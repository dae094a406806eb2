"""Pages kept for signed-out readers never show what has changed, nor anyone else's page.

A person hides a post, or posts one, and every kept list and search page drops it or
shows it at once; a signed-in reader, a reader with other content-note choices, or a page
carrying a one-time message is never served someone else's copy.
"""

import re

import pytest
from sqlalchemy import select, update

from app.accounts.models import Pseudonym
from app.core.time import now
from app.questions import services
from app.questions.models import Question
from app.web.extensions import db
from app.web.generation import ContentGeneration
from tests.accounts_helpers import join, pseudonym_ids
from tests.test_account_life import ask

TOPIC = "getting-through-today"
PAGES = ("/", "/topics", f"/t/{TOPIC}", "/search?q=juniper")


def _read(client, path):
    """The page's text as a reader sees it: search marks the words found (<mark>)."""
    return re.sub(r"</?mark>", "", client.get(path).get_data(as_text=True))


def _generation(app):
    with app.app_context():
        return db.session.scalar(select(ContentGeneration.n))


def test_a_kept_page_is_served_without_asking_the_database_again(app, client, make, queries):
    make.question(title="Juniper evenings", topic=TOPIC)
    for path in PAGES:
        first = client.get(path).get_data(as_text=True)
        with queries as seen:
            again = client.get(path).get_data(as_text=True)
        assert again == first
        assert seen.n == 1 and "content_generation" in seen.statements[0], path


def test_a_hidden_post_disappears_from_every_kept_page_at_once(app, client, make):
    asked = make.question(title="Juniper evenings", topic=TOPIC).post
    for path in PAGES:
        assert "Juniper evenings" in _read(client, path) or path == "/topics"
    topics_before = client.get("/topics").get_data(as_text=True)
    with app.app_context():
        services.hide(db.session.get(Question, asked.id), None, "Breaks the house rules")
        db.session.commit()
    for path in PAGES:
        assert "Juniper evenings" not in _read(client, path), path
    assert client.get("/topics").get_data(as_text=True) != topics_before  # its count fell


def test_a_new_post_shows_on_every_kept_page_at_once(client, make):
    make.question(title="Juniper evenings", topic=TOPIC)
    for path in PAGES:
        client.get(path)
    make.question(title="Juniper mornings", topic=TOPIC)
    for path in PAGES:
        if path != "/topics":
            assert "Juniper mornings" in _read(client, path), path


def test_a_suspension_holds_back_posts_on_kept_pages_at_once(app, client):
    robin = app.test_client()
    join(robin, pseudonym="Robin")
    question_id = ask(robin, "Juniper worries", pseudonym_ids(robin)["Robin"], topic=TOPIC)
    for path in PAGES:
        client.get(path)
    with app.app_context():
        pseudonym_id = db.session.get(Question, question_id).pseudonym_id
        until = now().replace(year=now().year + 1)
        db.session.execute(
            update(Pseudonym).where(Pseudonym.id == pseudonym_id).values(suspended_until=until)
        )
        db.session.commit()
    for path in PAGES:
        assert "Juniper worries" not in client.get(path).get_data(as_text=True), path


def test_the_generation_rises_with_a_change_and_not_with_one_rolled_back(app, make):
    asked = make.question(title="Juniper").post
    before = _generation(app)
    with app.app_context():
        db.session.get(Question, asked.id).title = "Changed, then not"
        db.session.flush()
        db.session.rollback()
    assert _generation(app) == before
    with app.app_context():
        services.hide(db.session.get(Question, asked.id), None, "Breaks the house rules")
        db.session.commit()
    assert _generation(app) == before + 1


def test_a_signed_in_reader_never_gets_or_leaves_a_kept_page(app, client, make):
    make.question(title="Juniper evenings", topic=TOPIC)
    assert "Your account" not in client.get("/").get_data(as_text=True)
    member = app.test_client()
    join(member, pseudonym="Robin")
    assert "Your account" in member.get("/").get_data(as_text=True)
    assert "Your account" not in app.test_client().get("/").get_data(as_text=True)


def test_readers_with_other_choices_get_their_own_pages(app, client, make):
    make.question(title="Juniper secret title", topic=TOPIC, content_notes=("self-harm",))
    for path in PAGES:
        assert "Juniper secret title" not in _read(client, path)
    chooser = app.test_client()
    chooser.post("/settings/content-notes", data={"note-self-harm": "show"})
    assert "Juniper secret title" in chooser.get("/").get_data(as_text=True)
    assert "Juniper secret title" in _read(chooser, "/search?q=juniper")
    assert "Juniper secret title" not in client.get("/").get_data(as_text=True)


def test_a_one_time_message_is_never_kept_for_the_next_reader(app, client):
    asked = client.post("/ask", data={"title": "Juniper question", "body": "Words",
                                      "topic": TOPIC})  # fmt: skip
    assert asked.status_code == 303
    client.get(asked.headers["Location"])
    stranger = app.test_client()
    for path in ("/", f"/t/{TOPIC}"):
        assert "data-posted" not in stranger.get(path).get_data(as_text=True)


@pytest.mark.settings(CACHE_TYPE="NullCache")
def test_a_deployment_can_turn_the_page_cache_off(client, make, queries):
    make.question(title="Juniper evenings", topic=TOPIC)
    client.get("/")
    with queries as seen:
        client.get("/")
    assert seen.n > 1
