"""Search never breaks, never keeps what was erased, and never tells the logs what was sought.

Erased words must leave the index's own stored data too: FTS5 keeps deleted tokens in its
segments unless secure-delete is on, so the raw index is read here, before and after.
"""

import logging

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from app import create_app
from app.questions import services
from app.questions.models import Answer, Question
from app.search.terms import MAX_QUERY_CHARS
from app.web import privacy
from app.web.extensions import db
from app.your_account.data import REMOVE_EVERYTHING
from tests.conftest import TestConfig
from tests.test_search import found

BAD_QUERIES = [
    "", "   ", '"', '""', '"unbalanced', "*", "a*", "NEAR(", "NEAR(a b, 2)", "OR", "a OR",
    "- minus", "^caret", "AND NOT", "(", ")", "{col}:x", "title:x", "'; DROP TABLE question; --",
    "1=1 UNION SELECT * FROM account", "\x00", "word\x00word", "\u202eevil\u202c", "שלום",
    "مرحبا بالعالم", "\U0001f600", "%", "_", "\\", "x" * MAX_QUERY_CHARS,
]  # fmt: skip


def _sqlite(app):
    with app.app_context():
        return db.engine.dialect.name == "sqlite"


def _raw_index(app):
    """Every stored byte of both FTS5 indexes' segments (their %_data shadow tables)."""
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT block FROM question_search_data"
                " UNION ALL SELECT block FROM answer_search_data"
            )
        )
        return b"".join(bytes(block) for (block,) in rows if block is not None)


def _vectors(app):
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT search_vector::text FROM question"
                " UNION ALL SELECT search_vector::text FROM answer"
            )
        )
        return " ".join(vector or "" for (vector,) in rows)


def _stored(app):
    return _raw_index(app) if _sqlite(app) else _vectors(app).encode()


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_a_strange_search_gets_a_clear_page_and_changes_nothing(app, client, make, query):
    make.question(title="Something ordinary", body="Words")
    with app.app_context():
        before = db.session.scalar(select(func.count(Question.id)))
    response = client.get("/search", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    if "\x00" in query:  # refused before any page reads it, on Kettle's one error page
        assert "Kettle could not read that" in html
    else:
        assert 'id="search-q"' in html  # the search form again, to try other words
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == before


def test_a_pasted_page_is_refused_kindly_not_searched(client):
    response = client.get("/search", query_string={"q": "word " * 2000})
    assert response.status_code == 400
    assert f"up to {MAX_QUERY_CHARS} characters" in response.get_data(as_text=True)


def test_words_too_common_to_search_for_are_explained(client):
    response = client.get("/search", query_string={"q": "has it been the"})
    assert response.status_code == 400
    assert "cannot narrow a search" in response.get_data(as_text=True)


def test_syntax_characters_are_only_separators(client, make):
    asked = make.question(title="Ginkgo leaves", body="autumn").post
    assert found(client, '"ginkgo* OR (autumn -^') == [asked.id]


def test_a_deleted_question_s_words_leave_the_index_itself(app, client, make):
    asked = make.question(title="Quarzwolke title", body="about brackishvein things").post
    assert b"quarzwolk" in _stored(app) and b"brackishvein" in _stored(app)
    with app.app_context():
        services.delete_question(db.session.get(Question, asked.id))
    assert found(client, "quarzwolke") == []
    stored = _stored(app)
    assert b"quarzwolk" not in stored and b"brackishvein" not in stored


def test_a_deleted_perspective_s_words_leave_the_index_itself(app, client, make):
    asked = make.question(title="Plain", body="plain").post
    answer = make.answer(asked, body="I tried zymoblastic breathing").post
    assert b"zymoblast" in _stored(app)
    with app.app_context():
        services.delete_answer(db.session.get(Answer, answer.id))
    assert found(client, "zymoblastic") == []
    assert b"zymoblast" not in _stored(app)


def test_a_deleted_account_s_words_leave_the_index_itself(app, client):
    from tests.accounts_helpers import PASSWORD, join, pseudonym_ids
    from tests.test_account_life import ask

    join(client, pseudonym="Robin")
    ask(client, "Quonkavore worries", pseudonym_ids(client)["Robin"])
    assert b"quonkavor" in _stored(app)
    choice = {"password": PASSWORD, "choice": REMOVE_EVERYTHING}
    assert client.post("/account/delete", data=choice).status_code == 303
    assert b"quonkavor" not in _stored(app)


def test_without_secure_delete_fts5_would_keep_erased_words(app, tmp_path):
    """The checks above can fail: an index with secure-delete off keeps an erased word."""
    if not _sqlite(app):
        pytest.skip("FTS5 is SQLite's index")
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.db'}"})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.session.execute(
            text("INSERT INTO question_search(question_search, rank) VALUES ('secure-delete', 0)")
        )
        db.session.execute(
            text(
                "INSERT INTO topic(id, slug, name, description, position) "
                "VALUES (1, 't', 'T', 'd', 1)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO question(topic_id, title, body_source, body_html, "
                "content_note_other, created_at, perspective_count) "
                "VALUES (1, 'Vorpalwort', '', '', '', '2026-11-30', 0)"
            )
        )
        db.session.execute(text("DELETE FROM question"))
        db.session.commit()
        assert b"vorpalwort" in _raw_index(app)
        db.engine.dispose()


@pytest.mark.settings(RATELIMIT_ENABLED=True, SEARCH_RATE_LIMIT="3 per minute")
def test_search_is_rate_limited(client):
    statuses = [client.get("/search?q=anything").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429


def test_what_someone_searched_for_is_never_logged(app, client, make, caplog):
    make.question(title="Periwinkle", body="words")
    with caplog.at_level(logging.DEBUG):
        found(client, "periwinkle secretword")
        client.get("/search", query_string={"q": "x" * 5000 + " secretword"})
    assert "secretword" not in caplog.text
    line = '127.0.0.1 - - "GET /search?q=my+secretword&topic=t HTTP/1.1" 200 -'
    assert "secretword" not in privacy.redact(line)
    assert "secretword" not in privacy.redact(line.replace("/search", "//search"))


@pytest.mark.parametrize("url", ["/", "/topics", "/how-it-works", "/ask", "/login"])
def test_every_page_has_a_search_box_that_works_without_javascript(client, make, url):
    asked = make.question(title="Honeysuckle", body="words").post
    html = client.get(url).get_data(as_text=True)
    assert '<form class="header-search" method="get" action="/search"' in html
    assert 'name="q"' in html
    assert found(client, "honeysuckle") == [asked.id]
