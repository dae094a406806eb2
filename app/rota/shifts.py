"""Starting and ending shifts, and `on_shift`: the only code that reads the clock to
decide whether a moderator may see the queue.

Until issue 15 brings planned shifts and caps across a week, any moderator may start a
shift at any time; each lasts at most ROTA_SHIFT_HOURS (default 3). Whatever ends a
shift early ("step out") also runs the hooks registered with `when_ending`, so the
moderation layer above can hand back claims without the rota knowing about cases.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import AccountRole
from app.core.refused import Refused
from app.core.time import now
from app.rota.models import ENDED, STEPPED_OUT, Shift
from app.web.extensions import db

NEEDS_ROTA_NAME = "Please choose a rota name first: it is the only name the public log shows."
NOT_A_MODERATOR = "Only moderators can start a shift."

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


def shift_length():
    return timedelta(hours=current_app.config["ROTA_SHIFT_HOURS"])


def start(account):
    """Start a shift for `account` now, ending after the configured cap, and commit.

    Returns the running shift unchanged when one is running already. Refuses a person
    without the moderator role and a moderator without a rota name. A shift left past
    its end is closed first, as "ended".
    """
    # Issue 15: starting will be allowed only within a signed-up shift, or as cover.
    if not account.has_role("moderator"):
        raise Refused(NOT_A_MODERATOR)
    if not account.rota_name:
        raise Refused(NEEDS_ROTA_NAME)
    running = current(account)
    if running is not None:
        return running
    at = now()
    for stale in db.session.scalars(
        select(Shift).where(Shift.account_id == account.id, Shift.ended_at.is_(None))
    ):
        stale.ended_at, stale.ended_how = min(at, stale.ends_at), ENDED
    shift = Shift(account_id=account.id, started_at=at, ends_at=at + shift_length())
    db.session.add(shift)
    try:
        db.session.commit()
    except IntegrityError:  # the same person pressed Start twice at once: one shift
        db.session.rollback()
        return current(account)
    return shift


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
