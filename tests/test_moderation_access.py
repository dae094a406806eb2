"""Who may reach the queue, cases, claims, actions and the rota: only a moderator on shift
sees reported words; the log is for everyone."""

import pytest

from app.moderation.models import Case
from app.web.extensions import db
from tests.moderation_helpers import (
    ACT,
    People,
    acting,
    case_row,
    end_shift_in_the_past,
    log_count,
    open_case,
)

REPORTED = "Words somebody reported at midnight"


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def case_id(app, make):
    question = make.question(title="A question someone reported", body=REPORTED).post
    return open_case(app, question, details="It felt like a pile-on")


def _moderation_routes(case_id):
    return [
        ("GET", "/moderate", None),
        ("GET", f"/moderate/cases/{case_id}", None),
        ("POST", f"/moderate/cases/{case_id}/claim", {}),
        ("POST", f"/moderate/cases/{case_id}/act", ACT),
        ("POST", f"/moderate/cases/{case_id}/approve", {"version": "1"}),
        ("POST", f"/moderate/cases/{case_id}/second-opinion", {"question": "Is it?"}),
        ("POST", f"/moderate/cases/{case_id}/second-opinion/1/reply", {"text": "Yes."}),
        ("GET", "/moderate/appeals", None),
        ("POST", "/moderate/appeals/1", {"decision": "overturn", "message": "Heard."}),
    ]


def _refused_everywhere(client, case_id):
    for method, path, data in _moderation_routes(case_id):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 403, (method, path)
        assert REPORTED not in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"


def _untouched(app, case_id):
    case = case_row(app, case_id)
    assert case.claimed_by_id is None
    assert case.decided_at is None
    assert log_count(app) == 0


def test_a_visitor_is_refused_every_moderation_route(app, people, case_id):
    _refused_everywhere(people.visitor(), case_id)
    _untouched(app, case_id)


def test_a_member_is_refused_every_moderation_route(app, people, case_id):
    _refused_everywhere(people.member(), case_id)
    _untouched(app, case_id)


def test_a_moderator_off_shift_is_refused_every_moderation_route(app, people, case_id):
    _refused_everywhere(people.moderator(on_shift=False), case_id)
    _untouched(app, case_id)


def test_a_coordinator_who_is_not_a_moderator_is_refused_the_queue(app, people, case_id):
    _refused_everywhere(people.coordinator(), case_id)
    _untouched(app, case_id)


def test_a_moderator_on_shift_reaches_the_queue_and_the_case(people, case_id):
    client = people.moderator()
    queue = client.get("/moderate")
    assert queue.status_code == 200
    assert f'data-case-id="{case_id}"' in queue.get_data(as_text=True)
    assert queue.headers["Cache-Control"] == "no-store"
    case = client.get(f"/moderate/cases/{case_id}")
    assert case.status_code == 200
    assert REPORTED in case.get_data(as_text=True)
    assert case.headers["Cache-Control"] == "no-store"


def test_a_moderator_on_shift_may_claim_and_act(app, people, case_id):
    client = people.moderator()
    assert client.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    assert (
        client.post(f"/moderate/cases/{case_id}/act", data=acting(app, case_id, ACT)).status_code
        == 303
    )
    assert log_count(app) == 1


def test_a_shift_past_its_end_no_longer_lets_the_moderator_in(app, people, case_id):
    client = people.moderator()
    assert client.get("/moderate").status_code == 200
    end_shift_in_the_past(app, client.account_id)
    _refused_everywhere(client, case_id)
    _untouched(app, case_id)


def test_losing_the_moderator_role_mid_shift_closes_the_queue(app, people, case_id):
    from app.accounts import services

    client = people.moderator(handle="leaving-moderator")
    with app.app_context():
        services.revoke("leaving-moderator", "moderator")
    # Revoking signs the person out everywhere; signed in again, the role is gone.
    from tests.accounts_helpers import sign_in

    sign_in(client, "leaving-moderator")
    assert client.get("/moderate").status_code == 403


ROTA_POSTS = ["/rota/start", "/rota/step-out", "/rota/name"]


def test_a_visitor_is_asked_to_sign_in_for_the_rota(people):
    visitor = people.visitor()
    for method, path in [("GET", "/rota")] + [("POST", p) for p in ROTA_POSTS]:
        response = visitor.open(path, method=method)
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/login?next="), path


def test_a_member_is_refused_the_rota(people):
    member = people.member()
    for method, path in [("GET", "/rota")] + [("POST", p) for p in ROTA_POSTS]:
        assert member.open(path, method=method).status_code == 403, path


def test_a_coordinator_may_see_the_rota_page_but_takes_no_shift(app, people):
    coordinator = people.coordinator()
    page = coordinator.get("/rota")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Start a shift" not in page.get_data(as_text=True)
    for path in ROTA_POSTS:
        assert coordinator.post(path).status_code == 403, path
    assert coordinator.get("/moderate").status_code == 403


@pytest.mark.parametrize("on_shift", [True, False], ids=["on-shift", "off-shift"])
def test_a_moderator_sees_their_rota_page_on_or_off_shift(people, on_shift):
    client = people.moderator(on_shift=on_shift)
    page = client.get("/rota")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    expected = 'data-on-shift="yes"' if on_shift else 'data-on-shift="no"'
    assert expected in page.get_data(as_text=True)


@pytest.mark.parametrize("who", ["visitor", "member", "moderator", "coordinator"])
def test_everyone_may_read_the_log_and_its_feed(people, who):
    client = getattr(people, who)()
    for path in ("/moderation-log", "/moderation-log.atom"):
        response = client.get(path)
        assert response.status_code == 200, path
        if who == "visitor":
            assert "Cache-Control" not in response.headers, path


def test_no_case_is_left_claimed_by_a_refused_claim(app, people, case_id):
    member = people.member()
    member.post(f"/moderate/cases/{case_id}/claim")
    with app.app_context():
        assert db.session.get(Case, case_id).first_read_at is None
