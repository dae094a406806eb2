"""Appeals: an author asks for another look at a moderator's decision on their post, or a
reporter at the dismissal of their report (DESIGN.md principle 6).

Once per decision for its author, once per report for a reporter, within APPEAL_DAYS
(183, six months) of the decision, in up to APPEAL_MAX characters. Who appealed is never
stored beyond that: an author's appeal names no one (the keeper link or account that sent
it is not kept), a reporter's names only their report. A moderator other than the one who
decided hears it (app.moderation.deciding); the appeal's words and the answer to it are
never public, and only the person who appealed reads the answer.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.refused import Refused
from app.core.time import now
from app.moderation.log import LogEntry
from app.moderation.outcomes import DISMISS
from app.questions.models import Answer, Question
from app.web.extensions import db

APPEAL_MAX = 2000
UPHOLD, OVERTURN = "uphold", "overturn"
DECISIONS = (UPHOLD, OVERTURN)
# The log rows deciding an appeal writes (their wording is in app.moderation.log.DONE).
LOGGED = {UPHOLD: "appeal-upheld", OVERTURN: "appeal-overturned"}
# Log rows that are not decisions about a post's author, so nothing an author appeals.
NOT_FOR_AUTHORS = frozenset({DISMISS, "restore", *LOGGED.values()})
_BY_AUTHOR = text("report_id IS NULL")


class Appeal(db.Model):
    """One appeal against one logged decision, and once heard, its outcome."""

    __tablename__ = "appeal"
    id: Mapped[int] = mapped_column(primary_key=True)
    log_entry_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_log.id", ondelete="CASCADE"), index=True
    )
    # Set for a reporter's appeal against a dismissal; None for the post's author.
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    decision: Mapped[str | None] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text, default="")  # to the person who appealed

    entry: Mapped[LogEntry] = relationship()

    __table_args__ = (
        CheckConstraint("decision IN ('uphold', 'overturn')", name="known_decision"),
        CheckConstraint("(decision IS NULL) = (decided_at IS NULL)", name="decided_whole"),
        # An author appeals each decision once, even sending twice at one instant.
        Index("uq_appeal_author_entry", "log_entry_id", unique=True,
              sqlite_where=_BY_AUTHOR, postgresql_where=_BY_AUTHOR),
        {"sqlite_autoincrement": True},
    )  # fmt: skip

    @property
    def by_reporter(self):
        return self.report_id is not None

    @property
    def state(self):
        """ "waiting", "upheld" or "overturned"."""
        if self.decision is None:
            return "waiting"
        return "overturned" if self.decision == OVERTURN else "upheld"


class AlreadyAppealed(Refused):
    def __init__(self):
        super().__init__(
            "You have already appealed this decision, so nothing new was sent. Your first "
            "appeal stands, and its outcome will show here."
        )


class TooLate(Refused):
    def __init__(self):
        super().__init__(
            "The time to appeal this decision (six months) has passed, so nothing was sent."
        )


class NothingToAppeal(Refused):
    def __init__(self):
        super().__init__(
            "There is no moderator's decision here to appeal, so nothing was sent.",
        )


class Unwritten(Refused):
    def __init__(self):
        super().__init__(
            f"Please say in a few words why the decision should change, in up to "
            f"{APPEAL_MAX:,} characters. Nothing was sent.",
            field="text",
        )


def _window():
    return timedelta(days=current_app.config["APPEAL_DAYS"])


def open_until(entry):
    """The last moment a decision (a LogEntry) can be appealed."""
    return entry.at + _window()


def still_open(entry, at=None):
    """True while the decision can still be appealed."""
    return (at or now()) <= open_until(entry)


def by_author_of(entry_ids):
    """The authors' appeals against these log entries, by entry id. Reads only."""
    if not entry_ids:
        return {}
    found = db.session.scalars(
        select(Appeal).where(Appeal.log_entry_id.in_(entry_ids), Appeal.report_id.is_(None))
    )
    return {appeal.log_entry_id: appeal for appeal in found}


