"""/rota/debriefs and /rota/break: the rota looking after moderators while they review.

`GET /rota/debriefs` shows a moderator their own debrief notes, with a form for a new one,
and shows coordinators the notes sent to them, by rota name; `POST /rota/debriefs` keeps a
note (`text`, `share`: "keep" or "send"). `POST /rota/break` says "I've had a break" and
restarts the break timer. The queue and case pages show what `care_context` gives them.
Nothing here is ever required, and no response here is stored.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired

from app.accounts.access import NOT_YOUR_ROLE, requires, signed_in
from app.core.forms import Chosen, ConfirmForm, Visible, clean_text, options
from app.core.refused import Refused
from app.core.urls import id_arg, same_site, whole_number
from app.moderation import wellbeing
from app.moderation.wellbeing import DEBRIEF_MAX
from app.questions.forms import UpTo, limited
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private

bp = private(Blueprint("wellbeing", __name__, url_prefix="/rota"))

NO_WORDS = "Please write a few words, or simply leave this: a debrief is never needed."
TOO_LONG = "Please keep it to {limit} characters. It is {size} long now, so please cut {over}."
SENT = "Your note is with the coordinators, under your rota name. Thank you for telling them."
KEPT = "Your note is kept. Only you can read it."
SHARE = [("keep", "Keep it for myself"),
         ("send", "Send it to the coordinators, with my rota name")]  # fmt: skip


class DebriefForm(FlaskForm):
    """A short debrief note, and who may read it (only its writer, unless sent)."""

    text = TextAreaField(
        "How was that for you?",
        validators=[DataRequired(NO_WORDS), UpTo(DEBRIEF_MAX, TOO_LONG), Visible(1, NO_WORDS)],
        filters=[clean_text],
        render_kw=limited(DEBRIEF_MAX),
    )
    share = RadioField(
        "Who can read it",
        choices=options(SHARE),
        default="keep",
        validate_choice=False,
        validators=[Chosen("Please choose to keep the note or to send it.")],
    )


def care_context(account, offer=False):
    """What the queue and case pages show a moderator about looking after themselves:
    `care` (the count and break suggestion) and, when `offer`, a debrief form."""
    return {
        "care": wellbeing.care(account),
        "debrief_form": DebriefForm(formdata=None) if offer else None,
    }


def _may_read(account):
    """Moderators and coordinators, and anyone who wrote notes while they were one."""
    roles = account.has_role("moderator") or account.has_role("coordinator")
    if not roles and not wellbeing.has_notes(account):
        refuse(403, NOT_YOUR_ROLE)


def _page(account, form, status=200):
    coordinator = account.has_role("coordinator")
    page = render_template(
        "wellbeing/debriefs.html",
        form=form,
        may_write=account.has_role("moderator"),
        mine=wellbeing.own_notes(account, id_arg("before")),
        sent=wellbeing.sent_notes(id_arg("sent_before")) if coordinator else None,
        per_page=wellbeing.NOTES_PER_PAGE,
        confirm=ConfirmForm(),
    )
    return page, status


@bp.get("/debriefs")
@signed_in
def debriefs(account):
    """Your own debrief notes and a form for a new one; for coordinators, notes sent to them."""
    _may_read(account)
    return _page(account, DebriefForm(formdata=None))


@bp.post("/debriefs")
@requires("moderator")
def write(account):
    """Keep a debrief note, for yourself or sent to the coordinators; commits. A note that
    cannot be kept as written comes back with its words and what to change (400)."""
    form = DebriefForm()
    if not form.validate_on_submit():
        return _page(account, form, 400)
    send = form.share.data == "send"
    try:
        wellbeing.write_debrief(account, form.text.data, send)
    except Refused as refusal:
        db.session.rollback()
        form.text.errors = [str(refusal)]
        return _page(account, form, 400)
    flash(SENT if send else KEPT)
    return redirect(url_for("wellbeing.debriefs"), code=303)


@bp.post("/debriefs/forget")
@signed_in
def forget(account):
    """Erase one of your own debrief notes (field `note`); commits. Nobody else's."""
    _may_read(account)
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    note_id = whole_number(request.form.get("note", ""))
    if note_id and wellbeing.forget(account, note_id):
        flash("That note is erased.")
    return redirect(url_for("wellbeing.debriefs"), code=303)


@bp.post("/break")
@requires("moderator")
def took_break(account):
    """Say you have had a break: the suggestion goes until the next one is due; commits.
    Goes back to the moderation page it was pressed on (field `back`), else the queue."""
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    wellbeing.took_break(account)
    flash("Welcome back. Thank you for looking after yourself.")
    back = same_site(request.form.get("back", ""))
    if not back or not back.startswith("/moderate"):
        back = url_for("moderate.queue")
    return redirect(back, code=303)
