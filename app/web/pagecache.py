"""Whole pages kept for readers who are not signed in, and dropped with any change to them.

Parts of pages (`kept_fragment`) are kept the same way, under the same generation.

Only pages that are the same for every such reader with the same content-note choices are
kept (lists, topics, search results, question pages and their API): never a signed-in
reader's page, never a keeper page, never anything but a 200, and never for a reader whose
session holds anything that could change a page (a flashed message, a keeper link shown
once, a shuffle seed): only keys registered with `register_shareable` may be there, or be
set while the page renders. A form's CSRF token is the one personal thing on a kept page:
it is kept as a slot, and each reader's own token is written into it when the page is
served (flask-wtf's `generate_csrf`). Each page's key holds its whole URL (host included,
since the API names it), the reader's choices cookie and the content generation: one
number in the database that every transaction changing what readers see (posts, names,
topics, notes, moderation) raises in that same transaction (`register_shown` names the
tables). So a change invalidates every kept page on every server at once, or, if the
transaction rolls back, none. Entries also lapse after
CACHE_DEFAULT_TIMEOUT seconds, which bounds what a clock alone changes (a suspension that
ends by itself).

The store is Flask-Caching's: each process's memory by default, or Redis (CACHE_TYPE
RedisCache, CACHE_REDIS_URL) to share one between workers and servers.
"""

import functools
import hashlib

from flask import current_app, g, request, session
from flask_caching import Cache
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.web.extensions import db

cache = Cache()
# The cookie holding a signed-out reader's content-note choices (app.readers.prefs).
CHOICES_COOKIE = "kettle_reader"
_BUMPED = "kettle_generation_raised"
_shown_tables = set()
# Session keys that change no page; the CSRF token is written into each served copy.
_shareable_keys = {"csrf_token", "_permanent"}
# Where a kept page's CSRF token stood: NUL never reaches a page (app.web.intake refuses it).
_TOKEN_SLOT = b"\x00kettle-csrf-token\x00"


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


def register_shareable(*session_keys):
    """Name session keys that change nothing a page shows (a rate-limit or repeat-posting
    key), so a reader holding them still gets kept pages. Called by create_app."""
    _shareable_keys.update(session_keys)


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
        and session.keys() <= _shareable_keys
    )


def _key():
    parts = (str(_generation()), request.url, request.cookies.get(CHOICES_COOKIE, ""))
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
            return _served(*kept)
        before = dict(session)
        response = current_app.make_response(view(*args, **kwargs))
        if _shareable(response, before):
            cache.set(key, (_slotted(response.get_data()), response.mimetype))
        return response

    return wrapper


def kept_fragment(parts, render):
    """Part of a page (Markup) kept under the content generation and `parts` (a tuple of
    strings and numbers naming everything the part depends on), or `render()`'s Markup,
    kept now. The caller decides the part is the same for every reader with those parts:
    it must hold no CSRF token and nothing of one reader's own. Nothing is kept with
    CACHE_TYPE "NullCache"."""
    if current_app.config["CACHE_TYPE"] == "NullCache":
        return render()
    named = "\n".join(map(str, (_generation(), *parts)))
    key = "kettle:part:" + hashlib.sha256(named.encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        kept = str(render())
        cache.set(key, kept)
    return Markup(kept)  # noqa: S704 - what render() gave, Markup already


def _shareable(response, before):
    changed = {k for k in before.keys() | session.keys() if before.get(k) != session.get(k)}
    return (
        response.status_code == 200
        and changed <= _shareable_keys
        and "Set-Cookie" not in response.headers
        and "no-store" not in response.headers.get("Cache-Control", "")
    )


def _slotted(body):
    token = g.get("csrf_token")  # flask-wtf's signed token, if this page rendered one
    return body.replace(token.encode(), _TOKEN_SLOT) if token else body


def _served(body, mimetype):
    if _TOKEN_SLOT in body:
        body = body.replace(_TOKEN_SLOT, generate_csrf().encode())
    return current_app.response_class(body, mimetype=mimetype)
