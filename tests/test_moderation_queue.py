"""The queue and a case, as a moderator on shift meets them: oldest first, the reported
words folded until opened, and claims that stop two people acting at once."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.accounts.models import Account
from app.core.time import now
from app.moderation import cases
from app.moderation.models import Case
from app.rota.models import Shift
from app.web.extensions import db
from tests.moderation_helpers import ACT, People, acting, case_row, log_count, open_case

CLAIM_TAKEN = "is reading this case just now"
STALE = "Another moderator changed this case while you had it open"


@pytest.fixture
def people(app):
    return People(app)


def _details_without_open(html, css_class):
    found = re.findall(rf'<details class="content-note {css_class}"([^>]*)>', html)
    assert found, f"no <details> for {css_class}"
    return all("open" not in attributes for attributes in found)


def _set_claim_end(case_id, until):
    db.session.execute(update(Case).where(Case.id == case_id).values(claimed_until=until))
    db.session.commit()


def test_the_queue_lists_cases_oldest_first_with_reasons_and_how_many(app, people, make):
    newer = open_case(app, make.question(title="Newer").post, reasons=("spam",))
    older = open_case(
        app, make.question(title="Older").post, reasons=("abuse", "abuse", "identifies"),
        opened_at=now() - timedelta(hours=2),
    )  # fmt: skip
    html = people.moderator().get("/moderate").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'class="case" data-case-id="(\d+)"', html)]
    assert ids == [older, newer]
    assert "3 people reported it" in html
    assert "1 person reported it" in html
    assert "Abuse or pile-on (2); Could identify someone" in html


def test_the_queue_never_shows_the_reported_words_or_title(app, people, make):
    question = make.question(title="A title that hurts to read", body="Words that hurt").post
    open_case(app, question)
    html = people.moderator().get("/moderate").get_data(as_text=True)
    assert "A title that hurts to read" not in html
    assert "Words that hurt" not in html


def test_decided_cases_leave_the_queue(app, people, make):
    case_id = open_case(app, make.question().post)
    moderator = people.moderator()
    moderator.post(
        f"/moderate/cases/{case_id}/act", data=acting(app, case_id, {**ACT, "action": "dismiss"})
    )
    assert f'data-case-id="{case_id}"' not in moderator.get("/moderate").get_data(as_text=True)


def test_reported_words_are_folded_behind_their_notes_until_opened(app, people, make):
    question = make.question(body="Noted words", content_notes=("self-harm",)).post
    case_id = open_case(app, question)
    html = people.moderator().get(f"/moderate/cases/{case_id}").get_data(as_text=True)
    assert _details_without_open(html, "reported-words")
    summary = html.split('class="content-note reported-words"')[1].split("</summary>")[0]
    assert "Self-harm" in summary
    folded = html.split('class="content-note reported-words"')[1].split("</details>")[0]
    assert "Noted words" in folded


def test_reported_words_without_notes_are_folded_behind_a_neutral_note(app, people, make):
    case_id = open_case(app, make.question(body="Plain words").post)
    html = people.moderator().get(f"/moderate/cases/{case_id}").get_data(as_text=True)
    assert _details_without_open(html, "reported-words")
    summary = html.split('class="content-note reported-words"')[1].split("</summary>")[0]
    assert "Reported words" in summary
    before_details = html.split('class="content-note reported-words"')[0]
    assert "Plain words" not in before_details


def test_an_edit_after_the_report_shows_both_the_reported_and_the_current_words(app, people, make):
    question = make.question(title="Now", body="The words now").post
    case_id = open_case(app, question, title="Then", body="The words as reported")
    html = people.moderator().get(f"/moderate/cases/{case_id}").get_data(as_text=True)
    assert "The words as reported" in html.split('class="content-note reported-words"')[1]
    assert _details_without_open(html, "post-now")
    assert "The words now" in html.split('class="content-note post-now"')[1]


def test_the_reports_reasons_and_details_are_on_the_case(app, people, make):
    case_id = open_case(app, make.question().post, reasons=("spam",), details="Same link 9 times")
    html = people.moderator().get(f"/moderate/cases/{case_id}").get_data(as_text=True)
    assert "Spam or advertising" in html
    assert "Same link 9 times" in html


def test_claiming_marks_the_case_as_being_read(app, people, make):
    case_id = open_case(app, make.question().post)
    assert case_row(app, case_id).state == "waiting"
    moderator = people.moderator(rota_name="Kestrel")
    assert moderator.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    case = case_row(app, case_id)
    assert case.state == "being-read"
    assert case.claimed_by_id == moderator.account_id
    assert case.claimed_until - now() <= timedelta(minutes=10)


def test_the_queue_says_who_claimed_a_case_by_rota_name(app, people, make):
    case_id = open_case(app, make.question().post)
    people.moderator(rota_name="Kestrel").post(f"/moderate/cases/{case_id}/claim")
    html = people.moderator(rota_name="Heron").get("/moderate").get_data(as_text=True)
    assert "Claimed by <bdi>Kestrel</bdi>" in html


def test_a_second_moderator_is_told_plainly_that_someone_else_claimed_it(app, people, make):
    case_id = open_case(app, make.question().post)
    first = people.moderator(rota_name="Kestrel")
    second = people.moderator(rota_name="Heron")
    assert first.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    refused = second.post(f"/moderate/cases/{case_id}/claim")
    assert refused.status_code == 409
    assert f"Kestrel {CLAIM_TAKEN}" in refused.get_data(as_text=True)
    assert case_row(app, case_id).claimed_by_id == first.account_id


def test_someone_elses_live_claim_blocks_acting(app, people, make):
    question = make.question().post
    case_id = open_case(app, question)
    first = people.moderator(rota_name="Kestrel")
    second = people.moderator(rota_name="Heron")
    first.post(f"/moderate/cases/{case_id}/claim")
    refused = second.post(f"/moderate/cases/{case_id}/act", data=acting(app, case_id, ACT))
    assert refused.status_code == 409
    assert CLAIM_TAKEN in refused.get_data(as_text=True)
    assert log_count(app) == 0
    assert case_row(app, case_id).decided_at is None


def test_an_expired_claim_no_longer_blocks_anyone(app, people, make):
    case_id = open_case(app, make.question().post)
    first = people.moderator()
    second = people.moderator()
    first.post(f"/moderate/cases/{case_id}/claim")
    with app.app_context():
        db.session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(claimed_until=now() - timedelta(minutes=1))
        )
        db.session.commit()
    assert (
        second.post(f"/moderate/cases/{case_id}/act", data=acting(app, case_id, ACT)).status_code
        == 303
    )
    assert log_count(app) == 1


def test_acting_on_what_you_saw_after_someone_else_changed_it_is_refused(app, people, make):
    case_id = open_case(app, make.question().post)
    seen = case_row(app, case_id).version
    first = people.moderator()
    second = people.moderator()
    first.post(f"/moderate/cases/{case_id}/claim")
    first.post(
        f"/moderate/cases/{case_id}/act", data=acting(app, case_id, {**ACT, "action": "dismiss"})
    )
    refused = second.post(
        f"/moderate/cases/{case_id}/act", data=acting(app, case_id, {**ACT, "version": seen})
    )
    assert refused.status_code == 409
    assert "already decided" in refused.get_data(as_text=True)
    assert log_count(app) == 1


def test_a_claim_sent_from_a_stale_page_is_refused_by_the_version(app, people, make):
    case_id = open_case(app, make.question().post)
    seen = case_row(app, case_id).version
    first = people.moderator()
    second = people.moderator()
    first.post(f"/moderate/cases/{case_id}/claim")
    first.post("/rota/step-out")  # the claim is handed back, and the version moves on
    refused = second.post(f"/moderate/cases/{case_id}/claim", data={"version": seen})
    assert refused.status_code == 409
    assert STALE in refused.get_data(as_text=True)
    assert case_row(app, case_id).claimed_by_id is None


def test_two_claims_landing_at_once_are_decided_by_the_version_not_by_luck(app, people, make):
    """Both moderators read the case before either writes: the second write finds the
    version moved and is refused, however the two requests interleave."""
    case_id = open_case(app, make.question().post)
    first = people.moderator()
    second = people.moderator()
    with app.app_context():
        slow_copy = db.session.get(Case, case_id)
        slow_moderator = db.session.get(Account, second.account_id)
        with app.app_context():  # the other request, in its own session, wins the race
            cases.claim(db.session.get(Case, case_id), db.session.get(Account, first.account_id))
        with pytest.raises(cases.Stale):
            cases.claim(slow_copy, slow_moderator)
    assert case_row(app, case_id).claimed_by_id == first.account_id


def test_claiming_again_renews_your_own_claim(app, people, make):
    case_id = open_case(app, make.question().post)
    moderator = people.moderator()
    moderator.post(f"/moderate/cases/{case_id}/claim")
    with app.app_context():
        db.session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(claimed_until=now() + timedelta(minutes=1))
        )
        db.session.commit()
    assert moderator.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    assert case_row(app, case_id).claimed_until > now() + timedelta(minutes=8)


def test_a_claim_never_outlasts_the_shift(app, people, make):
    case_id = open_case(app, make.question().post)
    moderator = people.moderator()
    soon = now() + timedelta(minutes=3)
    with app.app_context():
        db.session.execute(
            update(Shift).where(Shift.account_id == moderator.account_id).values(ends_at=soon)
        )
        db.session.commit()
    moderator.post(f"/moderate/cases/{case_id}/claim")
    assert case_row(app, case_id).claimed_until <= soon


def test_an_unknown_case_is_not_found(people):
    assert people.moderator().get("/moderate/cases/999999").status_code == 404
