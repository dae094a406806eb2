"""Questions and the perspectives (answers) people offer on them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Pseudonym
from app.core.time import now
from app.questions import visibility
from app.topics.models import ContentNote, Topic
from app.web.extensions import db

question_content_notes = Table(
    "question_content_note",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("content_note_id", ForeignKey("content_note.id", ondelete="CASCADE"), primary_key=True),
)
answer_content_notes = Table(
    "answer_content_note",
    db.metadata,
    Column("answer_id", ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True),
    Column("content_note_id", ForeignKey("content_note.id", ondelete="CASCADE"), primary_key=True),
)


class Post:
    """What questions and answers share: words, their notes, and their life."""

    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    content_note_other: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Moderators hide reversibly: nothing a moderator does deletes words.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(200))
    # Folded away pending review, automatically, when enough people reported it while no
    # moderator was on shift (app.moderation.reports); a moderator's decision ends it.
    collapsed_at: Mapped[datetime | None]
    # Who may manage the post while signed in; never shown. Null for posts made signed out.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    # The public name it was posted as; null means anonymous.
    pseudonym_id: Mapped[int | None] = mapped_column(
        ForeignKey("pseudonym.id", ondelete="SET NULL"), index=True
    )

    @property
    def is_noted(self):
        return bool(self.content_notes or self.content_note_other)

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @property
    def is_collapsed(self):
        return self.collapsed_at is not None

    @property
    def is_visible(self):
        """True when any reader may read its words: not deleted, and not held back by
        moderation (see app.questions.visibility, the one rule)."""
        return visibility.is_visible(self)


class Question(Post, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    title: Mapped[str] = mapped_column(String(200))
    # The asker's switch: they may close and reopen replies from the keeper page.
    replies_closed_at: Mapped[datetime | None]
    # A moderator's lock: no new perspectives, and the asker cannot reopen it.
    locked_at: Mapped[datetime | None]
    # Slow mode: each person may add one perspective per this many minutes (app.questions.pace).
    slow_mode_minutes: Mapped[int | None]
    # Kept by the answer services, so lists never count rows per question.
    perspective_count: Mapped[int] = mapped_column(default=0)

    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
    pseudonym: Mapped[Pseudonym | None] = relationship(lazy="joined")
    content_notes: Mapped[list[ContentNote]] = relationship(
        secondary=question_content_notes, lazy="selectin", order_by=ContentNote.position
    )

    __table_args__ = (
        Index("ix_question_topic_id_id", "topic_id", "id"),
        Index("ix_question_perspective_count_id", "perspective_count", "id"),
        {"sqlite_autoincrement": True},  # an erased question's id never names another
    )

    @property
    def replies_closed(self):
        """True when the thread takes no new perspectives: the asker closed it, a moderator
        locked it, or the asker removed it."""
        return self.replies_closed_at is not None or self.is_locked or self.is_deleted

    @property
    def is_locked(self):
        return self.locked_at is not None


class Answer(Post, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(30))
    by_asker: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(lazy="raise")
    pseudonym: Mapped[Pseudonym | None] = relationship(lazy="joined")
    content_notes: Mapped[list[ContentNote]] = relationship(
        secondary=answer_content_notes, lazy="selectin", order_by=ContentNote.position
    )

    __table_args__ = (
        Index("ix_answer_question_id_id", "question_id", "id"),
        {"sqlite_autoincrement": True},
    )


class Submission(db.Model):
    """One sending of a posting form, kept briefly so that sending it again stores nothing new.

    The id hashes this browser's secret, the form's key, and where and what was sent; a
    keeper link is kept only XORed with a pad derived from the same, so the row alone
    reveals nothing, and nobody without that browser's session can call it up.
    """

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)


class VisibilityChange(db.Model):
    """The record of one post hidden or restored: by whom, when and why.

    Written in the same transaction as the change itself (questions.services.hide and
    restore). Never shown to readers (the public moderation log will name the rule, not the
    account); it holds a moderator's reason, never the post's words.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    change: Mapped[str] = mapped_column(String(10))  # "hidden" or "restored"
    reason: Mapped[str | None] = mapped_column(String(200))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (
        CheckConstraint(
            "(question_id IS NULL) <> (answer_id IS NULL)", name="records_exactly_one_post"
        ),
        CheckConstraint("change IN ('hidden', 'restored')", name="known_change"),
    )

    @classmethod
    def of(cls, post, change, by, reason=None):
        """A record for `post` (a Question or Answer), made by the account `by` (or None)."""
        which = {"answer_id" if isinstance(post, Answer) else "question_id": post.id}
        return cls(change=change, reason=reason, by_id=by.id if by else None, **which)
