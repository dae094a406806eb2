"""One clock for Kettle, in UTC."""

from datetime import UTC, datetime


def iso(moment):
    """A stored UTC time as ISO 8601 with its zone, for JSON, feeds and <time>; None stays None."""
    return moment.isoformat() + "Z" if moment else None


def now():
    """The current time in UTC, stored without tzinfo so SQLite and PostgreSQL agree."""
    return datetime.now(UTC).replace(tzinfo=None)
