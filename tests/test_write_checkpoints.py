"""Posting is not held up by emptying SQLite's write-ahead log; erasing still empties it.

Copying the log into the database file and truncating it (a checkpoint) is what keeps an
erased or edited-away word from lingering on disk, and every other writer waits while it
runs. A new post erases nothing, so it must not pay for one.
"""

from pathlib import Path

import pytest
import sqlean
from sqlalchemy import text

from app.questions import services
from app.questions.models import Answer
from app.web.database import sqlite_path
from app.web.extensions import db
from tests.builders import keeper_link


@pytest.fixture
def log(app):
    """Empties SQLite's write-ahead log now; then reads its bytes."""
    with app.app_context():
        path = sqlite_path(db.engine)
        if path is None:
            pytest.skip("reads SQLite's write-ahead log")
        with db.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    wal = Path(f"{path}-wal")
    assert wal.read_bytes() == b""
    return wal.read_bytes


def test_posting_a_perspective_does_not_wait_for_the_log_to_be_emptied(client, make, log):
    question = make.question().post
    log()  # the question's own words were written before the log was emptied
    words = {"body": "Hazelnutkingfisher helped me.", "kind": "own-experience", "as": "anonymous"}
    assert client.post(f"/q/{question.id}/answers", data=words).status_code == 303
    # Still in the log: nothing copied it out and truncated it after this commit.
    assert b"Hazelnutkingfisher" in log()


def test_asking_a_question_does_not_wait_for_the_log_to_be_emptied(client, log):
    asked = {"topic": "getting-through-today", "title": "Does Walnutplover help?", "body": "Hm."}
    assert client.post("/ask", data=asked).status_code == 303
    assert b"Walnutplover" in log()


def test_editing_a_perspective_still_leaves_no_old_words_in_the_log(client, make, log):
    question = make.question().post
    words = {"body": "First thoughts Chestnutgrebe.", "kind": "own-experience", "as": "anonymous"}
    client.post(f"/q/{question.id}/answers", data=words)
    link = keeper_link(client.get(f"/q/{question.id}").get_data(as_text=True))
    assert b"Chestnutgrebe" in log()
    edited = client.post(f"{link}/edit", data={"body": "Second thoughts.", "kind": "helped-me"})
    assert edited.status_code == 303
    assert log() == b""  # emptied after the edit's commit
    assert b"Chestnutgrebe" not in log()


def test_a_new_perspective_counts_beside_a_hidden_one(app, client, make):
    """The count moves by one as a perspective is posted; it stays what readers see."""
    question = make.question().post
    hidden = make.answer(question, body="Hidden by a moderator.").post
    make.answer(question, body="Still shown.")
    with app.app_context():
        services.hide(db.session.get(Answer, hidden.id), None, "off topic")
        db.session.commit()
    words = {"body": "A third view.", "kind": "own-experience", "as": "anonymous"}
    assert client.post(f"/q/{question.id}/answers", data=words).status_code == 303
    page = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "2 perspectives" in page
    api = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert api["perspective_count"] == 2


def test_erased_words_leave_the_log_once_a_busy_reader_lets_go(app, client, make, log, caplog):
    question = make.question().post
    words = {"body": "Quokkamarmalade words.", "kind": "own-experience", "as": "anonymous"}
    client.post(f"/q/{question.id}/answers", data=words)
    link = keeper_link(client.get(f"/q/{question.id}").get_data(as_text=True))
    with app.app_context():
        path = sqlite_path(db.engine)
    # A slow reader (an export, a backup) holds a snapshot from before the erasure.
    reader = sqlean.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM answer").fetchall()
    assert client.post(f"{link}/delete").status_code == 303
    assert "A reader kept the write-ahead log from being emptied" in caplog.text
    reader.execute("COMMIT")
    reader.close()
    # The next commit, even one that erases nothing, pays the checkpoint owed.
    client.post(f"/q/{question.id}/answers", data={**words, "body": "Another view."})
    assert b"Quokkamarmalade" not in log()
    assert b"Quokkamarmalade" not in Path(path).read_bytes()
