"""Acting on a case: each action changes the post, decides the case and writes exactly one
public log row, together or not at all; and nothing a moderator does deletes words."""

import pytest
from sqlalchemy import select

from app.moderation import actions
from app.moderation.actions import AuthorMessage
from app.moderation.log import LogEntry
from app.questions.models import Answer, Question
from app.web.extensions import db
from tests import test_visibility as visibility
from tests.moderation_helpers import ACT, People, acting, case_row, log_count, open_case
from tests.test_hardening_requests import ABSURD
from tests.test_visibility import (
    PEER_WORDS,
    QUESTION_BODY,
    QUESTION_TITLE,
    nowhere,
    public_surfaces,
)

# A question, perspectives and a pseudonym's page, from the visibility tests.
robin = visibility.robin
scene = visibility.scene


@pytest.fixture
def people(app):
    return People(app)


def _act(client, case_id, **fields):
    data = acting(client.application, case_id, {**ACT, **fields})
    return client.post(f"/moderate/cases/{case_id}/act", data=data)


def _post(app, model, post_id):
    with app.app_context():
        post = db.session.get(model, post_id)
        db.session.expunge(post)
        return post


def _entries(app):
    with app.app_context():
        entries = db.session.scalars(select(LogEntry).order_by(LogEntry.id)).all()
        for entry in entries:
            db.session.expunge(entry)
        return entries


def test_hiding_takes_the_question_off_every_page_a_reader_can_reach(app, people, scene):
    case_id = open_case(app, scene.question)
    moderator = people.moderator(rota_name="Kestrel")
    assert _act(moderator, case_id).status_code == 303
    pages = public_surfaces(app, scene)
    assert nowhere(pages, QUESTION_TITLE) == []
    assert nowhere(pages, QUESTION_BODY) == []
    own_page = app.test_client().get(f"/q/{scene.question.id}")
    assert own_page.status_code == 200  # it stays, saying so, without its words
    assert "A moderator hid this question" in own_page.get_data(as_text=True)
    assert log_count(app) == 1


def test_restoring_brings_the_question_back_where_it_was(app, people, scene):
    case_id = open_case(app, scene.question)
    moderator = people.moderator()
    _act(moderator, case_id)
    restored = _act(moderator, case_id, action="restore", public_note="Hidden by mistake.")
    assert restored.status_code == 303
    pages = public_surfaces(app, scene)
    assert QUESTION_TITLE in pages["home"]
    assert QUESTION_BODY in pages["question page"]
    assert [e.action for e in _entries(app)] == ["hide", "restore"]


def test_hiding_an_answer_leaves_the_question_and_uncounts_it(app, people, scene):
    case_id = open_case(app, scene.peer_answer)
    assert _act(people.moderator(), case_id).status_code == 303
    pages = public_surfaces(app, scene)
    assert nowhere(pages, PEER_WORDS) == []
    assert QUESTION_BODY in pages["question page"]
    assert _entries(app)[0].post_kind == "answer"


def test_a_hidden_post_keeps_its_words(app, people, make):
    question = make.question(title="Kept title", body="Kept words").post
    _act(people.moderator(), open_case(app, question))
    kept = _post(app, Question, question.id)
    assert kept.is_hidden
    assert kept.body_source == "Kept words"
    assert kept.title == "Kept title"


def test_each_action_decides_the_case_with_exactly_one_log_row(app, people, make):
    moderator = people.moderator(rota_name="Kestrel")
    for n, (action, extra) in enumerate([
        ("dismiss", {}), ("hide", {}), ("add-note", {"content_notes": ["self-harm"]}),
        ("lock", {}),
    ], start=1):  # fmt: skip
        question = make.question(title=f"Question {n}").post
        case_id = open_case(app, question)
        response = _act(moderator, case_id, action=action, **extra)
        assert response.status_code == 303, (action, response.get_data(as_text=True)[:3000])
        assert log_count(app) == n, action
        case = case_row(app, case_id)
        assert case.outcome == action
        assert case.decided_at is not None
    entries = _entries(app)
    assert [e.action for e in entries] == ["dismiss", "hide", "add-note", "lock"]
    assert {e.rota_name for e in entries} == {"Kestrel"}
    assert {e.rule for e in entries} == {"be-kind"}


def test_adding_a_note_puts_it_on_the_post(app, people, make):
    question = make.question().post
    _act(people.moderator(), open_case(app, question), action="add-note",
         content_notes=["self-harm"])  # fmt: skip
    with app.app_context():
        slugs = [n.slug for n in db.session.get(Question, question.id).content_notes]
    assert slugs == ["self-harm"]


def test_locking_closes_replies_to_the_question(app, people, make):
    question = make.question().post
    _act(people.moderator(), open_case(app, question), action="lock")
    answered = app.test_client().post(f"/q/{question.id}/answers", data={"body": "One more."})
    assert answered.status_code != 303
    assert _post(app, Question, question.id).replies_closed


def test_locking_on_an_answers_case_closes_its_question(app, people, make):
    question = make.question().post
    answer = make.answer(question).post
    _act(people.moderator(), open_case(app, answer), action="lock")
    assert _post(app, Question, question.id).replies_closed
    assert _post(app, Answer, answer.id).is_visible


def test_dismissing_leaves_the_post_as_it_was(app, people, make):
    question = make.question().post
    _act(people.moderator(), open_case(app, question), action="dismiss")
    assert _post(app, Question, question.id).is_visible
    assert _entries(app)[0].action == "dismiss"


