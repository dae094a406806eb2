"""Database settings Kettle relies on: SQLite's pragmas, private files, and words that
are erased from the disk as well as from the pages."""

import functools
import logging
import os
import sqlite3
from pathlib import Path

import sqlean
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.core import folding

# Set on a session by a flush that deleted rows or replaced words; read after commit.
ERASED = "kettle_erased_words"
# How long SQLite waits for another connection's lock, in ms.
BUSY_MS = 5000
log = logging.getLogger(__name__)
# SQLite databases (by URL) whose log may still hold erased words: a reader's snapshot kept
# the last checkpoint from finishing, so this process owes one (see _checkpoint).
_owed = set()
# Rows a flush inserted in the current transaction (their InstanceStates).
_INSERTED = "kettle_inserted_rows"
# Tables named by holds_no_words.
_WORDLESS = set()
# SQLite's own files beside the database; each holds copies of what people wrote.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
# The search index erases a deleted post's tokens from its stored segments with FTS5's
# secure-delete, which needs SQLite 3.42 or newer; Python's own sqlite3 module may link an
# older library (3.40 on Debian 12), so SQLite databases open through sqlean.py, a
# maintained build of the same module with a current SQLite inside, on every platform.
SQLITE_DRIVER = sqlean
_SQLITE_CONNECTIONS = (sqlite3.Connection, sqlean.Connection)


def engine_options(url, options):
    """SQLAlchemy engine options for `url`: `options` as given, plus Kettle's SQLite driver
    for a SQLite URL, without the pool's pre-ping: a SQLite connection is a file this
    process opened, which cannot drop the way a server's connection can, so a query before
    every checkout would test nothing. Returns a new dict; `options` is not changed."""
    if str(url).startswith("sqlite"):
        return {**options, "module": SQLITE_DRIVER, "pool_pre_ping": False}
    return dict(options)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: write-ahead logging, wait for a busy writer, enforce foreign keys, and
    overwrite deleted content with zeros (secure_delete) instead of leaving it in free pages.
    Registers `kettle_searchable` and `kettle_searchable_html` (app.core.folding), which
    the search index's view and triggers call (migration 0023), so every connection that
    writes posts keeps the index in step."""
    if not isinstance(dbapi_connection, _SQLITE_CONNECTIONS):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    for name, function in (
        ("searchable", folding.searchable),
        ("searchable_html", folding.searchable_html),
    ):
        dbapi_connection.create_function(
            f"kettle_{name}", 1, _never_failing(function), deterministic=True
        )


def _never_failing(function):
    """`function`, giving its argument back unchanged should it ever raise: a post must be
    stored even when search cannot read it, and the same words give the same answer again
    when the index is told to forget them. Logs the error's kind, never the words."""

    @functools.wraps(function)
    def call(value):
        try:
            return function(value)
        except Exception as error:  # any error: or the post would be lost
            log.error("Search could not read a post (%s); indexed as written", type(error).__name__)
            return value

    return call


def holds_no_words(*table_names):
    """Name tables whose rows hold none of a person's words (a sending's fingerprint, a
    sealed one-time secret): deleting or changing their rows forces no checkpoint. Called
    by the module that keeps each table; a table never named is taken to hold words."""
    _WORDLESS.update(table_names)


def _may_hold_words(instance):
    return getattr(getattr(instance, "__table__", None), "name", None) not in _WORDLESS


def _replaced_words(instance, inserted):
    """True when a flush overwrites text that may already be on disk: a non-empty string
    that was loaded, or any string put over a value never loaded (which may have been
    words). A row inserted in this same transaction has no older copy to leave behind."""
    state = inspect(instance)
    if state in inserted or not _may_hold_words(instance):
        return False
    # Only attributes changed since loading have a history; the rest are passed over.
    for name in list(state.committed_state):
        history = state.attrs[name].history
        if any(isinstance(value, str) and value for value in history.deleted):
            return True
        if not history.deleted and any(isinstance(value, str) for value in history.added):
            return True
    return False


@event.listens_for(Session, "after_flush")
def _notice_erasures(session, flush_context):
    inserted = session.info.setdefault(_INSERTED, set())
    if any(_may_hold_words(instance) for instance in session.deleted) or any(
        _replaced_words(instance, inserted) for instance in session.dirty
    ):
        session.info[ERASED] = True
    inserted.update(inspect(instance) for instance in session.new)


@event.listens_for(Session, "do_orm_execute")
def _notice_bulk_deletes(state):
    mapper = state.bind_mapper
    wordless = mapper is not None and mapper.local_table.name in _WORDLESS
    if state.is_delete and not wordless:
        state.session.info[ERASED] = True


@event.listens_for(Session, "after_rollback")
def _forget_erasures(session):
    session.info.pop(ERASED, None)
    session.info.pop(_INSERTED, None)


@event.listens_for(Session, "after_commit")
def _checkpoint_after_erasure(session):
    """After a commit that erased words, copy the write-ahead log into the database file
    (where secure_delete has zeroed them) and empty the log, so no old copy stays on disk;
    after any later commit too, while an earlier one is still owed."""
    session.info.pop(_INSERTED, None)
    erased = session.info.pop(ERASED, False)
    bind = session.get_bind()
    if bind.dialect.name == "sqlite" and (erased or str(bind.url) in _owed):
        _checkpoint(bind, wait=erased)


def _checkpoint(engine, wait):
    """Empty the write-ahead log (TRUNCATE). A reader whose snapshot is older than the log's
    end keeps SQLite from finishing it: then the checkpoint is owed, said in the log, and
    tried again after this process's next commits, without waiting for busy readers."""
    with engine.connect() as connection:
        if not wait:
            connection.exec_driver_sql("PRAGMA busy_timeout=0")
        try:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
        finally:
            if not wait:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_MS}")
    if busy:
        if str(engine.url) not in _owed:
            log.warning("A reader kept the write-ahead log from being emptied after an "
                        "erasure; it will be emptied after a later commit.")  # fmt: skip
        _owed.add(str(engine.url))
    else:
        _owed.discard(str(engine.url))


def sqlite_path(engine):
    """The file of a file-based SQLite database, or None (PostgreSQL, or in memory)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(url.database)


def keep_files_private(instance_path, database_file):
    """Make the instance folder private to its owner (0700), and the database and its
    side files (-wal, -shm) readable by the owner alone (0600).

    The database file is created empty with mode 0600 before SQLite first opens it;
    SQLite gives the -wal and -shm files it makes later the database file's mode.
    Files an older Kettle made world-readable are tightened. Raises OSError when the
    files belong to another user.
    """
    folder = Path(instance_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    for secret in (folder / "secret_key",):
        if secret.exists():
            secret.chmod(0o600)
    if database_file is None:
        return
    os.close(os.open(database_file, os.O_CREAT | os.O_WRONLY, 0o600))
    for path in (database_file, *(Path(f"{database_file}{end}") for end in SQLITE_SIDE_FILES)):
        if path.exists():
            path.chmod(0o600)
