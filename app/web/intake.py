"""What Kettle refuses before any view reads a request: unknown hosts, files, and form
fields sent twice. Each is a kind 400 page that changes nothing, never a crash."""

from flask import current_app, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

from app.web.errors import refuse

# The only field a Kettle form sends more than once, each time with a different value.
MULTI_VALUED = frozenset({"content_notes"})
UNTRUSTED = "kettle.untrusted_host"


class HostGuard:
    """WSGI middleware for TRUSTED_HOSTS: a request naming another host is answered by
    Kettle's kind 400 page (built for the deployment's own first host), instead of
    Flask failing to build any page at all."""

    def __init__(self, wsgi_app, trusted_hosts):
        self.wsgi_app = wsgi_app
        self.trusted_hosts = trusted_hosts
        self.own_host = trusted_hosts[0].lstrip(".")

    def __call__(self, environ, start_response):
        if environ.get("HTTP_HOST"):
            environ = {**environ, "HTTP_HOST": _plain_host(environ["HTTP_HOST"])}
        try:
            get_host(environ, self.trusted_hosts)
        except SecurityError:
            environ = {**environ, "HTTP_HOST": self.own_host, UNTRUSTED: True}
        return self.wsgi_app(environ, start_response)


def long_form(view):
    """Mark a view whose form may carry a long paste (up to LONG_FORM_MAX_BYTES).

    Its length limits are then told in words, with every word given back, instead of
    a 413 that cannot read the request. Place it directly above the view function.
    """
    view.long_form = True
    return view


def allow_long_forms():
    view = current_app.view_functions.get(request.endpoint)
    if request.method == "POST" and getattr(view, "long_form", False):
        size = current_app.config["LONG_FORM_MAX_BYTES"]
        request.max_content_length = size
        request.max_form_memory_size = size


def _plain_host(host):
    """A Host header in one form: host names are case-blind and may end in a dot (RFC 1034)."""
    host = host.lower()
    name, colon, port = host.rpartition(":")
    if colon and port.isdigit():
        return f"{name.rstrip('.')}:{port}"
    return host.rstrip(".")


def refuse_untrusted_host():
    if request.environ.get(UNTRUSTED):
        refuse(400, "This Kettle is not served at the address your browser asked for, "
                    "so nothing was shown or changed.")  # fmt: skip


def refuse_files():
    """Kettle takes no files, so a file sent as any field is refused whole."""
    if request.method == "POST" and request.files:
        refuse(400, "Kettle does not take files, only words typed into the form, so "
                    "nothing was posted or changed.")  # fmt: skip


def refuse_repeated_fields():
    """A field sent twice is ambiguous (which one did the person mean?), so it is refused."""
    if request.method != "POST":
        return
    for name, values in request.form.lists():
        if len(values) > 1 and (name not in MULTI_VALUED or len(set(values)) < len(values)):
            refuse(400, "Part of this form arrived twice, so Kettle could not tell which to "
                        "use. Nothing was posted or changed. Please open the page again "
                        "and send it once more.")  # fmt: skip


def register(app):
    """Put the host guard and the proxy settings around the app, and refuse bad requests
    before any other hook (CSRF, rate limits) or view runs."""
    trusted = app.config.get("TRUSTED_HOSTS")
    if trusted:
        app.wsgi_app = HostGuard(app.wsgi_app, trusted)
    count = app.config["PROXY_COUNT"]
    if count:
        hosts = count if app.config["PROXY_TRUSTS_HOST"] else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=hosts)
    for check in (allow_long_forms, refuse_untrusted_host, refuse_files, refuse_repeated_fields):
        app.before_request(check)
