"""Reports and the cases they make: one case for all the reports on one post.

A case is open until a moderator decides it; a report made after that opens a new case.
Each report keeps a snapshot of the words as they were when reported, so an edit cannot
hide what was reported; the snapshot is erased when the author deletes the post (unless
the case is open for "may be illegal") and REPORT_SNAPSHOT_DAYS after the decision.
"""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import now
from app.questions.models import Answer, Question
from app.web.extensions import db

_OPEN = text("decided_at IS NULL")


class Case(db.Model):
    """Every report on one post, while the case is open; the unit moderators work on."""

    __tablename__ = "moderation_case"  # "case" is an SQL keyword
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(default=now, index=True)
    # Set when a moderator first opens or claims it: the receipt then says "being read".
    first_read_at: Mapped[datetime | None]
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    claimed_until: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(30))  # the action slug that decided it
    # When this case's reports folded its post away automatically (nobody was on shift);
    # kept after the decision, so the post collapses again only once it is edited.
    collapsed_at: Mapped[datetime | None]
    # Raised on every change; a change made from a stale copy is refused (not left to luck).
    version: Mapped[int] = mapped_column(default=1)

    question: Mapped[Question | None] = relationship()
    answer: Mapped[Answer | None] = relationship()
    reports: Mapped[list["Report"]] = relationship(
        back_populates="case", order_by="Report.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("(question_id IS NULL) <> (answer_id IS NULL)", name="one_post"),
        # At most one open case per post, whoever reports it and however fast.
        Index("uq_moderation_case_open_question", "question_id", unique=True,
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("uq_moderation_case_open_answer", "answer_id", unique=True,
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        {"sqlite_autoincrement": True},
    )  # fmt: skip
    __mapper_args__ = {"version_id_col": version}

    @property
    def post(self):
        return self.question or self.answer

    @staticmethod
    def column_for(post):
        """The column that points a case at `post` (a Question or an Answer)."""
        return Case.answer_id if isinstance(post, Answer) else Case.question_id

    @property
    def state(self):
        """ "waiting", "being-read" or "decided" (the words a receipt's data-state carries)."""
        if self.decided_at is not None:
            return "decided"
        return "being-read" if self.first_read_at is not None else "waiting"


class Report(db.Model):
    """One person's report on one post. Who made it is never stored, only a keyed hash
    that counts one person once per case (the rate limits' daily key, or the account)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_case.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    reporter_key: Mapped[str] = mapped_column(String(64))
    # The same, by network (or account) without the browser's value: automatic collapse
    # counts people by this, so fresh cookies do not make one person several.
    network_key: Mapped[str] = mapped_column(String(64), default="", server_default="")
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # The reported words as they were when reported; erased as the module docstring says.
    snapshot_title: Mapped[str] = mapped_column(Text, default="")
    snapshot_body: Mapped[str] = mapped_column(Text, default="")
    snapshot_notes: Mapped[list] = mapped_column(JSON, default=list)
    snapshot_note_other: Mapped[str] = mapped_column(String(120), default="")
    snapshot_erased_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="reports")

    __table_args__ = (
        # One person's repeated reports on one case count once, even sent at one instant.
        Index("uq_report_case_id_reporter_key", "case_id", "reporter_key", unique=True),
        {"sqlite_autoincrement": True},
    )
