"""/moderate: the queue, a case, claiming it, acting on it and asking the other moderators
about it. Moderators on shift only (dismissing one's own private notice excepted).

DESIGN.md's contract says these pages answer 403 to anyone who is not a moderator on
shift, signed-out visitors included, so a visitor is refused here rather than sent to
sign in; everything else is `access.requires`' decision. No response here is stored.
"""

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.accounts.access import NOT_ON_SHIFT, requires
from app.accounts.identity import current_account
from app.core.forms import ConfirmForm, refusal_on
from app.core.refused import Refused
from app.core.time import now
from app.moderation import actions, approvals, cases, notices, opinions, routing, rules, wellbeing
from app.moderation.debrief_views import care_context
from app.moderation.moderate_forms import ActForm, version_seen
from app.moderation.opinion_forms import AskForm, ReplyForm, on_case_page
from app.rota import caps, shifts
from app.topics.models import ContentNote
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private

bp = private(Blueprint("moderate", __name__, url_prefix="/moderate"))


def on_shift(view):
    """Only a moderator on shift gets past; everyone else, signed out or not, gets 403."""
    checked = requires("moderator", on_shift=True)(view)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_account() is None:
            refuse(403, NOT_ON_SHIFT)
        return checked(*args, **kwargs)

    return wrapper


@bp.get("")
@on_shift
def queue(account):
    """Open cases: those others ask a second look at first, then the rest oldest first;
    reasons, how many reported, when, and who has claimed it. Cases carrying a note the
    moderator chose not to review are left out, and counted. After acting on a hard case
    (`?debrief=offer`) it offers a private debrief note."""
    items, kept = routing.for_moderator(cases.queue(account), account)
    shift = shifts.current(account)
    nearing = caps.nearing(account.id, shift, now()) if shift else []
    offer = request.args.get("debrief") == "offer"
    return render_template(
        "moderate/queue.html",
        items=items,
        kept=kept,
        nearing=nearing,
        me=account,
        **care_context(account, offer),
    )


def _case_for(account, case_id):
    """The case, before any form is read: 404 when there is none; the bare 403 page for
    the moderator who wrote its post, and for one it is kept from by their own limits
    (app.moderation.routing), so no route on the case ever shows them its words."""
    case = cases.get(case_id) or abort(404)
    if cases.is_own(case, account):
        refuse(403, str(cases.OwnWords()))
    if routing.kept_from(case, account):
        refuse(403, str(routing.KeptFromYou()))
    return case


# Refusals that mean the case is not this moderator's to see: never drawn on the case page.
NOT_YOURS = (cases.OwnWords, routing.KeptFromYou)


def _earlier_snapshots(live, latest, labels):
    """The other words reported on this case than the latest snapshot's, newest first:
    [report, how many reports saw these words, their note names]. `live` holds only the
    snapshots not yet erased."""
    groups = {}
    for report in reversed(live):
        words = _words(report)
        if report is latest or words == _words(latest):
            continue
        if words in groups:
            groups[words][1] += 1
        else:
            groups[words] = [report, 1, [labels.get(s, s) for s in report.snapshot_notes or []]]
    return list(groups.values())


def _words(report):
    return (report.snapshot_title, report.snapshot_body, tuple(report.snapshot_notes or ()),
            report.snapshot_note_other)  # fmt: skip


def _case_page(account, case, form=None, refusal=None, status=200, asking=None, replying=None):
    reports = list(case.reports)
    live = [r for r in reports if r.snapshot_erased_at is None]
    latest = live[-1] if live else (reports[-1] if reports else None)
    post = case.post
    labels = dict(db.session.execute(select(ContentNote.slug, ContentNote.label)).all())
    request_ = approvals.latest(case)
    now_differs = (
        latest is None
        or latest.snapshot_erased_at is not None
        or (
            latest.snapshot_body != post.body_source
            or latest.snapshot_title != getattr(post, "title", "")
        )
    )
    form = form or ActForm(data={"version": case.version})
    form.version.data = case.version
    page = render_template(
        "moderate/case.html",
        case=case,
        post=post,
        kind="question" if hasattr(post, "title") else "answer",
        reports=reports,
        latest=latest,
        snapshot_notes=[labels.get(slug, slug) for slug in (latest.snapshot_notes or [])]
        if latest
        else [],
        now_differs=now_differs and not post.is_deleted,
        earlier=_earlier_snapshots(live, latest, labels) if live else [],
        request=request_,
        request_state=request_.state() if request_ else None,
        holder=cases.claim_holder_name(case),
        mine=cases.is_claimed_by(case, account),
        form=form,
        confirm=ConfirmForm(),
        refusal=refusal,
        reason_label=cases.reason_label,
        rule_title=rules.title,
        me=account,
        **on_case_page(case, asking, replying),
        **care_context(account),
    )
    return page, status


@bp.get("/cases/<id:case_id>")
@on_shift
def show(account, case_id):
    """One case: its reports, the reported words folded behind their notes, the action form.

    Refused (403) to the moderator who wrote the post: reports' details stay with others."""
    case = _case_for(account, case_id)
    wellbeing.opened(account, case)  # counted once a shift when it is a hard case
    return _case_page(account, case)


