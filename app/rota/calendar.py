"""The rota's calendar: days, weeks and months in ROTA_TIMEZONE, for times stored in UTC.

Shifts are stored in UTC and last real hours, so a two-hour shift on the night the clocks
change still lasts two hours; only how its ends are shown moves with the clocks.
"""

from datetime import UTC, datetime, time, timedelta

from flask import current_app

from app.core.refused import Refused
from app.core.time import zone

NO_SUCH_TIME = ("{when} does not happen in {zone}: the clocks go forward past it. "
                "Please choose a time after the change.")  # fmt: skip


def rota_zone():
    """The deployment's rota time zone (ROTA_TIMEZONE, default Europe/London)."""
    return zone(current_app.config["ROTA_TIMEZONE"])


def local(moment):
    """A stored UTC time as an aware time in the rota's zone."""
    return moment.replace(tzinfo=UTC).astimezone(rota_zone())


def to_utc(wall):
    """A naive wall-clock time in the rota's zone as a stored (naive) UTC time.

    Refuses (Refused) a time the clocks skip on the night they go forward. A time that
    happens twice when they go back is read as the first of the two.
    """
    aware = wall.replace(tzinfo=rota_zone(), fold=0)
    stored = aware.astimezone(UTC).replace(tzinfo=None)
    if local(stored).replace(tzinfo=None) != wall:
        raise Refused(NO_SUCH_TIME.format(when=f"{wall:%d %b %Y %H:%M}", zone=rota_zone().key))
    return stored


def day_start(day):
    """The stored UTC time at which the local calendar `day` (a date) begins."""
    return datetime.combine(day, time(), tzinfo=rota_zone()).astimezone(UTC).replace(tzinfo=None)


def week_start(moment):
    """When the local week (Monday to Sunday) holding the UTC time `moment` began, in UTC."""
    today = local(moment).date()
    return day_start(today - timedelta(days=today.weekday()))


def month_start(moment):
    """When the local calendar month holding the UTC time `moment` began, in UTC."""
    return day_start(local(moment).date().replace(day=1))


def clock(moment):
    """A stored UTC time as "14:05" in the rota's zone."""
    return f"{local(moment):%H:%M}"


def day_name(moment):
    """A stored UTC time's local day as "Monday 30 November"."""
    shown = local(moment)
    return f"{shown:%A} {shown.day} {shown:%B}"


def when(moment):
    """A stored UTC time as "Monday 30 November at 14:05" in the rota's zone."""
    return f"{day_name(moment)} at {clock(moment)}"


def clocks_change(starts_at, ends_at):
    """True when the rota zone's clocks change between two stored UTC times."""
    return local(starts_at).utcoffset() != local(ends_at).utcoffset()


def hours_text(hours):
    """Real hours as words: "2 hours", "1 hour", "1 hour 30 minutes", "45 minutes"."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    parts = [f"{whole} hour{'s' if whole != 1 else ''}"] if whole else []
    if rest or not parts:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
