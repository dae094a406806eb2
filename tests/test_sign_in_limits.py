"""Signing in: limits on guessing that count people, not addresses, and never the right password."""

import pytest

from tests.accounts_helpers import PASSWORD, join


def sign_in_from(client, address, handle, password):
    """One try at signing in, sent from a given client address."""
    return client.post(
        "/login",
        data={"handle": handle, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.mark.settings(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
def test_ipv6_neighbours_in_one_slash_64_share_a_limit(client):
    for n in range(3):
        sign_in_from(client, f"2001:db8:1:2::{n + 1:x}", "x", "y")
    blocked = sign_in_from(client, "2001:db8:1:2:ffff::9", "x", "y")
    assert blocked.status_code == 429
    elsewhere = sign_in_from(client, "2001:db8:1:3::1", "x", "y")
    assert elsewhere.status_code == 400


@pytest.mark.settings(RATELIMIT_ENABLED=True, HANDLE_RATE_LIMIT="2 per hour")
def test_guesses_at_one_login_name_are_limited_from_any_address(client):
    for n in range(2):
        sign_in_from(client, f"198.51.100.{n}", "quiet-fox", "guess")
    response = sign_in_from(client, "203.0.113.5", "QUIET-FOX", "guess")
    assert response.status_code == 429


@pytest.mark.settings(RATELIMIT_ENABLED=True, HANDLE_RATE_LIMIT="2 per hour")
def test_invisible_characters_do_not_make_a_login_name_new(client):
    join(client, handle="alice1")
    client.post("/logout")
    for _ in range(2):
        client.post("/login", data={"handle": "alice1", "password": "wrong guess"})
    for variant in ("al\x01ice1", "alice\u202e1", "\x7falice1", "ALICE1"):
        response = client.post("/login", data={"handle": variant, "password": PASSWORD})
        assert response.status_code == 429, variant


@pytest.mark.settings(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="2 per minute")
def test_signing_in_correctly_never_counts_against_anyone(client):
    join(client)
    for _ in range(4):
        client.post("/logout")
        assert (
            client.post("/login", data={"handle": "quiet-fox", "password": PASSWORD}).status_code
            == 303
        )
