"""A signed-in reader's question page, shared with every member who sees it the same way.

A member who wrote nothing in a thread sees the same question page as every other member
with the same roles and content-note choices, but for the names they may post under and
their CSRF token. So the page is kept once as a member copy (app.web.pagecache,
`cached(members=...)`) with those parts left as slots, and each member's own are written
in when it is served. Someone who asked or answered in the thread, by their account or
under any of their pseudonyms, gets the page rendered for them: their own words say
"You wrote this" and carry no report link.
"""

from functools import lru_cache

from flask import current_app, g, request
from markupsafe import escape
from sqlalchemy import bindparam, exists, or_, select
from wtforms import Form

from app.accounts.identity import (
    current_member,
    member_facts,
    posting_choices,
    remembered_choice,
)
from app.core.forms import options
from app.questions.forms import as_field
from app.questions.models import Answer, Question
from app.readers.prefs import current_prefs
from app.web.extensions import db

PART = "as"  # the part of a posting form that is each member's own (app.web.pagecache)


# Built once: the question and account are bound per call.
_WROTE_IN = select(
    or_(
        exists().where(Question.id == bindparam("q"), Question.account_id == bindparam("a")),
        exists().where(Answer.question_id == bindparam("q"), Answer.account_id == bindparam("a")),
    )
)


def wrote_in(question_id, account_id):
    """True when the account asked the question or answered in it (under any name). One
    query, asked once per request."""
    asked = g.setdefault("kettle_wrote_in", {})
    if (question_id, account_id) not in asked:
        found = db.session.connection().scalar(_WROTE_IN, {"q": question_id, "a": account_id})
        asked[question_id, account_id] = bool(found)
    return asked[question_id, account_id]


def nothing_of_theirs(question_id):
    """True when this reader's view of the thread is everyone's with their choices: they
    wrote nothing in it (by their account, or a keeper link claimed in this request) and
    did not ask for a shuffle (whose order is each reader's own). One query when signed in."""
    prefs = current_prefs()
    if prefs.claimed or request.args.get("order") == "shuffle":
        return False
    member = current_member()
    return member is None or not wrote_in(question_id, member.id)


def member_copy(question_id):
    """(key parts, own words) when this signed-in reader may be served the member copy of
    the question page: they wrote nothing in it and asked for no shuffle of their own.
    The key parts are their roles (the header's links) and content-note choices; the own
    words are their pseudonyms' names as HTML, which a kept copy must never hold. None
    when signed out or when the page is theirs to render."""
    member = member_facts()
    if member is None or not nothing_of_theirs(question_id):
        return None
    names = tuple(str(escape(name)) for _, name in member.names)
    return ("member", ",".join(member.roles), current_prefs().key()), names


class _PostingAs(Form):
    as_ = as_field()


def posting_as(topic_slug):
    """This reader's own `as` choices for a posting form in a topic, as HTML: the names
    they may post under, with the one they last used there chosen. The same HTML the
    form's `post_fields` macro gives (signed out too, if their session ended while the
    page was made)."""
    choices, chosen = tuple(posting_choices()), remembered_choice(topic_slug)
    if current_member() is None:
        return _as_part(choices, chosen, signed_in=False)  # it links back to this page
    return _members_as_part(choices, chosen)


@lru_cache(maxsize=256)
def _members_as_part(choices, chosen):
    """A signed-in member's `as` part for these (value, name) choices with `chosen`
    chosen. It depends on nothing else, so each process keeps the last 256 it made:
    members with the same names and choice share one, and a renamed or retired name is a
    different key."""
    return _as_part(choices, chosen, signed_in=True)


def _as_part(choices, chosen, signed_in):
    form = _PostingAs(formdata=None)
    form.as_.choices = options(list(choices))
    form.as_.data = chosen
    macros = current_app.jinja_env.get_template("_macros/forms.html").module
    return str(macros.posting_as(form, signed_in=signed_in))
