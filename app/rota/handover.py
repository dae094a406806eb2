"""Handover notes: what one shift leaves for the next (DESIGN.md principle 5).

A moderator writes one while on shift, or within WRITE_AFTER of their shift ending (the
rota page offers it after stepping out): what is going on, threads to watch, in plain
text of up to HANDOVER_MAX characters. Only moderators on shift and coordinators read
them, the author shown by rota name only. Each moderator on shift sees the notes they
have not read first; reading marks them read for that reader alone. A coordinator who is
not on shift reads without marking anything: they are not the next shift.

A note is erased (its row deleted, its words gone) HANDOVER_DAYS after it was written,
checked whenever notes are listed or written, so no background job is needed; and with
its author's account (app.your_account calls `erase_by`).
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, Text, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import Account
from app.core.cleaning import visible_length
from app.core.refused import Refused
from app.core.time import now
from app.rota import shifts
from app.rota.models import Shift
from app.web.extensions import db

HANDOVER_MAX = 2000
# How long after a shift ends its moderator may still leave a note for the next one.
WRITE_AFTER = timedelta(minutes=30)
EMPTY = "Please write a few words for the next moderators. A note is optional: you can simply go."
TOO_LONG = "Please keep a handover note to {limit:,} characters. It is {size:,} long now."
NOT_NOW = (
    "Handover notes are written by moderators on shift, or just after their shift ends. "
    "Nothing was saved."
)


class HandoverNote(db.Model):
    """One note left by a moderator for the shifts after theirs."""

    __tablename__ = "handover_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(default=now, index=True)

    __table_args__ = ({"sqlite_autoincrement": True},)  # an erased note's id names no other


class HandoverRead(db.Model):
    """That one reader has read one note; a note without a mark is new to them."""

    __tablename__ = "handover_read"
    note_id: Mapped[int] = mapped_column(
        ForeignKey("handover_note.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    read_at: Mapped[datetime] = mapped_column(default=now)


@dataclass(frozen=True)
class Shown:
    """A note as a reader sees it: its words, when, the author's rota name, and whether
    it is new to this reader."""

    id: int
    body: str
    written_at: datetime
    by: str
    new: bool


def _cutoff():
    return now() - timedelta(days=current_app.config["HANDOVER_DAYS"])


def erase_expired():
    """Delete notes written more than HANDOVER_DAYS ago, and their read marks, in the
    caller's transaction. Returns how many notes went; touches nothing when none are due."""
    old = db.session.scalars(
        select(HandoverNote.id).where(HandoverNote.written_at < _cutoff())
    ).all()
    if old:
        _delete(old)
    return len(old)


def erase_by(account):
    """Delete every note `account` wrote, and every read mark of theirs, in the caller's
    transaction (their account is being erased)."""
    written = select(HandoverNote.id).where(HandoverNote.author_id == account.id)
    _delete(db.session.scalars(written).all())
    db.session.execute(delete(HandoverRead).where(HandoverRead.account_id == account.id))


def _delete(note_ids):
    db.session.execute(delete(HandoverRead).where(HandoverRead.note_id.in_(note_ids)))
    db.session.execute(delete(HandoverNote).where(HandoverNote.id.in_(note_ids)))


def just_ended(account):
    """True when a shift of the account's ended (stepped out of, or run to its end)
    within the last WRITE_AFTER, and no shift of theirs is running now."""
    if account is None or shifts.current(account) is not None:
        return False
    at = now()
    ended = func.coalesce(Shift.ended_at, Shift.ends_at)
    stmt = select(Shift.id).where(
        Shift.account_id == account.id, ended <= at, ended >= at - WRITE_AFTER
    )
    return db.session.scalar(stmt.limit(1)) is not None


def may_read(account):
    """Coordinators, and moderators while on shift, read handover notes."""
    return account is not None and (account.has_role("coordinator") or shifts.on_shift(account))


def may_write(account):
    """A moderator on shift, or one whose shift ended within WRITE_AFTER, may write one."""
    return (
        account is not None
        and account.has_role("moderator")
        and (shifts.on_shift(account) or just_ended(account))
    )


def write(account, body):
    """Store `body` as a handover note by `account`, read already by its author, erase
    expired notes, and commit. Returns the note.

    Raises Refused (no field) when `account` may not write one now (`may_write`), and
    Refused naming "body" when the note is empty or longer than HANDOVER_MAX.
    """
    if not may_write(account):
        raise Refused(NOT_NOW)
    body = (body or "").strip()
    if not visible_length(body):
        raise Refused(EMPTY, field="body")
    if len(body) > HANDOVER_MAX:
        raise Refused(TOO_LONG.format(limit=HANDOVER_MAX, size=len(body)), field="body")
    erase_expired()
    note = HandoverNote(author_id=account.id, body=body, written_at=now())
    db.session.add(note)
    db.session.flush()
    db.session.add(HandoverRead(note_id=note.id, account_id=account.id))
    db.session.commit()
    return note


def _shown(reader, only_new=False):
    """The notes still kept, for `reader`: new to them first, newest first within each."""
    unread = HandoverRead.note_id.is_(None)
    stmt = (
        select(HandoverNote, Account.rota_name, unread)
        .join(Account, Account.id == HandoverNote.author_id)
        .outerjoin(
            HandoverRead,
            (HandoverRead.note_id == HandoverNote.id) & (HandoverRead.account_id == reader.id),
        )
        .where(HandoverNote.written_at >= _cutoff())
        .order_by(unread.desc(), HandoverNote.written_at.desc(), HandoverNote.id.desc())
    )
    if only_new:
        stmt = stmt.where(unread)
    return [
        Shown(note.id, note.body, note.written_at, rota_name or "A moderator", bool(new))
        for note, rota_name, new in db.session.execute(stmt)
    ]


def read(reader):
    """Every note kept, as `reader` sees it (Shown, new to them first, newest first),
    after erasing expired ones; the new ones are then marked read for a moderator on
    shift (a coordinator off shift marks nothing). Commits. The caller checks `may_read`.
    """
    erase_expired()
    notes = _shown(reader)
    if shifts.on_shift(reader):
        marks = [HandoverRead(note_id=n.id, account_id=reader.id) for n in notes if n.new]
        db.session.add_all(marks)
    else:
        notes = [replace(note, new=False) for note in notes]
    try:
        db.session.commit()
    except IntegrityError:  # the same reader, in two tabs at once: marked read either way
        db.session.rollback()
    return notes


def unread(reader):
    """The notes new to `reader`, newest first, after erasing expired ones (committed
    only when some were). Marks nothing."""
    if erase_expired():
        db.session.commit()
    return _shown(reader, only_new=True)


def written_by(account):
    """The notes `account` wrote that are still kept, newest first: for their export."""
    stmt = select(HandoverNote).where(HandoverNote.author_id == account.id)
    return db.session.scalars(stmt.order_by(HandoverNote.written_at.desc())).all()
