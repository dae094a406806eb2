"""Whole pages kept for readers, and dropped with any change to them.

Parts of pages (`kept_fragment`) are kept the same way, under the same generation. A
signed-in member's page may be kept as a member copy (`cached(members=...)`): the same
for every member with the same roles and content-note choices, with the parts that are
each member's own (`personal`: the names they may post under) left as slots and filled
for each member as it is served, and never kept if it holds one of their names anywhere
else.

Only pages that are the same for every reader with the same content-note choices (and,
for member copies, the same roles) are kept (lists, topics, search results, question pages
and their API): never any other signed-in reader's page, never a keeper page, never
anything but a 200, and never for a reader whose session holds anything that could change
a page (a flashed message, a keeper link shown once, a shuffle seed): only keys registered
with `register_shareable` (and, for member copies, `register_member_key`) may be there, or
be set while the page renders. A form's CSRF token is the one personal thing on a kept page:
it is kept as a slot, and each reader's own token is written into it when the page is
served (flask-wtf's `generate_csrf`); a repeat-posting secret the form needs is given
to each reader the same way (`register_shareable`). Each page's key holds its host (the
API names it), path and query (only arguments the page reads, with values it knows:
`cached(reads=...)`), the reader's choices and the content generation
(app.web.generation), which every transaction changing what readers see raises. So a
change invalidates every kept page on every server at once, or, if the transaction rolls
back, none. Entries also lapse after CACHE_DEFAULT_TIMEOUT seconds, which bounds what a
clock alone changes (a suspension that ends by itself).

The store is Flask-Caching's: each process's memory by default (at most CACHE_THRESHOLD
entries), or Redis (CACHE_TYPE RedisCache, CACHE_REDIS_URL) to share one between workers
and servers (bounded by Redis's own maxmemory). No entry over CACHE_MAX_ENTRY_BYTES is
kept, so the store's size is bounded whatever URLs are asked for. Over a shared store,
each process also keeps its own copies of the entries it served last (CACHE_NEAR_THRESHOLD
of them, for CACHE_NEAR_TIMEOUT seconds); every key holds the generation, so a copy is as
current as the store, and what a clock alone changes shows within the two timeouts. A
store that fails (Redis down) is logged and passed by: pages are rendered as if nothing
were kept.
"""

import functools
import hashlib
import logging
import re

from cachelib import SimpleCache
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
# A signed-in reader's own part of a kept member copy (see `personal`): a name and its
# argument between NULs, filled for each member by the part's registered renderer.
_HOLE = re.compile(rb"\x00kettle-part:([a-z_]+):([A-Za-z0-9_.-]*)\x00")
_parts = {}  # name -> render(argument): str, this member's own part
_member_keys = set()  # session keys that say who is signed in
_MEMBER_COPY = "kettle_member_copy"  # in flask.g: a member copy is being rendered to keep
_UNKEPT = "kettle_unkept"  # in flask.g: the member changed while their copy was rendered
_NEAR = "kettle_near_pages"  # in app.extensions: this process's copies of shared entries


def init_app(app):
    """Attach the store, unless CACHE_TYPE is "NullCache" (no page is ever kept). A store
    shared between processes (Redis) gets a small one in each process in front of it, so a
    busy page is not fetched across the network on every request."""
    if app.config["CACHE_TYPE"] != "NullCache":
        cache.init_app(app)
    if app.config["CACHE_TYPE"] not in ("NullCache", "SimpleCache"):
        app.extensions[_NEAR] = SimpleCache(
            threshold=app.config["CACHE_NEAR_THRESHOLD"],
            default_timeout=app.config["CACHE_NEAR_TIMEOUT"],
        )


def register_shareable(session_key, give=None):
    """Name a session key that changes nothing a page shows (a rate-limit or repeat-posting
    key), so a reader holding it still gets kept pages; `give()`, when named, sets this
    reader's own value, and is called when a kept page is served whose rendering held the
    key. Called by create_app."""
    _shareable[session_key] = give


def register_member_key(session_key):
    """Name the session key that says who is signed in: a reader holding it (and only
    shareable keys besides) may get a member copy (`cached(members=...)`). Called by
    create_app."""
    _member_keys.add(session_key)


def register_part(name, render):
    """Name a part of a page that is each signed-in reader's own (the names they may post
    under), and `render(argument)`, which gives this reader's own as a str of HTML. Called
    by create_app."""
    _parts[name] = render


def personal(name, argument, caller):
    """A template's `{% call personal(name, argument) %}...{% endcall %}`: the block as
    rendered for this reader, or, while a member copy is being rendered to keep, a slot that
    each member's own part fills when a copy is served. `argument` (a slug: ASCII
    letters, digits, ".", "-", "_") says which; None, or anything else, renders the
    block."""
    slot = f"\x00kettle-part:{name}:{argument}\x00"
    slotted = name in _parts and _HOLE.fullmatch(slot.encode())
    if argument is None or not g.get(_MEMBER_COPY) or not slotted:
        return caller()  # with a member's names in it, such a copy is never kept
    return Markup(slot)  # noqa: S704 - ASCII letters, digits and NULs: no markup


def _in_use():
    return current_app.config["CACHE_TYPE"] != "NullCache"


