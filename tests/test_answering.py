"""Offering perspectives: plural, unranked, in the order they came or shuffled."""

import re

from sqlalchemy import func, select

from app.questions.models import Answer
from app.web.extensions import db
from tests.builders import keeper_link


def answer_ids(html):
    return [int(i) for i in re.findall(r'class="answer[^"]*"[^>]*data-answer-id="(\d+)"', html)]


def test_anonymous_answer_shows_on_the_question_with_its_own_keeper_link(client, make):
    question = make.question().post
    response = client.post(
        f"/q/{question.id}/answers",
        data={"body": "I told mine after a month.", "kind": "own-experience", "as": "anonymous"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/q/{question.id}#keeper-heading")
    html = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "I told mine after a month." in html
    assert "From my own experience" in html
    assert "1 perspective" in html
    link = keeper_link(html)
    assert link
    assert client.get(link).status_code == 200
    assert "Your perspective" in client.get(link).get_data(as_text=True)


def test_perspectives_show_oldest_first_and_are_counted_in_plain_words(client, make):
    question = make.question().post
    first, second, third = (make.answer(question, body=f"view {n}").post.id for n in range(3))
    html = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert answer_ids(html) == [first, second, third]
    assert "3 perspectives" in html
    home = client.get("/").get_data(as_text=True)
    assert "3 perspectives" in home


def test_shuffle_is_stable_for_one_reader_and_differs_between_readers(app, make):
    question = make.question().post
    ids = [make.answer(question, body=f"view {n}").post.id for n in range(12)]
    reader, other = app.test_client(), app.test_client()
    url = f"/q/{question.id}?order=shuffle"
    mine = answer_ids(reader.get(url).get_data(as_text=True))
    assert sorted(mine) == ids
    assert answer_ids(reader.get(url).get_data(as_text=True)) == mine
    others = [answer_ids(app.test_client().get(url).get_data(as_text=True)) for _ in range(4)]
    assert any(order != mine for order in others)
    assert sorted(answer_ids(other.get(url).get_data(as_text=True))) == ids


def test_readers_can_filter_by_kind(client, make):
    question = make.question().post
    lived = make.answer(question, body="lived", kind="own-experience").post
    make.answer(question, body="practical", kind="practical")
    make.answer(question, body="no kind")
    html = client.get(f"/q/{question.id}?kind=own-experience").get_data(as_text=True)
    assert answer_ids(html) == [lived.id]
    all_kinds = client.get(f"/q/{question.id}?kind=not-a-kind").get_data(as_text=True)
    assert len(answer_ids(all_kinds)) == 3


def test_nothing_is_ranked_or_scored(client, make):
    question = make.question().post
    make.answer(question, body="one")
    html = client.get(f"/q/{question.id}").get_data(as_text=True).lower()
    for word in ("vote", "score", "karma", "best answer", "accepted", "views", "popular"):
        assert word not in html, word


def test_empty_answer_is_refused_and_nothing_is_stored(client, app, make):
    question = make.question().post
    response = client.post(f"/q/{question.id}/answers", data={"body": "  \n "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please write your perspective." in html
    assert "<title>Error: " in html  # the first thing a screen reader says on arrival
    assert (
        client.post(f"/q/{question.id}/answers", data={"body": "x", "kind": "best"}).status_code
        == 400
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_answering_a_closed_question_is_refused_kindly(client, app, make):
    posted = make.question()
    question = posted.post
    client.post(f"/keep/{posted.keeper_token}/replies-closed", data={"closed": "yes"})
    html = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "Replies are closed" in html
    assert 'name="body"' not in html
    response = client.post(f"/q/{question.id}/answers", data={"body": "late words"})
    assert response.status_code == 409
    assert "closed this question" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_answering_a_question_that_does_not_exist_is_404(client):
    assert client.post("/q/999/answers", data={"body": "hello"}).status_code == 404
    assert client.get("/q/999").status_code == 404


def test_a_kind_once_chosen_can_be_taken_back(client, app, make):
    question = make.question().post
    posted = make.answer(question, kind="helped-me")
    assert 'class="kind"' in client.get(f"/q/{question.id}").get_data(as_text=True)
    edit = client.get(f"/keep/{posted.keeper_token}/edit").get_data(as_text=True)
    assert re.search(r'value="helped-me" checked', edit)
    assert "No particular kind" in edit
    client.post(f"/keep/{posted.keeper_token}/edit", data={"body": "Still true.", "kind": ""})
    with app.app_context():
        assert db.session.get(Answer, posted.post.id).kind is None
    assert 'class="kind"' not in client.get(f"/q/{question.id}").get_data(as_text=True)
