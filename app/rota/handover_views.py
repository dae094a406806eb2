"""/rota/handover: handover notes between shifts, read by moderators on shift and by
coordinators, written on shift or just after stepping out. No response here is stored.

The rota page's offer after stepping out and the queue's unread notes are includes
(templates/rota/_handover_offer.html, _unread_handover.html) that call the helpers this
blueprint gives every template, so neither page's view has to know about handover notes.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from app.accounts.access import requires
from app.accounts.identity import current_account
from app.core.forms import Visible, clean_text, refusal_on
from app.core.refused import Refused
from app.questions.forms import UpTo, limited
from app.rota import handover, shifts
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private

bp = private(Blueprint("handover", __name__, url_prefix="/rota/handover"))

NOT_OPEN = "Handover notes are only open to moderators on shift and to coordinators."
TOO_LONG = (
    "Please keep a handover note to {limit} characters. It is {size} long now, so please "
    "shorten it by {over}."
)
# How many new notes the queue shows in full before linking to the rest.
ON_THE_QUEUE = 3


class HandoverForm(FlaskForm):
    """A handover note: `body`, plain text."""

    body = TextAreaField(
        "Your note for the next moderators",
        validators=[
            DataRequired(handover.EMPTY),
            UpTo(handover.HANDOVER_MAX, TOO_LONG),
            Visible(1, handover.EMPTY),
        ],
        filters=[clean_text],
        render_kw=limited(handover.HANDOVER_MAX),
    )


def _page(account, form, notes=None, refusal=None, status=200):
    return render_template(
        "rota/handover.html",
        form=form,
        notes=notes,
        refusal=refusal,
        may_write=handover.may_write(account),
        on_shift=shifts.on_shift(account),
        days=current_app.config["HANDOVER_DAYS"],
    ), status


@bp.get("")
@requires("moderator", "coordinator")
def index(account):
    """Every handover note kept, new ones first; viewing marks them read for a moderator
    on shift (commits). 403 for anyone who is neither on shift nor a coordinator."""
    if not handover.may_read(account):
        refuse(403, NOT_OPEN)
    notes = handover.read(account)
    return _page(account, HandoverForm(formdata=None), notes=notes)


@bp.post("")
@requires("moderator")
def write(account):
    """Leave a handover note (on shift, or just after); commits. A note that cannot be
    taken comes back with its words and what to change; nothing is saved."""
    if not handover.may_write(account):
        refuse(403, handover.NOT_NOW)
    form = HandoverForm()
    refusal = None
    if form.validate_on_submit():
        try:
            handover.write(account, form.body.data)
        except Refused as refused:
            db.session.rollback()
            refusal = refusal_on(form, refused, default="body")
        else:
            flash("Thank you. Your note is waiting for the next moderators on shift.")
            after = "handover.index" if handover.may_read(account) else "rota.index"
            return redirect(url_for(after), code=303)
    return _page(account, form, refusal=refusal, status=400)


def offer():
    """A fresh note form for the signed-in moderator whose shift ended within the last
    WRITE_AFTER and who is not on shift now; None for everyone else."""
    account = current_account()
    if account is None or not account.has_role("moderator"):
        return None
    return HandoverForm(formdata=None) if handover.just_ended(account) else None


def unread_notes():
    """The notes new to the signed-in reader (newest first), or [] when they may not
    read handover notes."""
    account = current_account()
    return handover.unread(account) if handover.may_read(account) else []


@bp.app_context_processor
def _helpers():
    return {
        "handover_offer": offer,
        "unread_handover": unread_notes,
        "handover_on_queue": ON_THE_QUEUE,
    }
