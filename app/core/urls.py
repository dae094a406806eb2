"""URL pieces every blueprint shares."""

from flask import abort, request
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


def refuse_nul_bytes():
    """PostgreSQL cannot store or compare text holding NUL, and no real URL contains one."""
    if "\x00" in request.path:
        abort(404)
    if "%00" in request.query_string.decode("latin-1").lower():
        abort(400)


def is_preview():
    """HEAD requests, prefetches and link previews are not a person looking at the page."""
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    return request.method == "HEAD" or "prefetch" in purpose or "preview" in purpose


def register(app):
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_nul_bytes)
