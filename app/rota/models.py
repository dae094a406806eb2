"""The rota's rows: planned shifts people sign up for, and the time a moderator is
actually on shift (`Shift`), which is what decides access to the queue."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import now
from app.web.extensions import db

ENDED = "ended"
STEPPED_OUT = "stepped out"
_OPEN = text("ended_at IS NULL")


class PlannedShift(db.Model):
    """A stretch of the plan (stored in UTC), needing `places` moderators to sign up."""

    __tablename__ = "planned_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    places: Mapped[int] = mapped_column(default=2)
    # Bumped by every sign-up, so two people taking the last place queue on one row lock.
    version: Mapped[int] = mapped_column(default=0)
    sign_ups: Mapped[list["SignUp"]] = relationship(
        back_populates="planned_shift", cascade="all, delete-orphan", order_by="SignUp.id"
    )

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("places BETWEEN 1 AND 20", name="sensible_places"),
    )

    @property
    def hours(self):
        """How long the shift lasts in real hours (a float), across any change of clocks."""
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def has(self, account):
        return account is not None and any(s.account_id == account.id for s in self.sign_ups)


class SignUp(db.Model):
    """A moderator's place on a planned shift."""

    __tablename__ = "sign_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    planned_shift_id: Mapped[int] = mapped_column(
        ForeignKey("planned_shift.id", ondelete="CASCADE")
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    signed_up_at: Mapped[datetime] = mapped_column(default=now)
    planned_shift: Mapped[PlannedShift] = relationship(back_populates="sign_ups")

    __table_args__ = (
        UniqueConstraint("planned_shift_id", "account_id", name="uq_sign_up_one_place_each"),
    )


class Shift(db.Model):
    """One stretch of time a moderator is on shift: within a planned shift they signed up
    for, or as cover (`planned_shift_id` None).

    A shift past `ends_at` is over whether or not `ended_at` was written: `on_shift`
    compares times, so no background job has to end it. How it ended is only ever
    "ended" or "stepped out"; nobody is asked why.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    planned_shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("planned_shift.id", ondelete="SET NULL")
    )
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

    def finished_at(self, at):
        """When the shift stopped counting, as seen at `at`: its end, or `at` while running."""
        return min(self.ended_at or self.ends_at, self.ends_at, max(at, self.started_at))


class RotaSettings(db.Model):
    """The rota's one row of settings coordinators change in the browser."""

    __tablename__ = "rota_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whether a moderator may start, as cover, when nobody is signed up for the hour.
    allow_cover: Mapped[bool] = mapped_column(default=True)


def settings():
    """The rota's settings row (id 1), or an unsaved one with the defaults."""
    return db.session.get(RotaSettings, 1) or RotaSettings(id=1, allow_cover=True)
