"""/rota/plan, /rota/gaps, /rota/hours: the coordinators' side of the rota.

Coordinators plan the pattern of shifts, open or close the rota to cover, see the gaps in
the coming two weeks and hours per person. They never see why anyone stepped out.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from app.accounts.access import requires
from app.core.forms import ConfirmForm, form_page, refusal_on
from app.core.refused import Refused
from app.core.time import now
from app.rota import calendar, gaps, pattern, plan
from app.rota.models import settings
from app.rota.plan_forms import CoverForm, PatternForm
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private

bp = private(Blueprint("rota_plan", __name__, url_prefix="/rota"))

# What the pattern form offers at first: a week of two-hour slots, two people each.
PATTERN_DEFAULTS = {"days": 7, "from_hour": "8", "to_hour": "22", "slot_hours": 2, "places": 2}
TIMES = {
    "clock": calendar.clock,
    "hours_text": calendar.hours_text,
    "clocks_change": calendar.clocks_change,
}


def _people(n):
    return f"{n} {'person' if n == 1 else 'people'}"


def _shifts(n):
    return f"{n} shift{'' if n == 1 else 's'}"


def said(result):
    """A pattern's result in plain words: "Planned 21 shifts; 3 were already planned."."""
    parts = [f"Planned {_shifts(result.planned)}" if result.planned else "Planned no new shifts"]
    if result.already:
        parts.append(f"{result.already} {'was' if result.already == 1 else 'were'} "
                     "already planned")  # fmt: skip
    if result.passed:
        parts.append(f"{_shifts(result.passed)} would already have been over")
    if result.clocks:
        parts.append(f"{_shifts(result.clocks)} did not fit around the clocks changing")
    return "; ".join(parts) + "."


def _page(form, cover=None, refusal=None):
    at = now()
    allowed = settings().allow_cover
    cover = cover or CoverForm(data={"allow_cover": "yes" if allowed else "no"})
    coming = gaps.by_day(gaps.coming_shifts(at), lambda item: item[0].starts_at)
    return form_page("rota/plan.html", form, cover=cover, allow_cover=allowed, days=coming,
                     at=at, confirm=ConfirmForm(), refusal=refusal, **TIMES)  # fmt: skip


@bp.get("/plan")
@requires("coordinator")
def show(account):
    """The pattern form, the cover setting, and the coming plan in brief."""
    today = calendar.local(now()).date()
    return _page(PatternForm(data={**PATTERN_DEFAULTS, "first_day": today}))


@bp.post("/plan")
@requires("coordinator")
def plan_pattern(account):
    """Plan a pattern of slots; commits, then says how many were planned and skipped."""
    form = PatternForm()
    refusal = None
    if form.validate_on_submit():
        try:
            result = pattern.plan_pattern(**form.pattern())
        except Refused as refused:
            db.session.rollback()
            refusal = refusal_on(form, refused)
        else:
            flash(said(result))
            return redirect(url_for("rota_plan.show"), code=303)
    return _page(form, refusal=refusal)


@bp.post("/plan/cover")
@requires("coordinator")
def cover(account):
    """Open or close the rota to cover; commits."""
    form = CoverForm()
    if not form.validate_on_submit():
        return _page(PatternForm(formdata=None, data=PATTERN_DEFAULTS), cover=form)
    pattern.open_to_cover(form.allow_cover.data == "yes")
    flash("The rota is open to cover: a moderator may start a shift when the hour is not "
          "staffed." if form.allow_cover.data == "yes" else
          "The rota is closed to cover: moderators start only within shifts they signed "
          "up for.")  # fmt: skip
    return redirect(url_for("rota_plan.show"), code=303)


@bp.post("/plan/shifts/<id:planned_id>/cancel")
@requires("coordinator")
def cancel(account, planned_id):
    """Take a planned shift that has not started out of the plan; commits. The message
    says how many people were signed up, so the coordinator can let them know."""
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    planned = plan.get(planned_id)
    if planned is None:
        abort(404)
    starts = calendar.when(planned.starts_at)
    try:
        signed_up = pattern.cancel(planned)
    except Refused as refused:
        flash(str(refused))
    else:
        told = (f" {_people(signed_up)} had signed up for it, so please let them know."
                if signed_up else " Nobody had signed up for it.")  # fmt: skip
        flash(f"The shift starting {starts} is no longer in the plan.{told}")
    return redirect(url_for("rota_plan.show"), code=303)


@bp.get("/gaps")
@requires("coordinator")
def gaps_page(account):
    """The coming two weeks' gaps: places unfilled, and notes nobody signed up can take."""
    at = now()
    coming = gaps.coming_shifts(at)
    days = gaps.by_day(gaps.gaps(at, coming), lambda gap: gap.planned.starts_at)
    return render_template("rota/gaps.html", days=days, planned=len(coming), **TIMES)


@bp.get("/hours")
@requires("coordinator")
def hours_page(account):
    """Hours per person, alphabetical by rota name: to spot someone carrying too much,
    never to rank people."""
    return render_template("rota/hours.html", rows=gaps.hours(now()), **TIMES)
