"""The heavier actions on a thread or a person: lock, slow mode, warnings and suspensions,
and the functions that undo them when an appeal overturns one.

Each change here works in the caller's transaction and returns a Change naming what the
log row is about; app.moderation.actions writes that row and commits. The undo functions
(`undo_lock`, `undo_slow_mode`, `undo_suspension`, `undo_warning`) take the log entry of
the action appealed and the deciding moderator's Account, change things back in the
caller's transaction, and write no log row: the appeal's own service writes that.

A first warning comes before a suspension unless the rule is "within-the-law": someone
with no earlier warning (the pseudonym, or the account for suspend-account) is warned
instead. Posts made anonymously are never a way to suspend anyone: suspending the account
behind one would tie the anonymous post to that account's pseudonyms, in public.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import exists, or_, select

from app.accounts.models import Account, Pseudonym
from app.core.refused import Refused
from app.core.time import now
from app.moderation import appeals, log
from app.moderation.appeals import Appeal
from app.moderation.log import LogEntry
from app.questions import counts, pace
from app.questions import services as posts
from app.questions.models import Question
from app.web.extensions import db

DAYS = (1, 3, 7, 30)
SUSPENSIONS = ("suspend-pseudonym", "suspend-account")
WARN = "warn"
# A post that may break the law is not given a first warning.
NO_FIRST_WARNING = "within-the-law"


@dataclass
class Change:
    """What one action changed: the post or question its log row names, the action the log
    records when it differs from the one asked (a warning), and who it was about."""

    target: object
    action: str | None = None
    about: dict = field(default_factory=dict)


class Anonymous(Refused):
    def __init__(self):
        super().__init__(
            "This was posted anonymously, without a pseudonym, so nobody can be suspended "
            "for it and nothing was changed. Hide the post instead: that is reversible too."
        )


def question_of(post):
    """The question itself, or the question an answer replies to."""
    return post if isinstance(post, Question) else db.session.get(Question, post.question_id)


def _open_question(case):
    question = question_of(case.post)
    if question is None or question.is_deleted:
        raise posts.AlreadyDeleted()
    return question


def lock(case, by, asked):
    """Lock the question (on an answer's case, its question): no new perspectives, and the
    asker cannot reopen it. Refuses a question already locked."""
    question = _open_question(case)
    if question.is_locked:
        raise Refused("The moderators have already locked this question, so nothing was changed.")
    question.locked_at = now()
    # Logged on the reported post, so the statement (and any message) reaches its author.
    return Change(case.post)


def slow_mode(case, by, asked):
    """Put the question (on an answer's case, its question) in slow mode: one perspective
    per person per `asked.minutes` (1 to 1440). Refuses other numbers, and the same pace."""
    low, high = pace.MINUTES
    minutes = asked.minutes
    if not isinstance(minutes, int) or not low <= minutes <= high:
        raise Refused(f"Please give a number of minutes from {low} to {high}.", field="minutes")
    question = _open_question(case)
    if question.slow_mode_minutes == minutes:
        raise Refused("The thread is already in slow mode at that pace, so nothing was changed.")
    question.slow_mode_minutes = minutes
    return Change(case.post)


def check_days(asked):
    """Refuse a suspension whose length is not one of the steps in DAYS."""
    if asked.days not in DAYS:
        raise Refused("Please choose how long: 1, 3, 7 or 30 days.", field="days")


def subject(case):
    """The (pseudonym, account) a suspension on this case is about; refuses Anonymous for a
    post made without a pseudonym, and when its pseudonym or account is gone."""
    post = case.post
    pseudonym = db.session.get(Pseudonym, post.pseudonym_id) if post.pseudonym_id else None
    if pseudonym is None:
        raise Anonymous()
    return pseudonym, pseudonym.account


def warns_first(case, asked):
    """True when this suspension becomes a first warning (no earlier one that stands, and
    the rule is not "within-the-law"). A warning overturned on appeal does not count."""
    if asked.reason == NO_FIRST_WARNING:
        return False
    pseudonym, account = subject(case)
    if asked.action == "suspend-pseudonym":
        earlier = LogEntry.pseudonym_id == pseudonym.id
    else:
        earlier = LogEntry.subject_account_id == account.id
    overturned = exists().where(
        Appeal.log_entry_id == LogEntry.id, Appeal.decision == appeals.OVERTURN
    )
    # A warning on this same case does not count: the warning comes before, not during.
    other_case = or_(LogEntry.case_id.is_(None), LogEntry.case_id != case.id)
    return not db.session.scalar(
        select(exists().where(LogEntry.action == WARN, earlier, other_case, ~overturned))
    )


def warn(case, by, asked):
    """Record a first warning to whoever posted it (the log row is the warning)."""
    pseudonym, account = subject(case)
    return Change(case.post, WARN, {"pseudonym_id": pseudonym.id, "subject_account_id": account.id})


def suspend(case, by, asked):
    """Suspend the pseudonym (or its whole account, and that pseudonym with it) for
    `asked.days`: it cannot post, and what the pseudonym posted is held back from readers,
    until then. A running suspension that ends
    later is kept. Threads it posted in are recounted."""
    check_days(asked)
    pseudonym, account = subject(case)
    until = now() + timedelta(days=asked.days)
    # An account's suspension takes the reported pseudonym with it, so its posts are held
    # back (app.questions.visibility holds back pseudonyms' posts, never an account's).
    holders = [pseudonym] if asked.action == "suspend-pseudonym" else [pseudonym, account]
    for holder in holders:
        holder.suspended_until = max(until, holder.suspended_until or until)
    db.session.flush()
    _recount(pseudonym)
    about = {"pseudonym_id": pseudonym.id, "subject_account_id": account.id, "until": until}
    return Change(case.post, about=about)


def settle_ended():
    """Clear suspensions whose end has passed and recount the threads their posts are in,
    in the caller's transaction. Readers see the posts again the moment a suspension ends
    (the visibility rule reads the clock); this only brings the stored perspective counts
    up to date, and runs with each moderator action."""
    at = now()
    for model in (Pseudonym, Account):
        ended = db.session.scalars(
            select(model).where(model.suspended_until.is_not(None), model.suspended_until <= at)
        ).all()
        for holder in ended:
            holder.suspended_until = None
            db.session.flush()
            _recount(holder)


def _recount(holder):
    """Only a pseudonym's suspension changes what readers see (app.questions.visibility)."""
    if isinstance(holder, Pseudonym):
        counts.recount_posts_of(holder.id)


def question_of_entry(entry):
    """The question a log entry's action was about (an answer's question), or None."""
    post = log.post_of(entry)
    return question_of(post) if post is not None else None


def undo_lock(entry, by):
    """Unlock the question a "lock" entry locked, in the caller's transaction."""
    question = question_of_entry(entry)
    if question is not None:
        question.locked_at = None


def undo_slow_mode(entry, by):
    """Turn off the slow mode a "slow-mode" entry set, in the caller's transaction."""
    question = question_of_entry(entry)
    if question is not None:
        question.slow_mode_minutes = None


def undo_suspension(entry, by):
    """Lift the suspension a "suspend-pseudonym" or "suspend-account" entry made, in the
    caller's transaction; a later suspension that runs longer than this one stands."""
    holders = [db.session.get(Pseudonym, entry.pseudonym_id) if entry.pseudonym_id else None]
    if entry.action == "suspend-account" and entry.subject_account_id:
        holders.append(db.session.get(Account, entry.subject_account_id))
    for holder in holders:
        running = holder.suspended_until if holder is not None else None
        if running is None or (entry.until is not None and running > entry.until):
            continue
        holder.suspended_until = None
        db.session.flush()
        _recount(holder)


def undo_warning(entry, by):
    """A warning changed nothing to undo; the appeal's outcome on its entry is the record."""
