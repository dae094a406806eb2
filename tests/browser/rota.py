"""The rota for the browser tests: what no page can make in a moment (shifts planned at a
time of the test's choosing, other moderators on the rota, a note left on an earlier
shift) is set up directly; everything a test then checks goes through the pages.

The live app is shared by every browser test, and a shift people signed up for that runs
now stops others starting as cover, so tests that plan shifts clear the plan afterwards
(`clear_plan`)."""

from datetime import timedelta

from sqlalchemy import delete, select, update

from app.accounts import services
from app.accounts.models import Account
from app.core.time import now
from app.moderation import opinions, wellbeing
from app.moderation.cases import get as get_case
from app.moderation.log import LogEntry
from app.moderation.notices import tell_overturned
from app.rota import limits, names, plan
from app.rota.calendar import local
from app.rota.handover import HandoverNote
from app.rota.models import PlannedShift, Shift
from app.topics.queries import all_notes
from app.web.extensions import db
from tests.browser.pages import PASSWORD, join, name


def clear_plan(live_app):
    """Take every planned shift, and every place on one, out of the shared plan."""
    with live_app.app_context():
        db.session.execute(delete(PlannedShift))  # places go with them (ON DELETE CASCADE)
        db.session.commit()
        db.session.remove()


def plan_shift(live_app, starts_in, hours=3, places=2, people=()):
    """Plan a shift starting `starts_in` (a timedelta, negative for one already running)
    from now, to the minute, with the account ids in `people` signed up; returns its id."""
    with live_app.app_context():
        wall = local(now() + starts_in).replace(tzinfo=None, second=0, microsecond=0)
        planned = plan.plan_one(wall, hours, places)
        db.session.commit()
        for account_id in people:
            assert plan.sign_up(db.session.get(Account, account_id), planned)
        planned_id = planned.id
        db.session.remove()
    return planned_id


def other_moderator(live_app, word="colleague", opted_out=()):
    """Another moderator on the rota, made without the pages, who chose not to review the
    content notes with the slugs in `opted_out`; returns (account id, rota name). They are
    not on shift."""
    handle, rota_name = name(word), name("Plover")
    with live_app.app_context():
        joined = services.join(handle, PASSWORD, name("Linnet"))
        services.grant(handle, "moderator")
        account = db.session.get(Account, joined.account.id)
        names.choose(account, rota_name)
        db.session.commit()
        notes = [note for note in all_notes() if note.slug in opted_out]
        limits.save(account.id, None, None, notes)
        account_id = account.id
        db.session.remove()
    return account_id, rota_name


def become_coordinator(page, live_app, word="coordinator"):
    """Join through the pages and be given the coordinator role; returns the login name."""
    handle = name(word)
    join(page, handle, name("Heron"))
    with live_app.app_context():
        services.grant(handle, "coordinator")
        db.session.remove()
    return handle


def account_named(live_app, rota_name):
    """The id of the account with this rota name."""
    with live_app.app_context():
        found = db.session.scalar(select(Account.id).where(Account.rota_name == rota_name))
        db.session.remove()
    return found


def ask_about(live_app, case_id, account_id, words):
    """`account_id` asks the other moderators a second opinion on the case."""
    with live_app.app_context():
        opinions.ask(get_case(case_id), db.session.get(Account, account_id), words)
        db.session.remove()


def note_from_earlier_shift(live_app, account_id, words):
    """A handover note `account_id` left on an earlier shift, new to everyone else."""
    with live_app.app_context():
        db.session.add(HandoverNote(author_id=account_id, body=words, written_at=now()))
        db.session.commit()
        db.session.remove()


def debrief_sent(live_app, account_id, words):
    """A debrief note `account_id` sent to the coordinators."""
    with live_app.app_context():
        wellbeing.write_debrief(db.session.get(Account, account_id), words, send=True)
        db.session.remove()


def reading_for_a_while(live_app, account_id, minutes=31):
    """Move the moderator's running shift's start back, as if they had been reading for
    `minutes` without a break."""
    with live_app.app_context():
        db.session.execute(
            update(Shift)
            .where(Shift.account_id == account_id, Shift.ended_at.is_(None))
            .values(started_at=now() - timedelta(minutes=minutes))
        )
        db.session.commit()
        db.session.remove()


def appeal_overturned(live_app, account_id):
    """Tell the moderator, as an overturned appeal would, about their latest decision."""
    with live_app.app_context():
        entry = db.session.scalar(
            select(LogEntry)
            .where(LogEntry.moderator_id == account_id)
            .order_by(LogEntry.id.desc())
            .limit(1)
        )
        tell_overturned(entry)
        db.session.commit()
        db.session.remove()
