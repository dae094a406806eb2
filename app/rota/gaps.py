"""What coordinators see of the rota: the gaps in the coming plan, and hours per person.

Coordinators see where the plan is short and how much time each moderator gives, so
nobody carries too much. They never see why a shift ended (stepped out or not), which
content notes a given person opted out of, or anyone's time ranked against another's.
Every query here loads the whole rota at once (a few statements), never person by person.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import Account, AccountRole
from app.rota.calendar import clocks_change, day_name, day_start, local, month_start, week_start
from app.rota.limits import rota_opt_out
from app.rota.models import PlannedShift, Shift, SignUp
from app.topics.models import ContentNote
from app.web.extensions import db

# Below this many people signed up, a shift's uncovered notes would be one person's own.
PRIVATE_BELOW = 2


@dataclass
class Gap:
    """A coming planned shift that is short: places nobody has taken, or content notes
    nobody signed up for it can take (because each of them opted out of that note)."""

    planned: PlannedShift
    signed_up: int
    open_places: int
    uncovered: list[ContentNote] = field(default_factory=list)


@dataclass
class Hours:
    """One moderator's time on the rota, shown to coordinators by rota name only."""

    rota_name: str | None
    this_week: timedelta
    this_month: timedelta
    coming: timedelta
    coming_shifts: int


@dataclass
class Day:
    """One local day of the plan, named as people read it ("Monday 29 March")."""

    name: str
    clocks_change: bool
    items: list


def by_day(items, starts_of):
    """`items` (in time order) grouped by the local day `starts_of(item)` falls on, each day
    saying whether the clocks change on it."""
    days, last = [], None
    for item in items:
        starts_at = starts_of(item)
        day = local(starts_at).date()
        if day != last:
            changes = clocks_change(day_start(day), day_start(day + timedelta(days=1)))
            days.append(Day(day_name(starts_at), changes, []))
            last = day
        days[-1].items.append(item)
    return days


def coming_shifts(at, days=None):
    """Planned shifts that have not ended by `at` and start within `days` (ROTA_DAYS_AHEAD),
    soonest first, each paired with the account ids signed up for it. Two queries."""
    days = days or current_app.config["ROTA_DAYS_AHEAD"]
    planned = list(db.session.scalars(
        select(PlannedShift)
        .where(PlannedShift.ends_at > at, PlannedShift.starts_at < at + timedelta(days=days))
        .order_by(PlannedShift.starts_at, PlannedShift.id)
    ))  # fmt: skip
    people = defaultdict(list)
    if planned:
        rows = db.session.execute(
            select(SignUp.planned_shift_id, SignUp.account_id)
            .where(SignUp.planned_shift_id.in_([p.id for p in planned]))
            .order_by(SignUp.id)
        )  # fmt: skip
        for planned_id, account_id in rows:
            people[planned_id].append(account_id)
    return [(p, people[p.id]) for p in planned]


def _opt_outs(account_ids):
    """Each account's opted-out note ids, for many accounts in one query."""
    found = defaultdict(set)
    if account_ids:
        rows = db.session.execute(
            select(rota_opt_out.c.account_id, rota_opt_out.c.content_note_id)
            .where(rota_opt_out.c.account_id.in_(sorted(account_ids)))
        )  # fmt: skip
        for account_id, note_id in rows:
            found[account_id].add(note_id)
    return found


def gaps(at, shifts=None):
    """The coming ROTA_DAYS_AHEAD days' planned shifts that are short, soonest first.

    A shift is short when places are unfilled (how many in `open_places`), or when every
    person signed up for it opted out of a content note on the curated list (those notes,
    in list order, in `uncovered`). Notes are named only when at least PRIVATE_BELOW people
    are signed up: with one, the notes would be that person's own private opt-outs, which
    the rota shows to nobody (app.rota.limits). A shift with nobody signed up is simply a
    gap. Names nobody; four queries (two when `shifts`, what
    `coming_shifts(at)` gave, is passed in); commits nothing.
    """
    shifts = coming_shifts(at) if shifts is None else shifts
    opted = _opt_outs({a for _, people in shifts for a in people})
    notes = None
    found = []
    for planned, people in shifts:
        private = len(people) < PRIVATE_BELOW
        shared = set.intersection(*(opted[a] for a in people)) if not private else set()
        if shared and notes is None:
            notes = list(db.session.scalars(select(ContentNote).order_by(ContentNote.position)))
        uncovered = [n for n in notes if n.id in shared] if shared else []
        open_places = max(0, planned.places - len(people))
        if open_places or uncovered:
            found.append(Gap(planned, len(people), open_places, uncovered))
    return found


def _moderators():
    """(account id, rota name) of every account holding the moderator role."""
    return list(db.session.execute(
        select(Account.id, Account.rota_name)
        .join(AccountRole, AccountRole.account_id == Account.id)
        .where(AccountRole.role == "moderator")
    ))  # fmt: skip


def _on_shift_between(shifts, since, at):
    """Time on shift between `since` and `at`, counted as app.rota.caps.time_on_shift
    counts it, over shifts already loaded."""
    total = timedelta()
    for shift in shifts:
        if shift.ends_at > since and shift.started_at < at:
            total += max(timedelta(), min(shift.finished_at(at), at) - max(shift.started_at, since))
    return total


def _shifts_since(ids, since, at):
    by_account = defaultdict(list)
    if ids:
        stmt = select(Shift).where(
            Shift.account_id.in_(ids), Shift.ends_at > since, Shift.started_at < at
        )
        for shift in db.session.scalars(stmt):
            by_account[shift.account_id].append(shift)
    return by_account


def _name_order(row):
    # Alphabetical by rota name, never by hours; people without a rota name yet come last.
    return (row.rota_name is None, (row.rota_name or "").casefold(), row.rota_name or "")


def hours(at):
    """Hours per moderator, for coordinators to spot someone carrying too much: time on
    shift this week and this calendar month (local, up to `at`), and the planned time
    still to come in the shifts they signed up for in the coming ROTA_DAYS_AHEAD days.

    Listed alphabetically by rota name, and never sorted by hours: this is never to rank
    people. Holds no login names and nothing about how any shift ended. Four queries
    whatever the number of people; commits nothing.
    """
    moderators = _moderators()
    ids = [account_id for account_id, _ in moderators]
    week, month = week_start(at), month_start(at)
    shifts = _shifts_since(ids, min(week, month), at)
    coming = defaultdict(list)
    for planned, people in coming_shifts(at) if ids else []:
        for account_id in people:
            coming[account_id].append(planned.ends_at - max(planned.starts_at, at))
    rows = [
        Hours(
            rota_name=name,
            this_week=_on_shift_between(shifts[account_id], week, at),
            this_month=_on_shift_between(shifts[account_id], month, at),
            coming=sum(coming[account_id], timedelta()),
            coming_shifts=len(coming[account_id]),
        )
        for account_id, name in moderators
    ]
    return sorted(rows, key=_name_order)
