"""Coordinators plan the pattern of shifts, open or close the rota to cover, and see the gaps
and hours per person, never a ranking and never how anyone's shift ended."""

import re
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from app.accounts.models import Account
from app.core.time import now
from app.rota import caps, gaps, limits, pattern, plan
from app.rota.calendar import month_start, week_start
from app.rota.models import PlannedShift, RotaSettings, Shift, SignUp
from app.topics.models import ContentNote
from app.web.extensions import db
from tests.moderation_helpers import People

# A Tuesday in June (British Summer Time), well away from any change of the clocks.
JUNE = datetime(2027, 6, 8, 9, 0)
WEEK = {"first_day": "2027-06-09", "days": "7", "from_hour": "8", "to_hour": "22",
        "slot_hours": "2", "places": "2"}  # fmt: skip


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def june(time_machine):
    time_machine.move_to(JUNE, tick=False)
    return time_machine


def _planned(app):
    with app.app_context():
        rows = db.session.scalars(
            select(PlannedShift).order_by(PlannedShift.starts_at)
        ).all()  # fmt: skip
        return [(p.starts_at, p.ends_at, p.places) for p in rows]


def _plan(app, starts_wall, hours=2, places=2):
    with app.app_context():
        planned = plan.plan_one(starts_wall, hours, places)
        db.session.commit()
        return planned.id


def _sign_up(app, account_id, planned_id):
    with app.app_context():
        assert plan.sign_up(db.session.get(Account, account_id), plan.get(planned_id))


def _opt_out(app, account_id, *slugs):
    with app.app_context():
        notes = db.session.scalars(select(ContentNote).where(ContentNote.slug.in_(slugs)))
        limits.save(account_id, None, None, list(notes))


def _pattern(app, **asked):
    with app.app_context():
        return pattern.plan_pattern(**asked)


# Planning a pattern


def test_a_coordinator_plans_a_week_of_two_hour_slots_each_needing_two(app, people, june):
    coordinator = people.coordinator()
    response = coordinator.post("/rota/plan", data=WEEK)
    assert response.status_code == 303
    assert response.headers["Location"] == "/rota/plan"
    page = coordinator.get("/rota/plan").get_data(as_text=True)
    assert "Planned 49 shifts." in page
    planned = _planned(app)
    assert len(planned) == 7 * 7
    assert all(ends - starts == timedelta(hours=2) and places == 2
               for starts, ends, places in planned)  # fmt: skip
    # 08:00 in London in June is 07:00 UTC; the last slot, 20:00 to 22:00, ends by 22:00.
    assert planned[0][0] == datetime(2027, 6, 9, 7, 0)
    assert planned[6][0:2] == (datetime(2027, 6, 9, 19, 0), datetime(2027, 6, 9, 21, 0))
    assert planned[-1][0] == datetime(2027, 6, 15, 19, 0)
    assert page.count('class="planned-shift"') == 49


def test_planning_over_shifts_already_planned_skips_the_overlapping_slots(app, june):
    _plan(app, datetime(2027, 6, 9, 9, 0), hours=1)  # 09:00 to 10:00, by hand
    first = _pattern(app, first_day=date(2027, 6, 9), days=1, from_hour=8, to_hour=14,
                     slot_hours=2, places=2)  # fmt: skip
    assert (first.planned, first.already) == (2, 1)  # 08:00 overlaps the hand-planned hour
    again = _pattern(app, first_day=date(2027, 6, 9), days=2, from_hour=8, to_hour=14,
                     slot_hours=2, places=2)  # fmt: skip
    assert (again.planned, again.already, again.skipped) == (3, 3, 3)
    spans = [(starts, ends) for starts, ends, _ in _planned(app)]
    assert len(spans) == 6
    assert all(ends <= later for (_, ends), (later, _) in pairwise(spans))


def test_the_result_says_how_many_were_already_planned(app, people, june):
    coordinator = people.coordinator()
    coordinator.post("/rota/plan", data={**WEEK, "days": "1"})
    coordinator.get("/rota/plan")
    coordinator.post("/rota/plan", data={**WEEK, "days": "2"})
    page = coordinator.get("/rota/plan").get_data(as_text=True)
    assert "Planned 7 shifts; 7 were already planned." in page


