"""The queue, and claims: what a moderator on shift sees and holds.

A claim says "I am reading this one": it lasts MODERATION_CLAIM_MINUTES (default 10),
never past the end of the claimer's shift, renews with each claim or action, and goes
back to the queue when they step out. Every change to a case is checked against its
version, so of two moderators acting at one moment one succeeds and the other is told,
whatever the timing.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import Account
from app.core.refused import Refused
from app.core.time import now
from app.moderation import opinions, routing
from app.moderation.approvals import LAPSE, ApprovalRequest
from app.moderation.models import Case, Report
from app.moderation.reasons import BY_SLUG as REASONS
from app.rota import shifts
from app.web.extensions import db


class Stale(Refused):
    def __init__(self):
        super().__init__(
            "Another moderator changed this case while you had it open, so nothing you sent "
            "was changed. Please look at the case again: it may already be dealt with."
        )


class ClaimedByOther(Refused):
    def __init__(self, name):
        super().__init__(
            f"{name or 'Another moderator'} is reading this case just now, so nothing was "
            "changed. It comes back to the queue when they finish or step out; there are "
            "other cases you can take in the meantime."
        )


class OwnWords(Refused):
    def __init__(self):
        super().__init__(
            "This case is about something you wrote, so another moderator will read and "
            "decide it. Nothing was changed."
        )


def is_own(case, account):
    """True when `account` wrote the reported post (or holds the question it replies to)."""
    return case.post is not None and case.post.account_id == account.id


class AlreadyDecided(Refused):
    def __init__(self):
        super().__init__("This case is already decided, so nothing was changed.")


@dataclass
class QueueItem:
    case: Case
    claimed_by: str | None  # the claimer's rota name, while the claim holds
    reasons: list = field(default_factory=list)  # (label, how many), most first
    reporters: int = 0
    waiting: bool = False  # a request waits for a second moderator
    # Set by opinions.arrange, for the moderator looking: someone else asks for a second
    # look (the queue's first group); another's second opinion waits; their own does.
    second_look: bool = False
    opinion_open: bool = False
    my_opinion: str | None = None  # "waiting" or "replied"
    asked_since: datetime | None = None

    @property
    def collapsed(self):
        """True when the case's reports folded its post away automatically, out of hours."""
        return self.case.collapsed_at is not None


def _claim_length():
    return timedelta(minutes=current_app.config["MODERATION_CLAIM_MINUTES"])


def is_claimed_by(case, account, at=None):
    """True while `account` holds an unexpired claim on the case."""
    at = at or now()
    return case.claimed_by_id == account.id and bool(case.claimed_until) and case.claimed_until > at


def is_claimed_by_other(case, account, at=None):
    """True while someone other than `account` holds an unexpired claim on the case.

    A claim holds only while its holder is on shift: one whose shift ended, or who lost
    the moderator role, holds nothing (their claim goes back to the queue)."""
    at = at or now()
    return (
        case.claimed_by_id is not None
        and case.claimed_by_id != account.id
        and case.claimed_until is not None
        and case.claimed_until > at
        and shifts.on_shift(db.session.get(Account, case.claimed_by_id))
    )


def _waiting(at):
    """SQL: the case has a request still waiting for a second moderator."""
    return (
        exists()
        .where(
            ApprovalRequest.case_id == Case.id,
            ApprovalRequest.approved_at.is_(None),
            ApprovalRequest.requested_at > at - LAPSE,
            or_(Case.decided_at.is_(None), Case.outcome == "hide"),
        )
        .correlate(Case)
    )


def queue(me=None):
    """Open cases, and decided ones still waiting for a second moderator, with their
    reasons, reporters and live claims: those others ask a second look at first (the rule
    is opinions.arrange, for `me`), then those collapsed automatically, then oldest first.
    Reads only."""
    at = now()
    claimer = aliased(Account)
    waiting = _waiting(at)
    rows = db.session.execute(
        select(Case, claimer.rota_name, waiting.label("waiting"))
        .outerjoin(claimer, Case.claimed_by_id == claimer.id)
        .where(or_(Case.decided_at.is_(None), waiting))
        .order_by(Case.collapsed_at.is_(None), Case.opened_at, Case.id)  # collapsed first
    ).all()
    items = {
        case.id: QueueItem(
            case, name if case.claimed_until and case.claimed_until > at else None,
            waiting=bool(is_waiting),
        )
        for case, name, is_waiting in rows
    }  # fmt: skip
    if items:
        counts = db.session.execute(
            select(Report.case_id, Report.reason, func.count())
            .where(Report.case_id.in_(items))
            .group_by(Report.case_id, Report.reason)
        )
        for case_id, reason, n in counts:
            items[case_id].reasons.append((reason_label(reason), n))
            items[case_id].reporters += n
        for item in items.values():
            item.reasons.sort(key=lambda pair: (-pair[1], pair[0]))
    return opinions.arrange(list(items.values()), me)


def reason_label(slug):
    reason = REASONS.get(slug)
    return reason.label if reason else slug


def get(case_id):
    """The case with this id, or None."""
    return db.session.get(Case, case_id)


def claim_holder_name(case):
    """The rota name of whoever holds a live claim on the case, or None."""
    if case.claimed_by_id is None or not case.claimed_until or case.claimed_until <= now():
        return None
    return db.session.scalar(select(Account.rota_name).where(Account.id == case.claimed_by_id))


def check(case, by, version=None):
    """Refuse a change to `case` by `by`: OwnWords when `by` wrote the post (nobody
    decides a case about their own words, or reads who reported them); Stale when
    `version` (what the moderator saw) is not the case's version now; ClaimedByOther
    while someone else's claim holds; KeptFromYou when it carries a note they chose not
    to review."""
    if is_own(case, by):
        raise OwnWords()
    routing.check(case, by)
    if version is not None and version != case.version:
        raise Stale()
    if is_claimed_by_other(case, by):
        raise ClaimedByOther(claim_holder_name(case))


def hold(case, by):
    """Claim or renew the claim on `case` for `by`, in the caller's transaction; the
    claim ends with the shift if that comes first. Marks the case as being read."""
    at = now()
    until = at + _claim_length()
    shift = shifts.current(by)
    if shift is not None:
        until = min(until, shift.ends_at)
    case.claimed_by_id, case.claimed_until = by.id, until
    case.first_read_at = case.first_read_at or at


def claim(case, by, version=None):
    """Claim `case` for `by` and commit.

    Refuses AlreadyDecided for a decided case, Stale when the case changed since
    `version`, ClaimedByOther while someone else's claim holds, and Stale when another
    moderator's change lands between reading and writing (the version check).
    """
    if case.decided_at is not None:
        raise AlreadyDecided()
    check(case, by, version)
    hold(case, by)
    commit_or_stale()


def commit_or_stale():
    """Commit; when another change to a case got there first, keep nothing and raise Stale."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Stale() from None


def release_claims(account):
    """Hand every case `account` claimed back to the queue, in the caller's transaction.

    Registered with the rota, so stepping out releases claims in the same commit."""
    db.session.execute(
        update(Case)
        .where(Case.claimed_by_id == account.id, Case.decided_at.is_(None))
        .values(claimed_by_id=None, claimed_until=None, version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )


def mark_restored(post, but=None):
    """Every case whose decision hid `post` (a Question or Answer) now says "restore", so
    their receipts tell reporters it is back; `but` names a case id to leave alone. In the
    caller's transaction; raises each changed case's version."""
    db.session.execute(
        update(Case)
        .where(Case.column_for(post) == post.id, Case.id != (but or 0), Case.outcome == "hide")
        .values(outcome="restore", version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )
