"""The perspectives on a question page, kept for every reader who sees them the same way.

A thread of fifty perspectives is most of a question page's work, and it reads the same
for everyone with the same content-note choices and signed-in state, unless something in
it is the reader's own ("You wrote this", no report link) or they asked for their own
shuffle. So it is rendered once and kept (app.web.pagecache.kept_fragment), dropped with
any change readers see. The rest of the page is kept whole for signed-out readers and, as
a member copy, for members who wrote nothing in the thread (app.questions.member_copy),
with each reader's token and own names written in; for anyone else it is rendered.
"""

from flask import render_template, request
from markupsafe import Markup

from app.accounts.identity import current_account
from app.questions.member_copy import nothing_of_theirs
from app.readers.prefs import current_prefs
from app.web.pagecache import kept_fragment


def is_shared(question):
    """True when nothing in this thread is the reader's own (see `nothing_of_theirs`)."""
    return nothing_of_theirs(question.id)


def rendered(question, view):
    """The perspectives section as Markup, from the reading view's dict."""
    html = render_template("questions/_thread.html", question=question, **view)
    return Markup(html)  # noqa: S704 - a template's output, escaped by Jinja


def kept(question, view):
    """The perspectives section as everyone who `is_shared` reads it, kept; `view` (a
    callable giving the reading view's dict) is called only when it must be rendered."""
    signed_in = current_account() is not None
    parts = ("thread", signed_in, request.full_path, current_prefs().key())
    return kept_fragment(parts, lambda: rendered(question, view()))
