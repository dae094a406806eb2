"""Keeping addresses and secret links out of logs."""

import re

from werkzeug.serving import WSGIRequestHandler

_SECRET_PATH = re.compile(r"/(keep|feed)/[^/\s?\"]+")


def redact(text):
    """Hide the secret part of keeper and feed paths."""
    return _SECRET_PATH.sub(r"/\1/[secret]", text)


class PrivateRequestHandler(WSGIRequestHandler):
    """The development server's request log, without addresses or secret links."""

    def address_string(self):
        return "-"

    def log(self, type, message, *args):
        super().log(type, redact(message % args) if args else redact(message))
