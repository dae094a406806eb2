"""Search never breaks, never keeps what was erased, and never tells the logs what was sought.

Erased words must leave the index's own stored data too: FTS5 keeps deleted tokens in its
segments unless secure-delete is on, so the raw index is read here, before and after.
"""

import logging
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import bindparam, func, select, text

from app import create_app
from app.questions import services
from app.questions.models import Answer, Question
from app.search.terms import MAX_QUERY_CHARS
from app.web import privacy
from app.web.extensions import db
from app.your_account.data import REMOVE_EVERYTHING
from tests.conftest import TestConfig
from tests.test_search import RESULT, found

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


def test_a_word_written_with_vowel_marks_leaves_the_index_when_edited_or_erased(app, client, make):
    """The index reads words without their optional marks (migration 0023), so what it is
    told to forget on an edit or an erasure must be read the same way, or the marked
    word's tokens would stay in its stored data (and FTS5 would find its index corrupt)."""
    asked = make.question(title="Plain", body="أشعر بالوَحْدَة كل ليلة").post
    answer = make.answer(asked, body="קָשֶׁה לִי בַּלַּיְלָה").post
    assert found(client, "بالوحدة") == [asked.id] == found(client, "בלילה")
    with app.app_context():
        fields = {"body": "nothing of it now", "content_notes": [], "content_note_other": "",
                  "kind": None}  # fmt: skip
        services.edit_answer(db.session.get(Answer, answer.id), fields)
        db.session.commit()
        services.delete_question(db.session.get(Question, asked.id))
        if _sqlite(app):
            for table in ("question_search", "answer_search"):
                db.session.execute(text(f"INSERT INTO {table}({table}) VALUES ('integrity-check')"))
            db.session.commit()
    stored = _stored(app)
    assert "بالوحدة".encode() not in stored and "בלילה".encode() not in stored
    assert found(client, "بالوحدة") == [] == found(client, "בלילה")


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


@pytest.mark.parametrize(
    "line",
    [
        '127.0.0.1 - - "GET /search?q="panic secretword" HTTP/1.1" 200 -',  # decoded quotes
        '"GET /search?q=hearing\u00a0secretword HTTP/1.1" 200',  # a no-break space
        '"GET /search?q=sleep\u3000secretword HTTP/1.1" 200',  # an ideographic space
        '"GET /search?q=a HTTP/1 secretword HTTP/1.1" 200',  # "HTTP/" typed into the box
        "page cache: could not keep /search?q=tired secretword",  # no request line at all
    ],
    ids=["quotes", "no-break-space", "ideographic-space", "typed-http", "not-a-request-line"],
)
def test_a_logged_search_hides_every_word_however_the_server_wrote_it(line):
    cleaned = privacy.redact(line)
    assert "secretword" not in cleaned and "/search?[search]" in cleaned
    if " HTTP/1.1" in line:
        assert cleaned.endswith(line[line.rindex(" HTTP/1.1") :])  # the status is still there


@pytest.mark.parametrize("url", ["/", "/topics", "/how-it-works", "/ask", "/login"])
def test_every_page_has_a_search_box_that_works_without_javascript(client, make, url):
    asked = make.question(title="Honeysuckle", body="words").post
    html = client.get(url).get_data(as_text=True)
    assert '<form class="header-search" method="get" action="/search"' in html
    assert 'name="q"' in html
    assert found(client, "honeysuckle") == [asked.id]


def test_the_index_is_kept_in_step_and_erases_securely_at_head(app):
    """A SQLite migration that recreates `question` or `answer` (Alembic's batch mode) drops
    their triggers with them; this notices, and notices secure-delete switched off."""
    if not _sqlite(app):
        pytest.skip("FTS5 is SQLite's index")
    with app.app_context():
        triggers = set(
            db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        )
        for table in ("question_search", "answer_search"):
            secure = db.session.scalar(
                text(f"SELECT v FROM {table}_config WHERE k = 'secure-delete'")
            )
            assert secure == 1, table
    expected = {f"{kind}_search_{change}" for kind in ("question", "answer")
                for change in ("insert", "update", "delete")}  # fmt: skip
    assert expected <= triggers


def _stale_page_keys(app):
    """Page-directory keys (%_idx) that begin no word the index still holds."""
    with app.app_context():
        db.session.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.words"
                " USING fts5vocab(main, question_search, row)"
            )
        )
        words = list(db.session.scalars(text("SELECT term FROM temp.words")))
        keys = [
            bytes(k)[1:].decode()
            for k in db.session.scalars(text("SELECT term FROM question_search_idx"))
            if k
        ]
        db.session.execute(text("DROP TABLE temp.words"))
        db.session.commit()
    return [key for key in keys if not any(word.startswith(key) for word in words)]


