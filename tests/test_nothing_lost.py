"""What a fresh review found people could still lose: words, keeper links, allowances, names."""

import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import Account
from app.questions.models import Answer, Question
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids
from tests.test_asking import GOOD

JOIN_FIELDS = {"password": PASSWORD, "password_confirm": PASSWORD}


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _hide(client, note):
    client.post("/settings/content-notes", data={f"note-{note}": "hide"})


@pytest.mark.parametrize(
    "sent",
    [
        {"body": "My words, kept.", "content_note_other": "n" * 121},
        {"body": "My words, kept. " * 1300},
    ],
    ids=["note-too-long", "body-too-long"],
)
def test_a_refused_perspective_on_a_question_i_chose_to_hide_comes_back_with_my_words(
    client, make, app, sent
):
    question = make.question(content_notes=["suicide"]).post
    _hide(client, "suicide")
    client.get(f"/q/{question.id}?notes=all")
    response = client.post(f"/q/{question.id}/answers", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "a content note you chose to hide" not in page
    assert "My words, kept." in page
    assert 'class="field-error"' in page
    assert _count(app, Answer) == 0


def test_a_perspective_sent_as_replies_close_comes_back_even_under_a_hidden_note(client, make, app):
    asked = make.question(content_notes=["suicide"])
    _hide(client, "suicide")
    app.test_client().post(f"/keep/{asked.keeper_token}/replies-closed", data={"closed": "yes"})
    response = client.post(f"/q/{asked.post.id}/answers", data={"body": "My words, kept."})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "a content note you chose to hide" not in page
    assert "My words, kept." in page


def test_changing_the_order_after_show_it_anyway_keeps_showing_it(client, make):
    question = make.question(content_notes=["suicide"]).post
    make.answer(question, body="one view")
    make.answer(question, body="another view", kind="own-experience")
    _hide(client, "suicide")
    page = client.get(f"/q/{question.id}?notes=all&kind=own-experience").get_data(as_text=True)
    assert '<input type="hidden" name="notes" value="all">' in page
    show_all = re.search(r'href="([^"]+)#answers-heading">show all', page)[1]
    assert "notes=all" in show_all


def test_two_tabs_posting_before_either_page_loads_each_get_their_keeper_link(client, make):
    first, second = make.question().post, make.question(title="Another question").post
    client.post(f"/q/{first.id}/answers", data={"body": "From the first tab."})
    client.post(f"/q/{second.id}/answers", data={"body": "From the second tab."})
    for question in (first, second):
        page = client.get(f"/q/{question.id}").get_data(as_text=True)
        assert 'id="keeper-link"' in page, question.id


def test_two_perspectives_on_one_question_from_two_tabs_each_get_their_link(client, make):
    question = make.question().post
    client.post(f"/q/{question.id}/answers", data={"body": "From the first tab."})
    client.post(f"/q/{question.id}/answers", data={"body": "From the second tab."})
    links = set()
    for _ in range(2):
        page = client.get(f"/q/{question.id}").get_data(as_text=True)
        links.add(re.search(r'id="keeper-link"[^>]*href="(/keep/[^"]+)"', page)[1])
    assert len(links) == 2


def test_someone_who_loses_a_race_for_a_login_name_is_told_kindly(app, monkeypatch):
    from app.accounts import services

    join(app.test_client(), handle="racing-fox", pseudonym="First One")
    monkeypatch.setattr(services, "find_by_handle", lambda handle: None)
    response = app.test_client().post(
        "/join", data={**JOIN_FIELDS, "handle": "racing-fox", "pseudonym": "Second One"}
    )
    assert response.status_code == 400
    assert "login name is taken" in response.get_data(as_text=True)
    assert _count(app, Account) == 1


@pytest.mark.settings(RATELIMIT_ENABLED=True, ASK_RATE_LIMIT="4 per 10 minutes")
def test_sending_the_same_question_twice_does_not_use_up_the_allowance(client, app):
    for n in range(3):
        question = {**GOOD, "title": f"Question number {n} for the rota"}
        assert client.post("/ask", data=question).status_code == 303
        assert client.post("/ask", data=question).status_code == 303
    assert _count(app, Question) == 3
    assert client.post("/ask", data={**GOOD, "title": "A fourth, still fine"}).status_code == 303
    assert client.post("/ask", data={**GOOD, "title": "A fifth, one too many"}).status_code == 429


def test_a_renamed_pseudonyms_old_name_stays_out_of_others_reach(app):
    owner = app.test_client()
    join(owner, handle="renaming-fox", pseudonym="Alpha Heron")
    heron = pseudonym_ids(owner)["Alpha Heron"]
    assert (
        owner.post(f"/account/pseudonyms/{heron}/rename", data={"name": "Beta Heron"}).status_code
        == 303
    )
    response = app.test_client().post(
        "/join", data={**JOIN_FIELDS, "handle": "taking-fox", "pseudonym": "Alpha Heron"}
    )
    assert response.status_code == 400
    assert "looks just like it" in response.get_data(as_text=True)


def test_renaming_only_the_capitals_keeps_the_name(app):
    owner = app.test_client()
    join(owner, handle="renaming-fox", pseudonym="robin heron")
    heron = pseudonym_ids(owner)["robin heron"]
    for name in ("Robin Heron", "robin heron"):
        renamed = owner.post(f"/account/pseudonyms/{heron}/rename", data={"name": name})
        assert renamed.status_code == 303


def test_the_keeper_link_file_gives_the_same_date_as_the_pages(client, make, app):
    from datetime import datetime

    asked = make.question()
    with app.app_context():
        question = db.session.get(Question, asked.post.id)
        question.created_at = datetime(2026, 7, 14, 23, 30)  # 00:30 on the 15th in London
        db.session.commit()
    note = client.get(f"/keep/{asked.keeper_token}/kettle-link.txt").get_data(as_text=True)
    assert "15 Jul 2026" in note
    assert "15 Jul 2026" in client.get(f"/q/{asked.post.id}").get_data(as_text=True)
