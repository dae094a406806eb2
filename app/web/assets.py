"""Kettle's CSS, JS and icons under fingerprinted names, cached by browsers for a year.

`asset_url("css/kettle.css")` gives `/assets/css/kettle.<hash>.css`; a change to the
file changes its name, so a cached old copy is never used by mistake.
"""

import hashlib
import re
from functools import cache
from pathlib import Path

from flask import abort, current_app, send_from_directory, url_for

_FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})(?P<suffix>\.[a-z0-9]+)$")
ONE_YEAR = 365 * 24 * 3600


@cache
def _fingerprint(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename):
    """The fingerprinted URL of a file in static/."""
    path = Path(current_app.static_folder) / filename
    stem, dot, suffix = filename.rpartition(".")
    return url_for("asset", filename=f"{stem}.{_fingerprint(str(path))}{dot}{suffix}")


def serve(filename):
    """Serve a fingerprinted asset; a name whose hash does not match is not found."""
    match = _FINGERPRINTED.match(filename)
    if match is None:
        abort(404)
    real = match["stem"] + match["suffix"]
    folder = Path(current_app.static_folder).resolve()
    path = (folder / real).resolve()
    if folder not in path.parents or not path.is_file():
        abort(404)
    if _fingerprint(str(path)) != match["hash"]:
        abort(404)
    response = send_from_directory(current_app.static_folder, real, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


def register(app):
    app.add_url_rule("/assets/<path:filename>", endpoint="asset", view_func=serve)
