"""The plan: shifts coordinators plan ahead, and moderators' places on them.

Signing up takes a lock on the shift's row first (a conditional version bump: a row lock
on PostgreSQL, the one writer on SQLite), so of two people taking the last place at once,
one gets it and the other is told it is gone.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Account
from app.core.refused import Refused
from app.core.time import now
from app.rota import caps
from app.rota.calendar import hours_text, to_utc
from app.rota.models import PlannedShift, SignUp
from app.web.extensions import db

ALREADY_OVER = "That shift has already ended."
FULL = "Someone has just taken the last place on that shift, so it is full. Thank you for offering."
NOT_A_MODERATOR = "Only moderators sign up for shifts. A coordinator can give you the role."
NOT_SIGNED_UP = "You were not signed up for that shift, so there was nothing to drop."


def plan_one(starts_wall, hours, places=2):
    """Plan one shift from the naive local wall-clock `starts_wall` in ROTA_TIMEZONE,
    lasting `hours` real hours, in the caller's transaction; returns it.

    Refuses (Refused) a start the clocks skip, a length outside 15 minutes to the shift
    cap, places outside 1 to 20, and a shift that would already be over.
    """
    cap = current_app.config["ROTA_SHIFT_HOURS"]
    if not 0.25 <= hours <= cap:
        raise Refused(f"A shift lasts from 15 minutes to {hours_text(cap)}.", field="hours")
    if not 1 <= places <= 20:
        raise Refused("A shift needs from 1 to 20 people.", field="places")
    starts_at = to_utc(starts_wall)
    ends_at = starts_at + timedelta(hours=hours)
    if ends_at <= now():
        raise Refused("That shift would already be over. Please plan one that ends later.")
    planned = PlannedShift(starts_at=starts_at, ends_at=ends_at, places=places)
    db.session.add(planned)
    db.session.flush()
    return planned


def coming(at, days=None):
    """Planned shifts that have not ended, starting within `days` (ROTA_DAYS_AHEAD) of
    `at`, soonest first, with their sign-ups and people loaded."""
    days = days or current_app.config["ROTA_DAYS_AHEAD"]
    stmt = (
        select(PlannedShift)
        .where(PlannedShift.ends_at > at, PlannedShift.starts_at < at + timedelta(days=days))
        .order_by(PlannedShift.starts_at, PlannedShift.id)
    )
    return list(db.session.scalars(stmt))


def get(planned_id):
    """The planned shift, or None."""
    return db.session.get(PlannedShift, planned_id)


def sign_up(account, planned):
    """Give `account` a place on `planned` and commit; returns True, or False when they
    already had one.

    Refuses (Refused) a person without the moderator role, a shift that has ended, a full
    shift (also when someone took the last place at the same moment), and anything the
    caps or their own limits do not allow (app.rota.caps.check_sign_up).
    """
    if not account.has_role("moderator"):
        raise Refused(NOT_A_MODERATOR)
    at = now()
    if planned.ends_at <= at:
        raise Refused(ALREADY_OVER)
    if planned.has(account):
        return False
    # Lock the shift's row before counting, so the last place goes to one person only.
    db.session.execute(
        update(PlannedShift)
        .where(PlannedShift.id == planned.id)
        .values(version=PlannedShift.version + 1)
        .execution_options(synchronize_session=False)
    )
    # And the person's own row, so two sign-ups of theirs at once are checked one by one
    # against the week's hours and the rest between shifts (FOR NO KEY UPDATE on PostgreSQL).
    db.session.execute(select(Account.id).where(Account.id == account.id).with_for_update(
        key_share=True))  # fmt: skip
    taken = db.session.scalar(
        select(func.count()).select_from(SignUp).where(SignUp.planned_shift_id == planned.id)
    )
    if taken >= planned.places:
        db.session.rollback()
        raise Refused(FULL)
    try:
        caps.check_sign_up(account.id, planned)
    except Refused:
        db.session.rollback()
        raise
    db.session.add(SignUp(planned_shift_id=planned.id, account_id=account.id))
    try:
        db.session.commit()
    except IntegrityError:  # the same person pressed twice at once: one place
        db.session.rollback()
        return False
    return True


def drop(account, planned):
    """Give up `account`'s place on `planned` and commit. No reason is asked. Refuses
    (Refused) a shift that has ended, and a place they did not have."""
    if planned.ends_at <= now():
        raise Refused(ALREADY_OVER)
    found = db.session.scalar(
        select(SignUp).where(SignUp.planned_shift_id == planned.id, SignUp.account_id == account.id)
    )
    if found is None:
        raise Refused(NOT_SIGNED_UP)
    db.session.delete(found)
    db.session.commit()


def signed_up_now(account_id, at):
    """The planned shift the moderator signed up for that is open to start at `at` (from
    ROTA_EARLY_MINUTES before it begins until it ends), or None."""
    early = timedelta(minutes=current_app.config["ROTA_EARLY_MINUTES"])
    stmt = (
        select(PlannedShift)
        .join(SignUp)
        .where(SignUp.account_id == account_id, PlannedShift.starts_at <= at + early,
               PlannedShift.ends_at > at)
        .order_by(PlannedShift.starts_at)
        .limit(1)
    )  # fmt: skip
    return db.session.scalar(stmt)


def staffed(at):
    """True when someone is signed up for a planned shift running at `at`."""
    running = exists().where(
        SignUp.planned_shift_id == PlannedShift.id,
        PlannedShift.starts_at <= at,
        PlannedShift.ends_at > at,
    )
    return bool(db.session.scalar(select(running)))


def next_staffed(at):
    """When reports will next be read, from the plan: the start of the soonest planned
    shift after `at` with someone signed up (a stored UTC time), or None."""
    stmt = select(func.min(PlannedShift.starts_at)).join(SignUp).where(PlannedShift.starts_at > at)
    return db.session.scalar(stmt)
