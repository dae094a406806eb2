"""Headers, rate limits, privacy of addresses, and kind error pages that keep people's words."""

import logging
import re

import pytest
from sqlalchemy import String, Text, func, select, text

from app.questions.models import Question
from app.web.extensions import db
from app.web.ratelimit import limiter
from tests.test_asking import GOOD

ADDRESS = "203.0.113.77"


def test_security_headers_on_pages_and_error_pages(client, make):
    for url in ("/", "/ask", "/does-not-exist", "/api/v1/topics"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp, url
        assert "object-src 'none'" in csp, url
        assert "frame-ancestors 'none'" in csp, url
        assert "unsafe-inline" not in csp, url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert "Strict-Transport-Security" not in headers, url


def test_hsts_only_over_https(client):
    headers = client.get("/", base_url="https://kettle.example").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_private_pages_are_never_cached(client, make):
    posted = make.question()
    for url in (f"/keep/{posted.keeper_token}", "/settings/content-notes"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_static_assets_have_fingerprinted_names_and_are_cached(client):
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'href="(/assets/css/kettle\.([0-9a-f]{12})\.css)"', html)
    assert href, "the stylesheet has no fingerprinted name"
    response = client.get(href.group(1))
    assert response.status_code == 200
    assert b"--bg" in response.data
    assert "immutable" in response.headers["Cache-Control"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    response.close()
    stale = client.get("/assets/css/kettle.000000000000.css")
    assert stale.status_code == 404


def test_no_third_party_requests_in_pages(client, make):
    question = make.question(body="see https://example.org").post
    html = client.get(f"/q/{question.id}").get_data(as_text=True)
    for attribute in ('src="http', "src='http", 'href="//', "@import"):
        assert attribute not in html
    assert 'href="https://example.org" rel="nofollow noopener noreferrer ugc"' in html


def text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text):
                yield table, column


def test_no_raw_address_is_stored_anywhere(app, make):
    app.config["RATELIMIT_ENABLED"] = True
    client = app.test_client()
    environ = {"REMOTE_ADDR": ADDRESS}
    location = client.post("/ask", data=GOOD, environ_base=environ).headers["Location"]
    question_id = int(location.rsplit("/", 1)[1])
    client.post(f"/q/{question_id}/answers", data={"body": "hi"}, environ_base=environ)
    client.post("/settings/content-notes", data={"note-police": "hide"}, environ_base=environ)
    with app.app_context():
        scanned = 0
        for table, column in text_columns():
            hits = db.session.scalar(
                select(func.count()).select_from(table).where(column.contains(ADDRESS))
            )
            scanned += 1
            assert hits == 0, f"{table.name}.{column.name}"
        assert scanned > 10


@pytest.mark.settings(RATELIMIT_ENABLED=True, ASK_RATE_LIMIT="2 per minute")
def test_asking_is_rate_limited_kindly_and_keyed_without_the_address(app, client):
    environ = {"REMOTE_ADDR": ADDRESS}
    for n in range(2):  # different words each time: the same words twice are stored once
        data = {**GOOD, "body": f"try {n}"}
        assert client.post("/ask", data=data, environ_base=environ).status_code == 303
    refused = client.post("/ask", data={**GOOD, "body": "my third try"}, environ_base=environ)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Kettle needs a pause" in html
    assert "nothing was sent" in html
    assert "my third try" in html  # their words come back
    elsewhere = {"REMOTE_ADDR": "198.51.100.9"}
    other = client.post("/ask", data={**GOOD, "body": "from elsewhere"}, environ_base=elsewhere)
    assert other.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == 3
        keys = list(limiter.storage.storage)
    assert keys
    assert not any(ADDRESS in key for key in keys)


@pytest.mark.settings(RATELIMIT_ENABLED=True, ANSWER_RATE_LIMIT="1 per minute")
def test_answering_is_rate_limited_but_reading_is_not(client, make):
    question = make.question().post
    assert client.post(f"/q/{question.id}/answers", data={"body": "one"}).status_code == 303
    assert client.post(f"/q/{question.id}/answers", data={"body": "two"}).status_code == 429
    for _ in range(5):
        assert client.get(f"/q/{question.id}").status_code == 200


@pytest.mark.settings(TESTING=False, PROPAGATE_EXCEPTIONS=False)
def test_a_crash_while_posting_gives_back_what_was_written(client, app, monkeypatch, caplog):
    from app.questions import services

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "ask", broken)
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/ask",
            data={**GOOD, "body": "words I cannot lose"},
            environ_base={"REMOTE_ADDR": ADDRESS},
        )
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "words I cannot lose" in html
    assert "Something went wrong on our side" in html
    assert response.headers["Content-Security-Policy"]
    assert "words I cannot lose" not in caplog.text
    assert ADDRESS not in caplog.text


def test_api_is_read_only(client, make):
    question = make.question().post
    assert client.post(f"/api/v1/questions/{question.id}").status_code == 405
    assert client.delete("/api/v1/topics").status_code == 405


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
