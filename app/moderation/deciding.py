"""Hearing an appeal: a moderator other than the one who decided upholds or overturns it.

Deciding writes the outcome, any undoing of the decision (app.moderation.reversal) and
exactly one public log row in one transaction; a failure keeps none of them. The log row
says what happened to the appeal, never its words or the message to the person.
"""

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from app.core.refused import Refused
from app.core.time import local_day, now
from app.moderation import log, notices, reversal, routing
from app.moderation.appeals import APPEAL_MAX, DECISIONS, LOGGED, OVERTURN, Appeal
from app.moderation.models import Case
from app.web.extensions import db

MESSAGE_MAX = APPEAL_MAX


class BadDecision(Refused):
    """What the moderator sent cannot be read as a decision (400)."""

    status = 400


class NotYours(Refused):
    """This moderator may not decide this appeal (403)."""

    status = 403


class CannotDecide(Refused):
    """The appeal cannot be decided this way now (409)."""

    status = 409


YOUR_DECISION = (
    "You made the decision this appeal is about, so another moderator on the rota hears "
    "it. Nothing was changed."
)
STALE = (
    "Another moderator changed this case at the same moment, so nothing was changed. "
    "Please look at the appeal again."
)
YOUR_POST = (
    "This appeal is about something you wrote, so another moderator on the rota hears it. "
    "Nothing was changed."
)


KEPT_FROM_YOU = (
    "This appeal is about a post carrying a content note you chose not to review, so "
    "another moderator on the rota hears it. Nothing was changed."
)


def why_not(entry, account, post_author_id, kept=None):
    """None when `account` may decide an appeal against `entry`, whose post the account
    `post_author_id` wrote (None: anonymous); else why not, in words. Nobody hears an
    appeal against their own decision (as the one who acted or the second moderator who
    approved it), one about their own post, or one whose case carries a note they chose
    not to review (`kept`: the case ids kept from them, worked out here when None)."""
    deciders = {entry.moderator_id, entry.second_moderator_id} - {None}
    if account.id in deciders:
        return YOUR_DECISION
    if post_author_id is not None and post_author_id == account.id:
        return YOUR_POST
    if entry.case_id is not None:
        if kept is None:
            kept = routing.kept_case_ids([entry.case_id], account)
        if entry.case_id in kept:
            return KEPT_FROM_YOU
    return None


def _author_id(entry):
    post = log.post_of(entry)
    return post.account_id if post is not None else None


def _check(appeal, by, decision, message):
    refused = why_not(appeal.entry, by, _author_id(appeal.entry))
    if refused:
        raise NotYours(refused)
    if appeal.decided_at is not None:
        raise CannotDecide("This appeal is already decided, so nothing was changed.")
    if decision not in DECISIONS:
        raise BadDecision("Please choose to uphold or to overturn the decision.")
    if not message or len(message) > MESSAGE_MAX:
        raise BadDecision(
            f"Please write a message to the person who appealed, up to {MESSAGE_MAX:,} "
            "characters. They read it beside the outcome; it is never public."
        )


def decide(appeal, by, decision, message):
    """Uphold or overturn `appeal` as the moderator `by`, with `message` (already cleaned)
    to the person who appealed, and commit. Overturning undoes the decision too.

    Returns words for the moderator from the undoing, or None. Refuses, keeping nothing,
    in this order: NotYours for the moderator who made the decision or wrote the post;
    CannotDecide when the appeal is already decided (also when another moderator's
    decision lands at the same moment); BadDecision for a decision that is neither
    "uphold" nor "overturn", or a missing or over-long message; CannotDecide for an
    overturn Kettle cannot carry out (an action with no undo, or one the post's state no
    longer allows).
    """
    _check(appeal, by, decision, message)
    entry = appeal.entry
    undo = reversal.undo_for(entry) if decision == OVERTURN else None
    if decision == OVERTURN and undo is None:
        raise CannotDecide(
            f"Kettle cannot yet undo \u201c{entry.done}\u201d by itself, so the appeal was "
            "not overturned and nothing was changed. You can uphold it, or put it right by "
            "hand and then overturn it."
        )
    if decision == OVERTURN and reversal.replaced(entry):
        raise CannotDecide(
            "A later decision on this post replaced this one, so overturning it would undo "
            "another moderator's decision. Nothing was changed. You can uphold the appeal "
            "and say so, or act on the post through its case."
        )
    try:
        said = _decide(appeal, entry, by, decision, message, undo)
    except Refused as refusal:
        db.session.rollback()
        raise CannotDecide(str(refusal)) from None
    except StaleDataError:  # a moderator changed the case at this very moment
        db.session.rollback()
        raise CannotDecide(STALE) from None
    except Exception:
        db.session.rollback()
        raise
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise CannotDecide(STALE) from None
    return said


def _decide(appeal, entry, by, decision, message, undo):
    """The outcome, the undoing and the log row, in the caller's transaction."""
    taken = db.session.execute(
        update(Appeal)
        .where(Appeal.id == appeal.id, Appeal.decided_at.is_(None))
        .values(decided_at=now(), decided_by_id=by.id, decision=decision, message=message)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise Refused("Another moderator has just decided this appeal.")
    db.session.expire(appeal)
    said = undo(entry, by) if undo else None
    post = log.post_of(entry)
    if post is None:
        raise Refused("The post this decision was about is no longer on Kettle.")
    case = db.session.get(Case, entry.case_id) if entry.case_id is not None else None
    day = local_day(entry.at, current_app.config["TIMEZONE"])
    log.record(
        LOGGED[decision], post, rule=entry.rule,
        public_note=f"About the decision of {day} that {entry.done} (log entry {entry.id}).",
        by=by, case=case,
    )  # fmt: skip
    if decision == OVERTURN:  # told privately and kindly, never a silent reversal
        notices.tell_overturned(entry)
    db.session.flush()
    return said
