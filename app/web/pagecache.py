"""Whole pages kept for readers who are not signed in, and dropped with any change to them.

Parts of pages (`kept_fragment`) are kept the same way, under the same generation.

Only pages that are the same for every such reader with the same content-note choices are
kept (lists, topics, search results, question pages and their API): never a signed-in
reader's page, never a keeper page, never anything but a 200, and never for a reader whose
session holds anything that could change a page (a flashed message, a keeper link shown
once, a shuffle seed): only keys registered with `register_shareable` may be there, or be
set while the page renders. A form's CSRF token is the one personal thing on a kept page:
it is kept as a slot, and each reader's own token is written into it when the page is
served (flask-wtf's `generate_csrf`); a repeat-posting secret the form needs is given
to each reader the same way (`register_shareable`). Each page's key holds its host (the
API names it), path and query (only arguments the page reads: `cached(reads=...)`), the
reader's choices cookie and the content generation
(app.web.generation), which every transaction changing what readers see raises. So a
change invalidates every kept page on every server at once, or, if the transaction rolls
back, none. Entries also lapse after CACHE_DEFAULT_TIMEOUT seconds, which bounds what a
clock alone changes (a suspension that ends by itself).

The store is Flask-Caching's: each process's memory by default (at most CACHE_THRESHOLD
entries), or Redis (CACHE_TYPE RedisCache, CACHE_REDIS_URL) to share one between workers
and servers (bounded by Redis's own maxmemory). No entry over CACHE_MAX_ENTRY_BYTES is
kept, so the store's size is bounded whatever URLs are asked for. A store that fails
(Redis down) is logged and passed by: pages are rendered as if nothing were kept.
"""

import functools
import hashlib
import logging

from flask import current_app, g, request, session
from flask_caching import Cache
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.web import generation

cache = Cache()
log = logging.getLogger(__name__)
# The cookie holding a signed-out reader's content-note choices (app.readers.prefs).
CHOICES_COOKIE = "kettle_reader"
# Session keys that change no page, each with what gives a reader their own value of it
# when a kept page is served (None: nothing to give). The CSRF token is written into each
# served copy instead (see _slotted).
_shareable = {"csrf_token": None, "_permanent": None}
# Where a kept page's CSRF token stood: NUL never reaches a page (app.web.intake refuses it).
_TOKEN_SLOT = b"\x00kettle-csrf-token\x00"
_GENERATION = "kettle_generation"  # in flask.g: the generation this request read first


def init_app(app):
    """Attach the store, unless CACHE_TYPE is "NullCache" (no page is ever kept)."""
    if app.config["CACHE_TYPE"] != "NullCache":
        cache.init_app(app)


def register_shareable(session_key, give=None):
    """Name a session key that changes nothing a page shows (a rate-limit or repeat-posting
    key), so a reader holding it still gets kept pages; `give()`, when named, sets this
    reader's own value, and is called when a kept page is served whose rendering held the
    key. Called by create_app."""
    _shareable[session_key] = give


def _in_use():
    return current_app.config["CACHE_TYPE"] != "NullCache"


def _request_generation():
    """The generation, read once per request and before anything else the page shows is
    read, so whatever is kept under it is at least as new as it (None: no row, keep
    nothing)."""
    if _GENERATION not in g:
        setattr(g, _GENERATION, generation.current())
    return g.get(_GENERATION)


def _may_use_cache():
    return request.method == "GET" and session.keys() <= _shareable.keys()


def _key(kind, *parts):
    named = "\n".join(map(str, (_request_generation(), request.host, *parts)))
    return f"kettle:{kind}:" + hashlib.sha256(named.encode()).hexdigest()


def _get(key):
    try:
        return cache.get(key)
    except Exception:  # the store (Redis) is down: pages are rendered, never lost
        log.warning("page cache: could not read the store", exc_info=False)
        return None


def _set(key, value, size):
    """Keep `value` (`size` bytes or characters long) unless it is over the bound."""
    if size > current_app.config["CACHE_MAX_ENTRY_BYTES"]:
        return
    try:
        cache.set(key, value)
    except Exception:
        log.warning("page cache: could not write to the store", exc_info=False)


def cached(view=None, *, reads=()):
    """Serve `view` from the page cache for readers who are not signed in, and keep what
    it renders when that is safe to share (see the module's docstring). `reads` names the
    query arguments the page reads: a request carrying any other is rendered, never kept,
    so made-up arguments cannot fill the store. Also reads the generation first, for
    `kept_fragment`."""
    if view is None:
        return functools.partial(cached, reads=reads)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not _in_use() or not request.args.keys() <= set(reads):
            return view(*args, **kwargs)  # nor does kept_fragment keep: no generation read
        if _request_generation() is None or not _may_use_cache():
            return view(*args, **kwargs)
        key = _key("page", request.full_path, request.cookies.get(CHOICES_COOKIE, ""))
        kept = _get(key)
        if kept is not None:
            return _served(*kept)
        before = dict(session)
        response = current_app.make_response(view(*args, **kwargs))
        given = _given(response, before)
        if given is not None:
            body = _slotted(response.get_data())
            _set(key, (body, response.mimetype, given), len(body))
        return response

    return wrapper


def kept_fragment(parts, render):
    """Part of a page (Markup) kept under the content generation and `parts` (a tuple of
    strings and numbers naming everything the part depends on), or `render()`'s Markup,
    kept now. The caller decides the part is the same for every reader with those parts:
    it must hold no CSRF token and nothing of one reader's own. Kept only in a view
    wrapped by `cached` (which read the generation before the page's content) and never
    with CACHE_TYPE "NullCache"."""
    if not _in_use() or g.get(_GENERATION) is None:
        return render()
    key = _key("part", *parts)
    kept = _get(key)
    if kept is None:
        kept = str(render())
        _set(key, kept, len(kept))
    return Markup(kept)  # noqa: S704 - what render() gave, Markup already


def _given(response, before):
    """The shareable session keys the page holds after rendering (to give each later
    reader: the first reader may have held them before), or None when the response must
    not be kept."""
    changed = {k for k in before.keys() | session.keys() if before.get(k) != session.get(k)}
    shareable = (
        response.status_code == 200
        and changed <= _shareable.keys()
        and "Set-Cookie" not in response.headers
        and "no-store" not in response.headers.get("Cache-Control", "")
    )
    return tuple(sorted(k for k in session if _shareable[k])) if shareable else None


def _csrf_field():
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _slotted(body):
    token = g.get(_csrf_field())  # flask-wtf's signed token, if this page rendered one
    return body.replace(token.encode(), _TOKEN_SLOT) if token else body


def _served(body, mimetype, given):
    for session_key in given:
        _shareable[session_key]()
    if _TOKEN_SLOT in body:
        body = body.replace(_TOKEN_SLOT, generate_csrf().encode())
    return current_app.response_class(body, mimetype=mimetype)
