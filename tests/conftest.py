"""Fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), an app per test."""

import os
import re

import pytest
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from sqlalchemy import event, text

from app import create_app
from app.topics.seed import seed_defaults
from app.web import generation
from app.web.extensions import db
from app.web.ratelimit import limiter
from config import Config, database_url
from tests.builders import Builders


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "kettle-tests-only-secret"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    QUICK_EXIT_URL = "/how-it-works"


class SharedTemplates(BytecodeCache):
    """Compiled templates shared by every test's app, so each test does not recompile them."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedTemplates()


def pytest_configure(config):
    config.addinivalue_line("markers", "settings(**overrides): app config for one test")


def pytest_collection_modifyitems(config, items):
    """Leave out the `cluster` tests (two servers behind HAProxy on PostgreSQL) unless the
    run asks for them by marker (`-m cluster`): they start their own database and servers,
    so repeating them in each run of the suite, SQLite or PostgreSQL, adds nothing."""
    if "cluster" in (config.option.markexpr or ""):
        return
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker("cluster") else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """A URL for a database migrated to head once per run."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'kettle.db'}"
    url = database_url(url)
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()
    return url


def _empty(app):
    with app.app_context():
        # The content generation's one row stays: migration 0021 made it, nothing deletes it.
        names = [t.name for t in db.metadata.sorted_tables if t.name != "content_generation"]
        if db.engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in names)
            db.session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(names):
                db.session.execute(text(f'DELETE FROM "{name}"'))
        db.session.commit()
        seed_defaults()


@pytest.fixture
def app(database, request):
    overrides = {"SQLALCHEMY_DATABASE_URI": database}
    for marker in request.node.iter_markers("settings"):
        overrides.update(marker.kwargs)
    app = create_app(TestConfig, overrides)
    app.jinja_env.bytecode_cache = TEMPLATES
    _empty(app)
    if app.config["RATELIMIT_ENABLED"]:
        with app.app_context():
            limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    """Builders for questions and answers, stored through the real services.

    Each build runs in its own app context, as requests do, so no test shares
    a database session (or `g`) with the requests it makes.
    """
    return Builders(app)


@pytest.fixture
def queries(app):
    """Counts SQL statements: `with queries.count() as seen: ...; seen.n`."""

    with app.app_context():
        engine = db.engine

    class Counter:
        def __init__(self):
            self.statements = []

        def __enter__(self):
            self.statements.clear()
            event.listen(engine, "before_cursor_execute", self._seen)
            # The generation is read on the driver's own connection, which no engine event
            # sees (app.web.generation.current), so its reads are counted here.
            self._current = generation.current
            generation.current = self._reading
            return self

        def __exit__(self, *exc):
            event.remove(engine, "before_cursor_execute", self._seen)
            generation.current = self._current

        def _reading(self):
            self.statements.append(generation._READ)
            return self._current()

        def _seen(self, conn, cursor, statement, *args):
            if not re.match(r"\s*(PRAGMA|SAVEPOINT|RELEASE)", statement):
                self.statements.append(statement)

        @property
        def n(self):
            return len(self.statements)

    return Counter()
