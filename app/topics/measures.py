"""Measures a coordinator sets for a while during a raid: new questions paused in one
topic, posting limits tightened, or the automatic-collapse threshold lowered.

A measure runs from `started_at` until `ends_at`, unless a coordinator lifts it early
(`lifted_at`). It ends by itself: every reader here compares times, so no job has to
end it, and every server sees the same rows, so a measure set on one server holds on all
of them from their next request. Setting and lifting (with their log rows) live in
app.moderation.raids; this low layer only stores and reads, so asking (app.questions),
the rate limiter (app.web, through a hook) and automatic collapse can all ask it.
"""

from datetime import datetime

from flask import g
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import now
from app.topics.models import Topic
from app.web.extensions import db

PAUSE_QUESTIONS = "pause-questions"
TIGHTEN_LIMITS = "tighten-limits"
LOWER_COLLAPSE = "lower-collapse"
KINDS = (PAUSE_QUESTIONS, TIGHTEN_LIMITS, LOWER_COLLAPSE)


class RaidMeasure(db.Model):
    """One measure: which kind, in which topic (pauses only), with which number (the
    limits' factor or the collapse threshold), who set it, and when it ends."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    value: Mapped[int | None]
    started_at: Mapped[datetime] = mapped_column(default=now)
    ends_at: Mapped[datetime]
    lifted_at: Mapped[datetime | None]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    topic: Mapped[Topic | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("kind IN ('pause-questions', 'tighten-limits', 'lower-collapse')",
                        name="known_kind"),
        CheckConstraint("(kind = 'pause-questions') = (topic_id IS NOT NULL)",
                        name="topic_only_for_pause"),
        CheckConstraint("ends_at > started_at", name="ends_after_start"),
        # Every reader asks only for measures ending after now: a handful of rows at most.
        Index("ix_raid_measure_ends_at", "ends_at"),
    )  # fmt: skip

    def is_running(self, at):
        return self.lifted_at is None and self.started_at <= at < self.ends_at


def running_where(kind, at):
    """Conditions for measures of `kind` running at `at`, for a select or an update."""
    return (
        RaidMeasure.kind == kind,
        RaidMeasure.lifted_at.is_(None),
        RaidMeasure.started_at <= at,
        RaidMeasure.ends_at > at,
    )


def running():
    """Every measure running now, soonest to end first, with its topic. Reads only."""
    at = now()
    stmt = select(RaidMeasure).where(
        RaidMeasure.lifted_at.is_(None), RaidMeasure.started_at <= at, RaidMeasure.ends_at > at
    )
    return db.session.scalars(stmt.order_by(RaidMeasure.ends_at, RaidMeasure.id)).all()


def paused_until(topic_id):
    """When new questions in the topic may be asked again, or None when they may be now.
    One indexed query."""
    stmt = select(func.max(RaidMeasure.ends_at)).where(
        *running_where(PAUSE_QUESTIONS, now()), RaidMeasure.topic_id == topic_id
    )
    return db.session.scalar(stmt)


def limit_factor():
    """How many times over a post counts against the posting limits now: 1 normally, the
    factor while limits are tightened.

    One cheap indexed query per request that asks (remembered in flask.g for the rest of
    that request, since the limiter asks more than once); nothing is cached between
    requests, so a measure set or lifted on any server holds on every server at once.
    """
    if "kettle_limit_factor" not in g:
        stmt = select(func.max(RaidMeasure.value)).where(*running_where(TIGHTEN_LIMITS, now()))
        g.kettle_limit_factor = max(1, db.session.scalar(stmt) or 1)
    return g.kettle_limit_factor


def collapse_threshold(configured):
    """How many different people's reports collapse a post out of hours now: the lowered
    number while a measure runs (even where `configured` is 0, off), else `configured`.
    One indexed query."""
    stmt = select(func.min(RaidMeasure.value)).where(*running_where(LOWER_COLLAPSE, now()))
    lowered = db.session.scalar(stmt)
    if lowered is None:
        return configured
    return lowered if configured < 1 else min(lowered, configured)
