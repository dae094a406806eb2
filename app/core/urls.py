"""URL pieces every blueprint shares."""

import re
from urllib.parse import urlsplit

from flask import abort, current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

# Ids fit a 32-bit signed integer in both SQLite and PostgreSQL.
ID_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id, so an out-of-range number is a 404 rather than a database error."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=ID_MAX)


def id_arg(name):
    """A query-string id such as `before`, or None when it is missing or out of range."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= ID_MAX else None


def whole_number(text, maximum=ID_MAX):
    """`text` as a number from 0 to `maximum` when it is only ASCII digits, else None.

    Refuses what str.isdigit lets through but int() or the database would not: other
    scripts' digits, superscripts, and numbers too long to store."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{1,10}", text):
        return None
    value = int(text)
    return value if value <= maximum else None


def same_site(target):
    """`target` when it is a path on this site ("/q/1?order=shuffle"), else None.

    Refuses anything a browser could read as another site or a script: absolute URLs, `//`
    and backslashes (which browsers treat as slashes), schemes, and control characters.
    """
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


# Route arguments that are secrets: a path holding one is never copied into another URL.
SECRET_ARGS = frozenset({"token", "feed"})


def _holds_secret(path):
    adapter = current_app.url_map.bind(request.host)
    try:
        _, args = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return False
    return bool(SECRET_ARGS & set(args))


def here():
    """The page being shown, as a same-site path to come back to (after signing in, say).

    A form re-shown after a POST comes back to the page it was posted from. None when that
    address holds a secret (a keeper link or feed), which must not be copied into other URLs.
    """
    if SECRET_ARGS & set(request.view_args or {}):
        return None
    path = request.full_path.removesuffix("?")
    if request.method != "GET":
        referrer = urlsplit(request.referrer or "")
        query = f"?{referrer.query}" if referrer.query else ""
        same = referrer.netloc == request.host and same_site(referrer.path + query)
        path = same or request.path
    return None if _holds_secret(path) else path


def refuse_nul_bytes():
    """PostgreSQL cannot store or compare text holding NUL, and no real URL contains one."""
    if "\x00" in request.path:
        abort(404)
    query = request.query_string.decode("latin-1").lower()
    if "%00" in query or "\x00" in query:
        abort(400)


def is_preview():
    """HEAD requests, prefetches and link previews are not a person looking at the page."""
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    return request.method == "HEAD" or "prefetch" in purpose or "preview" in purpose


def register(app):
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_nul_bytes)
