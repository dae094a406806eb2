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
from app.questions.member_copy import wrote_in
from app.readers.prefs import current_prefs
from app.web.pagecache import kept_fragment


def is_shared(question):
    """True when the reader's view of this thread is everyone's with their choices: they
    wrote nothing in it (by their account, or a keeper link claimed in this request) and
    did not ask for a shuffle (whose order is each reader's own). One query when signed in."""
    prefs = current_prefs()
    if prefs.claimed or request.args.get("order") == "shuffle":
        return False
    account = current_account()
    if account is None:
        return True
    return not wrote_in(question.id, account.id)


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
