"""/rota: the plan for the coming two weeks, signing up and dropping, starting and
stepping out, and a moderator's rota name and own limits."""

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, url_for
from sqlalchemy import select

from app.accounts.access import requires
from app.accounts.models import Account
from app.core.forms import ConfirmForm, form_page, options
from app.core.refused import Refused
from app.core.time import now
from app.rota import caps, limits, names, plan, shifts
from app.rota.calendar import (
    clock,
    clocks_change,
    day_name,
    hours_text,
    month_start,
    week_start,
)
from app.rota.forms import NO_LIMIT, LimitsForm, RotaNameForm
from app.topics.queries import all_notes
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private

bp = private(Blueprint("rota", __name__, url_prefix="/rota"))


def _limits_form(account, sent=None):
    form = sent or LimitsForm(data=_limits_data(account))
    form.opted_out.choices = options((n.slug, n.label) for n in all_notes())
    return form


def _limits_data(account):
    own = limits.of(account.id)
    return {
        "shifts_per_week": str(own.shifts_per_week or NO_LIMIT),
        "night_from": NO_LIMIT if own.night_from is None else str(own.night_from),
        "opted_out": [note.slug for note in own.opted_out],
    }


def _plan_by_day(at):
    coming = plan.coming(at)
    ids = {s.account_id for planned in coming for s in planned.sign_ups}
    rota_names = dict(db.session.execute(
        select(Account.id, Account.rota_name).where(Account.id.in_(ids))
    ).all()) if ids else {}  # fmt: skip
    days = [(day, list(shifts_of_day)) for day, shifts_of_day
            in groupby(coming, key=lambda planned: day_name(planned.starts_at))]  # fmt: skip
    return days, rota_names


def _page(account, name_form=None, limits_form=None):
    at = now()
    days, rota_names = _plan_by_day(at)
    shift = shifts.current(account)
    return form_page(
        "rota/index.html",
        name_form or RotaNameForm(data={"rota_name": account.rota_name or ""}),
        limits_form=_limits_form(account, limits_form),
        shift=shift,
        nearing=caps.nearing(account.id, shift, at) if shift else [],
        is_moderator=account.has_role("moderator"),
        confirm=ConfirmForm(),
        days=days,
        rota_names=rota_names,
        week_hours=hours_text(_hours(caps.time_on_shift(account.id, week_start(at), at))),
        month_hours=hours_text(_hours(caps.time_on_shift(account.id, month_start(at), at))),
        hours_text=hours_text,
        rota_clock=clock,
        clocks_change=clocks_change,
    )


def _hours(delta):
    return delta.total_seconds() / 3600


def _confirmed():
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")


@bp.get("")
@requires("moderator", "coordinator")
def index(account):
    """The coming two weeks' plan, whether you are on shift, your hours and your limits."""
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
    return _page(account, name_form=form)


@bp.post("/limits")
@requires("moderator")
def own_limits(account):
    """Save the moderator's own limits; commits. Shown to nobody else."""
    form = _limits_form(account, LimitsForm())
    if not form.validate_on_submit():
        return _page(account, limits_form=form)
    chosen = set(form.opted_out.data or [])
    notes = [note for note in all_notes() if note.slug in chosen]
    limits.save(account.id, form.number(form.shifts_per_week), form.number(form.night_from), notes)
    flash("Your limits are saved. The rota holds them for you; only you can see them.")
    return redirect(url_for("rota.index", _anchor="limits-heading"), code=303)


@bp.post("/shifts/<id:planned_id>/sign-up")
@requires("moderator")
def sign_up(account, planned_id):
    """Take a place on a planned shift, within the caps and your own limits; commits."""
    return _change_place(account, planned_id, plan.sign_up, lambda planned: (
        f"You are signed up for {day_name(planned.starts_at)}, {clock(planned.starts_at)} "
        f"to {clock(planned.ends_at)}. Thank you."))  # fmt: skip


@bp.post("/shifts/<id:planned_id>/drop")
@requires("moderator")
def drop(account, planned_id):
    """Give up a place on a planned shift; commits. No reason is asked."""
    return _change_place(account, planned_id, plan.drop, lambda planned: (
        "You have dropped that shift. You do not need to give a reason."))  # fmt: skip


def _change_place(account, planned_id, change, said):
    """Run `change(account, planned)` on the planned shift (404 when there is none); back
    to that shift on the rota page with `said(planned)`, or the page with the refusal (409)."""
    _confirmed()
    planned = plan.get(planned_id) or abort(404)
    try:
        change(account, planned)
    except Refused as refusal:
        return _page_with(account, str(refusal), 409)
    flash(said(planned))
    return redirect(url_for("rota.index", _anchor=f"planned-{planned.id}"), code=303)


def _page_with(account, message, status):
    """The rota page with a refusal said at its top, and the status a refused form gets."""
    flash(message)
    body, _ = _page(account)
    return body, status


@bp.post("/start")
@requires("moderator")
def start(account):
    """Start a shift now: within a shift you signed up for, or as cover where the rota
    allows it, always within the caps. Otherwise says why, kindly."""
    _confirmed()
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
    _confirmed()
    shifts.step_out(account)
    flash("You have stepped out. Any cases you had claimed are back in the queue.")
    return redirect(url_for("rota.index"), code=303)
