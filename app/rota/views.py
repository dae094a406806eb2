"""/rota: a moderator's shift, started and stepped out of with one button each."""

from datetime import UTC

from flask import Blueprint, current_app, flash, redirect, url_for

from app.accounts.access import requires
from app.core.forms import ConfirmForm, form_page
from app.core.refused import Refused
from app.core.time import zone
from app.rota import names, shifts
from app.rota.forms import RotaNameForm
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private

bp = private(Blueprint("rota", __name__, url_prefix="/rota"))


def clock(moment):
    """A stored UTC time as the hour and minute in the deployment's time zone."""
    local = moment.replace(tzinfo=UTC).astimezone(zone(current_app.config["TIMEZONE"]))
    return f"{local:%H:%M}"


def _page(account, name_form=None):
    form = name_form or RotaNameForm(data={"rota_name": account.rota_name or ""})
    return form_page(
        "rota/index.html",
        form,
        shift=shifts.current(account),
        is_moderator=account.has_role("moderator"),
        confirm=ConfirmForm(),
        clock=clock,
    )


@bp.get("")
@requires("moderator", "coordinator")
def index(account):
    """Whether you are on shift, with one button to start or step out, and your rota name."""
    return _page(account)


@bp.post("/name")
@requires("moderator")
def name(account):
    """Choose or change the rota name the public log shows; commits."""
    form = RotaNameForm()
    if form.validate_on_submit():
        try:
            names.choose(account, form.rota_name.data)
        except Refused as refusal:
            db.session.rollback()
            form.rota_name.errors = [str(refusal)]
        else:
            db.session.commit()
            flash("Your rota name is saved. The public log shows it beside what you do.")
            return redirect(url_for("rota.index"), code=303)
    return _page(account, form)


@bp.post("/start")
@requires("moderator")
def start(account):
    """Start a shift now. For now any moderator may; issue 15 limits this to planned
    shifts and cover, within each person's caps."""
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    try:
        shift = shifts.start(account)
    except Refused as refusal:
        flash(str(refusal))
        return redirect(url_for("rota.index"), code=303)
    flash(f"You are on shift until {clock(shift.ends_at)}. You can step out at any time.")
    return redirect(url_for("moderate.queue"), code=303)


@bp.post("/step-out")
@requires("moderator")
def step_out(account):
    """End the shift at once; claims go back to the queue. No reason is asked."""
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    shifts.step_out(account)
    flash("You have stepped out. Any cases you had claimed are back in the queue.")
    return redirect(url_for("rota.index"), code=303)
