"""Reports find the right people: a case carrying a note a moderator chose not to review
goes to others on shift and is never shown to them, and when nobody is on shift the
report form and receipt say when reports will next be read, from the plan."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.moderation_helpers import People, open_case
from tests.test_rota_plan import WEDNESDAY, planned

REPORT = {"reason": "abuse", "details": ""}


@pytest.fixture
def people(app):
    return People(app)


def opted_out_of(client, *slugs):
    sent = client.post("/rota/limits", data={"shifts_per_week": "", "night_from": "",
                                             "opted_out": list(slugs)})  # fmt: skip
    assert sent.status_code == 303


def test_a_noted_case_goes_to_others_and_is_never_shown(app, people, make):
    kept = people.moderator()
    opted_out_of(kept, "self-harm")
    other = people.moderator()
    noted = open_case(app, make.question(title="Quietly noted", content_notes=["self-harm"]).post)
    plain = open_case(app, make.question(title="Plain words").post)
    queue = kept.get("/moderate").get_data(as_text=True)
    assert f'data-case-id="{noted}"' not in queue
    assert f'data-case-id="{plain}"' in queue
    assert "1 case carries a content note you chose not to review" in queue
    assert f'data-case-id="{noted}"' in other.get("/moderate").get_data(as_text=True)
    opened = kept.get(f"/moderate/cases/{noted}")
    assert opened.status_code == 403
    assert "Quietly noted" not in opened.get_data(as_text=True)
    assert kept.post(f"/moderate/cases/{noted}/claim").status_code != 303
    assert other.post(f"/moderate/cases/{noted}/claim").status_code == 303


def test_a_note_a_reporter_saw_still_routes_after_the_post_changed(app, people, make):
    kept = people.moderator()
    opted_out_of(kept, "suicide")
    case_id = open_case(app, make.question(title="Edited since").post, notes=["suicide"])
    queue = kept.get("/moderate").get_data(as_text=True)
    assert f'data-case-id="{case_id}"' not in queue
    assert kept.post(f"/moderate/cases/{case_id}/act", data={
        "action": "hide", "reason": "be-kind", "public_note": "x", "version": "1"}
    ).status_code != 303  # fmt: skip


def test_other_notes_still_reach_the_moderator(app, people, make):
    kept = people.moderator()
    opted_out_of(kept, "self-harm")
    case_id = open_case(app, make.question(content_notes=["medication"]).post)
    assert f'data-case-id="{case_id}"' in kept.get("/moderate").get_data(as_text=True)
    assert kept.get(f"/moderate/cases/{case_id}").status_code == 200


def test_the_queue_keeps_nothing_from_a_moderator_without_opt_outs(app, people, make):
    client = people.moderator()
    case_id = open_case(app, make.question(content_notes=["self-harm"]).post)
    queue = client.get("/moderate").get_data(as_text=True)
    assert f'data-case-id="{case_id}"' in queue
    assert "kept-from-you" not in queue


def _notice(html):
    found = re.search(r'<div class="notice shift-notice" id="next-read">(.*?)</div>', html, re.S)
    return found.group(1) if found else None


def test_the_report_form_says_when_reports_will_next_be_read(app, people, make, time_machine):
    time_machine.move_to(WEDNESDAY.replace(tzinfo=UTC), tick=False)
    moderator = people.moderator(on_shift=False)
    planned(app, WEDNESDAY + timedelta(days=1, hours=2), signed=[moderator.account_id])
    planned(app, WEDNESDAY + timedelta(hours=3))  # nobody signed up: nobody will read then
    posted = make.question()
    visitor = people.visitor()
    form = visitor.get(f"/report?target=question:{posted.post.id}").get_data(as_text=True)
    notice = _notice(form)
    assert "Thursday 3 December at 14:00" in notice
    assert "Europe/London" in notice
    sent = visitor.post("/report", data={"target": f"question:{posted.post.id}", **REPORT})
    receipt_path = re.search(
        r'id="receipt-link"[^>]*href="(/receipt/[^"]+)"', sent.get_data(as_text=True)
    )
    receipt = visitor.get(receipt_path.group(1)).get_data(as_text=True)
    assert "Thursday 3 December at 14:00" in _notice(receipt)


def test_without_a_plan_the_form_says_it_may_be_a_while(app, people, make):
    posted = make.question()
    form = people.visitor().get(f"/report?target=question:{posted.post.id}")
    assert "No shift is planned on the rota yet" in _notice(form.get_data(as_text=True))


def test_while_someone_is_on_shift_the_form_says_nothing_of_the_rota(app, people, make):
    people.moderator()
    posted = make.question()
    form = people.visitor().get(f"/report?target=question:{posted.post.id}")
    assert _notice(form.get_data(as_text=True)) is None


def test_the_home_page_says_nothing_about_staffing(app, people, make, time_machine):
    time_machine.move_to(datetime(2026, 12, 2, 12, tzinfo=UTC), tick=False)
    home = people.visitor().get("/").get_data(as_text=True)
    assert "on shift" not in home.lower()
    assert "rota" not in home.lower()
