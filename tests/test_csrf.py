"""CSRF stays on here: a POST without a valid token is refused with 400 and changes nothing."""

import re

import pytest
from sqlalchemy import func, select

from app.questions.models import Question
from app.readers.prefs import COOKIE
from app.web.extensions import db
from tests.test_asking import GOOD

pytestmark = pytest.mark.settings(WTF_CSRF_ENABLED=True)


def token_from(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def questions(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


def test_asking_without_a_token_is_refused_and_keeps_the_words(client, app):
    response = client.post("/ask", data=GOOD)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "That form could not be sent" in html
    assert "cookie" in html
    assert "Part of me" in html
    assert questions(app) == 0


def test_asking_with_a_wrong_token_is_refused(client, app):
    token_from(client, "/ask")
    assert client.post("/ask", data={**GOOD, "csrf_token": "forged"}).status_code == 400
    assert questions(app) == 0


def test_asking_with_the_page_token_works(client, app):
    response = client.post("/ask", data={**GOOD, "csrf_token": token_from(client, "/ask")})
    assert response.status_code == 303
    assert questions(app) == 1


def test_a_token_from_another_visitor_is_refused(app):
    mallory, victim = app.test_client(), app.test_client()
    forged = token_from(mallory, "/ask")
    token_from(victim, "/ask")
    assert victim.post("/ask", data={**GOOD, "csrf_token": forged}).status_code == 400
    assert questions(app) == 0


def test_keeper_delete_without_a_token_changes_nothing(client, app, make):
    posted = make.question(title="Still here")
    assert client.post(f"/keep/{posted.keeper_token}/delete").status_code == 400
    assert client.post(f"/keep/{posted.keeper_token}/replies-closed").status_code == 400
    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    assert "Still here" in page
    assert "Replies are closed" not in page


def test_settings_without_a_token_changes_nothing(client):
    response = client.post("/settings/content-notes", data={"note-suicide": "show"})
    assert response.status_code == 400
    assert not any(COOKIE in c for c in response.headers.getlist("Set-Cookie"))
