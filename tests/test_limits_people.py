"""Limits stop floods without punishing careless people: refusals cost nothing, a pause
says how long, and nobody's words are lost to it."""

import re

import pytest

from tests.accounts_helpers import PASSWORD, join, pseudonym_ids
from tests.test_asking import GOOD

ONE_AN_HOUR = {name: "1 per hour" for name in (
    "ASK_RATE_LIMIT", "ANSWER_RATE_LIMIT", "KEEPER_RATE_LIMIT", "JOIN_RATE_LIMIT",
    "ACCOUNT_RATE_LIMIT", "SIGN_IN_RATE_LIMIT", "SETTINGS_RATE_LIMIT", "RECOVER_RATE_LIMIT",
)}  # fmt: skip
NEW = {"handle": "careful-heron", "password": PASSWORD, "password_confirm": PASSWORD,
       "pseudonym": "Heronname"}  # fmt: skip


def paused(response):
    """A 429 that says when to come back, and the page's text."""
    assert response.status_code == 429, response.status_code
    wait = response.headers.get("Retry-After", "")
    assert wait.isdigit(), response.headers
    assert 0 < int(wait) <= 3600
    return response.get_data(as_text=True)


@pytest.mark.settings(RATELIMIT_ENABLED=True, JOIN_RATE_LIMIT="2 per hour")
def test_refused_join_attempts_do_not_use_up_the_join_allowance(client):
    refused = [
        {**NEW, "password_confirm": "not the same at all"},
        {**NEW, "password": "password", "password_confirm": "password"},
        {},
        {**NEW, "handle": ""},
        {**NEW, "pseudonym": ""},
    ]
    for form in refused:
        assert client.post("/join", data=form).status_code == 400
    assert client.post("/join", data=NEW).status_code == 303


@pytest.mark.settings(RATELIMIT_ENABLED=True, JOIN_RATE_LIMIT="2 per hour")
def test_asking_whether_login_names_are_taken_still_counts(app, client):
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    join(elsewhere, handle="taken-name")
    taken = {**NEW, "handle": "taken-name"}
    assert [client.post("/join", data=taken).status_code for _ in range(3)] == [400, 400, 429]


@pytest.mark.settings(RATELIMIT_ENABLED=True, **ONE_AN_HOUR)
def test_over_the_join_limit_the_words_come_back_but_never_the_password(app, client):
    join(app.test_client(), handle="first-person", pseudonym="Firstname")
    page = paused(client.post("/join", data=NEW))
    assert "Heronname" in page
    assert PASSWORD not in page
    assert "careful-heron" not in page  # a login name is never shown


def ask_twice(client):
    client.post("/ask", data=GOOD)
    words = {"title": "Saffron title here?", "body": "Saffron body words",
             "content_note_other": "my own"}  # fmt: skip
    return client.post("/ask", data={**GOOD, **words})


def answer_twice(client, make):
    qid = make.question().post.id
    client.post(f"/q/{qid}/answers", data={"body": "First perspective."})
    return client.post(f"/q/{qid}/answers", data={"body": "Saffron perspective words"})


def edit_twice(client, make):
    keep = f"/keep/{make.question().keeper_token}"
    edit = {"title": "An edited title", "body": "Edited once.", "topic": "getting-through-today"}
    client.post(f"{keep}/edit", data=edit)
    return client.post(f"{keep}/edit", data={**edit, "body": "Saffron edit words"})


def reply_twice(client, make):
    keep = f"/keep/{make.question().keeper_token}"
    client.post(f"{keep}/replies", data={"body": "A first reply."})
    return client.post(f"{keep}/replies", data={"body": "Saffron reply words"})


def add_pseudonym_twice(client, make):
    join(client)
    client.post("/account/pseudonyms", data={"name": "Wren"})
    return client.post("/account/pseudonyms", data={"name": "Saffronname"})


def rename_twice(client, make):
    join(client)
    pseudonym_id = pseudonym_ids(client)["Robin"]
    client.post(f"/account/pseudonyms/{pseudonym_id}/rename", data={"name": "Wren"})
    return client.post(f"/account/pseudonyms/{pseudonym_id}/rename", data={"name": "Saffronname"})


@pytest.mark.settings(RATELIMIT_ENABLED=True, **ONE_AN_HOUR)
@pytest.mark.parametrize("twice", [ask_twice, answer_twice, edit_twice, reply_twice,
                                   add_pseudonym_twice, rename_twice])  # fmt: skip
def test_a_pause_on_any_posting_form_gives_the_words_back(client, make, twice):
    response = twice(client) if twice is ask_twice else twice(client, make)
    page = paused(response)
    assert "What you wrote, so it is not lost" in page
    assert re.search(r"<textarea[^>]*readonly[^>]*>Saffron", page)


@pytest.mark.settings(RATELIMIT_ENABLED=True, **ONE_AN_HOUR)
def test_a_pause_after_wrong_passwords_never_shows_them(client):
    join(client)
    client.post("/account/password", data={"current": "wrong guess one", "password": "x"})
    page = paused(client.post("/account/password", data={"current": "wrong guess two"}))
    assert "wrong guess" not in page
    client.post("/logout")
    client.post("/login", data={"handle": "quiet-fox", "password": "wrong guess three"})
    page = paused(client.post("/login", data={"handle": "quiet-fox", "password": "guess four"}))
    assert "guess four" not in page
    assert "quiet-fox" not in page


@pytest.mark.settings(RATELIMIT_ENABLED=True, ASK_RATE_LIMIT="1 per minute;60 per day")
def test_the_pause_says_how_long_to_wait(client):
    client.post("/ask", data=GOOD)
    response = client.post("/ask", data=GOOD)
    page = paused(response)
    assert int(response.headers["Retry-After"]) <= 60
    assert "in a minute or so" in page
