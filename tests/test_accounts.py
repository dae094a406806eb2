"""Joining without giving anything away, signing in, recovering, and sessions that end."""

import re
import statistics
import time

import pytest
from sqlalchemy import func, select

from app.accounts import passwords
from app.accounts.models import Account, Pseudonym, RecoveryCode
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, sign_in

JOIN = {
    "handle": "quiet-fox",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
    "pseudonym": "Robin",
}


def accounts(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Account))


def test_join_asks_for_nothing_identifying(client):
    html = client.get("/join").get_data(as_text=True)
    for field in ("handle", "password", "password_confirm", "pseudonym"):
        assert f'name="{field}"' in html
    for word in ("email", "phone", "real name"):
        assert f'name="{word}"' not in html.lower()


def test_joining_shows_recovery_codes_once_and_signs_in(client, app):
    codes = join(client)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get("/account").status_code == 200
    assert "Keep your recovery codes" not in client.get(
        "/account/recovery-codes", follow_redirects=True
    ).get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10
        assert not any(code.replace("-", "") in s for code in codes for s in stored)


def test_recovery_codes_can_be_downloaded_while_fresh(client):
    response = client.post("/join", data=JOIN)
    codes_page = client.get(response.headers["Location"]).get_data(as_text=True)
    first_code = re.search(r"<code>([a-z0-9-]+)</code>", codes_page).group(1)
    download = client.get("/account/recovery-codes.txt")
    assert first_code in download.get_data(as_text=True)
    assert "attachment" in download.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password": "short", "password_confirm": "short"}, "at least 10 characters"),
        ({"password": "password123", "password_confirm": "password123"}, "most common"),
        ({"password": "Qwertyuiop", "password_confirm": "Qwertyuiop"}, "most common"),
        ({"password_confirm": "something else entirely"}, "not the same"),
        ({"password": "x" * 300, "password_confirm": "x" * 300}, "at most 256"),
        ({"handle": "ab"}, "Your login name needs 3 to 40 characters."),
        ({"handle": "has space"}, "A login name has no spaces"),
        ({"handle": "x" * 101}, "Your login name needs 3 to 40 characters."),
        ({"pseudonym": ""}, "choose a name"),
        ({"pseudonym": "Kettle Team"}, "kept for Kettle"),
        ({"pseudonym": "The Asker"}, "kept for Kettle"),
        ({"pseudonym": "Anonymous"}, "kept for Kettle"),
        ({"pseudonym": "M\u043ederator"}, "kept for Kettle"),  # a Cyrillic o
        ({"pseudonym": "Rob\u202ein"}, "letters, numbers"),
        ({"pseudonym": "x" * 41}, "A pseudonym needs 2 to 40 characters."),
        ({"pseudonym": "x" * 101}, "A pseudonym needs 2 to 40 characters."),
        ({"website": "spam"}, "Something filled in a hidden box"),
    ],
)
def test_bad_join_input_is_explained_and_changes_nothing(client, app, change, message):
    response = client.post("/join", data={**JOIN, **change})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Field " not in html
    assert "Please use between" not in html
    assert "type any passwords again" in html
    assert "your words are still here" not in html
    assert accounts(app) == 0


def test_a_megabyte_password_is_refused_without_hashing_it(client, app):
    huge = "p" * 1_000_000
    response = client.post("/join", data={**JOIN, "password": huge, "password_confirm": huge})
    assert response.status_code == 413
    assert accounts(app) == 0


def test_handles_and_look_alike_names_cannot_be_taken_twice(app):
    join(app.test_client(), handle="quiet-fox", pseudonym="Robin")
    other = app.test_client()
    taken = other.post("/join", data={**JOIN, "handle": "QUIET-FOX", "pseudonym": "Wren"})
    assert "login name is taken" in taken.get_data(as_text=True)
    for look_alike in ("ROBIN", "Rоbin", "R o b i n", "Ｒｏｂｉｎ", "R0bin"):
        response = other.post("/join", data={**JOIN, "handle": "new-one", "pseudonym": look_alike})
        assert "looks just like it" in response.get_data(as_text=True), look_alike
    assert accounts(app) == 1


def test_unknown_handle_and_wrong_password_get_the_same_answer(client):
    join(client)
    client.post("/logout", follow_redirects=True)
    unknown = sign_in(client, handle="nobody-here").get_data(as_text=True)
    wrong = sign_in(client, password="not my password at all").get_data(as_text=True)
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(unknown) == strip(wrong)
    assert "do not match" in unknown


def test_stored_hash_is_argon2id_and_timing_is_similar(client, app):
    join(client)
    with app.app_context():
        assert db.session.scalar(select(Account.password_hash)).startswith("$argon2id$")
        stored = db.session.scalar(select(Account.password_hash))

    def timed(stored_hash):
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            passwords.verify(stored_hash, "wrong password here")
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    unknown, wrong = timed(None), timed(stored)
    assert 0.5 < unknown / wrong < 2, (unknown, wrong)


