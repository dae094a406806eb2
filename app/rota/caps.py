"""The rota's caps and a moderator's own limits, held by the tools: nobody can override
them in the moment, and a short rota is never a reason to.

Caps (config.py): one shift lasts at most ROTA_SHIFT_HOURS (3), a week (Monday to Sunday
in ROTA_TIMEZONE) holds at most ROTA_WEEK_HOURS (6) on shift, and shifts are at least
ROTA_REST_HOURS (11) apart. Time on shift less than ROTA_REST_HOURS apart counts as one
shift, so stepping out and back in never makes a longer one.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.core.refused import Refused
from app.rota import limits
from app.rota.calendar import clock, hours_text, week_start, when
from app.rota.models import PlannedShift, Shift, SignUp
from app.web.extensions import db

TOO_LONG = (
    "This shift is longer than the {cap} one shift may last, so nobody can take it. "
    "A coordinator can plan it as shorter shifts."
)
WEEK_FULL = (
    "Taking this shift would bring your planned time that week to {total}, past the "
    "rota's {cap} a week. The cap is there to protect you, so it holds even when "
    "the rota is short."
)
TOO_CLOSE = (
    "This shift is less than {rest} from another of yours ({other}), and the rota "
    "keeps {rest} of rest between shifts."
)
OWN_WEEK = (
    "You asked for at most {n} a week, and you have that many that week already. "
    "You can change your own limits on this page."
)
OWN_NIGHT = (
    "This shift runs after {hour}:00, and you asked for no shifts after then. "
    "You can change your own limits on this page."
)
RESTING = (
    "You have had {used} on shift, and the rota keeps {rest} of rest "
    "between shifts. You can start again from {again}."
)
WEEK_DONE = (
    "You have had {cap} on shift this week, the most the rota allows. Thank you. "
    "Your week starts again on Monday."
)
NIGHT_NOW = ("You asked for no shifts after {hour}:00, so cover is not open to you now. "
             "You can change your own limits on this page.")  # fmt: skip
OWN_WEEK_NOW = ("You asked for at most {n} a week, and this week holds that many of yours "
                "already, so cover is not open to you now. You can change your own limits "
                "on this page.")  # fmt: skip


def _hours(name):
    return timedelta(hours=current_app.config[name])


def _shifts_word(n):
    return f"{n} shift{'s' if n != 1 else ''}"


def time_on_shift(account_id, since, at):
    """Time on shift (a timedelta) between `since` and `at`, counting a running shift up to
    `at`. Stored UTC times; commits nothing."""
    stmt = select(Shift).where(
        Shift.account_id == account_id, Shift.ends_at > since, Shift.started_at < at
    )
    total = timedelta()
    for shift in db.session.scalars(stmt):
        total += max(timedelta(), min(shift.finished_at(at), at) - max(shift.started_at, since))
    return total


def signed_up(account_id, since, until):
    """The planned shifts the moderator signed up for that start in [since, until)."""
    stmt = (
        select(PlannedShift)
        .join(SignUp)
        .where(SignUp.account_id == account_id, PlannedShift.starts_at >= since,
               PlannedShift.starts_at < until)
        .order_by(PlannedShift.starts_at)
    )  # fmt: skip
    return list(db.session.scalars(stmt))


def check_sign_up(account_id, planned):
    """Refuse (Refused) a sign-up the caps or the moderator's own limits do not allow:
    a shift longer than one shift may be, a week past its hours, less rest than the rota
    keeps beside another of their shifts, more shifts a week than they asked for, or a
    shift in the night they keep free. Commits nothing."""
    cap = _hours("ROTA_SHIFT_HOURS")
    length = planned.ends_at - planned.starts_at
    if length > cap:
        raise Refused(TOO_LONG.format(cap=hours_text(cap.total_seconds() / 3600)))
    week = week_start(planned.starts_at)
    theirs = [s for s in signed_up(account_id, week, week + timedelta(days=8))
              if s.id != planned.id and week_start(s.starts_at) == week]  # fmt: skip
    total = sum((s.ends_at - s.starts_at for s in theirs), length)
    if total > _hours("ROTA_WEEK_HOURS"):
        raise Refused(WEEK_FULL.format(
            total=hours_text(total.total_seconds() / 3600),
            cap=hours_text(current_app.config["ROTA_WEEK_HOURS"])))  # fmt: skip
    rest = _hours("ROTA_REST_HOURS")
    near = signed_up(account_id, planned.starts_at - rest - cap, planned.ends_at + rest)
    for other in near:
        apart = max(planned.starts_at - other.ends_at, other.starts_at - planned.ends_at)
        if other.id != planned.id and apart < rest:
            rest_text = hours_text(rest.total_seconds() / 3600)
            raise Refused(TOO_CLOSE.format(rest=rest_text, other=when(other.starts_at)))
    own = limits.of(account_id)
    if own.shifts_per_week is not None and len(theirs) >= own.shifts_per_week:
        raise Refused(OWN_WEEK.format(n=_shifts_word(own.shifts_per_week)))
    if limits.at_night(own, planned.starts_at, planned.ends_at):
        raise Refused(OWN_NIGHT.format(hour=f"{own.night_from:02d}"))


def _this_shift(account_id, at):
    """Time on shift in the shift running up to `at` (a timedelta), and when that time
    last ended: stints less than ROTA_REST_HOURS apart are one shift."""
    rest = _hours("ROTA_REST_HOURS")
    stmt = (
        select(Shift)
        .where(Shift.account_id == account_id, Shift.started_at > at - timedelta(days=8))
        .order_by(Shift.started_at.desc())
    )
    total, last, cursor = timedelta(), None, at
    for shift in db.session.scalars(stmt):
        finished = shift.finished_at(at)
        if cursor - finished >= rest:
            break
        total += finished - shift.started_at
        last = max(last or finished, finished)
        cursor = shift.started_at
    return total, last


def latest_end(account_id, at, wanted, cover=False):
    """When a shift started at `at` must end at the latest: `wanted`, brought forward to
    the shift cap (counting time on shift less than ROTA_REST_HOURS before), the week's
    hours left, and for cover the night the moderator keeps free. Refuses (Refused),
    kindly and saying when they can, a start during the rest between shifts, after the
    week's hours are used, or (cover) in the moderator's night. Commits nothing."""
    rest, cap = _hours("ROTA_REST_HOURS"), _hours("ROTA_SHIFT_HOURS")
    recent, last = _this_shift(account_id, at)
    if recent >= cap - timedelta(minutes=1):
        raise Refused(RESTING.format(
            used=hours_text(recent.total_seconds() / 3600),
            rest=hours_text(rest.total_seconds() / 3600), again=when(last + rest)))  # fmt: skip
    week_left = _hours("ROTA_WEEK_HOURS") - time_on_shift(account_id, week_start(at), at)
    if week_left < timedelta(minutes=1):
        raise Refused(WEEK_DONE.format(cap=hours_text(current_app.config["ROTA_WEEK_HOURS"])))
    ends = min(wanted, at + cap - recent, at + week_left)
    own = limits.of(account_id)
    if cover and limits.at_night(own, at, at + timedelta(minutes=1)):
        raise Refused(NIGHT_NOW.format(hour=f"{own.night_from:02d}"))
    weekly = own.shifts_per_week
    if cover and not recent and weekly and _shifts_this_week(account_id, at) >= weekly:
        raise Refused(OWN_WEEK_NOW.format(n=_shifts_word(own.shifts_per_week)))
    return limits.before_night(own, at, ends) if cover else ends


def _shifts_this_week(account_id, at):
    """How many shifts of theirs the week of `at` holds: the shifts begun this week (time
    on shift after at least ROTA_REST_HOURS off) and the planned ones still to come."""
    rest, week = _hours("ROTA_REST_HOURS"), week_start(at)
    stmt = (
        select(Shift)
        .where(Shift.account_id == account_id, Shift.started_at >= week - rest,
               Shift.started_at < at)
        .order_by(Shift.started_at)
    )  # fmt: skip
    begun, before = 0, None
    for shift in db.session.scalars(stmt):
        if shift.started_at >= week and (before is None or shift.started_at - before >= rest):
            begun += 1
        before = shift.finished_at(at)
    coming = [s for s in signed_up(account_id, at, week + timedelta(days=8))
              if week_start(s.starts_at) == week]  # fmt: skip
    return begun + len(coming)


def nearing(account_id, shift, at):
    """Kind words for the queue when a cap is near: the shift's end within 15 minutes,
    and under an hour of the week left after it. A list of strings; commits nothing."""
    said = []
    if shift.ends_at - at <= timedelta(minutes=15):
        said.append(f"Your shift ends at {clock(shift.ends_at)}. Thank you for your time today.")
    week = time_on_shift(account_id, week_start(at), at) + (shift.ends_at - at)
    left = _hours("ROTA_WEEK_HOURS") - week
    if timedelta() < left < timedelta(hours=1):
        said.append(f"After this shift you have {hours_text(left.total_seconds() / 3600)} "
                    "left on the rota this week.")  # fmt: skip
    elif left <= timedelta():
        said.append("This shift uses the last of your hours on the rota this week.")
    return said
