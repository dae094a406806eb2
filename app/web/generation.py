"""The content generation: one number that every change readers could see raises.

Every transaction that writes a table named with `register_shown` (posts, names, topics,
notes, and so every moderation action on them) raises `content_generation.n` by one, in
that same transaction: ORM flushes and bulk updates or deletes alike, and a rolled-back
change raises nothing. Kept pages and parts of pages (app.web.pagecache) hold the number
in their keys, so a change drops them on every worker and server at once.

`current()` reads the number on each request, so it is read the cheapest way that is
still exact: one plain query on its own pooled driver connection (a fresh transaction,
so it sees the latest commit), outside the request's ORM session, so a kept page needs no
session at all.
"""

from sqlalchemy import event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.web.extensions import db

_BUMPED = "kettle_generation_raised"
_READ = "SELECT n FROM content_generation WHERE id = 1"
_shown_tables = set()


class ContentGeneration(db.Model):
    """One row (id 1): the number every kept page's key holds (migration 0021 makes it)."""

    __tablename__ = "content_generation"
    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


# Built once, not per transaction (the ORM's own statements are cached the same way).
_RAISE = (
    update(ContentGeneration).where(ContentGeneration.id == 1).values(n=ContentGeneration.n + 1)
)


def register_shown(*table_names):
    """Name tables whose rows readers see; a transaction that writes one raises the
    generation. Called by create_app."""
    _shown_tables.update(table_names)


def current():
    """The generation now, as an int (None if its row is missing: then nothing may be
    kept): one small query on a connection of its own, checked out of the app engine's
    pool and straight back, outside the request's session."""
    # The driver's own connection: the pool's checkout and return (which rolls back, so
    # each read starts afresh) without a Connection and result object around one number.
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(_READ)
        row = cursor.fetchone()
        cursor.close()
    finally:
        raw.close()
    return row[0] if row else None


def _touches_shown(session):
    return any(
        getattr(getattr(obj, "__table__", None), "name", None) in _shown_tables
        for obj in (*session.new, *session.dirty, *session.deleted)
    )


def _raise(session):
    if session.info.get(_BUMPED):
        return
    session.info[_BUMPED] = True
    session.connection().execute(_RAISE)


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    if _touches_shown(session):
        _raise(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_changes(state):
    mapper = state.bind_mapper
    changes = state.is_update or state.is_delete
    if changes and mapper is not None and mapper.local_table.name in _shown_tables:
        _raise(state.session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_BUMPED, None)
