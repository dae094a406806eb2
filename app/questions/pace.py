"""Slow mode: while moderators have slowed a thread, each person may add one perspective
per `Question.slow_mode_minutes` there.

Who "each person" is: a signed-in person by their account (the answers they posted from
it, whatever name they used); the asker by their replies as "the asker"; anyone else by the
rate limits' network key (app.web.ratelimit.network_key: a keyed hash of their network that
changes daily, never an address, and that clearing cookies does not change), kept here
briefly as a SlowModeStep. The count lives in the database,
not in limiter storage, so it holds exactly across any number of servers and workers, and
also where rate limits are switched off: it is a moderator's decision, not a flood limit.

The asker is not exempt: slow mode paces the whole thread, both sides of a heated exchange
alike. An asker who wants quiet can close replies instead.
"""

import math
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import ForeignKey, Index, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.refused import Refused
from app.core.time import local_moment, now
from app.questions.models import Answer
from app.web.extensions import db
from app.web.ratelimit import network_key

MINUTES = (1, 1440)  # the shortest and longest pause a moderator may set


class SlowModeStep(db.Model):
    """One perspective posted in a slowed thread by someone without an account; swept once
    no thread could still be waiting on it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    person_key: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(default=now, index=True)

    __table_args__ = (Index("ix_slow_mode_step_question_id_person_key", "question_id",
                            "person_key"),)  # fmt: skip


class SlowMode(Refused):
    """A second perspective too soon in a slowed thread; says when the person can post."""

    def __init__(self, minutes, allowed_at):
        self.allowed_at = allowed_at
        self.seconds = max(1, math.ceil((allowed_at - now()).total_seconds()))
        when = local_moment(allowed_at, current_app.config["TIMEZONE"])
        wait = math.ceil(self.seconds / 60)
        super().__init__(
            f"This thread is in slow mode: each person can add one perspective every "
            f"{_minutes(minutes)}. You can post again from {when} (in about "
            f"{_minutes(wait)}). Your words are still here, so nothing is lost. This is not "
            "about you or what you wrote."
        )


def _minutes(n):
    return "1 minute" if n == 1 else f"{n} minutes"


def _anonymous_key(author, by_asker):
    if by_asker or author.account_id is not None or not has_request_context():
        return None
    return network_key()


def check(question, author, by_asker=False):
    """Refuse (SlowMode) a perspective from `author` on a slowed `question` when their last
    one there was less than its minutes ago. Reads only."""
    minutes = question.slow_mode_minutes
    if not minutes:
        return
    since = now() - timedelta(minutes=minutes)
    last = _last_post(question, author, by_asker, since)
    if last is not None:
        raise SlowMode(minutes, last + timedelta(minutes=minutes))


def _last_post(question, author, by_asker, since):
    if by_asker:
        mine = Answer.by_asker.is_(True)
    elif author.account_id is not None:
        mine = (Answer.account_id == author.account_id) & Answer.by_asker.is_(False)
    else:
        key = _anonymous_key(author, by_asker)
        if key is None:
            return None
        return db.session.scalar(
            select(func.max(SlowModeStep.posted_at)).where(
                SlowModeStep.question_id == question.id,
                SlowModeStep.person_key == key,
                SlowModeStep.posted_at > since,
            )
        )
    return db.session.scalar(
        select(func.max(Answer.created_at)).where(
            Answer.question_id == question.id, mine, Answer.created_at > since
        )
    )


def record(question, author, by_asker=False):
    """Remember an anonymous person's perspective in a slowed thread, in the caller's
    transaction, and sweep steps older than the longest pause."""
    if not question.slow_mode_minutes:
        return
    key = _anonymous_key(author, by_asker)
    if key is not None:
        db.session.add(SlowModeStep(question_id=question.id, person_key=key))
    db.session.execute(
        delete(SlowModeStep).where(SlowModeStep.posted_at < now() - timedelta(minutes=MINUTES[1]))
    )
