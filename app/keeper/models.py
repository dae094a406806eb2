"""The stored half of a keeper link: only hashes, never the link itself."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import now
from app.extensions import db
from app.questions.models import Answer, Question


class KeeperToken(db.Model):
    """Grants whoever holds the link the author's powers over one question or answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    feed_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime | None]

    question: Mapped[Question | None] = relationship()
    answer: Mapped[Answer | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(question_id IS NULL) <> (answer_id IS NULL)", name="keeps_exactly_one_post"
        ),
        {"sqlite_autoincrement": True},
    )
