"""Decisions that meet later decisions: an overturn never undoes what another moderator
decided since, a suspension request does not outlive a dismissal, a warning on a case does
not stand in for a first warning on that same case, and what a moderator says about a
reported perspective reaches the perspective's author, not the asker."""

import re

import pytest
from sqlalchemy import select, update

from app.accounts.models import Account, Pseudonym
from app.core.time import now
from app.moderation.log import LogEntry
from app.questions.models import Question
from app.web.extensions import db
from tests.moderation_helpers import People, case_row, log_count, open_case
from tests.test_appeals import act as claim_and_act
from tests.test_appeals import (
    appeal_from,
    decide,
    is_hidden,
    log_actions,
    reported_and_hidden,
    the_appeal,
    the_case,
)
from tests.test_approvals import HEAVY, approve
from tests.test_moderation_heavier import act, answers_in, entries, robin, robins_question
from tests.test_reports import receipt_link, report

__all__ = ["robin"]  # the fixture, used by name below
KEEPER = re.compile(r'id="keeper-link"[^>]*href="(/keep/[^"]+)"')


@pytest.fixture
def people(app):
    return People(app)


def _entry_ids(app, action):
    with app.app_context():
        return list(
            db.session.scalars(
                select(LogEntry.id).where(LogEntry.action == action).order_by(LogEntry.id)
            )
        )


def test_overturning_an_old_hide_never_undoes_a_newer_hide(app, people):
    question_id, keeper, kestrel, _ = reported_and_hidden(app, people)
    first_hide = _entry_ids(app, "hide")[0]
    assert act(kestrel, the_case(app), action="restore").status_code == 303
    receipt_link(report(app.test_client(), f"question:{question_id}", address="192.0.2.40"))
    wren = people.moderator(rota_name="Wren")
    assert claim_and_act(wren, the_case(app)).status_code == 303
    assert is_hidden(app, question_id)

    assert appeal_from(app.test_client(), keeper, entry=str(first_hide)).status_code == 303
    refused = decide(people.moderator(rota_name="Owl"), the_appeal(app).id)
    assert refused.status_code == 409
    assert "A later decision on this post replaced this one" in refused.get_data(True)
    assert is_hidden(app, question_id)
    assert the_appeal(app).decided_at is None
    assert log_actions(app) == ["hide", "restore", "hide"]


def test_a_second_reporters_appeal_cannot_reopen_a_case_decided_again(app, people, make):
    question_id = make.question(title="Reported twice").post.id
    target = f"question:{question_id}"
    receipts = [
        receipt_link(report(app.test_client(), target, address=f"192.0.2.{n}")) for n in (51, 52)
    ]
    kestrel = people.moderator(rota_name="Kestrel")
    case_id = the_case(app)
    assert claim_and_act(kestrel, case_id, action="dismiss").status_code == 303
    for receipt in receipts:
        assert appeal_from(app.test_client(), receipt).status_code == 303
    with app.app_context():
        from app.moderation.appeals import Appeal

        first, second = db.session.scalars(select(Appeal.id).order_by(Appeal.id)).all()
    wren = people.moderator(rota_name="Wren")
    assert decide(wren, first).status_code == 303
    assert case_row(app, case_id).decided_at is None  # back in the queue
    assert claim_and_act(wren, case_id).status_code == 303  # Wren hides it this time
    refused = decide(people.moderator(rota_name="Owl"), second)
    assert refused.status_code == 409
    case = case_row(app, case_id)
    assert (case.outcome, case.decided_at is not None) == ("hide", True)
    assert is_hidden(app, question_id)


