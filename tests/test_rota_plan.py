"""The plan, as moderators meet it: signing up and dropping, starting only where the rota
allows, the caps the tools hold, shifts that end by themselves, and the planning command.

The clock is moved with time-machine, never slept on: "now" is a Wednesday in December
(GMT) unless a test says otherwise.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Account
from app.core.time import now
from app.rota import plan
from app.rota.models import PlannedShift, RotaSettings, Shift, SignUp
from app.web.extensions import db
from tests.moderation_helpers import People, case_row, open_case

WEDNESDAY = datetime(2026, 12, 2, 12, 0)


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def clock(time_machine):
    """Stand the clock at noon on a Wednesday; returns a function that moves it on."""
    time_machine.move_to(WEDNESDAY.replace(tzinfo=UTC), tick=False)

    def move(**delta):
        time_machine.shift(timedelta(**delta))

    return move


def planned(app, starts, hours=2, places=2, signed=()):
    """A planned shift from `starts` (naive UTC) with `signed` account ids on it."""
    with app.app_context():
        shift = PlannedShift(starts_at=starts, ends_at=starts + timedelta(hours=hours),
                             places=places)  # fmt: skip
        db.session.add(shift)
        db.session.flush()
        db.session.add_all(SignUp(planned_shift_id=shift.id, account_id=a) for a in signed)
        db.session.commit()
        return shift.id


def signed_up_ids(app, planned_id):
    with app.app_context():
        return set(db.session.scalars(
            select(SignUp.account_id).where(SignUp.planned_shift_id == planned_id)))  # fmt: skip


def running(app, account_id):
    with app.app_context():
        shift = db.session.scalar(
            select(Shift).where(Shift.account_id == account_id, Shift.ended_at.is_(None),
                                Shift.ends_at > now(), Shift.started_at <= now()))  # fmt: skip
        if shift is not None:
            db.session.expunge(shift)
        return shift


def no_cover(app):
    with app.app_context():
        db.session.add(RotaSettings(id=1, allow_cover=False))
        db.session.commit()


def at_once(send, each):
    """Call `send(x)` for every x in `each` from its own thread, all released at the same
    moment; their results, in the order they finished."""
    start = threading.Barrier(len(each), timeout=30)
    results = []

    def run(x):
        start.wait()
        results.append(send(x))

    threads = [threading.Thread(target=run, args=(x,)) for x in each]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def page(client):
    return client.get("/rota").get_data(as_text=True)


# Signing up and dropping


def test_a_moderator_signs_up_for_a_shift_and_sees_their_place(app, people, clock):
    client = people.moderator(on_shift=False)
    shift_id = planned(app, WEDNESDAY + timedelta(days=1))
    signed = client.post(f"/rota/shifts/{shift_id}/sign-up")
    assert signed.status_code == 303
    assert signed_up_ids(app, shift_id) == {client.account_id}
    html = page(client)
    entry = html.split(f'data-planned-shift-id="{shift_id}"')[1].split("</li>")[0]
    assert "1 of 2 places taken" in entry
    assert "You are signed up" in entry
    assert "Drop" in entry


def test_dropping_gives_the_place_back_without_asking_why(app, people, clock):
    client = people.moderator(on_shift=False)
    shift_id = planned(app, WEDNESDAY + timedelta(days=1), signed=[client.account_id])
    dropped = client.post(f"/rota/shifts/{shift_id}/drop")
    assert dropped.status_code == 303
    assert signed_up_ids(app, shift_id) == set()
    html = client.get(dropped.headers["Location"]).get_data(as_text=True)
    assert "You do not need to give a reason" in html
    assert 'name="reason"' not in html


def test_a_full_shift_says_so_and_changes_nothing(app, people, clock):
    first, second = people.moderator(on_shift=False), people.moderator(on_shift=False)
    shift_id = planned(app, WEDNESDAY + timedelta(days=1), places=1, signed=[first.account_id])
    refused = second.post(f"/rota/shifts/{shift_id}/sign-up")
    assert refused.status_code == 409
    assert "full" in refused.get_data(as_text=True)
    assert signed_up_ids(app, shift_id) == {first.account_id}


def test_two_moderators_taking_the_last_place_at_once_get_one_place(app, people):
    clients = [people.moderator(on_shift=False) for _ in range(2)]
    shift_id = planned(app, now() + timedelta(days=1), places=1)
    statuses = at_once(lambda c: c.post(f"/rota/shifts/{shift_id}/sign-up").status_code, clients)
    assert sorted(statuses) == [303, 409]
    assert len(signed_up_ids(app, shift_id)) == 1


def test_signing_up_twice_keeps_one_place(app, people, clock):
    client = people.moderator(on_shift=False)
    shift_id = planned(app, WEDNESDAY + timedelta(days=1))
    client.post(f"/rota/shifts/{shift_id}/sign-up")
    client.post(f"/rota/shifts/{shift_id}/sign-up")
    assert signed_up_ids(app, shift_id) == {client.account_id}


def test_a_shift_that_has_ended_takes_no_sign_ups(app, people, clock):
    client = people.moderator(on_shift=False)
    shift_id = planned(app, WEDNESDAY - timedelta(hours=3))
    assert client.post(f"/rota/shifts/{shift_id}/sign-up").status_code == 409
    assert signed_up_ids(app, shift_id) == set()


def test_members_and_visitors_cannot_sign_up(app, people, clock):
    shift_id = planned(app, WEDNESDAY + timedelta(days=1))
    member = people.member()
    assert member.post(f"/rota/shifts/{shift_id}/sign-up").status_code == 403
    visitor = people.visitor()
    assert visitor.post(f"/rota/shifts/{shift_id}/sign-up").status_code == 303
    assert signed_up_ids(app, shift_id) == set()


def test_an_unknown_shift_is_a_404(app, people, clock):
    client = people.moderator(on_shift=False)
    assert client.post("/rota/shifts/999999/sign-up").status_code == 404


def test_the_plan_shows_only_the_coming_two_weeks(app, people, clock):
    client = people.moderator(on_shift=False)
    soon = planned(app, WEDNESDAY + timedelta(days=13))
    later = planned(app, WEDNESDAY + timedelta(days=15))
    over = planned(app, WEDNESDAY - timedelta(days=1))
    html = page(client)
    assert f'data-planned-shift-id="{soon}"' in html
    assert f'data-planned-shift-id="{later}"' not in html
    assert f'data-planned-shift-id="{over}"' not in html


def test_rota_pages_are_never_stored(app, people, clock):
    client = people.moderator(on_shift=False)
    assert client.get("/rota").headers["Cache-Control"] == "no-store"


# Starting: inside a signed-up shift, or as cover


def test_starting_within_a_signed_up_shift_lasts_until_its_end(app, people, clock):
    client = people.moderator(on_shift=False)
    no_cover(app)
    begins = WEDNESDAY + timedelta(minutes=10)
    planned(app, begins, hours=2, signed=[client.account_id])
    assert client.post("/rota/start").headers["Location"] == "/moderate"
    shift = running(app, client.account_id)
    assert shift.ends_at == begins + timedelta(hours=2)
    assert client.get("/moderate").status_code == 200


def test_starting_too_early_says_when_one_can_start(app, people, clock):
    client = people.moderator(on_shift=False)
    no_cover(app)
    planned(app, WEDNESDAY + timedelta(minutes=11), signed=[client.account_id])
    client.post("/rota/start")
    assert running(app, client.account_id) is None
    html = page(client)
    assert "Your next shift starts Wednesday 2 December at 12:11" in html
    assert "you can start it from 12:01" in html
    assert client.get("/moderate").status_code == 403


def test_someone_elses_shift_does_not_let_a_moderator_start(app, people, clock):
    signed, other = people.moderator(on_shift=False), people.moderator(on_shift=False)
    no_cover(app)
    planned(app, WEDNESDAY, signed=[signed.account_id])
    other.post("/rota/start")
    assert running(app, other.account_id) is None


def test_cover_is_open_when_nobody_is_signed_up_for_the_hour(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/start")
    shift = running(app, client.account_id)
    assert shift.planned_shift_id is None
    assert shift.ends_at - shift.started_at == timedelta(hours=3)


def test_cover_is_not_needed_while_the_people_signed_up_are_here(app, people, clock):
    here = people.moderator(on_shift=False)
    planned(app, WEDNESDAY, signed=[here.account_id])
    here.post("/rota/start")
    offering = people.moderator(on_shift=False)
    offering.post("/rota/start")
    assert running(app, offering.account_id) is None
    assert "no cover is needed" in page(offering)


def test_cover_is_open_when_the_people_signed_up_have_not_come(app, people, clock):
    absent = people.moderator(on_shift=False)
    planned(app, WEDNESDAY, signed=[absent.account_id])
    covering = people.moderator(on_shift=False)
    covering.post("/rota/start")
    assert running(app, covering.account_id) is not None


def test_coordinators_can_close_the_rota_to_cover(app, people, clock):
    client = people.moderator(on_shift=False)
    no_cover(app)
    client.post("/rota/start")
    assert running(app, client.account_id) is None
    assert "have not opened the rota to cover" in page(client)


# Caps


def test_a_cover_shift_is_capped_and_ends_by_itself_handing_back_claims(app, people, make, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/start")
    case_id = open_case(app, make.question().post)
    assert client.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    clock(hours=3)
    assert running(app, client.account_id) is None
    assert client.get("/moderate").status_code == 403
    other = people.moderator()
    assert other.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    assert case_row(app, case_id).claimed_by_id == other.account_id


def test_a_shift_longer_than_the_cap_cannot_be_planned(app, clock):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["rota", "shift", "--starts", "2026-12-03T10:00", "--hours", "4"])
    assert result.exit_code != 0
    assert "Nothing was planned" in result.output
    with app.app_context():
        assert db.session.scalar(select(PlannedShift.id)) is None


def test_signing_up_past_six_hours_in_a_week_is_refused(app, people, clock):
    client = people.moderator(on_shift=False)
    # Thursday, Friday and Saturday of the same week, two hours each, then Sunday.
    for day in (1, 2, 3):
        shift_id = planned(app, WEDNESDAY + timedelta(days=day))
        assert client.post(f"/rota/shifts/{shift_id}/sign-up").status_code == 303
    sunday = planned(app, WEDNESDAY + timedelta(days=4))
    refused = client.post(f"/rota/shifts/{sunday}/sign-up")
    assert refused.status_code == 409
    assert "past the rota&#39;s 6 hours a week" in refused.get_data(as_text=True)
    monday = planned(app, WEDNESDAY + timedelta(days=5))
    assert client.post(f"/rota/shifts/{monday}/sign-up").status_code == 303


def test_signing_up_without_eleven_hours_rest_is_refused(app, people, clock):
    client = people.moderator(on_shift=False)
    first = planned(app, WEDNESDAY + timedelta(days=1))
    close = planned(app, WEDNESDAY + timedelta(days=1, hours=12))
    rested = planned(app, WEDNESDAY + timedelta(days=1, hours=13))
    assert client.post(f"/rota/shifts/{first}/sign-up").status_code == 303
    refused = client.post(f"/rota/shifts/{close}/sign-up")
    assert refused.status_code == 409
    assert "keeps 11 hours of rest" in refused.get_data(as_text=True)
    assert client.post(f"/rota/shifts/{rested}/sign-up").status_code == 303


def test_after_a_full_shift_starting_again_waits_for_the_rest(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/start")
    clock(hours=3, minutes=30)
    client.post("/rota/start")
    assert running(app, client.account_id) is None
    assert "You can start again from Thursday 3 December at 02:00" in page(client)
    clock(hours=10, minutes=20)
    client.post("/rota/start")
    assert running(app, client.account_id) is None
    clock(minutes=10)
    client.post("/rota/start")
    assert running(app, client.account_id) is not None


def test_stepping_out_and_back_in_never_makes_a_longer_shift(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/start")
    clock(hours=2)
    client.post("/rota/step-out")
    clock(minutes=20)
    client.post("/rota/start")
    shift = running(app, client.account_id)
    assert shift.ends_at - shift.started_at == timedelta(hours=1)


def test_the_week_cap_brings_a_shift_end_forward_and_then_refuses(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/start")  # Wednesday 12:00 to 15:00
    clock(hours=14)
    client.post("/rota/start")  # Thursday 02:00 to 05:00
    clock(hours=14)
    client.post("/rota/start")
    assert running(app, client.account_id) is None
    assert "the most the rota allows" in page(client)
    for _ in range(5):  # into the next week, looking in each day so the session stays
        clock(days=1)
        page(client)
    client.post("/rota/start")
    assert running(app, client.account_id) is not None


@pytest.mark.settings(ROTA_WEEK_HOURS=4)
def test_the_caps_are_settings(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/start")
    clock(hours=14)
    client.post("/rota/start")
    shift = running(app, client.account_id)
    assert shift.ends_at - shift.started_at == timedelta(hours=1)


def test_the_queue_says_kindly_when_the_shift_is_nearly_over(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/start")
    assert "Your shift ends at" not in page(client)
    clock(hours=2, minutes=50)
    assert "Your shift ends at 15:00" in page(client)


# Own limits


def test_own_limits_are_saved_and_hold_sign_ups(app, people, clock):
    client = people.moderator(on_shift=False)
    saved = client.post("/rota/limits", data={"shifts_per_week": "1", "night_from": "21"})
    assert saved.status_code == 303
    first = planned(app, WEDNESDAY + timedelta(days=1))
    second = planned(app, WEDNESDAY + timedelta(days=2))
    assert client.post(f"/rota/shifts/{first}/sign-up").status_code == 303
    refused = client.post(f"/rota/shifts/{second}/sign-up")
    assert "at most 1 shift a week" in refused.get_data(as_text=True)
    late = planned(app, WEDNESDAY + timedelta(days=6, hours=8))  # Tuesday 20:00-22:00
    refused = client.post(f"/rota/shifts/{late}/sign-up")
    assert refused.status_code == 409
    assert "This shift runs after 21:00" in refused.get_data(as_text=True)


def test_a_night_limit_keeps_cover_out_of_the_night(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/limits", data={"shifts_per_week": "", "night_from": "18"})
    clock(hours=4, minutes=2)
    client.post("/rota/start")
    shift = running(app, client.account_id)
    assert shift.ends_at == WEDNESDAY + timedelta(hours=6)  # 18:00, not 19:02
    client.post("/rota/step-out")
    clock(hours=9)  # 01:02, inside the night kept free
    client.post("/rota/start")
    assert running(app, client.account_id) is None


def test_a_weekly_limit_of_ones_own_holds_for_cover_too(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/limits", data={"shifts_per_week": "1", "night_from": ""})
    client.post("/rota/start")  # Wednesday: the one shift this week
    clock(hours=14)
    client.post("/rota/start")
    assert running(app, client.account_id) is None
    assert "this week holds that many of yours already" in page(client)


def test_own_limits_that_are_not_offered_are_refused_with_words(app, people, clock):
    client = people.moderator(on_shift=False)
    refused = client.post("/rota/limits", data={"shifts_per_week": "99", "night_from": "x"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Please choose a number of shifts from the list." in html
    with app.app_context():
        from app.rota.limits import RotaLimits

        assert db.session.get(RotaLimits, client.account_id) is None


def test_own_limits_are_shown_to_nobody_else(app, people, clock):
    client = people.moderator(on_shift=False)
    client.post("/rota/limits", data={"shifts_per_week": "2", "night_from": ""})
    other = people.moderator(on_shift=False)
    assert 'selected value="2"' in page(client)
    assert 'selected value="2"' not in page(other)


# Time zones and the clocks changing


def test_the_plan_is_shown_in_the_rota_time_zone(app, people, clock):
    client = people.moderator(on_shift=False)
    planned(app, datetime(2026, 12, 3, 14, 0))
    assert "14:00</time> to <time" in page(client)


@pytest.mark.settings(ROTA_TIMEZONE="America/New_York")
def test_another_rota_time_zone_moves_what_is_shown(app, people, clock):
    client = people.moderator(on_shift=False)
    planned(app, datetime(2026, 12, 3, 14, 0))
    html = page(client)
    assert "09:00</time> to <time" in html
    assert "America/New_York" in html


def test_the_planning_command_reads_the_rota_time_zone(app, clock):
    result = app.test_cli_runner().invoke(
        args=["rota", "shift", "--starts", "2027-06-01T10:00", "--hours", "2"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        shift = db.session.scalar(select(PlannedShift))
        assert shift.starts_at == datetime(2027, 6, 1, 9, 0)  # 10:00 BST
        assert shift.ends_at == datetime(2027, 6, 1, 11, 0)


def test_a_shift_on_the_night_the_clocks_go_forward_lasts_what_it_says(app, people, time_machine):
    time_machine.move_to(datetime(2027, 3, 27, 12, tzinfo=UTC), tick=False)
    client = people.moderator(handle="night-heron", on_shift=False)
    result = app.test_cli_runner().invoke(args=[
        "rota", "shift", "--starts", "2027-03-28T00:30", "--hours", "2",
        "--moderator", "night-heron"])  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        shift = db.session.scalar(select(PlannedShift))
        assert shift.ends_at - shift.starts_at == timedelta(hours=2)
        assert shift.starts_at == datetime(2027, 3, 28, 0, 30)  # 00:30 GMT
    html = page(client)
    assert "00:30</time> to <time" in html
    assert "03:30</time>" in html  # two hours later, in BST
    assert "the clocks change during it" in html
    no_cover(app)
    time_machine.move_to(datetime(2027, 3, 28, 0, 25, tzinfo=UTC), tick=False)
    client.post("/rota/start")
    assert running(app, client.account_id).ends_at == datetime(2027, 3, 28, 2, 30)


def test_a_shift_on_the_night_the_clocks_go_back_lasts_what_it_says(app, people, time_machine):
    time_machine.move_to(datetime(2027, 10, 30, 12, tzinfo=UTC), tick=False)
    client = people.moderator(on_shift=False)
    result = app.test_cli_runner().invoke(
        args=["rota", "shift", "--starts", "2027-10-31T00:30", "--hours", "2"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        shift = db.session.scalar(select(PlannedShift))
        assert shift.starts_at == datetime(2027, 10, 30, 23, 30)  # 00:30 BST
        assert shift.ends_at - shift.starts_at == timedelta(hours=2)
    html = page(client)
    assert "00:30</time> to <time" in html
    assert "01:30</time>" in html  # two hours later, back in GMT
    assert "the clocks change during it" in html


def test_a_time_the_clocks_skip_cannot_be_planned(app, clock):
    result = app.test_cli_runner().invoke(
        args=["rota", "shift", "--starts", "2027-03-28T01:30", "--hours", "1"]
    )
    assert result.exit_code != 0
    assert "does not happen in Europe/London" in result.output


# The planning command


def test_the_planning_command_signs_the_moderator_up(app, people, clock):
    client = people.moderator(handle="planned-heron", on_shift=False)
    result = app.test_cli_runner().invoke(args=[
        "rota", "shift", "--starts", "2026-12-02T12:00", "--hours", "2",
        "--moderator", "planned-heron"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "with planned-heron signed up" in result.output
    no_cover(app)
    client.post("/rota/start")
    assert running(app, client.account_id).planned_shift_id is not None


def test_the_planning_command_plans_nothing_when_it_cannot_sign_up(app, people, clock):
    people.member(handle="not-a-moderator")
    runner = app.test_cli_runner()
    for handle in ("not-a-moderator", "nobody-at-all"):
        result = runner.invoke(args=[
            "rota", "shift", "--starts", "2026-12-03T10:00", "--hours", "2",
            "--moderator", handle])  # fmt: skip
        assert result.exit_code != 0
        assert "Nothing was planned" in result.output
    with app.app_context():
        assert db.session.scalar(select(PlannedShift.id)) is None


def test_the_planning_command_refuses_bad_input(app, clock):
    runner = app.test_cli_runner()
    for args in (["--starts", "tomorrow", "--hours", "2"],
                 ["--starts", "2026-12-03T10:00", "--hours", "0"],
                 ["--starts", "2026-12-01T10:00", "--hours", "1"],
                 ["--starts", "2026-12-03T10:00", "--hours", "2", "--places", "0"]):  # fmt: skip
        assert runner.invoke(args=["rota", "shift", *args]).exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(PlannedShift.id)) is None
        assert db.session.scalar(select(Account.id)) is None or True
    assert plan  # the service the command drives
