"""A moderator's own limits on the rota, which the tools hold for them: at most N shifts
a week, no shifts late at night, and content notes they do not want to review.

They are the person's own, changed only by them, and shown to nobody else; coordinators
see only where a note is left without anyone on shift who can take it (app.rota.gaps).
"""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import CheckConstraint, Column, ForeignKey, Table, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.rota.calendar import local, rota_zone
from app.topics.models import ContentNote
from app.web.extensions import db

# The night a "no shifts after" limit keeps free runs from that hour until this one.
MORNING = 6

rota_opt_out = Table(
    "rota_opt_out",
    db.metadata,
    Column(
        "account_id", ForeignKey("rota_limits.account_id", ondelete="CASCADE"), primary_key=True
    ),
    Column("content_note_id", ForeignKey("content_note.id", ondelete="CASCADE"), primary_key=True),
)


class RotaLimits(db.Model):
    """One moderator's own limits; a missing row, or a None, means no limit of that kind."""

    __tablename__ = "rota_limits"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    shifts_per_week: Mapped[int | None]
    night_from: Mapped[int | None]
    opted_out: Mapped[list[ContentNote]] = relationship(
        secondary=rota_opt_out, order_by=ContentNote.position
    )

    __table_args__ = (
        CheckConstraint("shifts_per_week BETWEEN 1 AND 14", name="sensible_week"),
        CheckConstraint("night_from BETWEEN 0 AND 23", name="an_hour"),
    )


def of(account_id):
    """The moderator's limits, or an unsaved row with none set; commits nothing."""
    found = db.session.get(RotaLimits, account_id)
    return found if found is not None else RotaLimits(account_id=account_id, opted_out=[])


def save(account_id, shifts_per_week, night_from, notes):
    """Set the moderator's own limits (None for no limit; `notes` ContentNote rows they
    will not review) and commit."""
    limits = db.session.get(RotaLimits, account_id) or RotaLimits(account_id=account_id)
    limits.shifts_per_week, limits.night_from = shifts_per_week, night_from
    limits.opted_out = list(notes)
    db.session.add(limits)
    db.session.commit()


def opted_out_ids(account_id):
    """The ids of the content notes the moderator does not review, as a set."""
    stmt = select(rota_opt_out.c.content_note_id).where(rota_opt_out.c.account_id == account_id)
    return set(db.session.scalars(stmt))


def _nights(limits, starts_at, ends_at):
    """The nights (begin, end) in stored UTC that the moderator keeps free, from the day
    before `starts_at` to the day of `ends_at`."""
    zone = rota_zone()
    day = local(starts_at).date() - timedelta(days=1)
    while day <= local(ends_at).date():
        begins = datetime.combine(day, time(limits.night_from), tzinfo=zone)
        ending_day = day if limits.night_from < MORNING else day + timedelta(days=1)
        ends = datetime.combine(ending_day, time(MORNING), tzinfo=zone)
        yield tuple(t.astimezone(UTC).replace(tzinfo=None) for t in (begins, ends))
        day += timedelta(days=1)


def at_night(limits, starts_at, ends_at):
    """True when [starts_at, ends_at) (stored UTC) reaches into the night the moderator keeps
    free: from `night_from` o'clock until 06:00 local, on any day it touches."""
    if limits.night_from is None:
        return False
    return any(starts_at < end and begin < ends_at
               for begin, end in _nights(limits, starts_at, ends_at))  # fmt: skip


def before_night(limits, starts_at, ends_at):
    """`ends_at`, brought forward to the start of the first night the moderator keeps free
    after `starts_at` (which must not itself be in one)."""
    if limits.night_from is None:
        return ends_at
    begins = [begin for begin, _ in _nights(limits, starts_at, ends_at) if begin > starts_at]
    return min([ends_at, *begins])