def test_slots_already_over_today_are_skipped(app, june):
    # It is 10:00 in London: the 08:00 and 09:00 slots are over, the 10:00 one is not.
    result = _pattern(app, first_day=date(2027, 6, 8), days=1, from_hour=8, to_hour=12,
                      slot_hours=1, places=1)  # fmt: skip
    assert (result.planned, result.passed) == (2, 2)
    assert _planned(app)[0][0] == datetime(2027, 6, 8, 9, 0)


def test_a_pattern_over_the_night_the_clocks_go_forward_keeps_real_hours(app, time_machine):
    time_machine.move_to(datetime(2027, 3, 20, 12, 0), tick=False)
    # On 28 March 2027 London's clocks go from 01:00 GMT to 02:00 BST: 01:00 never happens.
    hourly = _pattern(app, first_day=date(2027, 3, 28), days=1, from_hour=0, to_hour=6,
                      slot_hours=1, places=1)  # fmt: skip
    assert (hourly.planned, hourly.clocks) == (5, 1)
    assert [(s, e) for s, e, _ in _planned(app)] == [
        (datetime(2027, 3, 28, h, 0), datetime(2027, 3, 28, h + 1, 0)) for h in range(5)
    ]


def test_two_hour_slots_over_the_spring_night_never_overlap(app, time_machine):
    time_machine.move_to(datetime(2027, 3, 20, 12, 0), tick=False)
    result = _pattern(app, first_day=date(2027, 3, 28), days=2, from_hour=0, to_hour=6,
                      slot_hours=2, places=1)  # fmt: skip
    # 00:00 GMT lasts two real hours (to 03:00 BST), so 02:00 BST would overlap it.
    assert (result.planned, result.clocks) == (5, 1)
    assert [(s, e) for s, e, _ in _planned(app)][:2] == [
        (datetime(2027, 3, 28, 0, 0), datetime(2027, 3, 28, 2, 0)),
        (datetime(2027, 3, 28, 3, 0), datetime(2027, 3, 28, 5, 0)),
    ]
    # The next night is ordinary summer time: 00:00 BST is 23:00 UTC the evening before.
    assert _planned(app)[2][0] == datetime(2027, 3, 28, 23, 0)


def test_a_pattern_over_the_night_the_clocks_go_back_keeps_real_hours(app, time_machine):
    time_machine.move_to(datetime(2027, 10, 25, 12, 0), tick=False)
    # On 31 October 2027 London's clocks go from 02:00 BST back to 01:00 GMT.
    result = _pattern(app, first_day=date(2027, 10, 31), days=1, from_hour=0, to_hour=4,
                      slot_hours=1, places=1)  # fmt: skip
    assert result.planned == 4
    spans = [(s, e) for s, e, _ in _planned(app)]
    assert spans == [
        (datetime(2027, 10, 30, 23, 0), datetime(2027, 10, 31, 0, 0)),  # 00:00 BST
        (datetime(2027, 10, 31, 0, 0), datetime(2027, 10, 31, 1, 0)),  # 01:00 BST
        (datetime(2027, 10, 31, 2, 0), datetime(2027, 10, 31, 3, 0)),  # 02:00 GMT
        (datetime(2027, 10, 31, 3, 0), datetime(2027, 10, 31, 4, 0)),  # 03:00 GMT
    ]
    assert all(e - s == timedelta(hours=1) for s, e in spans)


def test_the_gaps_page_says_when_the_clocks_change(app, people, time_machine):
    time_machine.move_to(datetime(2027, 3, 20, 12, 0), tick=False)
    coordinator = people.coordinator()
    _pattern(app, first_day=date(2027, 3, 27), days=2, from_hour=0, to_hour=4, slot_hours=2,
             places=1)  # fmt: skip
    page = coordinator.get("/rota/gaps").get_data(as_text=True)
    saturday, sunday = page.split("<h2>Saturday 27 March</h2>")[1].split("<h2>Sunday 28 March")
    assert "The clocks change on this day" not in saturday
    assert "The clocks change on this day" in sunday
    # The shift across the change reads 00:00 to 03:00 but lasts its two real hours.
    assert "00:00</time> to <time" in sunday
    assert "03:00</time> (2 hours: the clocks change during it)" in sunday


# Bad input comes back with the words kept


def _errors_link_to(page, field_id):
    assert f'href="#{field_id}"' in page
    assert f'id="{field_id}-error"' in page
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*'
                     rf'id="{field_id}"', page)  # fmt: skip