def test_tidying_leaves_no_first_letters_of_erased_words(app):
    """Secure-delete empties the segments, but a page's first letters stay in the page
    directory until the index is rewritten: `flask search tidy` does that."""
    if not _sqlite(app):
        pytest.skip("FTS5 is SQLite's index")
    import random

    rng = random.Random(16)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9)) for _ in range(3000)
    ]
    with app.app_context():
        db.session.execute(
            text(
                "INSERT INTO question(topic_id, title, body_source, body_html,"
                " content_note_other, created_at, perspective_count)"
                " VALUES ((SELECT min(id) FROM topic), :title, '', '', '', '2026-11-30', 0)"
            ),
            [{"title": word} for word in words],
        )
        db.session.commit()
        # Nine words in ten, chosen by word and not by id (ids run on from earlier tests),
        # so some page of the index surely began with an erased word.
        kept = {"kept": words[::10]}
        erase = text("DELETE FROM question WHERE title NOT IN :kept").bindparams(
            bindparam("kept", expanding=True)
        )
        db.session.execute(erase, kept)
        db.session.commit()
    assert _stale_page_keys(app), "erasing nine words in ten should leave some stale keys"
    result = app.test_cli_runner().invoke(args=["search", "tidy"])
    assert result.exit_code == 0 and "Search index tidied" in result.output
    assert _stale_page_keys(app) == []


def test_tidying_works_on_either_database_and_search_still_finds(app, client, make):
    asked = make.question(title="Foxglove evenings").post
    result = app.test_cli_runner().invoke(args=["search", "tidy"])
    assert result.exit_code == 0, result.output
    assert found(client, "foxglove") == [asked.id]


def test_more_results_neither_repeat_nor_skip_when_others_post_meanwhile(app, client, make):
    ids = [make.question(title=f"Wintergreen {n}", body="wintergreen " * (n % 3 + 1)).post.id
           for n in range(6)]  # fmt: skip
    app.config["PAGE_SIZE"] = 2
    first = client.get("/search?q=wintergreen").get_data(as_text=True)
    seen = [int(n) for n in RESULT.findall(first)]
    url = re.search(r'<a href="(/search\?[^"]+)">More results</a>', first).group(1)
    for n in range(40):  # unrelated posts, and a longer one, change the index's figures
        make.question(title=f"Something else {n}", body="other words " * n)
    for _ in range(5):
        html = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
        seen += [int(n) for n in RESULT.findall(html)]
        more = re.search(r'<a href="(/search\?[^"]+)">More results</a>', html)
        if not more:
            break
        url = more.group(1)
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids)


def test_a_cursor_naming_an_id_beyond_any_row_is_refused_kindly(client, make):
    make.question(title="Tamarind")
    response = client.get("/search", query_string={"q": "tamarind", "after": "0_2147483648"})
    assert response.status_code == 400


def test_what_was_searched_for_goes_to_no_referer_and_no_browser_history(client):
    response = client.get("/search?q=something")
    assert response.headers["Referrer-Policy"] == "strict-origin"
    html = response.get_data(as_text=True)
    assert html.count('autocomplete="off"') >= 2  # the header's box and the page's


def test_a_post_search_cannot_read_is_still_stored_and_its_words_not_logged(caplog):
    """SQLite's index reads posts through Python (migration 0023): should that ever raise,
    the write must not fail and lose what someone wrote, and the log must not hold it."""
    from app.web.database import _never_failing

    def breaks(value):
        raise ValueError(value)

    assert _never_failing(breaks)("what I wrote at 2am") == "what I wrote at 2am"
    assert "ValueError" in caplog.text and "2am" not in caplog.text


def test_init_db_rebuilds_the_index_only_after_kettle_reads_words_another_way(
    app, make, monkeypatch
):
    """`init-db`, run after every upgrade, says so when it rebuilt the search index because
    Kettle now reads words another way (folding.VERSION), and is quiet otherwise; the
    index still finds every post after it."""
    from click.testing import CliRunner

    from app.cli import init_db
    from app.core import folding

    asked = make.question(title="Plain", body="marmalade toast").post
    with app.app_context():
        said = [CliRunner().invoke(init_db).output for _ in range(2)]
        monkeypatch.setattr(folding, "VERSION", folding.VERSION + " upgraded")
        said += [CliRunner().invoke(init_db).output for _ in range(2)]
    assert all("up to date" in output for output in said), said
    rebuilt = ["Search index rebuilt" in output for output in said]
    assert rebuilt == [False, False, _sqlite(app), False]
    assert found(app.test_client(), "marmalade") == [asked.id]
