"""Planning the rota as a pattern (say, two-hour slots from 08:00 to 22:00, each needing two
moderators, for the coming week), and taking a planned shift back out of the plan.

Slots follow the wall clock in ROTA_TIMEZONE, as people read the rota: each day's starts
are `from_hour`, then every `slot_hours` after it, and each slot lasts `slot_hours` real
hours. So on the nights the clocks change, a start the clocks skip is skipped, and a slot
that would run into the one before it (the clocks went forward under it) is skipped too;
on the night they go back, the repeated hour is left out of the pattern. The gaps page
shows what is planned; `flask rota shift` can plan any single shift by hand.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.core.refused import Refused
from app.core.time import now
from app.rota import plan
from app.rota.calendar import day_start, hours_text, local, rota_zone, to_utc, when
from app.rota.models import PlannedShift, RotaSettings, SignUp
from app.web.extensions import db

MOST_PLACES = 20
# How far ahead a pattern may begin; the gaps page looks ROTA_DAYS_AHEAD days ahead.
FURTHEST_START = timedelta(days=366)
STARTED = ("That shift began {when}, so it stays in the plan. People on it can step out "
           "at any time.")  # fmt: skip


@dataclass
class Planned:
    """What a pattern did: slots planned, and slots skipped because a shift was already
    planned there, because they would already be over, or because of the clocks."""

    planned: int = 0
    already: int = 0
    passed: int = 0
    clocks: int = 0

    @property
    def skipped(self):
        return self.already + self.passed + self.clocks


def _check(first_day, days, from_hour, to_hour, slot_hours, places):
    """Refuse (Refused, naming the form field) a pattern that cannot be planned."""
    most_days = current_app.config["ROTA_DAYS_AHEAD"]
    cap = current_app.config["ROTA_SHIFT_HOURS"]
    today = local(now()).date()
    if first_day < today:
        raise Refused("That day has passed. Please choose today or a later day.", "first_day")
    if first_day - today > FURTHEST_START:
        raise Refused("Please choose a first day within the coming year.", "first_day")
    if not 1 <= days <= most_days:
        raise Refused(f"Please plan from 1 to {most_days} days at a time.", "days")
    if not 0 <= from_hour <= 23:
        raise Refused("Please choose an hour from 00:00 to 23:00.", "from_hour")
    if not from_hour < to_hour <= 24:
        raise Refused("Please choose an end after the start (24:00 is midnight).", "to_hour")
    if not (0.5 <= slot_hours <= cap and float(slot_hours * 2).is_integer()):
        raise Refused(f"A slot lasts from 30 minutes to {hours_text(cap)}, in steps of half an "
                      "hour (for example 2 or 1.5).", "slot_hours")  # fmt: skip
    if slot_hours > to_hour - from_hour:
        raise Refused(f"A slot of {hours_text(slot_hours)} does not fit between "
                      f"{from_hour:02d}:00 and {to_hour:02d}:00.", "slot_hours")  # fmt: skip
    if not 1 <= places <= MOST_PLACES:
        raise Refused(f"A slot needs from 1 to {MOST_PLACES} people.", "places")


def _wall_to_utc(wall):
    """A naive local time as stored UTC, without refusing: a time the clocks skip counts
    from before the change (a whole-hour bound lands on the change itself)."""
    return wall.replace(tzinfo=rota_zone(), fold=0).astimezone(UTC).replace(tzinfo=None)


def _slots(day, from_hour, to_hour, slot_hours):
    """The wall-clock starts of one day's slots, and that day's end as stored UTC."""
    midnight = datetime.combine(day, time())
    last_end = midnight + timedelta(hours=to_hour)
    step = timedelta(hours=slot_hours)
    wall = midnight + timedelta(hours=from_hour)
    starts = []
    while wall + step <= last_end:
        starts.append(wall)
        wall += step
    return starts, _wall_to_utc(last_end)


def _planned_between(since, until):
    """Planned shifts overlapping [since, until), as (starts_at, ends_at) pairs."""
    stmt = select(PlannedShift.starts_at, PlannedShift.ends_at).where(
        PlannedShift.ends_at > since, PlannedShift.starts_at < until
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def _overlaps(spans, starts_at, ends_at):
    return any(s < ends_at and starts_at < e for s, e in spans)


def plan_pattern(first_day, days, from_hour, to_hour, slot_hours, places):
    """Plan slots each day from `first_day` (a local date) for `days` days: wall-clock
    starts from `from_hour`, each `slot_hours` real hours, the last ending by `to_hour`
    (24 is midnight), each needing `places` moderators; all in one transaction, which it
    commits. Returns a `Planned` with how many it planned and how many it skipped.

    Skips, and counts, a slot overlapping a shift already planned, one that would already
    be over, and one the clocks change skips or crowds out. Refuses (Refused, naming the
    field) a first day in the past or more than a year ahead, days outside 1 to
    ROTA_DAYS_AHEAD, hours outside the day or the wrong way round, a slot outside 30
    minutes to ROTA_SHIFT_HOURS in half hours or longer than the hours given, and places
    outside 1 to 20; then nothing is planned.
    """
    _check(first_day, days, from_hour, to_hour, slot_hours, places)
    at, step = now(), timedelta(hours=slot_hours)
    existing = _planned_between(day_start(first_day), day_start(first_day + timedelta(days)))
    made, result = [], Planned()
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        starts, day_ends = _slots(day, from_hour, to_hour, slot_hours)
        for wall in starts:
            skipped = _why_skipped(wall, step, at, day_ends, existing, made)
            if skipped is None:
                try:
                    planned = plan.plan_one(wall, slot_hours, places)
                except Refused:  # what plan_one refuses is over or not a time
                    skipped = "passed"
                else:
                    made.append((planned.starts_at, planned.ends_at))
                    result.planned += 1
            if skipped:
                setattr(result, skipped, getattr(result, skipped) + 1)
    db.session.commit()
    return result


def _why_skipped(wall, step, at, day_ends, existing, made):
    """Why the slot starting at the local time `wall` is skipped, as a `Planned` counter's
    name, or None when it can be planned."""
    try:
        starts_at = to_utc(wall)
    except Refused:  # the clocks go forward past this start
        return "clocks"
    ends_at = starts_at + step
    if ends_at <= at:
        return "passed"
    if _overlaps(existing, starts_at, ends_at):
        return "already"
    if ends_at > day_ends or _overlaps(made, starts_at, ends_at):
        return "clocks"  # the clocks went forward under the slot before
    return None


def cancel(planned):
    """Take a planned shift that has not started out of the plan, with its sign-ups, and
    commit; returns how many people were signed up for it, so the coordinator can tell
    them. Refuses (Refused) a shift that has already begun."""
    if planned.starts_at <= now():
        raise Refused(STARTED.format(when=when(planned.starts_at)))
    signed_up = db.session.scalar(
        select(func.count()).select_from(SignUp).where(SignUp.planned_shift_id == planned.id)
    )
    db.session.delete(planned)
    db.session.commit()
    return signed_up


def open_to_cover(allowed):
    """Say whether moderators may start as cover when an hour is not staffed (the rota's
    settings row, id 1), and commit."""
    row = db.session.get(RotaSettings, 1) or RotaSettings(id=1)
    row.allow_cover = bool(allowed)
    db.session.add(row)
    db.session.commit()
