"""Static files with fingerprinted URLs, so browsers cache them for a year safely."""

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, url_for


@cache
def _fingerprint(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename):
    """The URL of a file in static/, carrying a hash of its contents."""
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_fingerprint(str(path)))
