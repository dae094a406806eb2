"""Kind error pages for everything that can go wrong, keeping what a person wrote."""

import math
import time

from flask import abort, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.web.extensions import db
from app.web.ratelimit import limiter

MESSAGES = {
    400: ("Kettle could not read that", "Nothing was posted or changed."),
    403: ("This page is not open to you", "Nothing was changed."),
    404: ("We could not find that page",
          "It may have been removed, or the link may be incomplete."),
    405: ("That does not work here", "Nothing was changed."),
    409: ("That could not be done", "Nothing was changed."),
    413: ("That was too long to send", "Nothing was saved. Your browser's Back button "
          "should take you back to your words, so you can shorten them and try again."),
    414: ("That address is too long", "Kettle could not read it, so nothing was changed. "
          "A search can be up to 300 characters: try a few words from what you are "
          "looking for."),
    429: ("Kettle needs a pause", "Too many tries came in a short time, so nothing was sent "
          "or changed. This is a safety limit, not about you. Please try again {when}."),
    500: ("Something went wrong on our side", "It is not your fault. What you were doing "
          "may not have been saved, so please check before trying again."),
    "csrf": ("That form could not be sent", "Nothing was posted or changed. This usually "
             "happens when Kettle's cookie was cleared or blocked, or you signed in or out "
             "in another tab. Kettle needs its cookie to take a form (it keeps the form safe; "
             "it does not track you). Open the page again and try once more."),
}  # fmt: skip
# Text fields a person may have typed, shown back so nothing they wrote is lost. Never
# passwords, recovery codes, keeper links or login names (a login name is never shown).
WRITTEN_FIELDS = {
    "title": "Title",
    "body": "Your words",
    "content_note_other": "Your content note",
    "details": "Details",
    "text": "Your words",
    "question": "Your question",
    "pseudonym": "Your first pseudonym",
    "name": "Name of the pseudonym",
}


def _their_words():
    most = request.max_content_length  # a posting form's own, larger limit counts here
    too_big = most is not None and (request.content_length or 0) > most
    if request.method != "POST" or too_big:
        return []
    try:
        form = request.form
    except Exception:  # a body we cannot read is a body we cannot give back
        return []
    return [(name, form[name]) for name in WRITTEN_FIELDS if form.get(name, "").strip()]


def _back_url():
    """The Kettle page the person came from, if the browser said (never another site)."""
    referrer = request.referrer or ""
    if not referrer.startswith(request.host_url) or referrer == request.url:
        return None
    return "/" + referrer.removeprefix(request.host_url)


def _seconds_until_allowed():
    """How long until the limit that refused this request lets the person try again."""

    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.window.reset_time - time.time()))


def _in_about(seconds):
    if seconds < 90:
        return "in a minute or so"
    if seconds < 90 * 60:
        return f"in about {math.ceil(seconds / 60)} minutes"
    return f"in about {round(seconds / 3600)} hours"


def too_many_tries():
    """The kind 429 page, keeping the person's words, with Retry-After in seconds."""
    wait = _seconds_until_allowed()
    body, status = render_error(429, MESSAGES[429][1].format(when=_in_about(wait)))
    return body, status, {"Retry-After": str(wait)}


def render_error(status, detail=None, kind=None):
    heading, explanation = MESSAGES.get(kind or status, MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify(error=heading, status=status), status
    return (
        render_template(
            "errors/error.html",
            status=status,
            heading=heading,
            explanation=detail or explanation,
            their_words=_their_words(),
            back_url=_back_url(),
        ),
        status,
    )


def refuse(status, detail):
    """Stop this request with a kind error page that explains what happened."""
    abort(make_response(render_error(status, detail)))


def register(app):
    """Route every HTTP error through one friendly template."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, kind="csrf")

    app.jinja_env.globals["written_labels"] = WRITTEN_FIELDS

    @app.errorhandler(429)
    def too_many(error):
        return too_many_tries()

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        # A failed transaction must not also break the page that says sorry.
        db.session.rollback()
        return render_error(500)
