"""Starting and ending shifts, and `on_shift`: the only code that reads the clock to
decide whether a moderator may see the queue.

A moderator starts within a planned shift they signed up for (from ROTA_EARLY_MINUTES
before it), or as cover when coordinators allow it and the hour is not staffed; always
within the caps and their own limits (app.rota.caps). A shift ends by itself at its end.
Whatever ends a shift early ("step out") also runs the hooks registered with
`when_ending`, so the moderation layer above can hand back claims without the rota
knowing about cases.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import AccountRole
from app.core.refused import Refused
from app.core.time import now
from app.rota import caps, plan
from app.rota.calendar import clock, when
from app.rota.models import ENDED, STEPPED_OUT, PlannedShift, Shift, SignUp, settings
from app.web.extensions import db

NEEDS_ROTA_NAME = "Please choose a rota name first: it is the only name the public log shows."
NOT_A_MODERATOR = "Only moderators can start a shift."
NO_COVER = (
    "You are not signed up for a shift just now, and coordinators have not opened "
    "the rota to cover."
)
STAFFED = (
    "You are not signed up for a shift just now, and the people signed up for this "
    "hour are here, so no cover is needed. Thank you for offering."
)
NEXT = " Your next shift starts {when}; you can start it from {early}."
NONE_NEXT = " You can sign up for a shift below."

# Called as hook(account) in the ending transaction, before it commits.
_ending_hooks = []


def when_ending(hook):
    """Run `hook(account)` in the same transaction whenever a shift is stepped out of."""
    if hook not in _ending_hooks:
        _ending_hooks.append(hook)


def _running(at):
    return (Shift.ended_at.is_(None), Shift.started_at <= at, Shift.ends_at > at)


def current(account):
    """The account's running shift, or None (a shift past its end is not running)."""
    if account is None:
        return None
    stmt = select(Shift).where(Shift.account_id == account.id, *_running(now()))
    return db.session.scalar(stmt)


def on_shift(account):
    """True while `account` holds the moderator role and a shift of theirs is running."""
    return account is not None and account.has_role("moderator") and current(account) is not None


def anyone_on_shift():
    """True when any moderator has a running shift now."""
    moderator = exists().where(
        AccountRole.account_id == Shift.account_id, AccountRole.role == "moderator"
    )
    stmt = select(Shift.id).where(*_running(now()), moderator).limit(1)
    return db.session.scalar(stmt) is not None


def start(account):
    """Start a shift for `account` now and commit; returns the running shift.

    Within a planned shift they signed up for (from ROTA_EARLY_MINUTES before), it ends
    with that shift; as cover, after ROTA_SHIFT_HOURS; either way brought forward by the
    caps and their own limits. Returns the running shift unchanged when one is running.
    Refuses (Refused), saying why and when they can, a person without the moderator role
    or a rota name, cover the rota does not allow now, and what the caps refuse. A shift
    left past its end is closed first, as "ended".
    """
    if not account.has_role("moderator"):
        raise Refused(NOT_A_MODERATOR)
    if not account.rota_name:
        raise Refused(NEEDS_ROTA_NAME)
    running = current(account)
    if running is not None:
        return running
    at = now()
    planned = plan.signed_up_now(account.id, at)
    if planned is None:
        _refuse_cover(account, at)
    wanted = (
        planned.ends_at if planned else at + timedelta(hours=current_app.config["ROTA_SHIFT_HOURS"])
    )
    ends = caps.latest_end(account.id, at, wanted, cover=planned is None)
    for stale in db.session.scalars(
        select(Shift).where(Shift.account_id == account.id, Shift.ended_at.is_(None))
    ):
        stale.ended_at, stale.ended_how = min(at, stale.ends_at), ENDED
    shift = Shift(account_id=account.id, planned_shift_id=planned.id if planned else None,
                  started_at=at, ends_at=ends)  # fmt: skip
    db.session.add(shift)
    try:
        db.session.commit()
    except IntegrityError:  # the same person pressed Start twice at once: one shift
        db.session.rollback()
        return current(account)
    return shift


def _refuse_cover(account, at):
    """Refuse cover unless coordinators allow it and the hour is unstaffed: nobody signed
    up for a planned shift now, or nobody who did is on shift."""
    if not settings().allow_cover:
        raise Refused(NO_COVER + _next_for(account, at))
    if plan.staffed(at) and anyone_on_shift():
        raise Refused(STAFFED + _next_for(account, at))


def _next_for(account, at):
    upcoming = db.session.scalar(
        select(PlannedShift)
        .join(SignUp)
        .where(SignUp.account_id == account.id, PlannedShift.starts_at > at)
        .order_by(PlannedShift.starts_at)
        .limit(1)
    )
    if upcoming is None:
        return NONE_NEXT
    early = upcoming.starts_at - timedelta(minutes=current_app.config["ROTA_EARLY_MINUTES"])
    return NEXT.format(when=when(upcoming.starts_at), early=clock(early))


def step_out(account):
    """End the account's shift at once, record only "stepped out", run the ending hooks
    (claims go back to the queue) and commit. Asks no reason; a person not on shift
    steps out of nothing, and that is fine."""
    _end(account, STEPPED_OUT)
    db.session.commit()


def end_with_role(account, role):
    """When the moderator role is taken away, end the account's running shift (recorded
    as ended, not stepped out) and run the ending hooks, in the caller's transaction.
    Registered with accounts.services.when_revoked; other roles change nothing here."""
    if role == "moderator":
        _end(account, ENDED)


def _end(account, how):
    at = now()
    for shift in db.session.scalars(
        select(Shift).where(Shift.account_id == account.id, Shift.ended_at.is_(None))
    ):
        running = shift.is_running(at)
        shift.ended_at = at if running else min(at, shift.ends_at)
        shift.ended_how = how if running else ENDED
    for hook in _ending_hooks:
        hook(account)