def _check(entry, words):
    if entry is None:
        raise NothingToAppeal()
    if not words or len(words) > APPEAL_MAX:
        raise Unwritten()
    if not still_open(entry):
        raise TooLate()


def _store(appeal):
    """Add the appeal and commit; a second appeal at the same instant loses to the unique
    keys and is refused kindly."""
    db.session.add(appeal)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAppealed() from None
    return appeal


def by_author(entry, words):
    """Store the post's author's appeal against `entry` (a LogEntry on their post, which the
    caller found among the post's statements) and commit.

    Refuses: NothingToAppeal for no entry or one no author appeals (a dismissal, a
    restoration, an appeal's own log row); Unwritten for empty or over-long words (already
    cleaned); TooLate after APPEAL_DAYS; AlreadyAppealed for a second appeal against it.
    """
    if entry is not None and entry.action in NOT_FOR_AUTHORS:
        raise NothingToAppeal()
    _check(entry, words)
    if entry.id in by_author_of([entry.id]):
        raise AlreadyAppealed()
    return _store(Appeal(log_entry_id=entry.id, text=words))


def dismissal_of(report):
    """The log entry that dismissed the report's case, while that is how it was decided."""
    case = report.case
    if case.decided_at is None or case.outcome != DISMISS:
        return None
    return db.session.scalar(
        select(LogEntry)
        .where(LogEntry.case_id == case.id, LogEntry.action == DISMISS)
        .order_by(LogEntry.id.desc())
        .limit(1)
    )


def of_report(report):
    """The reporter's appeal sent from this report's receipt, or None."""
    return db.session.scalar(select(Appeal).where(Appeal.report_id == report.id))


@dataclass(frozen=True)
class OnReceipt:
    """What a receipt says about appealing: the reporter's appeal once sent; until then,
    while the report's case stands dismissed, until when they may send one."""

    appeal: Appeal | None = None
    open_until: datetime | None = None
    too_late: bool = False


def on_receipt(report):
    """What the receipt for `report` says about appealing. Reads only."""
    appeal = of_report(report)
    if appeal is not None:
        return OnReceipt(appeal=appeal)
    entry = dismissal_of(report)
    if entry is None:
        return OnReceipt()
    if not still_open(entry):
        return OnReceipt(too_late=True)
    return OnReceipt(open_until=open_until(entry))


def by_reporter(report, words):
    """Store a reporter's appeal against the dismissal of their report's case, and commit.

    Refuses AlreadyAppealed when this report was appealed already (once per report, even
    sent twice at one instant), NothingToAppeal while its case is not decided as dismissed,
    Unwritten and TooLate as `by_author` does.
    """
    if of_report(report) is not None:
        raise AlreadyAppealed()
    entry = dismissal_of(report)
    _check(entry, words)
    return _store(Appeal(log_entry_id=entry.id, report_id=report.id, text=words))


def waiting():
    """Appeals nobody has decided yet, oldest first, each with its log entry. Reads only."""
    return db.session.execute(
        select(Appeal, LogEntry)
        .join(LogEntry, Appeal.log_entry_id == LogEntry.id)
        .where(Appeal.decided_at.is_(None))
        .order_by(Appeal.id)
    ).all()


def by_author_with_account(account):
    """(Appeal, LogEntry) for every appeal against a decision on a post the account wrote,
    oldest first: for the account's export. Reads only."""
    questions = select(Question.id).where(Question.account_id == account.id)
    answers = select(Answer.id).where(Answer.account_id == account.id)
    return db.session.execute(
        select(Appeal, LogEntry)
        .join(LogEntry, Appeal.log_entry_id == LogEntry.id)
        .where(
            Appeal.report_id.is_(None),
            or_(LogEntry.question_id.in_(questions), LogEntry.answer_id.in_(answers)),
        )
        .order_by(Appeal.id)
    ).all()


def get(appeal_id):
    """The appeal with this id, or None."""
    return db.session.get(Appeal, appeal_id)
