"""Keeping addresses and secret links out of logs."""

import logging
import re

from werkzeug.serving import WSGIRequestHandler

# Also catches doubled slashes and encoded ones: //keep//TOKEN, /keep%2FTOKEN.
_SECRET_PATH = re.compile(r"/+(keep|feed)(?:/|%2f)+[^/\s?\"%]+", re.IGNORECASE)


def redact(text):
    """Hide the secret part of keeper and feed paths."""
    return _SECRET_PATH.sub(r"/\1/[secret]", text)


class RedactingFilter(logging.Filter):
    """Hide keeper and feed secrets in any log record, such as Flask's "Exception on /keep/..."."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def guard_logs(app):
    """Attach the redacting filter to the loggers that can see request paths."""
    for logger in (app.logger, logging.getLogger("werkzeug"), logging.getLogger("gunicorn.error")):
        logger.addFilter(RedactingFilter())


class PrivateRequestHandler(WSGIRequestHandler):
    """The development server's request log, without addresses or secret links."""

    def address_string(self):
        return "-"

    def log(self, type, message, *args):
        super().log(type, redact(message % args) if args else redact(message))
