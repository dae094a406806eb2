"""What a moderator does to a case: each action changes the post, decides the case and
writes exactly one public log row, in one transaction; a failure keeps none of them.

Every action needs a rule (app.moderation.rules) and a short public note; a message to
the author is optional and kept apart from both, in its own table, never in the log.
Nothing here deletes words: hiding is reversible, and authors delete their own.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.refused import Refused
from app.core.time import now
from app.moderation import cases, log, reports, reversal, rules
from app.questions import services as posts
from app.questions.models import Question
from app.topics.models import ContentNote
from app.web.extensions import db

AVAILABLE = ("dismiss", "hide", "restore", "add-note", "lock")
NOT_YET = ("slow-mode", "suspend-pseudonym", "suspend-account")
ACTIONS = AVAILABLE + NOT_YET
PUBLIC_NOTE_MAX = 300
AUTHOR_MESSAGE_MAX = 2000


class AuthorMessage(db.Model):
    """A moderator's words to the author about one action: never public, never logged."""

    id: Mapped[int] = mapped_column(primary_key=True)
    log_entry_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_log.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class NotYetAvailable(Refused):
    def __init__(self):
        super().__init__(
            "That action is not available on Kettle yet, so nothing was changed. You can hide "
            "the post now (it is reversible) and note the rest for the next shift."
        )


@dataclass
class Request:
    """What a moderator asked for, from the action form."""

    action: str
    reason: str
    public_note: str
    author_message: str = ""
    content_notes: tuple = ()
    minutes: int | None = None
    version: int | None = None
    # Filled in by "add-note": the notes it added, so an appeal can take off just those.
    added_notes: tuple = ()


def act(case, by, asked):
    """Carry out `asked` (a Request) on `case` as the moderator `by`, and commit.

    Decides the case (decided_at, outcome), releases the claim, and writes one log row,
    all in one commit. Refuses (Refused, nothing kept): an unknown or not-yet-available
    action, a reason that is not a published rule, a missing or over-long public note, a
    decided case (except restoring what a decision hid), someone else's live claim,
    a stale version (Stale), and a change that does not apply to the post.
    """
    _check_request(asked)
    if case.decided_at is not None and not (asked.action == "restore" and case.post.is_hidden):
        raise cases.AlreadyDecided()
    cases.check(case, by, asked.version)
    try:
        target = _DO[asked.action](case, by, asked)
        entry = log.record(
            asked.action, target, rule=asked.reason, public_note=asked.public_note,
            by=by, case=case,
        )  # fmt: skip
        db.session.flush()
        reversal.remember_notes(entry, asked.added_notes)
        if asked.author_message:
            db.session.add(AuthorMessage(log_entry_id=entry.id, text=asked.author_message))
        _decide(case, asked.action)
        db.session.flush()
        reports.erase_expired_snapshots()
    except Exception:
        db.session.rollback()
        raise
    cases.commit_or_stale()
    return entry


def _check_request(asked):
    if asked.action in NOT_YET:
        raise NotYetAvailable()
    if asked.action not in AVAILABLE:
        raise Refused("Please choose one of the actions offered.")
    if asked.reason not in rules.BY_SLUG:
        raise Refused("Please choose the community rule this action rests on.")
    if not asked.public_note or len(asked.public_note) > PUBLIC_NOTE_MAX:
        raise Refused(f"Please write a short public note, up to {PUBLIC_NOTE_MAX} characters.")
    if len(asked.author_message or "") > AUTHOR_MESSAGE_MAX:
        raise Refused(f"A message to the author can be up to {AUTHOR_MESSAGE_MAX} characters.")


def _decide(case, action):
    reports.end_collapse(case)
    case.decided_at, case.outcome = now(), action
    case.claimed_by_id = case.claimed_until = None


def _dismiss(case, by, asked):
    return case.post


def _hide(case, by, asked):
    post = case.post
    if post.is_deleted:
        raise posts.AlreadyDeleted()
    posts.hide(post, by, rules.title(asked.reason))
    return post


def _restore(case, by, asked):
    posts.restore(case.post, by)
    return case.post


def _add_note(case, by, asked):
    post = case.post
    if post.is_deleted:
        raise posts.AlreadyDeleted()
    if not asked.content_notes:
        raise Refused("Please choose the content note to add.")
    chosen = db.session.scalars(
        select(ContentNote).where(ContentNote.slug.in_(asked.content_notes))
    ).all()
    new = [note for note in chosen if note not in post.content_notes]
    if not new:
        raise Refused("The post already carries that content note, so nothing was changed.")
    post.content_notes.extend(new)
    asked.added_notes = tuple(new)
    return post


def _lock(case, by, asked):
    """Close the question's replies; on an answer's case, its question's."""
    post = case.post
    question = post if isinstance(post, Question) else db.session.get(Question, post.question_id)
    if question.replies_closed:
        raise Refused("Replies to this question are already closed, so nothing was changed.")
    # Issue 14's later slice: a moderator's lock the asker cannot reopen (replies_closed_at
    # is the asker's switch too).
    question.replies_closed_at = now()
    return question


_DO = {"dismiss": _dismiss, "hide": _hide, "restore": _restore, "add-note": _add_note,
       "lock": _lock}  # fmt: skip
