"""The benchmark's yardstick: a bare Flask page of 20 rows from a 100,000-row SQLite table.

One indexed query (`item` by topic, newest first) rendered by a Jinja template, served by
gunicorn with Kettle's own settings, so the ratio the harness prints compares Kettle with
the least a Flask page that reads a database can do. The database is made by `build`.

Serve: BASELINE_DB=/tmp/baseline.db gunicorn --pythonpath bench/baseline baseline_app:app
"""

import os
import random
import sqlite3
from datetime import UTC, datetime, timedelta

from flask import Flask, render_template, request

ROWS = 100_000
TOPICS = 9
app = Flask(__name__)


def build(path, rows=ROWS):
    """Make the baseline's database at `path`: `rows` items across TOPICS topics, indexed."""
    rng = random.Random(16)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, topic INTEGER NOT NULL, "
            "title TEXT NOT NULL, answers INTEGER NOT NULL, created_at TEXT NOT NULL)"
        )
        connection.execute("CREATE INDEX ix_item_topic_id ON item (topic, id)")
        connection.executemany(
            "INSERT INTO item VALUES (?, ?, ?, ?, ?)",
            (
                (n, rng.randrange(TOPICS), f"Question number {n} about getting through today",
                 rng.randint(0, 10), (start + timedelta(minutes=n)).isoformat())
                for n in range(1, rows + 1)
            ),
        )  # fmt: skip
    connection.close()


def database():
    """This worker's connection, opened once (as a connection pool would keep it)."""
    if "connection" not in app.config:
        connection = sqlite3.connect(os.environ["BASELINE_DB"], check_same_thread=False)
        connection.row_factory = sqlite3.Row
        app.config["connection"] = connection
    return app.config["connection"]


@app.get("/")
def index():
    """The newest 20 items of one topic (`?topic=`, default 3)."""
    topic = request.args.get("topic", 3, type=int)
    query = "SELECT id, title, answers, created_at FROM item WHERE topic = ? ORDER BY id DESC"
    items = database().execute(f"{query} LIMIT 20", (topic,)).fetchall()
    return render_template("list.html", topic=topic, items=items)
