"""Undoing a moderator's decision when an appeal overturns it: one function per action.

`UNDO` maps an action slug to `undo(entry, by)`, which reverses what that log entry's
action did, in the caller's transaction (the appeal's decision and its one log row commit
with it), and returns words for the moderator when something is worth saying, else None.
An undo finds the post as it is now: what is already as the overturn wants it (a hidden
post since restored, replies since reopened) is left alone, and words their author
deleted stay deleted. It raises Refused for what it cannot put right; nothing is kept.

Every action Kettle takes registers its undo here; an action with no undo (one logged
by a later Kettle, say) cannot be overturned (app.moderation.deciding refuses it).
"""

from sqlalchemy import ForeignKey, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.refused import Refused
from app.moderation import cases, log, sanctions
from app.moderation.log import LogEntry
from app.moderation.models import Case
from app.questions import counts
from app.questions import services as posts
from app.questions.models import Answer
from app.web.extensions import db


class AddedNote(db.Model):
    """A content note a moderator's "add-note" action put on a post, so an overturn can take
    off exactly those notes and no others."""

    __tablename__ = "moderation_added_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    log_entry_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_log.id", ondelete="CASCADE"), index=True
    )
    content_note_id: Mapped[int] = mapped_column(ForeignKey("content_note.id", ondelete="CASCADE"))


class CannotUndo(Refused):
    def __init__(self, why):
        super().__init__(f"{why} Nothing was changed; you can uphold the decision instead.")


def remember_notes(entry, notes):
    """Record, in the caller's transaction, that `entry` (an "add-note" LogEntry) added
    `notes` (ContentNote rows) to its post."""
    for note in notes:
        db.session.add(AddedNote(log_entry_id=entry.id, content_note_id=note.id))


def _post_or_refuse(entry):
    post = log.post_of(entry)
    if post is None:
        raise CannotUndo("The post this decision was about is no longer on Kettle.")
    return post


def _unhide(entry, by):
    post = _post_or_refuse(entry)
    if post.is_deleted:
        return "Its author has since deleted the post, so there was nothing to show again."
    if not post.is_hidden:
        return "It was already shown to readers again."
    posts.restore(post, by)
    cases.mark_restored(post)
    return None


def _take_off_notes(entry, by):
    post = _post_or_refuse(entry)
    added = set(
        db.session.scalars(
            select(AddedNote.content_note_id).where(AddedNote.log_entry_id == entry.id)
        )
    )
    if not added:
        raise CannotUndo("Kettle did not record which notes that action added.")
    if post.is_deleted:
        return "Its author has since deleted the post, so it carries no notes now."
    keep = [note for note in post.content_notes if note.id not in added]
    if len(keep) == len(post.content_notes):
        return "Those notes were already gone from the post."
    post.content_notes = keep
    return None


def _reopen_case(entry, by):
    """A dismissal overturned: the case goes back to the queue, waiting to be read again."""
    case = db.session.get(Case, entry.case_id) if entry.case_id is not None else None
    if case is None:
        raise CannotUndo("The case this dismissal decided is no longer on Kettle.")
    post = case.post
    if post is None or post.is_deleted:
        return "Its author has since deleted the post, so there is nothing left to read."
    if case.decided_at is None:
        return "The case is already open again."
    later = exists().where(LogEntry.case_id == case.id, LogEntry.id > entry.id)
    if case.outcome != "dismiss" or db.session.scalar(select(later)):
        raise CannotUndo(
            "Since this dismissal a moderator has decided the case again, so reopening it "
            "would undo their decision."
        )
    column = Case.column_for(post)
    other = db.session.scalar(
        select(Case.id).where(column == post.id, Case.decided_at.is_(None), Case.id != case.id)
    )
    if other is not None:
        return (
            f"The post already has an open case (case {other}), so that one will be read "
            "and this one stays closed."
        )
    case.decided_at = case.outcome = case.first_read_at = None
    case.claimed_by_id = case.claimed_until = None
    try:
        db.session.flush()
    except IntegrityError:  # a new report opened a case at this very moment
        db.session.rollback()
        raise CannotUndo(
            "Someone reported the post again just now, so it already has an open case."
        ) from None
    return None


def _unfold(entry, by):
    """An automatic collapse overturned: readers see the post again; the case stays in the
    queue, since collapsing decided nothing."""
    post = _post_or_refuse(entry)
    if post.is_deleted:
        return "Its author has since deleted the post, so there was nothing to show again."
    if post.collapsed_at is None:
        return "It was already shown to readers again."
    post.collapsed_at = None
    db.session.flush()
    counts.recount(post)
    return None


UNDO = {
    "hide": _unhide,
    "collapse": _unfold,
    "add-note": _take_off_notes,
    "lock": sanctions.undo_lock,
    "dismiss": _reopen_case,
    "slow-mode": sanctions.undo_slow_mode,
    "suspend-pseudonym": sanctions.undo_suspension,
    "suspend-account": sanctions.undo_suspension,
    "warn": sanctions.undo_warning,
}


# A later log entry of these actions on the same post (for lock and slow mode, the same
# thread) replaced what this one did: overturning it would undo someone else's decision.
_REPLACED_BY = {
    "hide": ("hide", "restore"),
    "collapse": ("collapse", "hide", "restore"),
    "lock": ("lock",),
    "slow-mode": ("slow-mode",),
}


def replaced(entry):
    """True when a later decision replaced what `entry` did, so an overturn must not undo
    it (suspensions, warnings and dismissals check their own state in their undo)."""
    kinds = _REPLACED_BY.get(entry.action)
    if not kinds:
        return False
    if entry.action in ("lock", "slow-mode"):
        question = sanctions.question_of_entry(entry)
        if question is None:
            return False
        replies = select(Answer.id).where(Answer.question_id == question.id)
        where = or_(LogEntry.question_id == question.id, LogEntry.answer_id.in_(replies))
    elif entry.question_id is not None:
        where = LogEntry.question_id == entry.question_id
    else:
        where = LogEntry.answer_id == entry.answer_id
    later = exists().where(where, LogEntry.id > entry.id, LogEntry.action.in_(kinds))
    return bool(db.session.scalar(select(later)))


def undo_for(entry):
    """The undo function for a LogEntry's action, or None when it has none."""
    return UNDO.get(entry.action)
