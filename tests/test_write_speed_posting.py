"""Posting a perspective does its work once: issue 16 wants 300 a second on two workers.

Each test is a piece of work a post used to do twice or in pieces: rendering the words,
reading the question back after storing the answer, and writing the rows in several
batches. Speed itself is measured by bench/writes.py, never here.
"""

import re

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from app.accounts.identity import Author
from app.core import text
from app.core.time import now
from app.questions import services
from app.questions.models import Answer, Question
from app.web.extensions import db

WORDS = {"body": "What *helped* me was a walk.", "kind": "own-experience", "as": "anonymous"}
FIELDS = {"body": "A walk helped.", "content_notes": [], "content_note_other": "", "kind": None}


@pytest.fixture
def flushes():
    """Counts the ORM's flushes that wrote something."""
    seen = []

    def count(session, flush_context):
        seen.append(1)

    event.listen(Session, "after_flush", count)
    yield seen
    event.remove(Session, "after_flush", count)


def test_a_perspective_is_rendered_once_when_posted(client, make, monkeypatch):
    question = make.question().post
    client.get(f"/q/{question.id}")
    parsed = []
    parse = text._markdown.parse
    monkeypatch.setattr(text._markdown, "parse", lambda *a, **k: parsed.append(1) or parse(*a, **k))
    assert client.post(f"/q/{question.id}/answers", data=WORDS).status_code == 303
    assert len(parsed) == 1
    with client.application.app_context():
        stored = db.session.scalars(db.select(Answer)).one()
        assert stored.body_html == "<p>What <em>helped</em> me was a walk.</p>\n"


def test_different_words_in_one_request_are_each_rendered_as_themselves(app):
    with app.test_request_context():
        assert text.render("*one*") == "<p><em>one</em></p>\n"
        assert text.render("**two**") == "<p><strong>two</strong></p>\n"
        assert text.render("*one*") == "<p><em>one</em></p>\n"
        assert text.seen("**") == 2
        assert text.seen("** **") == 0


def test_posting_a_perspective_reads_its_question_once(client, make, queries):
    question = make.question().post
    client.get(f"/q/{question.id}")
    with queries as seen:
        assert client.post(f"/q/{question.id}/answers", data=WORDS).status_code == 303
    reads = [s for s in seen.statements if re.match(r"\s*SELECT\b.*\bFROM question\b", s, re.S)]
    assert len(reads) == 1


def test_a_perspective_its_keeper_link_and_its_count_are_written_in_one_batch(
    client, make, flushes
):
    question = make.question().post
    client.get(f"/q/{question.id}")
    flushes.clear()
    assert client.post(f"/q/{question.id}/answers", data=WORDS).status_code == 303
    assert len(flushes) == 1
    page = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "1 perspective" in page
    assert 'id="keeper-link"' in page


def test_a_question_locked_while_a_perspective_was_stored_reads_as_locked_after(app, make):
    """What posting keeps loaded after its commit is the ids alone: a moderator's lock that
    landed meanwhile (from another connection) is what the request reads next."""
    asked = make.question().post
    with app.test_request_context():
        question = db.session.get(Question, asked.id)
        assert not question.is_locked
        services.answer(question, Author(), FIELDS)
        with db.engine.begin() as other:
            other.execute(update(Question).where(Question.id == asked.id).values(locked_at=now()))
        assert question.is_locked
        assert question.perspective_count == 1
