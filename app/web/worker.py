"""gunicorn's sync worker, answering a request it cannot read with Kettle's own kind page.

gunicorn refuses some requests before Kettle sees them: a request line over its limit (a
very long search address), or bytes in it that are not HTTP (raw non-ASCII letters or
control characters, which browsers always percent-encode but other clients may not). Its
own reply is a bare page that repeats the request line, search words included. This worker
(`worker_class` in gunicorn.conf.py) sends Kettle's error page instead, with Kettle's
headers and the same status; every other error is gunicorn's to answer, as before.
"""

from gunicorn.http import errors as http_errors
from gunicorn.workers.sync import SyncWorker

from app.web import headers
from app.web.errors import render_error

# The requests gunicorn cannot read, and the status it answers each with.
UNREADABLE = {
    http_errors.LimitRequestLine: (414, "URI Too Long"),
    http_errors.LimitRequestHeaders: (431, "Request Header Fields Too Large"),
    http_errors.InvalidRequestLine: (400, "Bad Request"),
    http_errors.InvalidRequestMethod: (400, "Bad Request"),
    http_errors.InvalidHTTPVersion: (400, "Bad Request"),
    http_errors.InvalidHeader: (400, "Bad Request"),
    http_errors.InvalidHeaderName: (400, "Bad Request"),
}


def kind_reply(app, status, reason):
    """The whole HTTP/1.1 reply (bytes) carrying Kettle's error page for `status`, rendered
    once by `app` as for a visitor on its home page, with Kettle's headers
    (app.web.headers), never stored, `Connection: close`, and no Referer at all for what the
    page loads: the address it answers is unknown, and may hold a search or a keeper link."""
    with app.test_request_context("/"):
        response = app.make_response(render_error(status))
        headers.no_store(headers.apply(response))
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Connection"] = "close"
    body = response.get_data()
    response.headers["Content-Length"] = str(len(body))
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in response.headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class KindWorker(SyncWorker):
    """A sync worker whose replies to unreadable requests are Kettle's kind pages."""

    replies = {}

    def load_wsgi(self):
        super().load_wsgi()
        app = self.wsgi
        if not hasattr(app, "test_request_context"):  # not a Flask app: not Kettle's
            return
        try:
            self.replies = {kind: kind_reply(app, *answer) for kind, answer in UNREADABLE.items()}
        except Exception:  # a worker that cannot render them still serves, with gunicorn's
            self.log.exception("Could not render Kettle's pages for unreadable requests")

    def handle_error(self, req, client, addr, exc):
        reply = self.replies.get(type(exc)) if req is None else None
        if reply is None:
            return super().handle_error(req, client, addr, exc)
        # gunicorn's own words for it, through the logger that hides addresses and searches.
        self.log.warning("Invalid request: %s", exc)
        try:
            client.sendall(reply)
        except OSError:
            self.log.debug("Failed to send error message.")
