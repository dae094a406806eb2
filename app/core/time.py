"""One clock for Kettle, in UTC, and the one way a time is shown to the public."""

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


def iso(moment):
    """A stored UTC time as RFC 3339 rounded down to the minute; None stays None.

    Valid in HTML's <time datetime>, Atom and JSON. Seconds and microseconds are dropped, so
    a public time cannot be matched to one connection in someone's logs.
    """
    if moment is None:
        return None
    return moment.replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:00Z")


@lru_cache
def zone(name):
    """The named IANA time zone; raises ZoneInfoNotFoundError for an unknown name."""
    return ZoneInfo(name)


def local_day(moment, zone_name):
    """The calendar date of a stored UTC time in the named zone, as "15 Jul 2026"."""
    local = moment.replace(tzinfo=UTC).astimezone(zone(zone_name))
    return f"{local.day} {local:%b %Y}"


def local_clock(moment, zone_name):
    """A stored UTC time as "14:05" in the named zone."""
    return f"{moment.replace(tzinfo=UTC).astimezone(zone(zone_name)):%H:%M}"


def local_moment(moment, zone_name):
    """A stored UTC time as "15 Jul 2026 at 14:05" in the named zone, for plain sentences."""
    local = moment.replace(tzinfo=UTC).astimezone(zone(zone_name))
    return f"{local.day} {local:%b %Y} at {local:%H:%M}"


def now():
    """The current time in UTC, stored without tzinfo so SQLite and PostgreSQL agree."""
    return datetime.now(UTC).replace(tzinfo=None)