def test_a_pattern_that_is_not_numbers_comes_back_with_the_words_kept(app, people, june):
    coordinator = people.coordinator()
    response = coordinator.post("/rota/plan", data={
        **WEEK, "first_day": "next Tuesday", "days": "seven", "places": "a couple"})  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for kept in ('value="next Tuesday"', 'value="seven"', 'value="a couple"'):
        assert kept in page
    assert "Please give the first day as a date" in page
    for field_id in ("first_day", "days", "places"):
        _errors_link_to(page, field_id)
    assert "<title>Error: " in page
    assert _planned(app) == []


@pytest.mark.parametrize(("change", "field_id", "said"), [
    ({"days": "30"}, "days", "Please plan from 1 to 14 days at a time."),
    ({"first_day": "2027-06-07"}, "first_day", "That day has passed."),
    ({"from_hour": "14", "to_hour": "10"}, "to_hour", "Please choose an end after the start"),
    ({"slot_hours": "4"}, "slot_hours", "A slot lasts from 30 minutes to 3 hours"),
    ({"slot_hours": "1.25"}, "slot_hours", "in steps of half an hour"),
    ({"slot_hours": "NaN"}, "slot_hours", "Please give the hours as a number"),
    ({"from_hour": "20", "to_hour": "21"}, "slot_hours", "does not fit between 20:00 and 21:00"),
    ({"places": "0"}, "places", "A slot needs from 1 to 20 people."),
    ({"from_hour": "25"}, "from_hour", "Please choose an hour from the list."),
])  # fmt: skip
def test_a_pattern_the_rota_cannot_take_is_refused_beside_its_field(
    app, people, june, change, field_id, said
):
    coordinator = people.coordinator()
    sent = {**WEEK, **change}
    response = coordinator.post("/rota/plan", data=sent)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert said in page
    _errors_link_to(page, field_id)
    if field_id in ("days", "places", "slot_hours"):
        assert f'value="{sent[field_id]}"' in page
    assert _planned(app) == []


# Cover


def test_closing_the_rota_to_cover_stops_a_moderator_starting_unplanned(app, people):
    coordinator = people.coordinator()
    moderator = people.moderator(on_shift=False)
    closed = coordinator.post("/rota/plan/cover", data={"allow_cover": "no"})
    assert closed.status_code == 303
    page = coordinator.get("/rota/plan").get_data(as_text=True)
    assert "The rota is closed to cover" in page
    assert 'data-allow-cover="no"' in page
    moderator.post("/rota/start")
    assert moderator.get("/moderate").status_code == 403
    coordinator.post("/rota/plan/cover", data={"allow_cover": "yes"})
    assert moderator.post("/rota/start").headers["Location"] == "/moderate"
    assert moderator.get("/moderate").status_code == 200
    with app.app_context():
        assert db.session.get(RotaSettings, 1).allow_cover is True


def test_the_cover_setting_needs_one_of_its_two_choices(app, people):
    coordinator = people.coordinator()
    response = coordinator.post("/rota/plan/cover", data={"allow_cover": "sometimes"})
    assert response.status_code == 400
    assert 'href="#allow_cover"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(RotaSettings, 1) is None


# Taking a shift out of the plan


def test_a_coordinator_takes_a_shift_out_and_is_told_how_many_to_tell(app, people, june):
    coordinator = people.coordinator()
    moderator = people.moderator(on_shift=False)
    planned_id = _plan(app, datetime(2027, 6, 9, 14, 0))
    _sign_up(app, moderator.account_id, planned_id)
    response = coordinator.post(f"/rota/plan/shifts/{planned_id}/cancel")
    assert response.status_code == 303
    page = coordinator.get("/rota/plan").get_data(as_text=True)
    assert "Wednesday 9 June at 14:00 is no longer in the plan." in page
    assert "1 person had signed up for it, so please let them know." in page
    assert _planned(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignUp)) == 0


def test_a_shift_that_has_begun_stays_in_the_plan(app, people, june):
    coordinator = people.coordinator()
    planned_id = _plan(app, datetime(2027, 6, 8, 9, 30))  # began at 09:30 London, 08:30 UTC
    coordinator.post(f"/rota/plan/shifts/{planned_id}/cancel")
    page = coordinator.get("/rota/plan").get_data(as_text=True)
    assert "so it stays in the plan" in page
    assert len(_planned(app)) == 1
    assert coordinator.post("/rota/plan/shifts/999/cancel").status_code == 404


