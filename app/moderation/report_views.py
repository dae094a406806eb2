"""Reporting a post without an account (/report), and the reporter's receipt (/receipt/<token>).

Every page here is private (no cache keeps it): a report form holds the reported words,
the page after sending holds the receipt link, and a receipt's address is a secret.
"""

from flask import Blueprint, abort, render_template, request

from app.accounts.access import anyone_on_shift
from app.accounts.identity import current_account
from app.core.time import now
from app.moderation import appeals, receipts, reports
from app.moderation.appeal_forms import AppealForm
from app.moderation.report_forms import ReportForm
from app.rota import plan
from app.rota.calendar import rota_zone, when
from app.web.errors import refuse
from app.web.headers import private
from app.web.ratelimit import (
    count_this_try,
    limit,
    limiter,
    network_key,
    person_key,
    posted,
    remember_browser,
)

bp = private(Blueprint("report", __name__))

NO_TARGET = (
    "This report link does not say which question or perspective it is about, so there is "
    "nothing to report here. Please use the \u201cReport\u201d link beside the post."
)


def _post_or_refuse(value):
    """The post a `target` names: a 400 page when malformed, the 404 page when no reader
    may see it (deleted, hidden or never there)."""
    target = reports.parse_target(value)
    if target is None:
        refuse(400, NO_TARGET)
    post = reports.reportable(target)
    if post is None:
        abort(404)
    return target, post


def _form_page(target, post, form, refusal=None, status=200):
    page = render_template(
        "report/form.html",
        form=form,
        post=post,
        target=target,
        refusal=refusal,
        **_when_read(),
    )
    return page, status


def _when_read():
    """Whether nobody is on shift now and, if so, when the plan says reports are next
    read: {"nobody_on_shift": bool, "next_read": None or {at, words, zone}}."""
    if anyone_on_shift():
        return {"nobody_on_shift": False, "next_read": None}
    at = plan.next_staffed(now())
    shown = {"at": at, "words": when(at), "zone": rota_zone().key} if at else None
    return {"nobody_on_shift": True, "next_read": shown}


@bp.get("/report")
def form():
    """The report form for one post, its words folded away."""
    target, post = _post_or_refuse(request.args.get("target", ""))
    remember_browser()  # so sending this form twice at once still counts one person once
    return _form_page(target, post, ReportForm(data={"target": target.value}))


@bp.post("/report")
@limiter.limit(limit("REPORT_RATE_LIMIT"), deduct_when=posted)
def send():
    """File one report and show its receipt link, once. Only a stored report counts
    against the limit."""
    form = ReportForm()
    target, post = _post_or_refuse(form.target.data)
    if not form.validate_on_submit():
        return _form_page(target, post, form, status=400)
    account = current_account()
    account_id = account.id if account else None
    key, network = person_key(account_id), network_key(account_id)
    try:
        filed = reports.file(post, form.reason.data, form.details.data or "", key, network)
    except reports.AlreadyReported as already:
        return render_template("report/sent.html", target=target, already=str(already))
    except reports.RecentlyDismissed as refusal:
        return _form_page(target, post, form, refusal=str(refusal), status=409)
    count_this_try()
    return render_template(
        "report/sent.html",
        target=target,
        receipt=filed.receipt_token,
        collapsed=filed.collapsed,
        **_when_read(),
    )


@bp.get("/receipt/<token>")
def receipt(token):
    """What became of one report, for whoever holds its receipt link."""
    report = receipts.find(token)
    if report is None:
        abort(404)
    return receipt_page(report, token)


def receipt_page(report, token, appeal_form=None):
    """The receipt of `report`; `appeal_form`, an appeal that could not be taken, is shown
    again with the person's words and what to change."""
    shown = receipts.receipt_for(report)
    return render_template(
        "report/receipt.html",
        receipt=shown,
        **(_when_read() if shown.state != "decided" else {"nobody_on_shift": False}),
        appeal=appeals.on_receipt(report),
        appeal_form=appeal_form or AppealForm(formdata=None),
        token=token,
    )