@pytest.mark.parametrize("action", ["ban-forever", "delete", "restore-all"])
def test_an_action_kettle_does_not_have_is_refused_in_words(app, people, make, action):
    question = make.question().post
    case_id = open_case(app, question)
    response = _act(people.moderator(), case_id, action=action)
    assert response.status_code == 409
    assert "Please choose one of the actions offered" in response.get_data(as_text=True)
    assert log_count(app) == 0
    assert case_row(app, case_id).decided_at is None


def test_an_action_form_without_the_case_version_changes_nothing(app, people, make):
    question = make.question().post
    case_id = open_case(app, question)
    response = people.moderator().post(f"/moderate/cases/{case_id}/act", data=ACT)
    assert response.status_code == 409
    assert "did not say which version of the case" in response.get_data(as_text=True)
    assert log_count(app) == 0
    assert _post(app, Question, question.id).is_visible


def test_restoring_through_an_old_decided_case_says_restored_on_every_receipt(app, people, make):
    question = make.question().post
    first = open_case(app, question)
    moderator = people.moderator()
    _act(moderator, first)  # hidden: the case is decided
    assert case_row(app, first).outcome == "hide"
    with app.app_context():  # a second decided case about the same hidden post
        from app.moderation.models import Case

        other = db.session.get(Case, open_case(app, question, reasons=("spam",)))
        other.decided_at, other.outcome = other.opened_at, "hide"
        db.session.commit()
        other_id = other.id
    restored = _act(moderator, first, action="restore", public_note="Hidden by mistake.")
    assert restored.status_code == 303
    assert case_row(app, first).outcome == "restore"
    assert case_row(app, other_id).outcome == "restore"
    assert [e.action for e in _entries(app)] == ["hide", "restore"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"public_note": ""}, "Please write a short public note"),
     ({"reason": "because-i-said-so"}, "Please choose the community rule"),
     ({"reason": ""}, "Please choose the community rule"),
     ({"public_note": "x" * 301}, "Please keep the public note to 300"),
     ({"action": ""}, "Please choose what to do")],
)  # fmt: skip
def test_an_action_needs_a_rule_and_a_short_public_note(app, people, make, fields, message):
    question = make.question().post
    response = _act(people.moderator(), open_case(app, question), **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert log_count(app) == 0
    assert _post(app, Question, question.id).is_visible


def test_adding_a_note_needs_a_note(app, people, make):
    question = make.question().post
    response = _act(people.moderator(), open_case(app, question), action="add-note")
    assert response.status_code == 409
    assert "Please choose the content note to add." in response.get_data(as_text=True)
    assert log_count(app) == 0


def test_restoring_what_is_not_hidden_changes_nothing(app, people, make):
    question = make.question().post
    response = _act(people.moderator(), open_case(app, question), action="restore")
    assert response.status_code == 409
    assert "nothing to restore" in response.get_data(as_text=True)
    assert log_count(app) == 0


def test_a_decided_case_cannot_be_decided_again(app, people, make):
    question = make.question().post
    case_id = open_case(app, question)
    moderator = people.moderator()
    _act(moderator, case_id, action="dismiss")
    again = _act(moderator, case_id, action="lock")
    assert again.status_code == 409
    assert "already decided" in again.get_data(as_text=True)
    assert log_count(app) == 1


@pytest.mark.settings(TESTING=False, PROPAGATE_EXCEPTIONS=False)
def test_an_action_that_fails_midway_leaves_no_log_row_and_no_change(app, people, make,
                                                                      monkeypatch):  # fmt: skip
    question = make.question().post
    case_id = open_case(app, question)
    moderator = people.moderator()

    def broken(case, action):
        raise RuntimeError("the disk filled up just then")

    monkeypatch.setattr(actions, "_decide", broken)
    response = _act(moderator, case_id, author_message="Sorry, this was hidden.")
    assert response.status_code == 500
    assert log_count(app) == 0
    assert _post(app, Question, question.id).is_visible
    assert case_row(app, case_id).decided_at is None
    with app.app_context():
        assert db.session.scalars(select(AuthorMessage)).all() == []


def test_the_message_to_the_author_is_kept_apart_from_the_log(app, people, make):
    question = make.question().post
    words = "We hid this because of the names in it; you can edit and ask us again."
    _act(people.moderator(), open_case(app, question), author_message=words)
    with app.app_context():
        kept = db.session.scalars(select(AuthorMessage)).all()
        assert [m.text for m in kept] == [words]
    assert words not in app.test_client().get("/moderation-log").get_data(as_text=True)
    assert words not in app.test_client().get("/moderation-log.atom").get_data(as_text=True)


def test_absurd_values_sent_by_a_moderator_on_shift_never_break_anything(app, people, make):
    moderator = people.moderator()
    fields = {**ACT, "content_notes": "police", "author_message": "Words.", "version": "1"}
    for name in fields:
        for value in ABSURD:
            case_id = open_case(app, make.question(title=f"Q {name} {len(value)}").post)
            for path, data in [(f"/moderate/cases/{case_id}/act", {**fields, name: value}),
                               (f"/moderate/cases/{case_id}/claim", {"version": value}),
                               ("/rota/name", {"rota_name": value})]:  # fmt: skip
                response = moderator.post(path, data=data)
                assert response.status_code < 500, (path, name, value)