# Gaps


def test_gaps_list_unfilled_places_and_notes_nobody_signed_up_can_take(app, people, june):
    coordinator = people.coordinator()
    robin, wren, heron = (people.moderator(on_shift=False) for _ in range(3))
    _opt_out(app, robin.account_id, "self-harm", "suicide")
    _opt_out(app, wren.account_id, "self-harm")
    nobody = _plan(app, datetime(2027, 6, 9, 8, 0))
    short = _plan(app, datetime(2027, 6, 9, 10, 0))
    _sign_up(app, robin.account_id, short)
    full = _plan(app, datetime(2027, 6, 10, 10, 0))
    _sign_up(app, robin.account_id, full)
    _sign_up(app, wren.account_id, full)
    covered = _plan(app, datetime(2027, 6, 11, 10, 0), places=1)
    _sign_up(app, heron.account_id, covered)  # Heron opted out of nothing
    page = coordinator.get("/rota/gaps").get_data(as_text=True)
    listed = re.findall(r'class="gap" data-planned-shift-id="(\d+)"', page)
    assert listed == [str(nobody), str(short), str(full)]
    shown = {gap_id: page.split(f'data-planned-shift-id="{gap_id}"')[1].split("</li>")[0]
             for gap_id in listed}  # fmt: skip
    assert "Nobody has signed up yet: 2 places to fill." in shown[str(nobody)]
    assert "gap-notes" not in shown[str(nobody)]
    assert "1 of 2 places still to fill." in shown[str(short)]
    # One person signed up: naming the notes would show that person's private opt-outs.
    assert "Self-harm" not in shown[str(short)] and "Suicide" not in shown[str(short)]
    # Full, and both opted out of self-harm: that note is left without anyone to take it.
    assert "still to fill" not in shown[str(full)]
    assert "Self-harm" in shown[str(full)] and "Suicide" not in shown[str(full)]
    assert "Kestrel" not in page  # no rota name: nobody is singled out by their opt-outs


def test_a_full_shift_where_someone_can_take_every_note_is_no_gap(app, people, june):
    robin = people.moderator(on_shift=False)
    planned_id = _plan(app, datetime(2027, 6, 9, 8, 0), places=1)
    _sign_up(app, robin.account_id, planned_id)
    with app.app_context():
        assert gaps.gaps(now()) == []
    page = people.coordinator().get("/rota/gaps").get_data(as_text=True)
    assert 'id="no-gaps"' in page


def test_gaps_look_only_two_weeks_ahead(app, people, june):
    within = _plan(app, datetime(2027, 6, 21, 8, 0))
    _plan(app, datetime(2027, 6, 23, 8, 0))
    with app.app_context():
        assert [gap.planned.id for gap in gaps.gaps(now())] == [within]


def test_gaps_take_a_few_queries_however_many_people_signed_up(app, people, june, queries):
    def count():
        with app.app_context(), queries as seen:
            gaps.gaps(now())
            gaps.hours(now())
        return seen.n

    first = people.moderator(on_shift=False)
    _opt_out(app, first.account_id, "self-harm")
    _sign_up(app, first.account_id, _plan(app, datetime(2027, 6, 9, 8, 0)))
    few = count()
    for day in range(10, 14):
        someone = people.moderator(on_shift=False)
        _opt_out(app, someone.account_id, "self-harm", "suicide")
        _sign_up(app, someone.account_id, _plan(app, datetime(2027, 6, day, 8, 0)))
    assert count() == few


# Hours per person


def test_hours_per_person_are_alphabetical_and_never_say_how_shifts_ended(
    app, people, time_machine
):
    time_machine.move_to(JUNE, tick=False)
    coordinator = people.coordinator()
    people.moderator(rota_name="Zephyr")  # the most time, listed last
    time_machine.shift(timedelta(minutes=45))
    avocet = people.moderator(rota_name="avocet")
    time_machine.shift(timedelta(minutes=30))
    avocet.post("/rota/step-out")
    bittern = people.moderator(rota_name="Bittern", on_shift=False)
    _sign_up(app, bittern.account_id, _plan(app, datetime(2027, 6, 9, 14, 0), hours=2.5))
    page = coordinator.get("/rota/hours").get_data(as_text=True)
    assert re.findall(r"<bdi>([^<]+)</bdi></th>", page) == ["avocet", "Bittern", "Zephyr"]
    rows = {name: page.split(f"<bdi>{name}</bdi>")[1].split("</tr>")[0]
            for name in ("avocet", "Bittern", "Zephyr")}  # fmt: skip
    assert rows["avocet"].count("<td>30 minutes</td>") == 2
    assert rows["Zephyr"].count("<td>1 hour 15 minutes</td>") == 2  # still on shift
    assert "2 hours 30 minutes (1 shift)" in rows["Bittern"]
    assert '<th scope="col">' in page and "<caption>" in page
    assert "stepped out" not in page.lower()
    assert "ended" not in page.lower()


