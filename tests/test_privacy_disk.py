"""What Kettle keeps on disk: private files, and nothing left of erased words."""

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import create_app
from app.core.time import now
from app.moderation import reports
from app.moderation.models import Case
from app.web.database import sqlite_path
from app.web.extensions import db
from app.your_account.data import REMOVE_EVERYTHING
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids
from tests.conftest import TestConfig


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def ordinary_umask():
    """The umask most servers run with, which makes new files world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def fresh_app(instance):
    settings = {"INSTANCE_PATH": str(instance), "SECRET_KEY": None,
                "SQLALCHEMY_DATABASE_URI": "sqlite:///kettle.db"}  # fmt: skip
    app = create_app(TestConfig, settings)
    with app.app_context():
        db.session.execute(text("CREATE TABLE IF NOT EXISTS words (body TEXT)"))
        db.session.execute(text("INSERT INTO words VALUES ('something private')"))
        db.session.commit()
    return app


def test_a_new_deployment_keeps_its_database_and_secret_private(tmp_path, ordinary_umask):
    instance = tmp_path / "instance"
    app = fresh_app(instance)
    files = ["kettle.db", "kettle.db-wal", "kettle.db-shm", "secret_key"]
    assert all((instance / name).exists() for name in files)
    assert {name: oct(mode(instance / name)) for name in files} == dict.fromkeys(files, "0o600")
    assert oct(mode(instance)) == "0o700"
    with app.app_context():
        db.engine.dispose()


def test_files_an_older_kettle_left_world_readable_are_made_private(tmp_path, ordinary_umask):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    for name in ("kettle.db", "kettle.db-wal", "kettle.db-shm", "secret_key"):
        (instance / name).touch(mode=0o644)
    (instance / "secret_key").write_text("an older secret")
    app = fresh_app(instance)
    assert oct(mode(instance)) == "0o700"
    assert {oct(mode(path)) for path in instance.iterdir()} == {"0o600"}
    with app.app_context():
        db.engine.dispose()


# Erasures: the words must be gone from the bytes of kettle.db and its write-ahead log.


@pytest.fixture
def disk(app):
    with app.app_context():
        path = sqlite_path(db.engine)
    if path is None:
        pytest.skip("reads the bytes of SQLite's files")

    def read():
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())

    return read


def test_a_deleted_question_leaves_no_words_on_disk(client, make, disk):
    posted = make.question(title="Quokkazanzibar question?", body="Marmaladeferret body.")
    make.answer(posted.post, body="Asker reply Tangerinewombat.", by_asker=True)
    assert b"Quokkazanzibar" in disk()
    client.post(f"/keep/{posted.keeper_token}/delete")
    for word in (b"Quokkazanzibar", b"Marmaladeferret", b"Tangerinewombat"):
        assert word not in disk()


def test_a_deleted_answer_leaves_no_words_on_disk(client, make, disk):
    answered = make.answer(make.question().post, body="Perspective Pomegranatebadger.")
    assert b"Pomegranatebadger" in disk()
    client.post(f"/keep/{answered.keeper_token}/delete")
    assert b"Pomegranatebadger" not in disk()


def test_words_edited_away_leave_no_copy_on_disk(client, make, disk):
    posted = make.question(title="An ordinary title here", body="First draft Saffronotter.")
    edit = {"title": "An ordinary title here", "body": "Second draft.",
            "topic": "work-and-lived-experience-roles"}  # fmt: skip
    assert client.post(f"/keep/{posted.keeper_token}/edit", data=edit).status_code == 303
    assert b"Saffronotter" not in disk()


def test_a_deleted_account_leaves_no_handle_names_or_words_on_disk(client, disk):
    join(client, handle="zanzibar-lynx-handle", pseudonym="Quokkaname")
    as_ = pseudonym_ids(client)["Quokkaname"]
    question = {"title": "Cardamompelican question?", "body": "Words.",
                "topic": "getting-through-today", "as": as_}  # fmt: skip
    client.post("/ask", data=question)
    assert b"zanzibar-lynx-handle" in disk()
    choice = {"password": PASSWORD, "choice": REMOVE_EVERYTHING}
    assert client.post("/account/delete", data=choice).status_code == 303
    for word in (b"zanzibar-lynx-handle", b"Quokkaname", b"Cardamompelican"):
        assert word not in disk()
        assert word.lower() not in disk().lower()


def test_a_renamed_pseudonym_leaves_no_old_name_on_disk(client, disk):
    join(client, pseudonym="Quokkaoldname")
    pseudonym_id = pseudonym_ids(client)["Quokkaoldname"]
    renamed = client.post(f"/account/pseudonyms/{pseudonym_id}/rename", data={"name": "Robin"})
    assert renamed.status_code == 303
    assert b"Quokkaoldname" not in disk()


def _report(make_client, target, address):
    sent = make_client().post(
        "/report", data={"target": target, "reason": "abuse"}, environ_base={"REMOTE_ADDR": address}
    )
    assert sent.status_code == 200


def test_a_reported_post_its_author_deletes_leaves_no_snapshot_on_disk(app, client, make, disk):
    posted = make.question(title="Reported Quokkasnapshot?", body="Reported Lavenderheron.")
    _report(app.test_client, f"question:{posted.post.id}", "192.0.2.1")
    edit = {"title": "Reported, then changed", "body": "Other words.",
            "topic": "work-and-lived-experience-roles"}  # fmt: skip
    assert client.post(f"/keep/{posted.keeper_token}/edit", data=edit).status_code == 303
    assert b"Lavenderheron" in disk()  # only in the report's snapshot now
    assert client.post(f"/keep/{posted.keeper_token}/delete").status_code == 303
    for word in (b"Quokkasnapshot", b"Lavenderheron"):
        assert word not in disk()


def test_reported_words_past_their_keeping_days_leave_no_copy_on_disk(app, client, make, disk):
    """The post stays, edited since; the snapshot of its old words goes REPORT_SNAPSHOT_DAYS
    after the decision, from the pages and from the database file."""
    posted = make.question(title="A question reported once", body="Old words Juniperbittern.")
    _report(app.test_client, f"question:{posted.post.id}", "192.0.2.2")
    edit = {"title": "A question reported once", "body": "New words.",
            "topic": "work-and-lived-experience-roles"}  # fmt: skip
    assert client.post(f"/keep/{posted.keeper_token}/edit", data=edit).status_code == 303
    assert b"Juniperbittern" in disk()
    with app.app_context():
        days = app.config["REPORT_SNAPSHOT_DAYS"]
        case = db.session.scalar(select(Case))
        case.decided_at, case.outcome = now() - timedelta(days=days, minutes=1), "dismiss"
        db.session.commit()
        reports.erase_expired_snapshots()
        db.session.commit()
    assert b"Juniperbittern" not in disk()
