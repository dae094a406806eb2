"""One clock for Kettle, in UTC."""

from datetime import UTC, datetime


def now():
    """The current time in UTC, stored without tzinfo so SQLite and PostgreSQL agree."""
    return datetime.now(UTC).replace(tzinfo=None)