def test_hours_count_time_on_shift_as_the_caps_do(app, people, time_machine):
    time_machine.move_to(datetime(2027, 6, 30, 20, 0), tick=False)  # a week across two months
    moderator = people.moderator(rota_name="Heron")
    time_machine.shift(timedelta(hours=1))
    moderator.post("/rota/step-out")
    time_machine.move_to(datetime(2027, 7, 1, 12, 0), tick=False)
    people.moderator(rota_name="Plover")
    time_machine.shift(timedelta(minutes=20))
    with app.app_context():
        at = now()
        rows = {row.rota_name: row for row in gaps.hours(at)}
        for account_id, name in ((moderator.account_id, "Heron"),):
            assert rows[name].this_week == caps.time_on_shift(account_id, week_start(at), at)
            assert rows[name].this_month == caps.time_on_shift(account_id, month_start(at), at)
        assert rows["Heron"].this_week == timedelta(hours=1)
        assert rows["Heron"].this_month == timedelta()  # June's hour is not July's
        assert rows["Plover"].this_week == rows["Plover"].this_month == timedelta(minutes=20)
        assert db.session.scalar(select(func.count()).select_from(Shift)) == 2


# Who may coordinate


COORDINATORS_ONLY = [
    ("GET", "/rota/plan"), ("POST", "/rota/plan"), ("POST", "/rota/plan/cover"),
    ("POST", "/rota/plan/shifts/1/cancel"), ("GET", "/rota/gaps"), ("GET", "/rota/hours"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), COORDINATORS_ONLY)
def test_members_and_moderators_are_refused_the_coordinators_pages(app, people, method, path):
    for client in (people.member(), people.moderator()):
        response = client.open(path, method=method, data={"allow_cover": "no", **WEEK})
        assert response.status_code == 403
        assert "This page is not open to you" in response.get_data(as_text=True)
    assert _planned(app) == []
    with app.app_context():
        assert db.session.get(RotaSettings, 1) is None


@pytest.mark.parametrize(("method", "path"), COORDINATORS_ONLY)
def test_a_signed_out_visitor_is_sent_to_sign_in(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/login?next=")


def test_the_coordinators_pages_are_never_stored(people):
    coordinator = people.coordinator()
    for path in ("/rota/plan", "/rota/gaps", "/rota/hours"):
        response = coordinator.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store", path


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(app, people, june):
    coordinator = people.coordinator()
    planned_id = _plan(app, datetime(2027, 6, 9, 8, 0))
    app.config["WTF_CSRF_ENABLED"] = True
    for path, data in (("/rota/plan", WEEK), ("/rota/plan/cover", {"allow_cover": "no"}),
                       (f"/rota/plan/shifts/{planned_id}/cancel", {})):  # fmt: skip
        assert coordinator.post(path, data=data).status_code == 400, path
    assert len(_planned(app)) == 1
    with app.app_context():
        assert db.session.get(RotaSettings, 1) is None
    page = coordinator.get("/rota/plan").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = coordinator.post("/rota/plan", data={**WEEK, "days": "1", "csrf_token": token})
    assert sent.status_code == 303
    assert len(_planned(app)) == 7


def test_absurd_values_in_the_pattern_form_never_break_it_or_plan_anything(app, people, june):
    from tests.test_hardening_requests import ABSURD

    coordinator = people.coordinator()
    for name in WEEK:
        for value in ABSURD:
            if (name, value) == ("from_hour", "0"):  # midnight: a fine start
                continue
            response = coordinator.post("/rota/plan", data={**WEEK, name: value})
            assert response.status_code == 400, (name, value)
    assert _planned(app) == []
