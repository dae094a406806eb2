"""Sending the same form twice (a double-click, Back then Post again) stores one post."""

import threading

from sqlalchemy import func, select

from app.questions.models import Answer, Question
from app.web.extensions import db
from tests.accounts_helpers import join
from tests.builders import keeper_link
from tests.test_asking import GOOD


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def shown_link(client, response):
    return keeper_link(client.get(response.headers["Location"]).get_data(as_text=True))


def test_asking_twice_from_the_same_form_stores_one_question_and_shows_its_link_again(client, app):
    client.get("/ask")
    first = client.post("/ask", data=GOOD)
    link = shown_link(client, first)
    client.get("/ask")  # Back, the form shown again
    again = client.post("/ask", data=GOOD)
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert shown_link(client, again) == link
    assert count(app, Question) == 1
    assert client.get(link).status_code == 200


def test_a_question_deleted_by_its_asker_and_asked_again_is_a_new_question(client, app):
    link = shown_link(client, client.post("/ask", data=GOOD))
    assert client.post(link + "/delete").status_code == 303
    again = shown_link(client, client.post("/ask", data=GOOD))
    assert again
    assert again != link
    assert count(app, Question) == 2


def test_changed_words_are_a_new_question(client, app):
    first = shown_link(client, client.post("/ask", data=GOOD))
    changed = {**GOOD, "body": GOOD["body"] + " And another thing."}
    second = shown_link(client, client.post("/ask", data=changed))
    assert first != second
    assert count(app, Question) == 2


def test_someone_else_sending_the_same_words_never_gets_the_first_keeper_link(app):
    asker, copier = app.test_client(), app.test_client()
    link = shown_link(asker, asker.post("/ask", data=GOOD))
    copier.get("/ask")
    copied = shown_link(copier, copier.post("/ask", data=GOOD))
    assert copied
    assert copied != link
    assert count(app, Question) == 2


def test_a_perspective_sent_twice_is_stored_once_with_the_same_link(client, app, make):
    question = make.question().post
    client.get(f"/q/{question.id}")
    data = {"body": "Waiting helped me."}
    link = shown_link(client, client.post(f"/q/{question.id}/answers", data=data))
    assert shown_link(client, client.post(f"/q/{question.id}/answers", data=data)) == link
    assert count(app, Answer) == 1
    page = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "1 perspective" in page


def test_the_same_words_on_another_question_are_a_new_perspective(client, app, make):
    one, two = make.question().post, make.question(title="Another").post
    data = {"body": "Waiting helped me."}
    client.post(f"/q/{one.id}/answers", data=data)
    client.post(f"/q/{two.id}/answers", data=data)
    assert count(app, Answer) == 2


def test_an_askers_reply_sent_twice_is_stored_once(client, app, make):
    asked = make.question()
    keep = f"/keep/{asked.keeper_token}"
    for _ in range(2):
        assert client.post(keep + "/replies", data={"body": "Thanks all"}).status_code == 303
    assert count(app, Answer) == 1


def test_signed_in_double_submit_stores_once(client, app):
    join(client)
    first = client.post("/ask", data=GOOD)
    again = client.post("/ask", data=GOOD)
    assert again.headers["Location"] == first.headers["Location"]
    assert count(app, Question) == 1


def test_a_double_click_sent_at_the_same_moment_stores_once(app):
    client = app.test_client()
    client.get("/ask")
    cookie = client.get_cookie("session")
    results = []

    def send():
        browser = app.test_client()
        browser.set_cookie("session", cookie.value)
        response = browser.post("/ask", data=GOOD)
        results.append((response.status_code, shown_link(browser, response)))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [303, 303]
    assert results[0][1] == results[1][1]
    assert count(app, Question) == 1
