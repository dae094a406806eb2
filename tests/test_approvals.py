"""Two people for the heaviest calls: suspending an account, or a pseudonym for more than 7
days, waits for a second, different moderator on shift; hiding never waits."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import Account, Pseudonym
from app.core.time import now
from app.moderation.approvals import ApprovalRequest
from app.moderation.log import LogEntry
from app.questions.models import Question
from app.web.extensions import db
from tests import test_visibility as visibility
from tests.moderation_helpers import People, case_row, end_shift_in_the_past, log_count, open_case
from tests.test_moderation_heavier import act, entries, robins_question

robin = visibility.robin
HEAVY = {"action": "suspend-account", "days": "3", "reason": "within-the-law"}


@pytest.fixture
def people(app):
    return People(app)


def approve(client, case_id, version=None):
    seen = case_row(client.application, case_id).version if version is None else version
    return client.post(f"/moderate/cases/{case_id}/approve", data={"version": str(seen)})


def robin_account(app):
    with app.app_context():
        account = db.session.scalar(
            select(Account).join(Pseudonym).where(Pseudonym.display_name == "Robin")
        )
        db.session.expunge(account)
        return account


@pytest.fixture
def waiting(app, people, robin):
    """A case on Robin's question with a request to suspend Robin's account, asked by
    Kestrel and not yet approved."""
    case_id = open_case(app, robins_question(app, robin))
    kestrel = people.moderator(rota_name="Kestrel")
    response = act(kestrel, case_id, **HEAVY)
    assert response.status_code == 303
    assert "waits for a second moderator" in kestrel.get("/moderate").get_data(as_text=True)
    return case_id, kestrel


def test_suspending_an_account_waits_and_changes_nothing_yet(app, people, waiting):
    case_id, kestrel = waiting
    assert log_count(app) == 0
    assert robin_account(app).suspended_until is None
    assert case_row(app, case_id).decided_at is None
    queue = kestrel.get("/moderate").get_data(as_text=True)
    assert "Second moderator needed" in queue
    page = people.moderator().get(f"/moderate/cases/{case_id}").get_data(as_text=True)
    assert "Waiting for a second moderator" in page
    assert "Approve: suspend the account" in page


def test_the_moderator_who_asked_cannot_approve_their_own_request(app, waiting):
    case_id, kestrel = waiting
    own = kestrel.get(f"/moderate/cases/{case_id}").get_data(as_text=True)
    assert "another moderator has to approve it" in own
    refused = approve(kestrel, case_id)
    assert refused.status_code == 403
    assert "a different moderator on shift has to approve" in refused.get_data(as_text=True)
    assert log_count(app) == 0
    assert robin_account(app).suspended_until is None


def test_a_different_moderator_on_shift_approves_and_it_is_done(app, people, waiting, robin,
                                                                make):  # fmt: skip
    case_id, _ = waiting
    heron = people.moderator(rota_name="Heron")
    assert approve(heron, case_id).status_code == 303
    (entry,) = entries(app)
    assert entry.action == "suspend-account"
    assert (entry.rota_name, entry.second_rota_name) == ("Kestrel", "Heron")
    assert entry.subject_account_id == robin_account(app).id
    assert robin_account(app).suspended_until == entry.until
    assert entry.until - now() > timedelta(days=3) - timedelta(minutes=1)
    # The reported pseudonym is suspended with the account, so its words are held back.
    with app.app_context():
        pseudonym = db.session.get(Pseudonym, entry.pseudonym_id)
        assert pseudonym.suspended_until == entry.until
    reported = case_row(app, case_id).question_id
    assert app.test_client().get(f"/q/{reported}").status_code == 404
    assert case_row(app, case_id).outcome == "suspend-account"
    log = app.test_client().get("/moderation-log").get_data(as_text=True)
    assert "suspended the account that posted it" in log
    assert "Approved by a second moderator, <bdi>Heron</bdi>" in log
    assert "Robin" not in log
    assert "Second moderator needed" not in heron.get("/moderate").get_data(as_text=True)
    # Robin can still sign in and read, but cannot post as any of their names.
    assert robin.get("/account").status_code == 200
    refused = robin.post(f"/q/{make.question().post.id}/answers", data={"body": "Hello."})
    assert refused.status_code == 409
    assert "Your account is suspended by the moderators until" in refused.get_data(as_text=True)
    again = approve(people.moderator(), case_id)
    assert again.status_code == 409
    assert log_count(app) == 1


def test_a_request_lapses_after_24_hours(app, people, waiting):
    case_id, _ = waiting
    with app.app_context():
        earlier = now() - timedelta(hours=24, minutes=1)
        db.session.execute(update(ApprovalRequest).values(requested_at=earlier))
        db.session.commit()
    heron = people.moderator()
    refused = approve(heron, case_id)
    assert refused.status_code == 409
    assert "This request lapsed" in refused.get_data(as_text=True)
    assert "A request lapsed" in heron.get(f"/moderate/cases/{case_id}").get_data(as_text=True)
    assert robin_account(app).suspended_until is None
    assert log_count(app) == 0


def test_hiding_never_waits_for_a_pending_request(app, people, waiting):
    case_id, _ = waiting
    heron, ibis = people.moderator(rota_name="Heron"), people.moderator(rota_name="Ibis")
    assert act(heron, case_id, action="hide").status_code == 303
    with app.app_context():
        question_id = db.session.scalar(select(LogEntry.question_id))
        assert db.session.get(Question, question_id).is_hidden
    assert case_row(app, case_id).outcome == "hide"
    queue = ibis.get("/moderate").get_data(as_text=True)
    assert f'data-case-id="{case_id}"' in queue  # decided, but still waiting for approval
    assert "Second moderator needed" in queue
    assert approve(ibis, case_id).status_code == 303
    assert [e.action for e in entries(app)] == ["hide", "suspend-account"]
    assert robin_account(app).suspended_until is not None
    assert case_row(app, case_id).outcome == "hide"  # the reporters' receipt still says hidden


def test_a_moderator_off_shift_cannot_approve(app, people, waiting):
    case_id, _ = waiting
    heron = people.moderator()
    end_shift_in_the_past(app, heron.account_id)
    assert approve(heron, case_id).status_code == 403
    assert robin_account(app).suspended_until is None


def test_two_approving_at_once_one_succeeds_and_the_other_is_told(app, people, waiting):
    case_id, _ = waiting
    seen = case_row(app, case_id).version
    heron, ibis = people.moderator(), people.moderator()
    assert approve(heron, case_id, seen).status_code == 303
    late = approve(ibis, case_id, seen)
    assert late.status_code == 409
    assert log_count(app) == 1


def test_an_approval_without_the_case_version_changes_nothing(app, people, waiting):
    case_id, _ = waiting
    response = people.moderator().post(f"/moderate/cases/{case_id}/approve", data={})
    assert response.status_code == 409
    assert robin_account(app).suspended_until is None


def test_a_second_request_while_one_waits_is_refused(app, people, waiting):
    case_id, _ = waiting
    again = act(people.moderator(), case_id, **HEAVY)
    assert again.status_code == 409
    assert "already waiting for a second moderator" in again.get_data(as_text=True)


@pytest.mark.parametrize(("days", "waits"), [("7", False), ("30", True)])
def test_a_pseudonym_waits_for_a_second_moderator_only_past_7_days(app, people, robin, days,
                                                                   waits):  # fmt: skip
    case_id = open_case(app, robins_question(app, robin))
    response = act(people.moderator(), case_id, action="suspend-pseudonym", days=days,
                   reason="within-the-law")  # fmt: skip
    assert response.status_code == 303
    assert log_count(app) == (0 if waits else 1)
    with app.app_context():
        pseudonym = db.session.scalar(select(Pseudonym).where(Pseudonym.display_name == "Robin"))
        assert (pseudonym.suspended_until is None) == waits


def test_a_first_warning_still_comes_before_an_account_suspension(app, people, robin):
    moderator = people.moderator()
    first = open_case(app, robins_question(app, robin))
    act(moderator, first, action="suspend-account", days="1")
    assert [e.action for e in entries(app)] == ["warn"]
    second = open_case(app, robins_question(app, robin, "Robin again"))
    act(moderator, second, action="suspend-account", days="1")
    assert [e.action for e in entries(app)] == ["warn"]  # now it waits for approval
    assert approve(people.moderator(), second).status_code == 303
    assert [e.action for e in entries(app)] == ["warn", "suspend-account"]
