"""One test for each defect a fresh review of the rota found: words kept from a moderator
by their own limits stay kept on every route, private opt-outs stay private, huge ids are
not found, a mistyped rota time zone stops start-up, a replaced raid measure says so, and
the export holds what the rota keeps about a person."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.core.time import now
from app.moderation.log import LogEntry
from app.web.extensions import db
from tests.conftest import TestConfig
from tests.moderation_helpers import ACT, People, acting, open_case
from tests.test_appeals import decide, logged, the_appeal
from tests.test_rota_plan import at_once, planned, signed_up_ids
from tests.test_rota_routing import opted_out_of

WORDS = "Words about a night that went badly."
DETAILS = "A reporter's own account of why it worried them."


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def kept_case(app, people, make):
    """A moderator who opted out of self-harm, and a case on a post noted self-harm."""
    kept = people.moderator()
    opted_out_of(kept, "self-harm")
    posted = make.question(title="A noted question", body=WORDS, content_notes=["self-harm"])
    return kept, open_case(app, posted.post, details=DETAILS), posted


def test_no_route_on_a_kept_case_shows_its_words(app, kept_case):
    kept, case_id, _ = kept_case
    base = f"/moderate/cases/{case_id}"
    tries = [
        ("claim", {}),
        ("act", {}),
        ("act", acting(app, case_id, {**ACT, "action": "dismiss"})),
        ("approve", {"version": "1"}),
        ("second-opinion", {"question": ""}),
        ("second-opinion", {"question": "What do you make of this?"}),
    ]
    for path, data in tries:
        response = kept.post(f"{base}/{path}", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 403, path
        assert WORDS not in html and DETAILS not in html, path
    with app.app_context():
        assert db.session.scalar(select(LogEntry.id)) is None


def test_a_kept_moderator_cannot_reply_in_a_conversation_on_that_case(app, people, kept_case):
    kept, case_id, _ = kept_case
    asker = people.moderator()
    asked = asker.post(f"/moderate/cases/{case_id}/second-opinion", data={"question": "Hide?"})
    assert asked.status_code == 303
    from app.moderation.opinions import SecondOpinion

    with app.app_context():
        opinion_id = db.session.scalar(select(SecondOpinion.id))
    for text in ("", "I would hide it."):
        response = kept.post(
            f"/moderate/cases/{case_id}/second-opinion/{opinion_id}/reply", data={"text": text}
        )
        assert response.status_code == 403
        assert WORDS not in response.get_data(as_text=True)


def test_an_appeal_on_a_kept_case_is_heard_by_someone_else(app, people, kept_case):
    kept, case_id, posted = kept_case
    logged(app, posted.post.id, appeal="My words were about me, nobody else.", case_id=case_id)
    html = kept.get("/moderate/appeals").get_data(as_text=True)
    assert "My words were about me" not in html
    assert "a content note you chose not to review" in html
    assert decide(kept, the_appeal(app).id).status_code == 403
    other = people.moderator()
    assert "My words were about me" in other.get("/moderate/appeals").get_data(as_text=True)


def test_one_persons_opt_outs_are_not_shown_to_coordinators(app, people, time_machine):
    moderator = people.moderator(on_shift=False)
    opted_out_of(moderator, "self-harm")
    shift_id = planned(app, now() + timedelta(days=1), places=1)
    assert moderator.post(f"/rota/shifts/{shift_id}/sign-up").status_code == 303
    gaps = people.coordinator().get("/rota/gaps").get_data(as_text=True)
    assert "Self-harm" not in gaps


@pytest.mark.parametrize("path", [
    "/rota/shifts/99999999999999999999999/sign-up",
    "/rota/shifts/99999999999999999999999/drop",
])  # fmt: skip
def test_a_huge_shift_id_is_simply_not_found(app, people, path):
    assert people.moderator(on_shift=False).post(path).status_code == 404


def test_a_huge_id_on_a_coordinators_page_is_simply_not_found(app, people):
    coordinator = people.coordinator()
    for path in ("/coordinate/topics/99999999999999999999999",
                 "/coordinate/content-notes/99999999999999999999999"):  # fmt: skip
        assert coordinator.get(path).status_code == 404
    assert coordinator.post("/rota/plan/shifts/99999999999999999999999/cancel").status_code == 404


def test_a_mistyped_rota_time_zone_stops_start_up(database):
    with pytest.raises(Exception, match="Mars"):
        create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database,
                                "ROTA_TIMEZONE": "Mars/Olympus_Mons"})  # fmt: skip


@pytest.mark.settings(ROTA_WEEK_HOURS=4)
def test_one_person_signing_up_for_two_shifts_at_once_stays_within_the_week(app, people):
    client = people.moderator(on_shift=False)
    soon = now() + timedelta(days=1)
    shift_ids = [planned(app, soon, hours=3), planned(app, soon + timedelta(hours=15), hours=3)]
    statuses = at_once(lambda s: client.post(f"/rota/shifts/{s}/sign-up").status_code, shift_ids)
    taken = [s for s in shift_ids if signed_up_ids(app, s)]
    assert len(taken) == 1
    assert sorted(statuses) == [303, 409]


def test_replacing_a_running_raid_measure_says_so_in_the_log(app, people):
    coordinator = people.coordinator()
    for hours in ("1", "6"):
        data = {"collapse-threshold": "1", "collapse-hours": hours}
        sent = coordinator.post("/coordinate/raid/collapse", data=data)
        assert sent.status_code == 303, sent.get_data(as_text=True)
    log = people.visitor().get("/moderation-log").get_data(as_text=True)
    assert "This replaces the measure set before." in log


def test_the_export_holds_what_the_rota_keeps_about_a_person(app, people, make):
    moderator = people.moderator(rota_name="Plover")
    opted_out_of(moderator, "suicide")
    case_id = open_case(app, make.question().post)
    moderator.post(f"/moderate/cases/{case_id}/second-opinion", data={"question": "Is this ok?"})
    exported = moderator.get("/account/export.json").get_json()
    rota = exported["rota"]
    assert rota["rota_name"] == "Plover"
    assert rota["own_limits"]["content_notes_not_reviewed"] == ["suicide"]
    assert len(rota["time_on_shift"]) == 1
    assert rota["second_opinions_asked"][0]["question"] == "Is this ok?"
