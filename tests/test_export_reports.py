"""Reports a signed-in person made, and their export: nothing links a report to an
account beyond the day it was made, so the export says so instead of listing them."""

import json
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import Account
from app.core.tokens import token_hash
from app.moderation.models import Report
from app.web import ratelimit
from app.web.extensions import db
from tests.accounts_helpers import join
from tests.test_reports import receipt_link, report

DETAILS = "Cinnamonpetrel named my workplace."


def _report_signed_in(client, make):
    join(client, handle="quiet-fox", pseudonym="Robin")
    posted = make.question()
    receipt_link(report(client, f"question:{posted.post.id}", details=DETAILS))


def test_my_export_says_why_my_reports_are_not_in_it(client, make):
    _report_signed_in(client, make)
    raw = client.get("/account/export.json").get_data(as_text=True)
    data = json.loads(raw)
    assert data["reports"] == []
    assert "keeps nothing that links a report to your account" in data["about_reports"]
    assert "Cinnamonpetrel" not in raw


def test_a_report_holds_nothing_that_leads_back_to_my_account_once_its_day_is_over(
    app, client, make, monkeypatch
):
    _report_signed_in(client, make)
    with app.app_context():
        account = db.session.scalar(select(Account))
        stored = db.session.scalar(select(Report))
        assert not {"account_id", "pseudonym_id", "address"} & set(Report.__table__.columns.keys())
        values = [str(getattr(stored, column.key)) for column in Report.__table__.columns]
        assert not any(account.handle_key in value for value in values)
        case_id, kept = stored.case_id, stored.reporter_key

    def recomputed():
        with app.test_request_context("/"):
            return token_hash(f"{case_id}:{ratelimit.person_key(account.id)}")

    assert recomputed() == kept  # on its day, only with that day's random key
    tomorrow = ratelimit.today() + timedelta(days=1)
    monkeypatch.setattr(ratelimit, "today", lambda: tomorrow)
    assert recomputed() != kept
