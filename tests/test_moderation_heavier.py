"""The heavier actions: a moderator's lock, slow mode, and warnings before suspensions.

Each is driven through HTTP as a moderator on shift would, writes its one log row, and is
refused in words when it does not apply. Time moves by moving stored times back, never by
sleeping.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import Pseudonym
from app.core.time import now
from app.moderation import sanctions
from app.moderation.log import LogEntry
from app.questions.models import Answer, Question
from app.questions.pace import SlowModeStep
from app.web.extensions import db
from tests import test_visibility as visibility
from tests.accounts_helpers import pseudonym_ids
from tests.moderation_helpers import ACT, People, acting, case_row, log_count, open_case
from tests.test_account_life import ask

robin = visibility.robin


@pytest.fixture
def people(app):
    return People(app)


def act(client, case_id, **fields):
    data = acting(client.application, case_id, {**ACT, **fields})
    return client.post(f"/moderate/cases/{case_id}/act", data=data)


def entries(app):
    with app.app_context():
        rows = db.session.scalars(select(LogEntry).order_by(LogEntry.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def question_row(app, question_id):
    with app.app_context():
        question = db.session.get(Question, question_id)
        db.session.expunge(question)
        return question


def answers_in(app, question_id):
    with app.app_context():
        return db.session.scalar(
            select(db.func.count(Answer.id)).where(Answer.question_id == question_id)
        )


def move_back(app, model, minutes, column="created_at"):
    """Move every stored time of `model` back, as if `minutes` had passed."""
    with app.app_context():
        stored = getattr(model, column)
        db.session.execute(update(model).values({column: stored - timedelta(minutes=minutes)}))
        db.session.commit()


# Lock


def test_a_moderators_lock_stops_new_perspectives_with_kind_words(app, people, make):
    asked = make.question()
    assert act(people.moderator(), open_case(app, asked.post), action="lock").status_code == 303
    assert question_row(app, asked.post.id).locked_at is not None
    page = app.test_client().get(f"/q/{asked.post.id}").get_data(as_text=True)
    assert "The moderators have locked this question" in page
    refused = app.test_client().post(f"/q/{asked.post.id}/answers", data={"body": "Mine."})
    assert refused.status_code == 409
    assert "Mine." in refused.get_data(as_text=True)  # the words are not lost
    assert answers_in(app, asked.post.id) == 0
    assert [e.action for e in entries(app)] == ["lock"]


def test_the_asker_cannot_reopen_a_question_the_moderators_locked(app, people, make):
    asked = make.question()
    act(people.moderator(), open_case(app, asked.post), action="lock")
    keeper = f"/keep/{asked.keeper_token}"
    page = app.test_client().get(keeper).get_data(as_text=True)
    assert "Open replies again" not in page  # the page does not offer what it would refuse
    assert "The moderators have locked this question" in page
    reopened = app.test_client().post(f"{keeper}/replies-closed", data={"closed": "no"})
    assert reopened.status_code == 409
    assert "cannot be opened again from here" in reopened.get_data(as_text=True)
    assert question_row(app, asked.post.id).locked_at is not None
    assert question_row(app, asked.post.id).replies_closed


def test_a_question_the_asker_closed_can_still_be_locked(app, people, make):
    asked = make.question()
    app.test_client().post(f"/keep/{asked.keeper_token}/replies-closed", data={"closed": "yes"})
    assert act(people.moderator(), open_case(app, asked.post), action="lock").status_code == 303
    again = act(people.moderator(), open_case(app, asked.post), action="lock")
    assert again.status_code == 409
    assert "already locked" in again.get_data(as_text=True)


def test_undoing_a_lock_opens_the_thread_again(app, people, make):
    asked = make.question()
    act(people.moderator(), open_case(app, asked.post), action="lock")
    with app.app_context():
        sanctions.undo_lock(db.session.scalar(select(LogEntry)), None)
        db.session.commit()
    assert not question_row(app, asked.post.id).replies_closed


# Slow mode


def slowed(app, people, make, minutes="10"):
    asked = make.question()
    response = act(people.moderator(), open_case(app, asked.post), action="slow-mode",
                   minutes=minutes)  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return asked


def test_slow_mode_says_so_on_the_question_page(app, people, make):
    asked = slowed(app, people, make)
    page = app.test_client().get(f"/q/{asked.post.id}").get_data(as_text=True)
    assert 'id="slow-mode"' in page
    assert "one perspective every 10 minutes" in page
    assert question_row(app, asked.post.id).slow_mode_minutes == 10
    assert [e.action for e in entries(app)] == ["slow-mode"]


def test_slow_mode_lets_a_person_post_once_per_its_minutes(app, people, make):
    asked = slowed(app, people, make)
    someone = app.test_client()
    path = f"/q/{asked.post.id}/answers"
    assert someone.post(path, data={"body": "First thought."}).status_code == 303
    refused = someone.post(path, data={"body": "A second thought, typed with care."})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    page = refused.get_data(as_text=True)
    assert "slow mode" in page
    assert "You can post again from" in page
    assert "A second thought, typed with care." in page  # kept in the form
    assert answers_in(app, asked.post.id) == 1
    # Clearing cookies does not make a new person: the network is the same.
    assert app.test_client().post(path, data={"body": "Fresh cookies."}).status_code == 429
    # Someone else, elsewhere, is not held up by the first person.
    elsewhere = {"REMOTE_ADDR": "192.0.2.9"}
    other = app.test_client().post(path, data={"body": "Another person."}, environ_base=elsewhere)
    assert other.status_code == 303
    move_back(app, SlowModeStep, 11, "posted_at")
    assert someone.post(path, data={"body": "A second thought."}).status_code == 303


def test_slow_mode_counts_a_signed_in_person_by_their_account(app, people, make, robin):
    asked = slowed(app, people, make)
    path = f"/q/{asked.post.id}/answers"
    as_robin = pseudonym_ids(robin)["Robin"]
    assert robin.post(path, data={"body": "As Robin.", "as": as_robin}).status_code == 303
    # Posting anonymously while signed in is the same person.
    assert robin.post(path, data={"body": "Anonymously."}).status_code == 429
    move_back(app, Answer, 11)
    assert robin.post(path, data={"body": "Anonymously."}).status_code == 303


def test_slow_mode_paces_the_asker_too(app, people, make):
    asked = slowed(app, people, make)
    reply = f"/keep/{asked.keeper_token}/replies"
    assert app.test_client().post(reply, data={"body": "Thank you all."}).status_code == 303
    again = app.test_client().post(reply, data={"body": "One more thing."})
    assert again.status_code == 409
    assert "slow mode" in again.get_data(as_text=True)


@pytest.mark.parametrize(("minutes", "status"), [("", 409), ("0", 400), ("1441", 400)])
def test_slow_mode_needs_minutes_from_1_to_1440(app, people, make, minutes, status):
    asked = make.question()
    case_id = open_case(app, asked.post)
    response = act(people.moderator(), case_id, action="slow-mode", minutes=minutes)
    assert response.status_code == status
    assert "from 1 to 1440" in response.get_data(as_text=True)
    assert log_count(app) == 0
    assert question_row(app, asked.post.id).slow_mode_minutes is None


def test_turning_slow_mode_off_for_an_appeal(app, people, make):
    asked = slowed(app, people, make)
    with app.app_context():
        sanctions.undo_slow_mode(db.session.scalar(select(LogEntry)), None)
        db.session.commit()
    assert question_row(app, asked.post.id).slow_mode_minutes is None


# Warnings and suspensions of a pseudonym


def robins_question(app, robin, title="Robin asks about work"):
    qid = ask(robin, title, pseudonym_ids(robin)["Robin"])
    with app.app_context():
        question = db.session.get(Question, qid)
        db.session.expunge(question)
        return question


def robin_pseudonym(app):
    with app.app_context():
        pseudonym = db.session.scalar(select(Pseudonym).where(Pseudonym.display_name == "Robin"))
        db.session.expunge(pseudonym)
        return pseudonym


def test_a_first_suspension_is_a_warning_and_the_moderator_is_told(app, people, robin):
    question = robins_question(app, robin)
    moderator = people.moderator()
    case_id = open_case(app, question)
    response = act(moderator, case_id, action="suspend-pseudonym", days="3")
    assert response.status_code == 303
    queue = moderator.get("/moderate").get_data(as_text=True)
    assert "recorded a first warning instead of a suspension" in queue
    (entry,) = entries(app)
    assert entry.action == "warn"
    assert entry.pseudonym_id == robin_pseudonym(app).id
    assert entry.until is None
    assert robin_pseudonym(app).suspended_until is None
    assert case_row(app, case_id).outcome == "warn"
    log = app.test_client().get("/moderation-log").get_data(as_text=True)
    assert "warned the person who posted it" in log
    assert "Robin" not in log


def test_the_second_time_the_pseudonym_is_suspended(app, people, robin):
    moderator = people.moderator()
    act(moderator, open_case(app, robins_question(app, robin)), action="suspend-pseudonym",
        days="3")  # fmt: skip
    second = open_case(app, robins_question(app, robin, "Robin asks again"))
    assert act(moderator, second, action="suspend-pseudonym", days="3").status_code == 303
    entry = entries(app)[-1]
    assert entry.action == "suspend-pseudonym"
    until = robin_pseudonym(app).suspended_until
    assert until == entry.until
    assert timedelta(days=3) - timedelta(minutes=1) < until - now() <= timedelta(days=3)


def test_within_the_law_suspends_at_once(app, people, robin):
    case_id = open_case(app, robins_question(app, robin))
    response = act(people.moderator(), case_id, action="suspend-pseudonym", days="1",
                   reason="within-the-law")  # fmt: skip
    assert response.status_code == 303
    assert [e.action for e in entries(app)] == ["suspend-pseudonym"]
    assert robin_pseudonym(app).suspended_until > now()


def test_a_suspended_pseudonym_cannot_post_and_keeps_its_words(app, people, robin, make):
    question = robins_question(app, robin)
    act(people.moderator(), open_case(app, question), action="suspend-pseudonym", days="7",
        reason="within-the-law")  # fmt: skip
    as_robin = pseudonym_ids(robin)["Robin"]
    asked = robin.post("/ask", data={"title": "A new question, carefully put",
                                     "body": "My careful words.", "as": as_robin,
                                     "topic": "getting-through-today"})  # fmt: skip
    assert asked.status_code == 409
    page = asked.get_data(as_text=True)
    assert "The pseudonym Robin is suspended by the moderators until" in page
    assert "My careful words." in page
    other = make.question().post.id
    answered = robin.post(f"/q/{other}/answers", data={"body": "Kept words.", "as": as_robin})
    assert answered.status_code == 409
    assert "Kept words." in answered.get_data(as_text=True)
    # The person can still read, see their account, and post without that name.
    assert robin.get("/account").status_code == 200
    assert robin.post(f"/q/{other}/answers", data={"body": "Anonymously."}).status_code == 303


def test_a_post_made_anonymously_cannot_lead_to_a_suspension(app, people, make):
    case_id = open_case(app, make.question().post)
    for action in ("suspend-pseudonym", "suspend-account"):
        response = act(people.moderator(), case_id, action=action, days="1",
                       reason="within-the-law")  # fmt: skip
        assert response.status_code == 409
        assert "Hide the post instead" in response.get_data(as_text=True)
    assert log_count(app) == 0


@pytest.mark.parametrize("days", ["2", "14", "365", "", "a week"])
def test_a_suspension_length_off_the_steps_is_refused_kindly(app, people, robin, days):
    case_id = open_case(app, robins_question(app, robin))
    response = act(people.moderator(), case_id, action="suspend-pseudonym", days=days,
                   reason="within-the-law")  # fmt: skip
    assert response.status_code == 409
    assert "1, 3, 7 or 30 days" in response.get_data(as_text=True)
    assert log_count(app) == 0
    assert robin_pseudonym(app).suspended_until is None


def test_lifting_a_suspension_for_an_appeal(app, people, robin):
    case_id = open_case(app, robins_question(app, robin))
    act(people.moderator(), case_id, action="suspend-pseudonym", days="7",
        reason="within-the-law")  # fmt: skip
    with app.app_context():
        sanctions.undo_suspension(db.session.scalar(select(LogEntry)), None)
        db.session.commit()
    assert robin_pseudonym(app).suspended_until is None


def test_slow_mode_counts_a_signed_out_person_by_their_ipv6_network(app, people, make):
    """Another address in the same /64 (one home or phone) is the same person."""
    asked = slowed(app, people, make)
    path = f"/q/{asked.post.id}/answers"
    first = {"REMOTE_ADDR": "2001:db8:5:6::10"}
    same_home = {"REMOTE_ADDR": "2001:db8:5:6:abcd::20"}
    elsewhere = {"REMOTE_ADDR": "2001:db8:5:7::10"}
    assert (
        app.test_client().post(path, data={"body": "One."}, environ_base=first).status_code == 303
    )
    again = app.test_client().post(path, data={"body": "Two."}, environ_base=same_home)
    assert again.status_code == 429
    other = app.test_client().post(path, data={"body": "Three."}, environ_base=elsewhere)
    assert other.status_code == 303