@bp.post("/cases/<id:case_id>/claim")
@on_shift
def claim(account, case_id):
    """Claim the case for ten minutes, so nobody else acts on it meanwhile; commits."""
    _case_for(account, case_id)
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    try:
        cases.claim(cases.get(case_id), account, version_seen(request.form.get("version", "")))
    except NOT_YOURS as refusal:
        db.session.rollback()
        refuse(403, str(refusal))
    except Refused as refusal:
        db.session.rollback()
        return _case_page(account, cases.get(case_id), refusal=str(refusal), status=409)
    flash("You have claimed this case for the next few minutes. Nobody else can act on it.")
    return redirect(url_for("moderate.show", case_id=case_id), code=303)


@bp.post("/cases/<id:case_id>/act")
@on_shift
def act(account, case_id):
    """Act on the case with a rule and a public note; one log row is written; commits."""
    case = _case_for(account, case_id)
    form = ActForm()
    if not form.validate_on_submit():
        return _case_page(account, case, form=form, status=400)
    hard = wellbeing.is_hard(case)
    try:
        done = actions.act(case, account, form.request())
    except NOT_YOURS as refusal:
        db.session.rollback()
        refuse(403, str(refusal))
    except Refused as refusal:
        db.session.rollback()
        fresh = ActForm(formdata=None, data=form.data)
        return _case_page(account, cases.get(case_id), fresh, str(refusal), 409)
    flash(_said(done))
    if hard:  # the queue offers a private debrief note; never required
        return redirect(url_for("moderate.queue", debrief="offer", _anchor="debrief"), code=303)
    return redirect(url_for("moderate.queue"), code=303)


def _said(done):
    if done.warned:
        return ("This person had no earlier warning, so Kettle recorded a first warning "
                "instead of a suspension. It is in the public moderation log; a suspension "
                "can follow if it happens again.")  # fmt: skip
    if done.waiting is not None:
        return ("Your request now waits for a second moderator on shift to approve it; "
                "nothing is suspended yet. It lapses after 24 hours. You can still hide the "
                "post at once.")  # fmt: skip
    return "Done. It is in the public moderation log."


@bp.post("/cases/<id:case_id>/approve")
@on_shift
def approve(account, case_id):
    """Approve, as a second and different moderator on shift, the request waiting on the
    case; carries it out with its one log row and commits. 403 for the one who asked."""
    case = _case_for(account, case_id)
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    try:
        actions.approve(case, account, version_seen(request.form.get("version", "")))
    except (approvals.OwnRequest, *NOT_YOURS) as refusal:
        db.session.rollback()
        refuse(403, str(refusal))
    except Refused as refusal:
        db.session.rollback()
        return _case_page(account, cases.get(case_id), refusal=str(refusal), status=409)
    flash("Approved and done. It is in the public moderation log with both your rota names.")
    return redirect(url_for("moderate.queue"), code=303)


@bp.post("/cases/<id:case_id>/second-opinion")
@on_shift
def ask_second_opinion(account, case_id):
    """Ask the other moderators on the rota about the case (field `question`); needs no
    claim; commits. Refused words come back on the case page (400, or 409 once decided)."""
    case = _case_for(account, case_id)
    form = AskForm()
    if not form.validate_on_submit():
        return _case_page(account, case, status=400, asking=form)
    try:
        opinions.ask(case, account, form.question.data)
    except Refused as refusal:
        db.session.rollback()
        said = refusal_on(form, refusal, "question")
        return _case_page(account, cases.get(case_id), None, said, 409, asking=form)
    flash("Your question is at the top of the queue for the other moderators, on this shift "
          "and the next, until someone replies. Their reply will show here.")  # fmt: skip
    return redirect(url_for("moderate.show", case_id=case_id, _anchor="second-opinions"), 303)


@bp.post("/cases/<id:case_id>/second-opinion/<id:opinion_id>/reply")
@on_shift
def reply_second_opinion(account, case_id, opinion_id):
    """Reply in a second-opinion conversation on the case (field `text`); takes no claim
    and changes nothing else; commits. Refused words come back on the case page (400)."""
    case = _case_for(account, case_id)
    opinion = opinions.get(opinion_id)
    if opinion is None or opinion.case_id != case.id:
        abort(404)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _case_page(account, case, status=400, replying=(opinion.id, form))
    try:
        opinions.reply(opinion, account, form.text.data)
    except Refused as refusal:
        db.session.rollback()
        said = refusal_on(form, refusal, "text")
        return _case_page(account, cases.get(case_id), None, said, 400, replying=(opinion_id, form))
    flash("Your words are in the conversation. Whoever asked will see them in the case.")
    return redirect(url_for("moderate.show", case_id=case_id, _anchor=f"opinion-{opinion_id}"), 303)


@bp.app_template_global("moderator_notices")
def _my_notices():
    """The signed-in moderator's own private notices not yet dismissed (the rota page and
    the queue show them); nobody else's, ever."""
    return notices.unseen_for(current_account())


@bp.post("/notices/<id:notice_id>/dismiss")
@requires("moderator", "coordinator")
def dismiss_notice(account, notice_id):
    """Dismiss one of your own private notices, on shift or not; commits. 404 for anyone
    else's. Back to the queue or the rota page, whichever it was dismissed from."""
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    if not notices.dismiss(notice_id, account):
        abort(404)
    back = "moderate.queue" if request.form.get("back") == "queue" else "rota.index"
    return redirect(url_for(back), code=303)
