"""Keeper links: stored only as hashes, made and found here. The raw link exists only in the
author's hands."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, delete, exists, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import tokens
from app.core.time import now
from app.questions.models import Answer, Question, Submission
from app.web.extensions import db


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


FEED_PURPOSE = "kettle-feed"


def issue(question=None, answer=None):
    """Attach a new keeper link to one post (in the caller's transaction); returns the raw token."""
    token = tokens.new_token()
    keeper = KeeperToken(token_hash=tokens.token_hash(token), question=question, answer=answer)
    if question is not None:
        keeper.feed_hash = tokens.token_hash(feed_token(token))
    db.session.add(keeper)
    return token


def feed_token(token):
    """The read-only feed secret that belongs to a question's keeper link."""
    return tokens.derived_token(token, FEED_PURPOSE)


def find(token):
    """The keeper for a presented link, or None."""
    return _find_by(KeeperToken.token_hash, token)


def find_by_feed(feed):
    """The keeper whose question a feed URL follows, or None."""
    return _find_by(KeeperToken.feed_hash, feed)


def _find_by(column, token):
    if not token or len(token) > 100:
        return None
    keeper = db.session.scalar(select(KeeperToken).where(column == tokens.token_hash(token)))
    if keeper is None or not tokens.same_hash(getattr(keeper, column.key), token):
        return None
    return keeper


def mark_seen(keeper):
    """Record the author's visit, and commit."""
    keeper.last_seen_at = now()
    db.session.commit()


def _of(post):
    column = KeeperToken.question_id if isinstance(post, Question) else KeeperToken.answer_id
    return column == post.id


def _forget_sealed(post):
    """A sending repeated later must not show a link that no longer works."""
    column = Submission.question_id if isinstance(post, Question) else Submission.answer_id
    db.session.execute(update(Submission).where(column == post.id).values(sealed=None))


def has_link(post):
    """True while some keeper link still manages this post."""
    return bool(db.session.scalar(select(exists().where(_of(post)))))


def replace(keeper, along=None):
    """Swap a keeper link (and its feed) for a new one, and commit; returns the new raw token.

    The old link and feed stop working at once. `along(token)` runs inside the same
    transaction just before its commit (the view seals the new link for the next page).
    """
    token = tokens.new_token()
    keeper.token_hash = tokens.token_hash(token)
    if keeper.question_id is not None:
        keeper.feed_hash = tokens.token_hash(feed_token(token))
    _forget_sealed(keeper.question or keeper.answer)
    if along is not None:
        along(token)
    db.session.commit()
    return token


def retire(post):
    """Retire every keeper link (and feed) of a post kept in an account, and commit."""
    db.session.execute(delete(KeeperToken).where(_of(post)))
    _forget_sealed(post)
    db.session.commit()