def _request_generation():
    """The generation, read once per request and before anything else the page shows is
    read, so whatever is kept under it is at least as new as it (None: no row, keep
    nothing)."""
    if _GENERATION not in g:
        setattr(g, _GENERATION, generation.current())
    return g.get(_GENERATION)


def _key(kind, *parts):
    named = "\n".join(map(str, (_request_generation(), request.host, *parts)))
    return f"kettle:{kind}:" + hashlib.sha256(named.encode()).hexdigest()


def _get(key):
    """What is kept under `key`: from this process's own copy of a shared store's entry
    first (every key holds the generation, so a copy is as current as the entry), then
    from the store."""
    near = current_app.extensions.get(_NEAR)
    try:
        kept = near.get(key) if near is not None else None
        if kept is None:
            kept = cache.get(key)
            if kept is not None and near is not None:
                near.set(key, kept)
    except Exception:  # the store (Redis) is down: pages are rendered, never lost
        log.warning("page cache: could not read the store", exc_info=False)
        return None
    return kept


def _set(key, value, size):
    """Keep `value` (`size` bytes or characters long) unless it is over the bound."""
    if size > current_app.config["CACHE_MAX_ENTRY_BYTES"]:
        return
    near = current_app.extensions.get(_NEAR)
    try:
        if near is not None:
            near.set(key, value)
        cache.set(key, value)
    except Exception:
        log.warning("page cache: could not write to the store", exc_info=False)


def cached(view=None, *, reads=(), members=None):
    """Serve `view` from the page cache to readers who are not signed in, and keep what it
    renders when that is safe to share (see the module's docstring). `reads` names the
    query arguments the page reads, as a tuple of names or a dict of each name's allowed
    values (None: any): a request carrying any other, or another value, is rendered, never
    kept, so made-up arguments cannot fill the store. Also reads the generation first, for
    `kept_fragment`.

    `members(**view_args)`, when named, lets signed-in readers share a member copy: it
    gives (key parts, own words) when nothing on this page is the reader's own but the
    parts marked `personal` and what the key parts name (roles, content-note choices),
    else None. A member copy that would hold any of `own_words` (their names, as HTML) is
    never kept."""
    if view is None:
        return functools.partial(cached, reads=reads, members=members)

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not _in_use() or not _readable(reads):
            return view(*args, **kwargs)  # nor does kept_fragment keep: no generation read
        if _request_generation() is None or request.method != "GET":
            return view(*args, **kwargs)
        if session.keys() <= _shareable.keys():
            key = _key("page", request.full_path, request.cookies.get(CHOICES_COOKIE, ""))
            return _kept_or_rendered(key, (), lambda: view(*args, **kwargs))
        member = _member(members, kwargs)
        if member is None:
            return view(*args, **kwargs)
        parts, own_words = member
        key = _key("member", request.full_path, *parts)
        copy = functools.partial(_member_copy, view, args, kwargs, members, member)
        return _kept_or_rendered(key, own_words, copy, member=True)

    return wrapper


def _readable(reads):
    allowed = reads if isinstance(reads, dict) else dict.fromkeys(reads)
    return all(
        name in allowed and (allowed[name] is None or value in allowed[name])
        for name, value in request.args.items(multi=True)
    )


def _member(members, view_args):
    if members is None or not session.keys() <= _shareable.keys() | _member_keys:
        return None
    return members(**view_args)


def _member_copy(view, args, kwargs, members, member):
    """The view's response, rendered as a member copy. Rendering reads the member afresh
    (their account, roles and session); if what it read no longer gives the same key and
    own words (a role granted, a session ended meanwhile), the copy is not kept."""
    setattr(g, _MEMBER_COPY, True)
    try:
        response = current_app.make_response(view(*args, **kwargs))
    finally:
        setattr(g, _MEMBER_COPY, False)
    if _member(members, kwargs) != member:
        setattr(g, _UNKEPT, True)
    return response


def _kept_or_rendered(key, own_words, render, member=False):
    """The kept copy under `key`, served to this reader, or `render()`'s response, kept
    when it is safe to share and holds none of `own_words`, and served with this
    reader's own parts (only a `member` copy has any)."""
    kept = _get(key)
    if kept is not None:
        return _served(*kept)
    before = dict(session)
    response = current_app.make_response(render())
    given = _given(response, before)
    body = response.get_data()
    keep = given is not None and not g.get(_UNKEPT)
    if keep and not any(word.encode() in body for word in own_words):
        slotted = _slotted(body)
        _set(key, (slotted, response.mimetype, given, member), len(slotted))
    if member:
        response.set_data(_filled(body))
    return response


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
        _set(key, kept, len(kept.encode()))
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
    return tuple(sorted(k for k in session if _shareable.get(k))) if shareable else None


def _csrf_field():
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _slotted(body):
    token = g.get(_csrf_field())  # flask-wtf's signed token, if this page rendered one
    return body.replace(token.encode(), _TOKEN_SLOT) if token else body


def _filled(body):
    """`body` with each personal part filled for this reader."""

    def own(part):
        render = _parts.get(part[1].decode())
        return render(part[2].decode()).encode() if render else b""

    return _HOLE.sub(own, body)


def _served(body, mimetype, given, member=False):
    for session_key in given:
        _shareable[session_key]()
    if member:
        body = _filled(body)
    if _TOKEN_SLOT in body:
        body = body.replace(_TOKEN_SLOT, generate_csrf().encode())
    return current_app.response_class(body, mimetype=mimetype)
