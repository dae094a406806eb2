"""Recovery codes: a leaked database must not give them up, and new ones need the password."""

import hashlib
import re

from sqlalchemy import select

from app.accounts.models import RecoveryCode
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, sign_in


def _stored(app):
    with app.app_context():
        return list(db.session.scalars(select(RecoveryCode.code_hash)))


def _key(code):
    return "".join(char for char in code.casefold() if char.isalnum())


def test_a_leaked_database_holds_no_fast_hash_of_any_code(app, client):
    codes = join(client)
    stored = _stored(app)
    assert len(stored) == 10
    assert all(value.startswith("$argon2id$") for value in stored)
    fast = {hashlib.sha256(_key(code).encode()).hexdigest() for code in codes}
    fast |= {hashlib.sha256(code.encode()).hexdigest() for code in codes}
    assert not any(digest in value for value in stored for digest in fast)
    salts = {value.split("$")[4] for value in stored}
    assert len(salts) == 10


def test_a_recovery_code_still_works_once_hashed_slowly(app, client):
    codes = join(client)
    client.post("/logout")
    new = "a brand new passphrase"
    data = {"handle": "quiet-fox", "code": codes[7], "password": new, "password_confirm": new}
    assert client.post("/recover", data=data).status_code == 303
    wrong = {**data, "code": "aaaaa-aaaaa"}
    client.post("/logout")
    assert client.post("/recover", data=wrong).status_code == 400


def _new_codes_page(client, **data):
    return client.post("/account/recovery-codes/new", data=data)


def test_making_new_codes_asks_for_the_password_first(app, client):
    join(client)
    before = _stored(app)
    page = client.get("/account/recovery-codes/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="password"[^>]*type="password"|type="password"[^>]*'
                     r'name="password"', page)  # fmt: skip

    for data in ({}, {"password": "not my password at all"}):
        refused = _new_codes_page(client, **data)
        assert refused.status_code == 400
        assert _stored(app) == before

    made = _new_codes_page(client, password=PASSWORD)
    assert made.status_code == 303
    assert set(_stored(app)).isdisjoint(before)


def test_someone_at_an_unlocked_screen_cannot_swap_the_codes_without_the_password(app):
    borrowed = app.test_client()
    join(borrowed)
    sign_in(borrowed)
    before = _stored(app)
    assert _new_codes_page(borrowed, password="guessing wildly here").status_code == 400
    assert _stored(app) == before
