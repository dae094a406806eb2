"""Nobody moderates their own words, and odd input never breaks a moderation page.

These are the complaints a review of the first moderation slice raised: a moderator who
wrote a reported post could read who reported it and dismiss it; some numbers in a URL or
a form gave a server error instead of a kind page.
"""

import pytest
from sqlalchemy import update

from app.accounts.models import Account
from app.moderation import cases
from app.questions import services
from app.questions.models import Question
from app.web.extensions import db
from tests.moderation_helpers import ACT, People, acting, case_row, log_count, open_case


@pytest.fixture
def people(app):
    return People(app)


def _written_by(app, post, account_id):
    with app.app_context():
        db.session.execute(
            update(Question).where(Question.id == post.id).values(account_id=account_id)
        )
        db.session.commit()


def test_a_moderator_cannot_read_or_decide_a_case_about_their_own_words(app, people, make):
    heron = people.moderator()
    question = make.question(title="Something Heron asked").post
    _written_by(app, question, heron.account_id)
    case_id = open_case(app, question, details="I am Sam from the Leeds group")
    page = heron.get(f"/moderate/cases/{case_id}")
    assert page.status_code == 403
    assert "Sam from the Leeds group" not in page.get_data(as_text=True)
    claimed = heron.post(f"/moderate/cases/{case_id}/claim")
    assert claimed.status_code == 403
    assert "Sam from the Leeds group" not in claimed.get_data(as_text=True)
    for data in (acting(app, case_id, {**ACT, "action": "dismiss"}), {}):  # sent whole, and empty
        acted = heron.post(f"/moderate/cases/{case_id}/act", data=data)
        assert acted.status_code == 403
        assert "another moderator will read and decide it" in acted.get_data(as_text=True)
        assert "Sam from the Leeds group" not in acted.get_data(as_text=True)
    assert case_row(app, case_id).decided_at is None
    assert log_count(app) == 0


def test_another_moderator_still_decides_that_case(app, people, make):
    heron, ibis = people.moderator(), people.moderator()
    question = make.question().post
    _written_by(app, question, heron.account_id)
    case_id = open_case(app, question)
    assert ibis.get(f"/moderate/cases/{case_id}").status_code == 200
    assert (
        ibis.post(f"/moderate/cases/{case_id}/act", data=acting(app, case_id, ACT)).status_code
        == 303
    )
    assert log_count(app) == 1


@pytest.mark.parametrize("before", ["\u00b2", "9" * 20, "9" * 5000, "-1", "1e3", " 7"])
def test_odd_page_numbers_on_the_public_log_show_the_log(client, before):
    response = client.get("/moderation-log", query_string={"before": before})
    assert response.status_code == 200
    assert "Moderation log" in response.get_data(as_text=True)


@pytest.mark.parametrize("version", ["\u00b2", "9" * 5000, "\u0663"])
def test_an_odd_version_on_a_claim_is_a_kind_page(app, people, make, version):
    moderator = people.moderator()
    case_id = open_case(app, make.question().post)
    response = moderator.post(f"/moderate/cases/{case_id}/claim", data={"version": version})
    assert response.status_code in (303, 409)


def test_a_case_number_too_big_to_store_is_not_found(app, people):
    moderator = people.moderator()
    assert moderator.get("/moderate/cases/99999999999999999999999").status_code == 404
    assert moderator.post("/moderate/cases/99999999999999999999999/claim").status_code == 404


def test_minutes_too_long_to_be_minutes_are_refused_kindly(app, people, make):
    moderator = people.moderator()
    case_id = open_case(app, make.question().post)
    response = moderator.post(
        f"/moderate/cases/{case_id}/act", data={**ACT, "action": "slow-mode", "minutes": "9" * 400}
    )
    assert response.status_code == 400
    assert log_count(app) == 0


def test_a_rota_name_cannot_be_the_login_name(app, people):
    moderator = people.moderator(handle="my-login-handle")
    response = moderator.post("/rota/name", data={"rota_name": "My-Login-Handle"})
    assert response.status_code == 400
    assert "cannot be your login name" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Account, moderator.account_id).rota_name != "My-Login-Handle"


def test_a_post_its_author_deleted_is_not_restored(app, make):
    question = make.question().post
    with app.app_context():
        post = db.session.get(Question, question.id)
        services.hide(post, None, "Breaks the house rules")
        services.delete_question(post)
        with pytest.raises(services.AlreadyDeleted):
            services.restore(post, None)


def test_is_own_names_the_writer_only(app, people, make):
    heron, ibis = people.moderator(), people.moderator()
    question = make.question().post
    _written_by(app, question, heron.account_id)
    case_id = open_case(app, question)
    with app.app_context():
        case = cases.get(case_id)
        assert cases.is_own(case, db.session.get(Account, heron.account_id))
        assert not cases.is_own(case, db.session.get(Account, ibis.account_id))


def _snapshots(app):
    from sqlalchemy import select

    from app.moderation.models import Report

    with app.app_context():
        return [(r.snapshot_body, r.snapshot_erased_at) for r in db.session.scalars(select(Report))]


def test_reported_words_go_30_days_after_the_decision(app, people, make):
    from datetime import timedelta

    from app.core.time import now
    from app.moderation.models import Case

    moderator = people.moderator()
    old = open_case(app, make.question().post, body="Old reported words")
    open_case(app, make.question().post, body="Recent reported words")
    with app.app_context():
        db.session.get(Case, old).decided_at = now() - timedelta(days=31)
        db.session.get(Case, old).outcome = "dismiss"
        db.session.commit()
    third = open_case(app, make.question().post)
    assert (
        moderator.post(f"/moderate/cases/{third}/act", data=acting(app, third, ACT)).status_code
        == 303
    )
    bodies = dict((body or "", erased is not None) for body, erased in _snapshots(app))
    assert "Old reported words" not in bodies
    assert bodies.get("Recent reported words") is False


def test_words_held_for_a_may_be_illegal_case_go_once_it_is_decided(app, people, make):
    moderator = people.moderator()
    posted = make.question(body="Held words")
    case_id = open_case(app, posted.post, reasons=("illegal",), body="Held words")
    with app.app_context():
        services.delete_question(db.session.get(Question, posted.post.id))
    assert [body for body, _ in _snapshots(app)] == ["Held words"]
    decided = moderator.post(
        f"/moderate/cases/{case_id}/act", data=acting(app, case_id, {**ACT, "action": "dismiss"})
    )
    assert decided.status_code == 303
    assert [body for body, _ in _snapshots(app)] == [""]


def test_a_claim_goes_back_to_the_queue_when_its_holder_loses_the_role(app, people, make):
    from app.accounts import services as accounts

    alder, birch = people.moderator(handle="alder-mod"), people.moderator()
    case_id = open_case(app, make.question().post)
    assert alder.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    with app.app_context():
        accounts.revoke("alder-mod", "moderator")
    acted = birch.post(f"/moderate/cases/{case_id}/act", data=acting(app, case_id, ACT))
    assert acted.status_code == 303
    assert log_count(app) == 1
