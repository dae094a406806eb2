"""Whole pages kept for readers who are not signed in, and dropped with any change to them.

Only pages that are the same for every such reader with the same content-note choices are
kept (lists, topics, search results): never a signed-in reader's page, never a keeper
page, never a page whose rendering touched the session (a form's CSRF token, a flashed
message), never anything but a 200. Each page's key holds the reader's choices cookie and
the content generation: one number in the database that every transaction changing what
readers see (posts, names, topics, notes, moderation) raises in that same transaction
(`register_shown` names the tables). So a change invalidates every kept page on every
server at once, or, if the transaction rolls back, none. Entries also lapse after
CACHE_DEFAULT_TIMEOUT seconds, which bounds what a clock alone changes (a suspension that
ends by itself).

The store is Flask-Caching's: each process's memory by default, or Redis (CACHE_TYPE
RedisCache, CACHE_REDIS_URL) to share one between workers and servers.
"""

import functools
import hashlib

from flask import current_app, make_response, request, session
from flask_caching import Cache
from sqlalchemy import event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.web.extensions import db

cache = Cache()
# The cookie holding a signed-out reader's content-note choices (app.readers.prefs).
CHOICES_COOKIE = "kettle_reader"
_BUMPED = "kettle_generation_raised"
_shown_tables = set()


class ContentGeneration(db.Model):
    """One row: the number every cached page's key holds (migration 0021 makes it)."""

    __tablename__ = "content_generation"
    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def init_app(app):
    """Attach the store, unless CACHE_TYPE is "NullCache" (no page is ever kept)."""
    if app.config["CACHE_TYPE"] != "NullCache":
        cache.init_app(app)


def register_shown(*table_names):
    """Name tables whose rows readers see; a transaction that writes one raises the
    generation. Called by create_app."""
    _shown_tables.update(table_names)


def _touches_shown(session):
    return any(
        getattr(getattr(obj, "__table__", None), "name", None) in _shown_tables
        for obj in (*session.new, *session.dirty, *session.deleted)
    )


def _raise_generation(session):
    if session.info.get(_BUMPED):
        return
    session.info[_BUMPED] = True
    session.connection().execute(
        update(ContentGeneration).where(ContentGeneration.id == 1).values(n=ContentGeneration.n + 1)
    )


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    if _touches_shown(session):
        _raise_generation(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_changes(state):
    mapper = state.bind_mapper
    changes = state.is_update or state.is_delete
    if changes and mapper is not None and mapper.local_table.name in _shown_tables:
        _raise_generation(state.session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_BUMPED, None)


def _generation():
    return db.session.scalar(db.select(ContentGeneration.n).where(ContentGeneration.id == 1))


def _may_use_cache():
    return (
        current_app.config["CACHE_TYPE"] != "NullCache"
        and request.method == "GET"
        and "account" not in session
        and "_flashes" not in session
    )


def _key():
    parts = (str(_generation()), request.full_path, request.cookies.get(CHOICES_COOKIE, ""))
    return "kettle:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached(view):
    """Serve `view` from the page cache for readers who are not signed in, and keep what
    it renders when that is safe to share (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not _may_use_cache():
            return view(*args, **kwargs)
        key = _key()
        kept = cache.get(key)
        if kept is not None:
            return make_response(kept)
        response = make_response(view(*args, **kwargs))
        if (
            response.status_code == 200
            and not session.modified
            and not response.headers.get("Set-Cookie")
        ):
            cache.set(key, response.get_data())
        return response

    return wrapper
