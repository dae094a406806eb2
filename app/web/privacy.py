"""Keeping addresses and secret links out of every log line: Kettle's, gunicorn's and
the development server's."""

import ipaddress
import logging
import re

from gunicorn.glogging import Logger as GunicornBaseLogger
from werkzeug.serving import WSGIRequestHandler

# Keeper links, feeds and report receipts. Also catches doubled slashes and encoded ones:
# //keep//TOKEN, /keep%2FTOKEN. Each pattern starts only where a run of slashes starts, so
# a line of thousands of slashes is read once, not once per slash.
_SECRET_PATH = re.compile(
    r"(?<!/)(?<!%2f)(?:/|%2f)+(keep|feed|receipt)(?:/|%2f)+[^/\s?\"%]+", re.IGNORECASE
)
# What someone searched for: the query string of /search (doubled, encoded //, /%2Fsearch,
# or with more path after it: /search/, /search;x), to the last " HTTP/<digit>" of a
# request line, or else to the end of the line. A server may log the query decoded, so
# quotes and spaces of any kind can be part of it.
_SEARCH_QUERY = re.compile(
    r"(?<!/)(?<!%2f)((?:/|%2f)+search)(?:[/;][^?\s\"]{0,200})?\?(?:.*(?=\sHTTP/\d)|.*)",
    re.IGNORECASE,
)
# Anything shaped like an address; each candidate is checked before it is hidden,
# so times such as 20:14:02 are left alone.
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?")
_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)")
ADDRESS = "[address]"
# The server's own listening addresses are not anybody's; gunicorn's logger adds them.
_OWN_ADDRESSES = set()


def _hide_ipv6(match):
    text = match.group(0)
    candidate = text.split("%")[0]
    for end in range(len(candidate), 1, -1):  # "::1:" in "from ::1: bad" is "::1" and a colon
        try:
            ipaddress.IPv6Address(candidate[:end])
        except ValueError:
            continue
        found = candidate[:end]
        return text if found in _OWN_ADDRESSES else ADDRESS + text[end:].split("%")[0]
    return text


def _hide_ipv4(match):
    text = match.group(0)
    if text in _OWN_ADDRESSES:
        return text
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return text
    return ADDRESS


def redact(text):
    """Hide keeper, feed and receipt secrets, what was searched for, and every IPv4 or IPv6
    address in a line of text."""
    text = _SECRET_PATH.sub(r"/\1/[secret]", text)
    text = _SEARCH_QUERY.sub(r"\1?[search]", text)
    text = _IPV4.sub(_hide_ipv4, text)  # first, so ::ffff:192.0.2.1 is caught whole
    return _IPV6.sub(_hide_ipv6, text)


class RedactingFilter(logging.Filter):
    """Hide secrets and addresses in a record's message and in its traceback."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactingFilter()
# Loggers that can see a request, and Python's last-resort handler for the rest.
_GUARDED = ("werkzeug", "gunicorn.error", "gunicorn.access", "flask_limiter", "sqlalchemy")


def guard_logs(app):
    """Attach the redacting filter to every logger and handler that can see a request."""
    for logger in (app.logger, *map(logging.getLogger, _GUARDED)):
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
    if logging.lastResort is not None and _FILTER not in logging.lastResort.filters:
        logging.lastResort.addFilter(_FILTER)


def keep_own_address(host):
    """Let a server's own listening address show in its start-up lines."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a host name is not an address, so it is never hidden anyway
    if not address.is_unspecified:
        _OWN_ADDRESSES.add(host)


def _bound_hosts(cfg):
    for address in getattr(cfg, "address", None) or []:
        if isinstance(address, tuple):
            yield address[0].strip("[]")


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger (`logger_class` in gunicorn.conf.py) without client addresses.

    gunicorn writes "Invalid request from ip=..." for malformed requests and request
    paths for crashes; every line it writes goes through the redacting filter.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for host in _bound_hosts(cfg):
            keep_own_address(host)
        for logger in (self.error_log, self.access_log):
            logger.addFilter(_FILTER)
            for handler in logger.handlers:
                handler.addFilter(_FILTER)


class PrivateRequestHandler(WSGIRequestHandler):
    """The development server's request log, without addresses or secret links.

    REMOTE_ADDR still reaches the app, so rate limits count people apart.
    """

    def log(self, type, message, *args):
        line = redact(message % args if args else message)
        logging.getLogger("werkzeug").log(
            logging.ERROR if type == "error" else logging.INFO,
            "- - [%s] %s",
            self.log_date_time_string(),
            line,
        )

    def handle(self):
        """Never let socketserver print the client's address beside a traceback."""
        try:
            super().handle()
        except Exception:
            self.log("error", "A request could not be handled; the connection was closed.")
