"""Statements of reasons: an author is told, on their keeper page or their own view of the
post, what moderators did to it and why, and how to appeal; never who reported it."""

import json
from datetime import timedelta

import pytest

from app.core.time import now
from app.moderation.models import Case
from app.web.extensions import db
from tests.accounts_helpers import join, pseudonym_ids
from tests.html_tree import parse
from tests.moderation_helpers import People, acting, open_case
from tests.test_appeals import (
    APPEAL_WORDS,
    ASK,
    HEARD,
    TO_AUTHOR,
    act,
    appeal_from,
    ask,
    decide,
    logged,
    reported_and_hidden,
    the_appeal,
    the_case,
)
from tests.test_reports import report

SECRET_DETAILS = "I know who wrote this, it is my neighbour at number 12"


@pytest.fixture
def people(app):
    return People(app)


def told(html):
    """The statements on a page, by log entry id: each one's words."""
    return {
        int(n.attrs["data-log-id"]): n.text()
        for n in parse(html).walk()
        if "statement" in n.attrs.get("class", "").split()
    }


def test_the_author_reads_every_part_of_the_statement(app, people):
    _, keeper, _, _ = reported_and_hidden(app, people)
    page = app.test_client().get(keeper).get_data(as_text=True)
    [words] = told(page).values()
    for part in ("A moderator hid it from readers", "your question", "Be kind to each other",
                 "Hidden while we look again.", TO_AUTHOR, "After reports",
                 "A moderator on the rota decided it", "Appeal this decision"):  # fmt: skip
        assert part in words, part
    assert "until" not in words.split("You can appeal once")[0]  # nothing that lasts


def test_the_statement_never_says_who_reported_or_what_they_wrote(app, people):
    question_id, keeper = ask(app.test_client())
    report(app.test_client(), f"question:{question_id}", reason="identifies",
           details=SECRET_DETAILS)  # fmt: skip
    act(people.moderator(), the_case(app))
    page = app.test_client().get(keeper).get_data(as_text=True)
    assert told(page)
    assert SECRET_DETAILS not in page
    assert "Could identify someone" not in page  # the reporter's reason stays theirs


def test_a_dismissal_changes_nothing_so_the_author_is_not_told(app, people):
    _, keeper, _, _ = reported_and_hidden(app, people, action="dismiss", public_note="Fine.")
    page = app.test_client().get(keeper).get_data(as_text=True)
    assert told(page) == {}
    assert "Appeal this decision" not in page


def test_a_decision_on_a_moderator_s_own_reading_says_nobody_reported_it(app, make):
    posted = make.question()
    logged(app, posted.post.id, "lock", rota_name="Kestrel")
    [words] = told(
        app.test_client().get(f"/keep/{posted.keeper_token}").get_data(as_text=True)
    ).values()
    assert "A moderator's own reading: nobody reported it" in words


def test_an_automatic_collapse_says_it_was_not_a_moderator_s_decision(app, make):
    posted = make.question()
    with app.app_context():
        case = Case(question_id=posted.post.id)
        db.session.add(case)
        db.session.commit()
        case_id = case.id
    logged(app, posted.post.id, "collapse", automatic=True, case_id=case_id)
    [words] = told(
        app.test_client().get(f"/keep/{posted.keeper_token}").get_data(as_text=True)
    ).values()
    assert "Kettle collapsed it pending review, automatically" in words
    assert "It is not a moderator's decision" in words


def test_what_lasts_a_while_says_until_when(app, make):
    posted = make.question()
    ends = now() + timedelta(days=3)
    logged(app, posted.post.id, "suspend-pseudonym", rota_name="Kestrel", until=ends)
    [words] = told(
        app.test_client().get(f"/keep/{posted.keeper_token}").get_data(as_text=True)
    ).values()
    assert "For how long" in words
    assert f"until {ends.day} " in words or ends.strftime("%d %b") in words


def test_a_signed_in_author_reads_the_statement_on_their_own_view_and_appeals_there(app, people):
    author = app.test_client()
    join(author)
    robin = pseudonym_ids(author)["Robin"]
    asked = author.post("/ask", data={**ASK, "as": robin})
    question_id = int(asked.headers["Location"].rsplit("/", 1)[1])
    report(app.test_client(), f"question:{question_id}")
    act(people.moderator(), the_case(app), author_message=TO_AUTHOR)
    mine = f"/mine/question/{question_id}"
    page = author.get(mine).get_data(as_text=True)
    assert TO_AUTHOR in page and f'action="{mine}/appeal"' in page
    too_long = appeal_from(author, mine, "\u0915" * 2001)  # back on their own view, words kept
    assert too_long.status_code == 400 and "\u0915" * 2001 in too_long.get_data(as_text=True)
    assert appeal_from(author, mine).status_code == 303
    assert the_appeal(app).text == APPEAL_WORDS
    assert appeal_from(app.test_client(), mine).status_code == 404  # not theirs
    assert decide(people.moderator(), the_appeal(app).id).status_code == 303
    assert HEARD in author.get(mine).get_data(as_text=True)
    exported = json.loads(author.get("/account/export.json").get_data(as_text=True))
    [appeal] = exported["appeals"]
    assert appeal["text"] == APPEAL_WORDS
    assert appeal["outcome"] == "overturned" and appeal["message"] == HEARD
    assert appeal["about"]["decision"] == "hide"


def test_the_author_of_a_perspective_is_told_on_its_keeper_page(app, people, make):
    answered = make.answer(make.question().post, body="A perspective someone reported")
    case_id = open_case(app, answered.post)
    act(people.moderator(), case_id, author_message=TO_AUTHOR)
    page = app.test_client().get(f"/keep/{answered.keeper_token}").get_data(as_text=True)
    [words] = told(page).values()
    assert "your perspective" in words and TO_AUTHOR in words


def test_the_asker_is_told_about_a_reply_of_theirs_on_the_question_s_keeper_page(app, people, make):
    asked = make.question()
    reply = make.answer(asked.post, body="The asker adds something", by_asker=True)
    act(people.moderator(), open_case(app, reply.post))
    page = app.test_client().get(f"/keep/{asked.keeper_token}").get_data(as_text=True)
    [words] = told(page).values()
    assert "one of your replies in the thread" in words
    assert appeal_from(app.test_client(), f"/keep/{asked.keeper_token}").status_code == 303


def test_a_restoration_is_told_but_offers_no_appeal(app, people):
    _, keeper, kestrel, _ = reported_and_hidden(app, people)
    restored = kestrel.post(
        f"/moderate/cases/{the_case(app)}/act",
        data=acting(
            app, the_case(app), {"action": "restore", "reason": "be-kind", "public_note": "Back."}
        ),
    )
    assert restored.status_code == 303
    page = app.test_client().get(keeper).get_data(as_text=True)
    statements_told = told(page)
    assert len(statements_told) == 2
    newest = statements_told[max(statements_told)]
    assert "restored it for readers" in newest and "Appeal this decision" not in newest


def test_statements_take_the_same_queries_however_many_decisions(app, make, queries):
    posted = make.question()
    path = f"/keep/{posted.keeper_token}"
    client = app.test_client()
    logged(app, posted.post.id, "lock", rota_name="Kestrel")
    client.get(path)
    with queries as one:
        client.get(path)
    first = one.n
    for action in ("add-note", "hide", "restore"):
        logged(app, posted.post.id, action, rota_name="Kestrel")
    with queries as four:
        client.get(path)
    assert four.n == first
