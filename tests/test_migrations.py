"""Upgrading a live database keeps everything people wrote."""

import hashlib
import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from app.accounts import services
from app.search.schema import include_object
from app.web.extensions import db
from tests.conftest import TestConfig

BEFORE_SESSION_SECRETS = "a18125c150c6"
ROWS = """
insert into topic(id,slug,name,description,position) values (1,'t','T','d',1);
insert into content_note(id,slug,label,position) values (1,'sh','Self-harm',1);
insert into account(id,handle_key,password_hash,session_epoch,created_at,note_choices,
  discreet_titles,last_posted_as) values (1,'a','h',3,'2026-01-01','{}',0,'{}'),
  (2,'b','h',0,'2026-01-01','{}',0,'{}');
insert into pseudonym(id,public_id,account_id,display_name,name_key)
  values (1,'p1',1,'A','a'),(2,'p2',2,'B','b');
insert into account_role(account_id,role) values (1,'moderator');
insert into recovery_code(id,account_id,code_hash)
  values (1,1,'3e7d4b0ab3bd3ec3f9d1e8b5e4fb7e1c11c6ad4ac0c11a49a52b3e32aa3a13d5');
insert into question(id,topic_id,title,body_source,body_html,content_note_other,created_at,
  account_id,pseudonym_id,perspective_count)
  values (1,1,'Q','b','<p>b</p>','','2026-01-01',1,1,1),(2,1,'Q2','b','<p>b</p>','','2026-01-01',
  null,null,0);
insert into question_content_note values (1,1);
insert into answer(id,question_id,by_asker,body_source,body_html,content_note_other,created_at,
  account_id,pseudonym_id) values (1,1,0,'a','<p>a</p>','','2026-01-01',2,2);
insert into answer_content_note values (1,1);
insert into keeper_token(id,token_hash,question_id,created_at) values (1,'h1',2,'2026-01-01');
insert into keeper_token(id,token_hash,answer_id,created_at) values (2,'h2',1,'2026-01-01');
"""
TABLES = ("account", "pseudonym", "account_role", "recovery_code", "question",
          "question_content_note", "answer", "answer_content_note", "keeper_token")  # fmt: skip


def _counts(path):
    with sqlite3.connect(path) as connection:
        return {name: connection.execute(f"select count(*) from {name}").fetchone()[0]
                for name in TABLES}  # fmt: skip


def _database_before_session_secrets(tmp_path):
    """An app and the path of its SQLite database, migrated as it was before migration 0004."""
    path = tmp_path / "kettle.db"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision=BEFORE_SESSION_SECRETS)
    return app, path


def test_upgrading_keeps_every_row_and_stops_reusing_ids(tmp_path):
    app, path = _database_before_session_secrets(tmp_path)
    with sqlite3.connect(path) as connection:
        connection.executescript(ROWS)
    before = _counts(path)

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)

    assert _counts(path) == before
    with sqlite3.connect(path) as connection:
        secrets = [row[0] for row in connection.execute("select session_secret from account")]
        connection.execute("delete from account where id = 2")
        connection.execute(
            "insert into account(handle_key,password_hash,session_secret,created_at,note_choices,"
            "discreet_titles,last_posted_as) values ('c','h','s','2026-01-02','{}',0,'{}')"
        )
        newest = connection.execute("select max(id) from account").fetchone()[0]
    assert len(set(secrets)) == 2
    assert all(len(secret) >= 43 for secret in secrets)
    assert newest == 3


def test_recovery_codes_made_before_slow_hashing_still_work_after_it(tmp_path):
    app, path = _database_before_session_secrets(tmp_path)
    old = hashlib.sha256(b"abcdefghjk").hexdigest()
    with sqlite3.connect(path) as connection:
        connection.executescript(
            ROWS.replace(
                "'3e7d4b0ab3bd3ec3f9d1e8b5e4fb7e1c11c6ad4ac0c11a49a52b3e32aa3a13d5'", f"'{old}'"
            )
        )

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        with sqlite3.connect(path) as connection:
            stored = connection.execute("select code_hash from recovery_code").fetchone()[0]
        assert stored.startswith("$argon2id$")
        assert services.recover("a", "ABCDE-FGHJK", "a fresh kettle of fish").id == 1


def test_the_migrations_build_exactly_the_tables_the_models_describe(app):
    """A hand-written migration that misses a column, index or key shows up here."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, db.metadata) == []


def test_a_sealed_secret_waiting_during_the_upgrade_is_still_there_after_it(tmp_path):
    """The handover table became sealed_secret (0008): a keeper link waiting to be shown
    across a redirect while the upgrade runs is not lost."""
    path = tmp_path / "kettle.db"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory, revision="b5e1c0a2d7f4")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "insert into handover(id,sealed,created_at) values ('abc','00ff','2026-11-29')"
        )
    with app.app_context():
        upgrade(directory=directory)
    with sqlite3.connect(path) as connection:
        rows = connection.execute("select id, sealed from sealed_secret").fetchall()
    assert rows == [("abc", "00ff")]
