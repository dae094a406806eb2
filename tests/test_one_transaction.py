"""One commit per request: when any step of a change fails, nothing of it is kept.

A post and its keeper link (the author's only way back) are stored together or not at
all; an account and its recovery codes likewise. Each test breaks the last step, the
sealing of the new secret for the next page, and looks for anything left half-done.
"""

import pytest
from sqlalchemy import func, select

from app.accounts.models import Account
from app.questions.models import Answer, Question
from app.web import sealed
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD

pytestmark = pytest.mark.settings(TESTING=False, PROPAGATE_EXCEPTIONS=False)
WORDS = "Words written at 2am that must not half-exist"
JOINING = {"handle": "night-owl", "password": PASSWORD, "password_confirm": PASSWORD,
           "pseudonym": "Owl"}  # fmt: skip


@pytest.fixture
def sealing_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the sealed-secret table is unreachable")

    monkeypatch.setattr(sealed, "give", broken)


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_question_whose_keeper_link_cannot_be_kept_is_not_stored(client, app, sealing_fails):
    response = client.post(
        "/ask", data={"topic": "getting-through-today", "title": "A title", "body": WORDS}
    )
    assert response.status_code == 500
    assert WORDS in response.get_data(as_text=True)  # given back to copy and try again
    assert _count(app, Question) == 0


def test_a_perspective_whose_keeper_link_cannot_be_kept_is_not_stored(
    client, app, make, sealing_fails
):
    question = make.question().post
    response = client.post(f"/q/{question.id}/answers", data={"body": WORDS})
    assert response.status_code == 500
    assert WORDS in response.get_data(as_text=True)
    assert _count(app, Answer) == 0
    with app.app_context():
        assert db.session.get(Question, question.id).perspective_count == 0


def test_an_account_whose_recovery_codes_cannot_be_shown_is_not_made(client, app, sealing_fails):
    response = client.post(
        "/join",
        data=JOINING,
    )
    assert response.status_code == 500
    assert _count(app, Account) == 0
    assert client.get("/account").status_code == 303  # not signed in to a half-made account


def test_a_new_keeper_link_that_cannot_be_shown_leaves_the_old_one_working(
    client, make, sealing_fails
):
    keeper = f"/keep/{make.question().keeper_token}"
    assert client.post(f"{keeper}/new-link").status_code == 500
    assert client.get(keeper).status_code == 200


@pytest.fixture
def commits(app):
    """Counts the commits the app's database session makes."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    seen = []

    def count(session):
        seen.append(session)

    event.listen(Session, "after_commit", count)
    yield seen
    event.remove(Session, "after_commit", count)


@pytest.mark.settings(TESTING=True, PROPAGATE_EXCEPTIONS=True)
def test_asking_answering_and_joining_each_commit_once(client, make, commits):
    asked = client.post(
        "/ask", data={"topic": "getting-through-today", "title": "A title", "body": WORDS}
    )
    assert asked.status_code == 303
    assert len(commits) == 1
    question = make.question().post
    commits.clear()
    answered = client.post(f"/q/{question.id}/answers", data={"body": WORDS})
    assert answered.status_code == 303
    assert len(commits) == 1
    commits.clear()
    joined = client.post(
        "/join",
        data=JOINING,
    )
    assert joined.status_code == 303
    assert len(commits) == 1
