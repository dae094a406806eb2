"""A reporter's receipt: what happened to their report, in plain words, and nothing more."""

import logging
import re

import pytest
from sqlalchemy import select

from app.accounts import access
from app.core.time import now
from app.moderation import outcomes
from app.moderation.models import Case
from app.web.extensions import db
from app.web.privacy import redact
from tests.html_tree import parse
from tests.test_reports import question_target, receipt_link, report

# Every action a moderator can take (DESIGN.md, the HTTP contract), and the first warning
# Kettle records in place of a suspension.
ACTIONS = ("dismiss", "add-note", "hide", "restore", "lock", "slow-mode", "suspend-pseudonym",
           "suspend-account", "warn")  # fmt: skip


def status_of(page):
    """The report-status element's data-state and its words."""
    node = next(n for n in parse(page).walk() if n.attrs.get("id") == "report-status")
    return node.attrs.get("data-state"), node.text()


def set_case(app, **fields):
    with app.app_context():
        case = db.session.scalar(select(Case))
        for name, value in fields.items():
            setattr(case, name, value)
        db.session.commit()


@pytest.fixture
def receipt(app, make):
    """A receipt link for one report on a fresh question."""
    return receipt_link(report(app.test_client(), question_target(make.question())))


def test_an_unknown_receipt_is_a_kind_not_found_page(client):
    for token in ("not-a-real-receipt", "x" * 43, "x" * 500):
        response = client.get(f"/receipt/{token}")
        assert response.status_code == 404
        assert "We could not find that page" in response.get_data(as_text=True)


def test_a_receipt_says_waiting_until_a_moderator_opens_the_case(client, receipt):
    state, words = status_of(client.get(receipt).get_data(as_text=True))
    assert state == "waiting"
    assert "waiting" in words.lower()


def test_a_receipt_says_being_read_once_a_moderator_opens_the_case(client, app, receipt):
    set_case(app, first_read_at=now())
    state, words = status_of(client.get(receipt).get_data(as_text=True))
    assert state == "being-read"
    assert "reading" in words.lower()


@pytest.mark.parametrize("outcome", ACTIONS)
def test_a_receipt_says_what_was_done_once_decided(client, app, receipt, outcome):
    set_case(app, first_read_at=now(), decided_at=now(), outcome=outcome)
    state, words = status_of(client.get(receipt).get_data(as_text=True))
    assert state == "decided"
    assert outcomes.said(outcome) in words


def test_every_moderator_action_has_plain_words(app):
    assert set(outcomes.OUTCOMES) == set(ACTIONS)
    for action in ACTIONS:
        assert outcomes.said(action).endswith(".")
    assert outcomes.said("something-new") == outcomes.UNKNOWN


def test_while_nobody_is_on_shift_the_receipt_says_when_reports_are_read(
    client, app, receipt, monkeypatch
):
    monkeypatch.setattr(access, "anyone_check", None)
    page = client.get(receipt).get_data(as_text=True)
    assert "Nobody is reading reports right now" in page
    assert 'href="/help-now"' in page.split("Nobody is reading reports")[1][:600]
    monkeypatch.setattr(access, "anyone_check", lambda: True)
    assert "Nobody is reading reports" not in client.get(receipt).get_data(as_text=True)


def test_a_decided_receipt_does_not_say_reports_are_waiting_for_a_shift(
    client, app, receipt, monkeypatch
):
    monkeypatch.setattr(access, "anyone_check", None)
    set_case(app, decided_at=now(), outcome="hide")
    assert "Nobody is reading reports" not in client.get(receipt).get_data(as_text=True)


def _without_secrets(page, link):
    page = page.replace(link, "")
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_a_receipt_never_shows_whether_anyone_else_reported(client, app, receipt):
    before = _without_secrets(client.get(receipt).get_data(as_text=True), receipt)
    with app.app_context():
        target = f"question:{db.session.scalar(select(Case.question_id))}"
    for n in range(3):
        receipt_link(report(app.test_client(), target, address=f"192.0.2.{n + 1}"))
    after = _without_secrets(client.get(receipt).get_data(as_text=True), receipt)
    assert after == before


def test_a_receipt_is_private(client, receipt):
    response = client.get(receipt)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "strict-origin"


def test_receipt_tokens_are_redacted_from_log_lines_however_written():
    for path in ("/receipt/SECRET", "//receipt//SECRET", "/receipt%2FSECRET", "/RECEIPT/SECRET"):
        assert "SECRET" not in redact(f'"GET {path} HTTP/1.1" 200'), path


@pytest.mark.settings(TESTING=False, PROPAGATE_EXCEPTIONS=False)
def test_a_crash_on_a_receipt_page_logs_no_receipt_token(client, receipt, monkeypatch, caplog):
    from app.moderation import receipts

    def broken(token):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(receipts, "find", broken)
    with caplog.at_level(logging.ERROR):
        assert client.get(receipt).status_code == 500
    assert "Exception on /receipt/[secret]" in caplog.text
    assert receipt.removeprefix("/receipt/") not in caplog.text