def test_signing_in_starts_a_fresh_session(app, client, make):
    join(client)
    client.post("/logout")
    question = make.question().post
    client.get(f"/q/{question.id}?order=shuffle")  # leaves a value in the signed-out session
    serializer = app.session_interface.get_signing_serializer(app)
    before = serializer.loads(client.get_cookie("session").value)
    assert "reader_seed" in before
    sign_in(client)
    after = serializer.loads(client.get_cookie("session").value)
    assert "reader_seed" not in after
    assert "account" in after
    assert client.get("/account").status_code == 200


def test_a_session_cookie_replayed_after_sign_out_does_not_work(client):
    join(client)
    copied = client.get_cookie("session").value
    client.post("/logout")
    client.set_cookie("session", copied)
    response = client.get("/account")
    assert response.status_code == 303
    assert "/login" in response.headers["Location"]


def test_sign_out_everywhere_ends_other_sessions_but_not_this_one(app):
    laptop, phone = app.test_client(), app.test_client()
    join(laptop)
    sign_in(phone)
    assert phone.get("/account").status_code == 200
    laptop.post("/account/sign-out-everywhere")
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 303


def test_logout_needs_post(client):
    join(client)
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_recovery_code_sets_a_new_password_once(app, client):
    codes = join(client)
    other_device = app.test_client()
    sign_in(other_device)
    client.post("/logout")
    new = "a brand new passphrase"
    data = {
        "handle": "quiet-fox",
        "code": codes[3].upper(),
        "password": new,
        "password_confirm": new,
    }
    assert client.post("/recover", data=data).status_code == 303
    assert "You have 9 recovery codes left." in client.get("/account").get_data(as_text=True)
    assert other_device.get("/account").status_code == 303
    client.post("/logout")
    assert sign_in(client, password=PASSWORD).status_code == 400
    assert sign_in(client, password=new).status_code == 303
    client.post("/logout")
    again = client.post(
        "/recover",
        data={**data, "password": "another one again", "password_confirm": "another one again"},
    )
    assert again.status_code == 400
    assert "each code works once" in again.get_data(as_text=True)


def test_changing_password_checks_the_current_one(client):
    join(client)
    new = "a brand new passphrase"
    wrong = client.post(
        "/account/password",
        data={"current": "not it at all", "password": new, "password_confirm": new},
    )
    assert wrong.status_code == 400
    assert "was not right" in wrong.get_data(as_text=True)
    right = client.post(
        "/account/password", data={"current": PASSWORD, "password": new, "password_confirm": new}
    )
    assert right.status_code == 303
    client.post("/logout")
    assert sign_in(client, password=new).status_code == 303


def test_password_is_rehashed_when_parameters_change(client, app, monkeypatch):
    join(client)
    client.post("/logout")
    with app.app_context():
        before = db.session.scalar(select(Account.password_hash))
    monkeypatch.setattr(passwords, "needs_rehash", lambda stored: True)
    sign_in(client)
    with app.app_context():
        after = db.session.scalar(select(Account.password_hash))
    assert after != before
    assert after.startswith("$argon2id$")


def test_roles_are_granted_and_revoked_from_the_command_line(app, client):
    join(client)
    runner = app.test_cli_runner()
    assert (
        "Granted moderator"
        in runner.invoke(args=["roles", "grant", "quiet-fox", "moderator"]).output
    )
    with app.app_context():
        assert db.session.scalar(select(Account)).has_role("moderator")
    assert runner.invoke(args=["roles", "grant", "nobody", "moderator"]).exit_code != 0
    assert runner.invoke(args=["roles", "grant", "quiet-fox", "king"]).exit_code != 0
    assert "Revoked" in runner.invoke(args=["roles", "revoke", "quiet-fox", "moderator"]).output
    with app.app_context():
        assert not db.session.scalar(select(Account)).has_role("moderator")
    assert client.get("/account").status_code == 303  # revoking ends sessions at once


def test_a_suspended_account_is_signed_out_and_cannot_sign_in(app, client):
    from app.core.time import now

    join(client)
    with app.app_context():
        db.session.scalar(select(Account)).suspended_at = now()
        db.session.commit()
    assert client.get("/account").status_code == 303
    assert "suspended" in sign_in(client).get_data(as_text=True)


def test_pseudonyms_are_capped(client, app):
    join(client)
    for n in range(9):
        assert (
            client.post("/account/pseudonyms", data={"name": f"Name {chr(65 + n)}"}).status_code
            == 303
        )
    refused = client.post("/account/pseudonyms", data={"name": "One Too Many"})
    assert refused.status_code == 400
    assert "up to 10" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Pseudonym)) == 10


@pytest.mark.settings(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
def test_sign_in_attempts_are_rate_limited(client):
    for _ in range(3):
        assert sign_in(client, password="guessing again").status_code == 400
    assert sign_in(client, password="guessing again").status_code == 429
