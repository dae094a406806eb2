"""A session opens one account, the one it was made for, and nothing else, ever."""

import re

import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Account, Pseudonym
from app.questions.keeper_links import KeeperToken
from app.questions.models import Answer, Question
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids, sign_in
from tests.test_asking import GOOD


def _delete_account(client):
    response = client.post(
        "/account/delete", data={"password": PASSWORD, "choice": "remove-everything"}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]


def _ids(app, model):
    with app.app_context():
        return set(db.session.scalars(select(model.id)))


def test_a_deleted_accounts_cookie_never_opens_the_next_persons_account(app):
    vic, wren = app.test_client(), app.test_client()
    join(vic, handle="vic-handle", pseudonym="Vic")
    kept = vic.get_cookie("session").value
    _delete_account(vic)
    join(wren, handle="wren-handle", pseudonym="Wren")
    wren.get("/ask")
    wrens_pseudonym = pseudonym_ids(wren)["Wren"]

    replayed = app.test_client()
    replayed.set_cookie("session", kept)
    account = replayed.get("/account")
    assert account.status_code == 303
    assert "/login" in account.headers["Location"]
    export = replayed.get("/account/export.json")
    assert export.status_code == 303
    assert "Wren" not in export.get_data(as_text=True)
    posted = replayed.post(
        "/ask",
        data={
            "title": "Posting as someone else?",
            "body": "Words",
            "topic": "work-and-lived-experience-roles",
            "as": wrens_pseudonym,
        },
    )
    assert posted.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Question)) is None


@pytest.mark.parametrize("model", [Account, Pseudonym])
def test_ids_of_deleted_accounts_and_pseudonyms_are_never_handed_out_again(app, model):
    vic = app.test_client()
    join(vic, handle="vic-handle", pseudonym="Vic")
    before = _ids(app, model)
    _delete_account(vic)
    join(app.test_client(), handle="wren-handle", pseudonym="Wren")
    after = _ids(app, model)
    assert after, "the new account should have rows"
    assert min(after) > max(before)


@pytest.mark.parametrize("model", [Question, Answer, KeeperToken])
def test_ids_of_erased_posts_and_keeper_links_are_never_handed_out_again(app, make, model):
    question = make.question()
    make.answer(question.post)
    before = _ids(app, model)
    with app.app_context():
        db.session.execute(db.delete(KeeperToken))
        db.session.execute(db.delete(Answer))
        db.session.execute(db.delete(Question))
        db.session.commit()
    make.answer(make.question().post)
    after = _ids(app, model)
    assert min(after) > max(before)


def _wrens_session(app):
    """Wren joins; returns the session serializer and what Wren's cookie holds."""
    wren = app.test_client()
    join(wren, handle="wren-handle", pseudonym="Wren")
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer, serializer.loads(wren.get_cookie("session").value)["account"]


def test_knowing_the_signing_key_and_an_account_id_is_not_enough_for_a_session(app):
    serializer, held = _wrens_session(app)
    with app.app_context():
        account = db.session.scalar(select(Account))
        assert held["id"] == account.id
        forged = {key: value for key, value in held.items() if key != "key"}
        forged["epoch"] = 0  # what a counter-based session would have carried
    stranger = app.test_client()
    stranger.set_cookie("session", serializer.dumps({"account": forged}))
    assert stranger.get("/account").status_code == 303


def test_the_cookie_does_not_carry_the_stored_session_secret(app):
    _, held = _wrens_session(app)
    with app.app_context():
        stored = db.session.scalar(select(Account.session_secret))
    assert len(stored) >= 43  # 256 bits, URL-safe
    assert stored not in str(held)


@pytest.mark.parametrize(
    "ends_it",
    [
        pytest.param(lambda account: services.end_every_session(account), id="sign-out-everywhere"),
        pytest.param(
            lambda account: services.change_password(account, PASSWORD, "a fresh kettle of fish"),
            id="password-change",
        ),
        pytest.param(lambda account: services.revoke("wren-handle", "moderator"), id="role-loss"),
        pytest.param(lambda account: services.suspend(account), id="suspension"),
    ],
)
def test_each_way_of_ending_sessions_gives_the_account_a_new_secret(app, ends_it):
    wren = app.test_client()
    join(wren, handle="wren-handle", pseudonym="Wren")
    with app.app_context():
        services.grant("wren-handle", "moderator")
        account = db.session.scalar(select(Account))
        before = account.session_secret
        ends_it(account)
        after = db.session.scalar(select(Account.session_secret))
    assert after != before
    assert wren.get("/account").status_code == 303


def test_recovering_with_a_code_ends_every_other_session(app):
    laptop, phone = app.test_client(), app.test_client()
    codes = join(laptop, handle="wren-handle", pseudonym="Wren")
    response = phone.post(
        "/recover",
        data={"handle": "wren-handle", "code": codes[0], "password": "a fresh kettle of fish",
              "password_confirm": "a fresh kettle of fish"},
    )  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    assert laptop.get("/account").status_code == 303
    assert phone.get("/account").status_code == 200
    sign_in(laptop, handle="wren-handle", password="a fresh kettle of fish")
    assert laptop.get("/account").status_code == 200


def session_of(app, client):
    return app.session_interface.get_signing_serializer(app).loads(
        client.get_cookie("session").value
    )


def test_new_keeper_links_and_recovery_codes_never_sit_readable_in_the_cookie(app, client):
    location = client.post("/ask", data=GOOD).headers["Location"]
    before_display = str(session_of(app, client))
    page = client.get(location).get_data(as_text=True)
    token = re.search(r'href="/keep/([^"]+)"', page).group(1)
    assert token not in before_display

    joined = client.post(
        "/join",
        data={
            "handle": "quiet-fox",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "pseudonym": "Robin",
        },
    )
    cookie = client.get_cookie("session").value
    codes_page = client.get(joined.headers["Location"]).get_data(as_text=True)
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", codes_page)
    assert codes
    assert not any(code in str(session_of(app, client)) for code in codes)
    client.post("/account/recovery-codes")
    client.set_cookie("session", cookie)  # a copy taken before the codes were put away
    replayed = client.get("/account/recovery-codes", follow_redirects=True).get_data(as_text=True)
    assert not any(code in replayed for code in codes)


def test_pages_seen_while_signed_in_are_not_cached(client, make):
    question = make.question().post
    assert "Cache-Control" not in client.get(f"/q/{question.id}").headers
    join(client)
    assert client.get(f"/q/{question.id}").headers["Cache-Control"] == "private, no-store"
    assert client.get("/recover").headers["Cache-Control"] == "no-store"


def test_cookies_from_before_handovers_do_no_harm(app, client, make):
    question = make.question().post
    with client.session_transaction() as session:
        session["fresh_keeper"] = {"token": "old-style", "question_id": question.id}
        session["fresh_recovery_codes"] = ["aaaaa-bbbbb"]
    assert client.get(f"/q/{question.id}").status_code == 200
    join(client)
    assert client.get("/account/recovery-codes", follow_redirects=True).status_code == 200
