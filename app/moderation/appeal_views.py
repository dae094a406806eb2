"""Appeals over HTTP: sending one, and hearing one.

An author appeals from their keeper page (`POST /keep/<token>/appeal`) or, signed in, from
their own view of the post (`POST /mine/<kind>/<id>/appeal`); a reporter whose report was
dismissed from their receipt (`POST /receipt/<token>/appeal`); each with the field `text`.
Moderators on shift list open appeals at `GET /moderate/appeals` and decide one with
`POST /moderate/appeals/<id>` (`decision`, `message`). Nothing here is ever stored by a
cache.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from app.core.refused import Refused
from app.keeper.steward import steward_or_404
from app.keeper.views import BY_ACCOUNT, BY_LINK
from app.keeper.views import page as keeper_page
from app.moderation import appeals, deciding, receipts, routing, rules, statements
from app.moderation.appeal_forms import AppealForm, DecideForm
from app.moderation.moderate_views import on_shift
from app.moderation.report_views import receipt_page
from app.questions.models import Answer, Question
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private
from app.web.ratelimit import limit, limiter, posted

bp = private(Blueprint("appeals", __name__))
appeal_limit = limiter.limit(limit("KEEPER_RATE_LIMIT"), deduct_when=posted)
SENT = (
    "Your appeal is sent. A moderator other than the one who decided will read it, and "
    "their answer will show here."
)


def _sent(form, send, page_again):
    """Send a valid appeal with `send(words)` and commit; else nothing is kept: an appeal
    that cannot be taken as written comes back on its page (`page_again(form)`, 400) with
    the person's words and what to change, and any other refusal is a kind page (409).
    Returns None once sent, else the response to give."""
    if not form.validate_on_submit():
        return page_again(form), 400
    try:
        send(form.text.data)
    except Refused as refusal:
        db.session.rollback()
        if refusal.field != "text":
            refuse(409, str(refusal))
        form.text.errors = [str(refusal)]
        return page_again(form), 400
    flash(SENT)
    return None


@appeal_limit
def by_author(**where):
    """The author appeals a decision on their post (by keeper link or account); commits.

    An appeal that cannot be taken as written (empty, too long) comes back on the keeper
    page under its decision, with the person's words and what to change (400)."""
    steward = steward_or_404(**where)
    form = AppealForm()
    refused = _sent(
        form,
        lambda words: appeals.by_author(
            statements.decision_to_appeal(steward.post, form.entry.data), words
        ),
        lambda sent: keeper_page(steward, sent=sent),
    )
    return refused or redirect(steward.url("keeper.show", _anchor="statements"), code=303)


for _rule in (BY_LINK, BY_ACCOUNT):
    bp.add_url_rule(_rule + "/appeal", view_func=by_author, methods=["POST"])


@bp.post("/receipt/<token>/appeal")
@appeal_limit
def by_reporter(token):
    """A reporter appeals the dismissal of their report, from its receipt; commits. One
    that cannot be taken as written comes back on the receipt with their words (400)."""
    report = receipts.find(token)
    if report is None:
        abort(404)
    refused = _sent(
        AppealForm(),
        lambda words: appeals.by_reporter(report, words),
        lambda sent: receipt_page(report, token, sent),
    )
    return refused or redirect(url_for("report.receipt", token=token, _anchor="appeal"), code=303)


def _authors(entries):
    """Log entry id -> the account that wrote its post (None for anonymous posts)."""
    owners = {}
    for model, column in ((Question, "question_id"), (Answer, "answer_id")):
        ids = {getattr(e, column) for e in entries if getattr(e, column) is not None}
        if ids:
            owners[model] = dict(
                db.session.execute(
                    select(model.id, model.account_id).where(model.id.in_(ids))
                ).all()
            )
    found = {}
    for entry in entries:
        model, post_id = (
            (Question, entry.question_id) if entry.question_id else (Answer, entry.answer_id)
        )
        found[entry.id] = owners.get(model, {}).get(post_id)
    return found


def _page(account, forms=None, refusal=None, refused_id=None, status=200):
    rows = appeals.waiting()
    authors = _authors([entry for _, entry in rows])
    kept = routing.kept_case_ids({e.case_id for _, e in rows if e.case_id is not None}, account)
    items = []
    for appeal, entry in rows:
        why_not = deciding.why_not(entry, account, authors[entry.id], kept)
        form = (forms or {}).get(appeal.id) or DecideForm(formdata=None)
        items.append((appeal, entry, why_not, form))
    page = render_template(
        "appeals/waiting.html",
        items=items,
        refusal=refusal,
        refused_id=refused_id,
        rule_title=rules.title,
        your_post=deciding.YOUR_POST,
        kept_from_you=deciding.KEPT_FROM_YOU,
    )
    return page, status


@bp.get("/moderate/appeals")
@on_shift
def waiting(account):
    """Appeals waiting to be heard, oldest first: the decision, and the appeal's words."""
    return _page(account)


@bp.post("/moderate/appeals/<id:appeal_id>")
@on_shift
def decide(account, appeal_id):
    """Uphold or overturn one appeal, with a message to the person; one log row; commits.

    403 for the moderator whose decision it is (or whose post), 409 when already decided
    or when the overturn cannot be carried out, 400 for a missing decision or message."""
    appeal = appeals.get(appeal_id)
    if appeal is None:
        abort(404)
    form = DecideForm()
    form.validate_on_submit()  # cleans the fields; the service checks them, in words
    try:
        said = deciding.decide(appeal, account, form.decision.data, form.message.data or "")
    except Refused as refusal:
        db.session.rollback()
        status = getattr(refusal, "status", 409)
        kept = DecideForm(formdata=None, data=form.data)
        return _page(account, {appeal_id: kept}, str(refusal), appeal_id, status)
    flash(
        "Decided. The person who appealed can read your message, and the public log shows "
        "the outcome." + (f" {said}" if said else "")
    )
    return redirect(url_for(".waiting"), code=303)
