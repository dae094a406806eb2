"""Findings from the security review, kept fixed."""

import logging
import re

import pytest
from sqlalchemy import text

from app.accounts import names
from app.core.text import render
from app.extensions import db
from tests.accounts_helpers import PASSWORD, join
from tests.test_asking import GOOD


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


@pytest.mark.settings(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="3 per minute")
def test_ipv6_neighbours_in_one_slash_64_share_a_limit(client):
    for n in range(3):
        environ = {"REMOTE_ADDR": f"2001:db8:1:2::{n + 1:x}"}
        client.post("/login", data={"handle": "x", "password": "y"}, environ_base=environ)
    blocked = client.post(
        "/login",
        data={"handle": "x", "password": "y"},
        environ_base={"REMOTE_ADDR": "2001:db8:1:2:ffff::9"},
    )
    assert blocked.status_code == 429
    elsewhere = client.post(
        "/login",
        data={"handle": "x", "password": "y"},
        environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"},
    )
    assert elsewhere.status_code == 400


@pytest.mark.settings(RATELIMIT_ENABLED=True, HANDLE_RATE_LIMIT="2 per hour")
def test_guesses_at_one_login_name_are_limited_from_any_address(client):
    for n in range(2):
        client.post(
            "/login",
            data={"handle": "quiet-fox", "password": "guess"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )
    response = client.post(
        "/login",
        data={"handle": "QUIET-FOX", "password": "guess"},
        environ_base={"REMOTE_ADDR": "203.0.113.5"},
    )
    assert response.status_code == 429


@pytest.mark.settings(TESTING=False, PROPAGATE_EXCEPTIONS=False)
def test_a_crash_on_a_keeper_page_logs_no_keeper_link(client, make, monkeypatch, caplog):
    from app.keeper import steward

    posted = make.question()

    def broken(token):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(steward.services, "find", broken)
    with caplog.at_level(logging.ERROR):
        assert client.get(f"/keep/{posted.keeper_token}").status_code == 500
    assert "Exception on /keep/[secret]" in caplog.text
    assert posted.keeper_token not in caplog.text


@pytest.mark.settings(TESTING=False, PROPAGATE_EXCEPTIONS=False)
def test_a_database_error_still_gets_the_kind_page_with_its_headers(client, monkeypatch):
    from app.questions import services

    def broken(*args, **kwargs):
        db.session.execute(text("SELECT * FROM no_such_table"))

    monkeypatch.setattr(services, "ask", broken)
    response = client.post("/ask", data=GOOD)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_database_errors_hide_their_parameters(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True


@pytest.mark.parametrize("name", ["Ann\u3164", "\u3164\u3164", "\ufdfa" * 10, "Ann\u2800"])
def test_blank_and_swollen_names_are_refused(name):
    assert names.problem(name)


def test_retired_pseudonyms_count_towards_a_total(client):
    join(client)
    refused = None
    for n in range(25):
        created = client.post("/account/pseudonyms", data={"name": f"Name {n:02d}x"})
        if created.status_code != 303:
            refused = created
            break
        ids = re.findall(
            r"/account/pseudonyms/(\d+)/retire", client.get("/account").get_data(as_text=True)
        )
        client.post(f"/account/pseudonyms/{ids[0]}/retire")
    assert refused is not None
    assert "in all" in refused.get_data(as_text=True)


def test_a_flood_of_brackets_is_taken_literally():
    html = render("[" * 600 + "x](https://example.org)")
    assert "[[[" in html
    assert not re.search(r"<a [^>]*>x</a>", html)
    assert '<a href="https://example.org"' in render("[x](https://example.org)")


@pytest.mark.parametrize(
    "url",
    [
        "/q/99999999999999999999",
        "/api/v1/questions/99999999999",
        "/mine/question/99999999999",
        "/t/a%00b",
        "/p/a%00b",
    ],
)
def test_impossible_ids_and_nul_bytes_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_huge_before_is_ignored(client):
    assert client.get("/t/getting-through-today?before=99999999999999").status_code == 200
    assert client.get("/t/getting-through-today?kind=%00").status_code == 400


def test_keeper_pages_send_only_the_origin_as_referer(client, make):
    posted = make.question()
    assert client.get(f"/keep/{posted.keeper_token}").headers["Referrer-Policy"] == "strict-origin"
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


def test_pages_seen_while_signed_in_are_not_cached(client, make):
    question = make.question().post
    assert "Cache-Control" not in client.get(f"/q/{question.id}").headers
    join(client)
    assert client.get(f"/q/{question.id}").headers["Cache-Control"] == "private, no-store"
    assert client.get("/recover").headers["Cache-Control"] == "no-store"


def test_a_link_preview_does_not_count_as_the_askers_visit(client, make):
    posted = make.question()
    make.answer(posted.post, body="waiting for you")
    client.get(f"/keep/{posted.keeper_token}")
    make.answer(posted.post, body="arrived later")
    client.get(f"/keep/{posted.keeper_token}", headers={"Sec-Purpose": "prefetch"})
    page = client.get(f"/keep/{posted.keeper_token}").get_data(as_text=True)
    assert page.count("new since your last visit") == 1


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


@pytest.mark.parametrize(
    "url",
    [
        "/assets/../config.000000000000.py",
        "/assets/css/../../config.000000000000.py",
        "/assets/..%2Fconfig.000000000000.py",
        "/assets/css/kettle.css",
    ],
)
def test_assets_never_reach_outside_static(client, url):
    assert client.get(url).status_code == 404


def test_leaving_quickly_tells_the_next_page_nothing(client):
    response = client.get("/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == "/how-it-works"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert 'href="/leave"' in client.get("/").get_data(as_text=True)


def test_the_page_showing_a_new_keeper_link_is_never_cached(client):
    location = client.post("/ask", data=GOOD).headers["Location"]
    assert client.head(location).status_code == 200  # a HEAD must not use up the link
    page = client.get(location)
    assert 'id="keeper-link"' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_cookies_from_before_handovers_do_no_harm(app, client, make):
    question = make.question().post
    with client.session_transaction() as session:
        session["fresh_keeper"] = {"token": "old-style", "question_id": question.id}
        session["fresh_recovery_codes"] = ["aaaaa-bbbbb"]
    assert client.get(f"/q/{question.id}").status_code == 200
    join(client)
    assert client.get("/account/recovery-codes", follow_redirects=True).status_code == 200


def test_keeper_and_feed_secrets_are_redacted_however_written():
    from app.core.privacy import redact

    for path in (
        "/keep/SECRET",
        "//keep//SECRET",
        "/keep%2FSECRET",
        "/KEEP/SECRET/edit",
        "/feed/SECRET",
    ):
        assert "SECRET" not in redact(f'"GET {path} HTTP/1.1" 200'), path
