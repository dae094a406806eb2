"""A moderator's shift: when it started, when it must end, and how it ended."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import now
from app.web.extensions import db

ENDED = "ended"
STEPPED_OUT = "stepped out"
_OPEN = text("ended_at IS NULL")


class Shift(db.Model):
    """One stretch of time a moderator is on the rota.

    A shift past `ends_at` is over whether or not `ended_at` was written: `on_shift`
    compares times, so no background job has to end it. How it ended is only ever
    "ended" or "stepped out"; nobody is asked why.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=now)
    ends_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_how: Mapped[str | None] = mapped_column(String(12))

    __table_args__ = (
        CheckConstraint(f"ended_how IN ('{ENDED}', '{STEPPED_OUT}')", name="known_ending"),
        CheckConstraint("ends_at > started_at", name="ends_after_start"),
        # One unfinished shift per moderator, however fast "Start" is pressed twice.
        Index("uq_shift_open_account", "account_id", unique=True,
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_shift_ends_at", "ends_at"),
    )  # fmt: skip

    def is_running(self, at):
        """True while the shift has begun, has not been ended, and is before its end."""
        return self.ended_at is None and self.started_at <= at < self.ends_at
