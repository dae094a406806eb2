"""How the rota looks after moderators while they review: a count of the hard cases each
has opened this shift, a quiet suggestion to take a break, and private debrief notes.

A case is hard when its post or any reported words it keeps carry content notes, or
someone reported it as "may be illegal". Each hard case a moderator opens counts once per
shift; past ROTA_EXPOSURE_SOFT_LIMIT (default 10) the queue suggests handing over or a
debrief. After ROTA_BREAK_MINUTES (default 30) on shift, or since they last said they had a
break, it suggests five minutes away. Nothing here ever blocks anything, and nothing here
ranks people: coordinators never see the counts or the breaks.

A debrief note is the writer's own: kept for themselves, or sent to the coordinators, who
see it by rota name. It goes with the account when the account is erased.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, Index, Text, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import Account
from app.core.refused import Refused
from app.core.time import iso, now
from app.moderation.reasons import MAY_BE_ILLEGAL
from app.rota import shifts
from app.web.extensions import db

DEBRIEF_MAX = 2000
NOTES_PER_PAGE = 50


class Exposure(db.Model):
    """A hard case one moderator opened during one shift; a case counts once a shift."""

    __tablename__ = "shift_exposure"
    shift_id: Mapped[int] = mapped_column(
        ForeignKey("shift.id", ondelete="CASCADE"), primary_key=True
    )
    # No foreign key: a case erased with its post was still read, so it still counts.
    case_id: Mapped[int] = mapped_column(primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(default=now)


class ShiftBreak(db.Model):
    """When a moderator last said they had a break, during one shift."""

    __tablename__ = "shift_break"
    shift_id: Mapped[int] = mapped_column(
        ForeignKey("shift.id", ondelete="CASCADE"), primary_key=True
    )
    taken_at: Mapped[datetime] = mapped_column(default=now)


class DebriefNote(db.Model):
    """A few words a moderator wrote after a hard case: for themselves, or sent to the
    coordinators (`sent`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    sent: Mapped[bool] = mapped_column(default=False)
    written_at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        Index("ix_debrief_note_account_id_id", "account_id", "id"),
        Index("ix_debrief_note_sent_id", "sent", "id"),
        {"sqlite_autoincrement": True},  # keyset paging never meets a reused id
    )


@dataclass(frozen=True)
class Care:
    """What the queue and case pages say to a moderator on shift about looking after
    themselves."""

    opened: int  # hard cases opened this shift
    soft_limit: int
    break_due: bool

    @property
    def past_limit(self):
        return self.opened > self.soft_limit


def is_hard(case):
    """True when the case's post, or reported words it still keeps, carry content notes,
    or any report on it says "may be illegal". Reads only."""
    for report in case.reports:
        if report.reason == MAY_BE_ILLEGAL:
            return True
        if report.snapshot_erased_at is None and (
            report.snapshot_notes or report.snapshot_note_other
        ):
            return True
    post = case.post
    return post is not None and post.is_noted


def opened(account, case):
    """Count `case` as opened by `account` this shift when it is hard; commits when it adds
    the count. A case already counted this shift, an easy case, or a moderator with no
    running shift changes nothing."""
    shift = shifts.current(account)
    if shift is None or not is_hard(case):
        return
    if db.session.get(Exposure, (shift.id, case.id)) is not None:
        return
    db.session.add(Exposure(shift_id=shift.id, case_id=case.id, opened_at=now()))
    try:
        db.session.commit()
    except IntegrityError:  # the same case opened twice at once: it counts once
        db.session.rollback()


def took_break(account):
    """Record that `account` had a break just now, restarting the break timer of their
    running shift; commits. With no running shift there is nothing to restart."""
    shift = shifts.current(account)
    if shift is None:
        return
    taken = db.session.get(ShiftBreak, shift.id) or ShiftBreak(shift_id=shift.id)
    taken.taken_at = now()
    db.session.add(taken)
    try:
        db.session.commit()
    except IntegrityError:  # pressed twice at once: one break is recorded
        db.session.rollback()


def care(account):
    """The count and break suggestion for `account`'s running shift; None off shift."""
    shift = shifts.current(account)
    if shift is None:
        return None
    config = current_app.config
    count = db.session.scalar(
        select(func.count()).select_from(Exposure).where(Exposure.shift_id == shift.id)
    )
    taken = db.session.get(ShiftBreak, shift.id)
    since = taken.taken_at if taken is not None else shift.started_at
    minutes = config["ROTA_BREAK_MINUTES"]
    due = minutes > 0 and now() - since >= timedelta(minutes=minutes)
    return Care(count, config["ROTA_EXPOSURE_SOFT_LIMIT"], due)


def write_debrief(account, text, send):
    """Keep a debrief note by `account`, sent to the coordinators when `send`; commits.

    Refuses (Refused, field "text") a note with no words or over DEBRIEF_MAX characters.
    """
    if not (text or "").strip():
        raise Refused("Please write a few words, or leave it: a debrief is never needed.",
                      field="text")  # fmt: skip
    if len(text) > DEBRIEF_MAX:
        raise Refused(f"Please keep it to {DEBRIEF_MAX:,} characters.", field="text")
    note = DebriefNote(account_id=account.id, text=text, sent=bool(send), written_at=now())
    db.session.add(note)
    db.session.commit()
    return note


def own_notes(account, before=None):
    """The account's own debrief notes, kept and sent, newest first, a page at a time."""
    stmt = select(DebriefNote).where(DebriefNote.account_id == account.id)
    return _page(stmt, before)


def sent_notes(before=None):
    """Notes sent to the coordinators, newest first, a page at a time, each as
    (note, the writer's rota name or None). Notes kept private never appear here."""
    stmt = (
        select(DebriefNote, Account.rota_name)
        .join(Account, DebriefNote.account_id == Account.id)
        .where(DebriefNote.sent.is_(True))
    )
    return [tuple(row) for row in _page(stmt, before, rows=True)]


def _page(stmt, before, rows=False):
    if before is not None:
        stmt = stmt.where(DebriefNote.id < before)
    stmt = stmt.order_by(DebriefNote.id.desc()).limit(NOTES_PER_PAGE)
    return db.session.execute(stmt).all() if rows else db.session.scalars(stmt).all()


def has_notes(account):
    """True when the account wrote any debrief note (so it may still read its own)."""
    stmt = select(DebriefNote.id).where(DebriefNote.account_id == account.id).limit(1)
    return db.session.scalar(stmt) is not None


def forget(account, note_id):
    """Erase one of `account`'s own debrief notes; commits. Another's note, or one that
    is gone already, is left as it is; returns whether a note was erased."""
    done = db.session.execute(
        delete(DebriefNote).where(DebriefNote.id == note_id, DebriefNote.account_id == account.id)
    )
    db.session.commit()
    return done.rowcount > 0


def erase_for(account):
    """Erase every debrief note `account` wrote, in the caller's transaction (with the
    account, by app.your_account). The counts and breaks go with its shifts."""
    db.session.execute(delete(DebriefNote).where(DebriefNote.account_id == account.id))


def export_notes(account):
    """The account's debrief notes as plain data for its export, oldest first."""
    notes = db.session.scalars(
        select(DebriefNote).where(DebriefNote.account_id == account.id).order_by(DebriefNote.id)
    )
    return [
        {"text": n.text, "written_at": iso(n.written_at), "sent_to_coordinators": n.sent}
        for n in notes
    ]
