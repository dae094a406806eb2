"""Seed a fresh Kettle database with realistic posts, fast, for the benchmark harness.

The schema comes from Kettle's own migrations and default topics and notes; the few
accounts are made through Kettle's services (so passwords are hashed as in life); questions
and perspectives (bench/posts.py) go in with SQLAlchemy Core executemany, one transaction
per batch, never through the HTTP app. Prints the seeding time; returns (and with --plan
writes as JSON) the plan: which ids and words the harness loads.

Run: .venv/bin/python bench/seed.py --database sqlite:////tmp/k.db --size 10000 --plan p.json
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from posts import Rows
from sqlalchemy import func, select, text
from words import COMMON_WORD, RARE_WORD

from app import create_app
from app.accounts import services as accounts
from app.questions.models import Answer, Question, answer_content_notes, question_content_notes
from app.topics.models import ContentNote, Topic
from app.topics.seed import seed_defaults
from app.web.extensions import db

BATCH = 2000  # questions per transaction, with their perspectives and notes
# A member who reads and has written nothing; the writer of the 50-perspective question's
# thread is named in the plan too (see _plan).
READER = {"handle": "bench-reader", "password": "a kettle bench reader 1"}
NAMES = ("Quiet Harbour", "Night Owl", "Slow Tide", "Green Lantern Walker", "Paper Boat",
         "Morning Fog", "Small Steps", "Blue Heron", "Late Bus", "Warm Socks")  # fmt: skip


def make_app(url, instance):
    """A Kettle app on `url`, keeping its instance folder (secret key) in `instance`."""
    overrides = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                 "INSTANCE_PATH": str(instance), "RATELIMIT_ENABLED": False}  # fmt: skip
    return create_app(overrides=overrides)


def _author(n):
    """The handle and password of the nth author."""
    return {"handle": f"bench-{n}", "password": f"bench password {n}"}


def _people():
    """Accounts with one pseudonym each, and the reader, who writes nothing; returns the
    (account id, pseudonym id) pairs posts are written under."""
    authors = []
    for n, name in enumerate(NAMES):
        joined = accounts.join(**_author(n), pseudonym_name=name)
        authors.append((joined.account.id, joined.account.pseudonyms[0].id))
    accounts.join(**READER, pseudonym_name="Bench Reader")
    return authors


def _insert(engine, rows):
    """Insert one batch's rows in one transaction."""
    tables = (Question.__table__, Answer.__table__, question_content_notes, answer_content_notes)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
        for table, batch in zip(tables, rows, strict=True):
            if batch:
                connection.execute(table.insert(), batch)


def refresh_search(engine):
    """Make sure search sees the bulk-inserted posts, and say how, in words.

    Kettle keeps its index in step by itself (SQLite: triggers fill the FTS5 tables;
    PostgreSQL: generated columns), so inserts are indexed as they go; an FTS5 table that
    no trigger keeps is rebuilt with FTS5's own 'rebuild' command."""
    if engine.dialect.name != "sqlite":
        return "search index: kept by the database"
    fts5 = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'"
    kept = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND sql LIKE :name"
    with engine.begin() as connection:
        tables = connection.execute(text(fts5)).scalars().all()
        stale = [t for t in tables if not connection.scalar(text(kept), {"name": f"%{t}%"})]
        for name in stale:
            connection.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")  # noqa: S608
    if not tables:
        return "no search index yet"
    return (
        f"search index: {len(tables)} FTS5 tables, {len(stale)} rebuilt, the rest kept by triggers"
    )


def _finish(engine):
    """PostgreSQL: move the id sequences past the explicit ids, and ANALYZE as autovacuum
    would; SQLite: fold the write-ahead log into the file."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in ("question", "answer"):
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                    {"t": table, "n": connection.scalar(text(f"SELECT max(id) FROM {table}"))},  # noqa: S608
                )
            connection.exec_driver_sql("ANALYZE")
        else:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _writer(rows):
    """An author who wrote in the 50-perspective question's thread, to sign in as."""
    wrote = select(Answer.account_id).where(
        Answer.question_id == rows.fifty, Answer.account_id.is_not(None)
    )
    account = db.session.scalar(wrote.order_by(Answer.id).limit(1))
    return _author([id_ for id_, _ in rows.authors].index(account))


def _plan(rows, topic):
    """Where the harness loads: a keyset page 80 % deep, questions for writers, words, and
    who signs in: the reader, and a writer in the 50-perspective thread."""
    listed = select(Question.id).where(Question.deleted_at.is_(None), Question.hidden_at.is_(None))
    in_topic = listed.where(Question.topic_id == topic.id)
    total = db.session.scalar(select(func.count()).select_from(in_topic.subquery()))
    deep = in_topic.order_by(Question.id.desc()).offset(total * 4 // 5).limit(1)
    writable = listed.where(Question.id != rows.fifty).order_by(Question.id.desc()).limit(64)
    return {"questions": rows.size, "answers": rows.answers, "topic": topic.slug,
            "topic_questions": total, "deep_before": db.session.scalar(deep),
            "question50": rows.fifty, "common": COMMON_WORD, "rare": RARE_WORD,
            "write_questions": db.session.scalars(writable).all(), **READER,
            "writer": _writer(rows)}  # fmt: skip


def seed(url, size, instance):
    """Migrate a fresh database at `url`, fill it with `size` questions, and return the plan.

    Refuses (SystemExit) a database that already holds questions."""
    started = time.monotonic()
    app = make_app(url, instance)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        seed_defaults()
        if db.session.scalar(select(Question.id).limit(1)) is not None:
            raise SystemExit("The benchmark needs a fresh database: this one holds questions.")
        topics = db.session.scalars(select(Topic).order_by(Topic.position)).all()
        notes = db.session.scalars(select(ContentNote.id)).all()
        rows = Rows(size, [t.id for t in topics], notes, _people())
        for first in range(1, size + 1, BATCH):
            _insert(db.engine, rows.batch(first, min(size, first + BATCH - 1)))
        searched = refresh_search(db.engine)
        _finish(db.engine)
        plan = _plan(rows, topics[0])
        db.session.remove()
        db.engine.dispose()
    seconds = round(time.monotonic() - started, 1)
    plan.update(database=url, seconds=seconds, search=searched)
    print(f"seeded {size:,} questions, {rows.answers:,} perspectives in {seconds} s; {searched}")
    return plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a fresh database")
    parser.add_argument("--size", type=int, default=int(os.environ.get("SIZE", "100000")))
    parser.add_argument("--plan", default="bench-plan.json", help="where to write the plan")
    parser.add_argument("--instance", help="instance folder (default: beside the plan)")
    args = parser.parse_args()
    instance = Path(args.instance or Path(args.plan).resolve().parent / "instance")
    plan = seed(args.database, args.size, instance)
    Path(args.plan).write_text(json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