def test_a_suspension_request_does_not_outlive_a_dismissal(app, people, robin):
    case_id = open_case(app, robins_question(app, robin))
    kestrel = people.moderator(rota_name="Kestrel")
    assert act(kestrel, case_id, **HEAVY).status_code == 303
    wren = people.moderator(rota_name="Wren")
    assert act(wren, case_id, action="dismiss").status_code == 303
    refused = approve(people.moderator(rota_name="Owl"), case_id)
    assert refused.status_code == 409
    assert "no longer stands" in refused.get_data(True)
    with app.app_context():
        account = db.session.scalar(
            select(Account).join(Pseudonym).where(Pseudonym.display_name == "Robin")
        )
        assert account.suspended_until is None
    assert [e.action for e in entries(app)] == ["dismiss"]
    assert "Second moderator needed" not in wren.get("/moderate").get_data(True)


def test_a_warning_on_this_case_does_not_make_the_next_click_a_suspension(app, people, robin):
    case_id = open_case(app, robins_question(app, robin))
    moderator = people.moderator()
    assert act(moderator, case_id, action="hide").status_code == 303
    for _ in range(2):
        act(moderator, case_id, action="suspend-pseudonym", days="3")
    with app.app_context():
        pseudonym = db.session.scalar(select(Pseudonym).where(Pseudonym.display_name == "Robin"))
        assert pseudonym.suspended_until is None
    assert "suspend-pseudonym" not in [e.action for e in entries(app)]


def test_locking_from_a_perspectives_case_tells_its_author_not_the_asker(app, people):
    asker, answerer = app.test_client(), app.test_client()
    asked = asker.post(
        "/ask",
        data={"title": "Is it fine to skip the group", "topic": "getting-through-today",
              "body": "Once in a while."},
    )  # fmt: skip
    question_path = asked.headers["Location"]
    question_keeper = KEEPER.search(asker.get(question_path).get_data(True)).group(1)
    answered = answerer.post(f"{question_path}/answers", data={"body": "It was, for me."})
    page = answerer.get(answered.headers["Location"]).get_data(True)
    answer_keeper = KEEPER.search(page).group(1)
    answer_id = int(answer_keeper and re.search(r'data-answer-id="(\d+)"', page).group(1))
    receipt_link(report(app.test_client(), f"answer:{answer_id}", address="192.0.2.60"))
    words = "Your perspective started a pile-on; the thread is locked for now."
    moderator = people.moderator(rota_name="Kestrel")
    acted = claim_and_act(moderator, the_case(app), action="lock", author_message=words)
    assert acted.status_code == 303
    assert words in app.test_client().get(answer_keeper).get_data(True)
    assert words not in app.test_client().get(question_keeper).get_data(True)
    assert log_count(app) == 1


def test_a_hidden_question_takes_no_new_perspectives_and_keeps_the_words(app, people, make):
    question = make.question(title="Hidden while we look").post
    case_id = open_case(app, question)
    assert act(people.moderator(), case_id, action="hide").status_code == 303
    reader = app.test_client()
    page = reader.get(f"/q/{question.id}").get_data(True)
    assert "Replies are closed" in page and 'name="body"' not in page
    words = "Something I typed before it was hidden."
    refused = reader.post(f"/q/{question.id}/answers", data={"body": words})
    assert refused.status_code == 409
    assert words in refused.get_data(True)
    assert "A moderator hid this question" in refused.get_data(True)
    assert answers_in(app, question.id) == 0


@pytest.mark.parametrize("away", ["hidden", "collapsed"])
def test_a_hidden_or_collapsed_questions_page_does_not_say_whose_it_was(app, people, robin, away):
    question = robins_question(app, robin, title="Robin's question, taken away")
    if away == "hidden":
        case_id = open_case(app, question)
        assert act(people.moderator(), case_id, action="hide").status_code == 303
        stand_in = "A moderator hid this question"
    else:
        with app.app_context():
            db.session.execute(
                update(Question).where(Question.id == question.id).values(collapsed_at=now())
            )
            db.session.commit()
        stand_in = "folded away"
    page = app.test_client().get(f"/q/{question.id}").get_data(True)
    assert stand_in in page
    assert "Robin" not in page
    record = app.test_client().get(f"/api/v1/questions/{question.id}").get_json()
    assert record["by"] is None and "Robin" not in str(record)
