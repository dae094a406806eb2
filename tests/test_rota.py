"""A moderator's shift: started with a rota name, capped, and ended at once by stepping
out, with no reason asked and every claim handed back."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts import access, services
from app.accounts.models import Account
from app.core.time import now
from app.rota import shifts
from app.rota.models import Shift
from app.web.extensions import db
from tests.accounts_helpers import add_pseudonym
from tests.moderation_helpers import People, case_row, end_shift_in_the_past, open_case


@pytest.fixture
def people(app):
    return People(app)


def _shifts(app, account_id):
    with app.app_context():
        found = db.session.scalars(
            select(Shift).where(Shift.account_id == account_id).order_by(Shift.id)
        ).all()
        for shift in found:
            db.session.expunge(shift)
        return found


def _on_shift(app, account_id):
    with app.app_context():
        return access.is_on_shift(db.session.get(Account, account_id))


def test_starting_a_shift_lets_the_moderator_into_the_queue(app, people):
    client = people.moderator(on_shift=False)
    assert client.get("/moderate").status_code == 403
    started = client.post("/rota/start")
    assert started.status_code == 303
    assert started.headers["Location"] == "/moderate"
    assert client.get("/moderate").status_code == 200
    assert _on_shift(app, client.account_id)


def test_a_shift_ends_after_three_hours_by_default(app, people):
    client = people.moderator()
    (shift,) = _shifts(app, client.account_id)
    assert shift.ends_at - shift.started_at == timedelta(hours=3)


@pytest.mark.settings(ROTA_SHIFT_HOURS=1.5)
def test_the_cap_on_a_shift_is_a_setting(app, people):
    (shift,) = _shifts(app, people.moderator().account_id)
    assert shift.ends_at - shift.started_at == timedelta(hours=1.5)


def test_starting_twice_keeps_one_shift(app, people):
    client = people.moderator()
    client.post("/rota/start")
    assert len(_shifts(app, client.account_id)) == 1


def test_a_moderator_needs_a_rota_name_to_start(app, people):
    client = people.member(handle="new-moderator")
    with app.app_context():
        services.grant("new-moderator", "moderator")
    client.post("/rota/start")
    page = client.get("/rota").get_data(as_text=True)
    assert "Please choose a rota name first" in page
    assert client.get("/moderate").status_code == 403


def test_stepping_out_ends_the_shift_at_once_and_records_only_that(app, people):
    client = people.moderator()
    stepped = client.post("/rota/step-out")
    assert stepped.status_code == 303
    assert client.get("/moderate").status_code == 403
    (shift,) = _shifts(app, client.account_id)
    assert shift.ended_how == "stepped out"
    assert shift.ended_at <= now()
    assert "reason" not in client.get("/rota").get_data(as_text=True).split("Step out")[0]


def test_stepping_out_hands_back_every_claim(app, people, make):
    client = people.moderator()
    claimed = [open_case(app, make.question(title=f"Q{n}").post) for n in range(2)]
    for case_id in claimed:
        assert client.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    client.post("/rota/step-out")
    for case_id in claimed:
        case = case_row(app, case_id)
        assert case.claimed_by_id is None
        assert case.decided_at is None
    other = people.moderator()
    assert other.post(f"/moderate/cases/{claimed[0]}/claim").status_code == 303


def test_losing_the_moderator_role_ends_the_running_shift_and_hands_back_claims(app, people, make):
    client = people.moderator(handle="leaving-heron")
    case_id = open_case(app, make.question().post)
    assert client.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    with app.app_context():
        services.revoke("leaving-heron", "moderator")
    (shift,) = _shifts(app, client.account_id)
    assert shift.ended_at is not None and shift.ended_at <= now()
    assert shift.ended_how == "ended"
    assert case_row(app, case_id).claimed_by_id is None
    assert not _on_shift(app, client.account_id)
    with app.app_context():
        assert not access.anyone_on_shift()


def test_losing_another_role_leaves_the_shift_running(app, people):
    client = people.moderator(handle="busy-heron")
    with app.app_context():
        services.grant("busy-heron", "coordinator")
        services.revoke("busy-heron", "coordinator")
    (shift,) = _shifts(app, client.account_id)
    assert shift.ended_at is None


def test_stepping_out_leaves_other_moderators_claims_alone(app, people, make):
    stays = people.moderator()
    leaves = people.moderator()
    case_id = open_case(app, make.question().post)
    stays.post(f"/moderate/cases/{case_id}/claim")
    leaves.post("/rota/step-out")
    assert case_row(app, case_id).claimed_by_id == stays.account_id


def test_a_shift_past_its_end_is_over_without_anyone_ending_it(app, people):
    client = people.moderator()
    end_shift_in_the_past(app, client.account_id)
    assert not _on_shift(app, client.account_id)
    with app.app_context():
        assert not shifts.anyone_on_shift()
    assert 'data-on-shift="no"' in client.get("/rota").get_data(as_text=True)


def test_a_new_shift_closes_one_left_past_its_end_as_ended(app, people, time_machine):
    client = people.moderator()
    time_machine.move_to(now() + timedelta(hours=14), tick=False)
    client.post("/rota/start")
    old, new = _shifts(app, client.account_id)
    assert old.ended_how == "ended"
    assert new.ended_at is None
    assert _on_shift(app, client.account_id)


def test_anyone_on_shift_follows_the_rota(app, people):
    with app.app_context():
        assert not access.anyone_on_shift()
    client = people.moderator()
    with app.app_context():
        assert access.anyone_on_shift()
    client.post("/rota/step-out")
    with app.app_context():
        assert not access.anyone_on_shift()


def test_a_moderator_chooses_a_rota_name(app, people):
    client = people.moderator(rota_name="Kestrel")
    saved = client.post("/rota/name", data={"rota_name": "Lapwing"})
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(Account, client.account_id).rota_name == "Lapwing"


@pytest.mark.parametrize(
    ("name", "message"),
    [("Robin", "taken"), ("R\u043ebin", "taken"), ("Kestrel", "taken"),
     ("Mod Sam", "kept for Kettle"), ("x", "2 to 40")],
)  # fmt: skip
def test_a_rota_name_cannot_look_like_a_pseudonym_another_rota_name_or_authority(
    app, people, name, message
):
    people.member(handle="robin-person", pseudonym="Robin")
    people.moderator(rota_name="Kestrel")
    client = people.moderator(rota_name="Heron")
    refused = client.post("/rota/name", data={"rota_name": name})
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Account, client.account_id).rota_name == "Heron"


def test_nobody_can_take_a_moderators_rota_name_as_a_pseudonym(app, people):
    people.moderator(rota_name="Kestrel")
    member = people.member()
    refused = member.post("/account/pseudonyms", data={"name": "Kestrel"})
    assert refused.status_code == 400
    add_pseudonym(member, "Plover")  # any other name is fine
