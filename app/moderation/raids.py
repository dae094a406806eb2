"""During a raid a coordinator can, for a set time: pause new questions in one topic,
tighten the limits on asking and answering, or lower how many reports fold a post away
while nobody is on shift. Each is set, or lifted early, with one public log row in the
same transaction; each function here commits once.

A measure ends by itself at its time (app.topics.measures compares times), so nothing
is logged then; the log row that set it already says until when. Setting a measure of a
kind (in a topic) that is running replaces the running one.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from app.core.refused import Refused
from app.core.time import now
from app.moderation import log
from app.topics import measures
from app.topics.measures import LOWER_COLLAPSE, PAUSE_QUESTIONS, TIGHTEN_LIMITS, RaidMeasure
from app.web.extensions import db

HOURS = (1, 6, 24)
FACTORS = (2, 4)
# When automatic collapse is off (a threshold of 0), a raid may still turn it on this low.
COLLAPSE_MOST = 5
LIFTED = {PAUSE_QUESTIONS: "questions-resumed", TIGHTEN_LIMITS: "limits-restored",
          LOWER_COLLAPSE: "collapse-restored"}  # fmt: skip
ALREADY_ENDED = "That measure has already ended, so there is nothing to lift."


def _for(hours):
    return "for 1 hour" if hours == 1 else f"for {hours} hours"


def collapse_choices():
    """The numbers of reports a coordinator may lower the collapse threshold to now."""
    configured = current_app.config["REPORT_COLLAPSE_THRESHOLD"]
    return list(range(1, configured if configured >= 1 else COLLAPSE_MOST + 1))


def _set(kind, by, hours, action, note, topic=None, value=None):
    """Replace any running measure of `kind` (in `topic`) with a new one for `hours`, log
    it and commit. Raises Refused naming "hours" for a length not in HOURS."""
    if hours not in HOURS:
        raise Refused("Please choose 1, 6 or 24 hours.", field="hours")
    at = now()
    same = (*measures.running_where(kind, at),)
    if topic is not None:
        same = (*same, RaidMeasure.topic_id == topic.id)
    replaced = db.session.execute(update(RaidMeasure).where(*same).values(lifted_at=at))
    if replaced.rowcount:  # the log's earlier row said "until"; this one says what changed
        note = f"This replaces the measure set before. {note}"
    measure = RaidMeasure(kind=kind, topic=topic, value=value, started_at=at,
                          ends_at=at + timedelta(hours=hours), set_by_id=by.id)  # fmt: skip
    db.session.add(measure)
    log.record_coordination(action, by, f"{note} {_for(hours).capitalize()}.",
                            until=measure.ends_at)  # fmt: skip
    db.session.commit()
    return measure


def pause_questions(topic, hours, by):
    """Refuse new questions in `topic` for `hours` (asking elsewhere goes on); logs it and
    commits. Raises Refused naming "hours" as _set does."""
    note = f"New questions in \u201c{topic.name}\u201d are paused."
    return _set(PAUSE_QUESTIONS, by, hours, "questions-paused", note, topic=topic)


def tighten_limits(factor, hours, by):
    """Make every question and perspective count `factor` times against the posting limits
    for `hours` (app.web.ratelimit.posting_cost); logs it and commits. Raises Refused
    naming "factor" for a factor not in FACTORS, "hours" as _set does."""
    if factor not in FACTORS:
        raise Refused("Please choose to halve the limits or divide them by 4.", field="factor")
    note = f"The limits on asking and answering are divided by {factor}."
    return _set(TIGHTEN_LIMITS, by, hours, "limits-tightened", note, value=factor)


def lower_collapse(threshold, hours, by):
    """Fold a post away, while nobody is on shift, once `threshold` different people have
    reported it, for `hours`; logs it and commits. Raises Refused naming "threshold" for
    a number not in collapse_choices(), "hours" as _set does."""
    if threshold not in collapse_choices():
        raise Refused("Please choose a number lower than the usual one.", field="threshold")
    people = "1 person" if threshold == 1 else f"{threshold} different people"
    note = (f"While nobody is on shift, a post reported by {people} is folded away until a "
            "moderator reads the reports.")  # fmt: skip
    return _set(LOWER_COLLAPSE, by, hours, "collapse-lowered", note, value=threshold)


def lift(measure_id, by):
    """End a running measure now, earlier than planned; logs it and commits. Raises Refused
    (ALREADY_ENDED) when it is not running, ended by time or by another coordinator."""
    measure = db.session.get(RaidMeasure, measure_id)
    at = now()
    if measure is None or not measure.is_running(at):
        raise Refused(ALREADY_ENDED)
    lifting = (
        update(RaidMeasure)
        .where(RaidMeasure.id == measure.id, RaidMeasure.lifted_at.is_(None))
        .values(lifted_at=at)
    )
    if db.session.execute(lifting).rowcount != 1:  # another coordinator lifted it just now
        db.session.rollback()
        raise Refused(ALREADY_ENDED)
    note = f"\u201c{measure.topic.name}\u201d takes new questions again." if measure.topic else ""
    log.record_coordination(LIFTED[measure.kind], by, note)
    db.session.commit()
    return measure
