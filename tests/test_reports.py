"""Reporting a post, without an account: one case per post, one count per person, a receipt.

Each test is a complaint someone could make if reporting went wrong.
"""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import access
from app.accounts.models import Account
from app.core.time import now
from app.moderation import reports as reports_service
from app.moderation.models import Case, Report
from app.moderation.reasons import REASONS
from app.web.extensions import db
from tests.accounts_helpers import join
from tests.html_tree import parse

RECEIPT_LINK = re.compile(r'id="receipt-link"[^>]*href="(/receipt/[^"]+)"')
ADDRESS = "203.0.113.9"


def report(client, target, reason="abuse", details="", address=ADDRESS):
    """Send the report form as someone at `address`."""
    data = {"target": target, "reason": reason, "details": details}
    return client.post("/report", data=data, environ_base={"REMOTE_ADDR": address})


def receipt_link(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    match = RECEIPT_LINK.search(response.get_data(as_text=True))
    assert match is not None, "the page shows no receipt link"
    return match.group(1)


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def reports(app):
    with app.app_context():
        found = db.session.scalars(select(Report).order_by(Report.id)).all()
        db.session.expunge_all()
        return found


def question_target(posted):
    return f"question:{posted.post.id}"


def answer_target(posted):
    return f"answer:{posted.post.id}"


# Reporting without an account ------------------------------------------------------------


def test_anyone_can_report_a_question_and_keep_a_receipt_that_says_waiting(client, app, make):
    posted = make.question()
    response = report(client, question_target(posted), details="They named my workplace.")
    link = receipt_link(response)
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Keep this link" in page
    assert "never learns who reported" in page
    assert len(link.removeprefix("/receipt/")) >= 43  # 256 bits, URL-safe
    receipt = client.get(link)
    assert receipt.status_code == 200
    status = re.search(r'id="report-status"[^>]*data-state="([a-z-]+)"', receipt.get_data(True))
    assert status is not None
    assert status.group(1) == "waiting"


def test_only_a_hash_of_the_receipt_is_stored(client, app, make):
    link = receipt_link(report(client, question_target(make.question())))
    token = link.removeprefix("/receipt/")
    (stored,) = reports(app)
    assert stored.receipt_hash != token
    assert len(stored.receipt_hash) == 64


def test_the_reporters_address_and_account_are_never_stored(client, app, make):
    join(client)
    receipt_link(report(client, question_target(make.question())))
    receipt_link(report(app.test_client(), question_target(make.question())))
    with app.app_context():
        account_id = db.session.scalar(select(Account.id))
    signed_in, signed_out = reports(app)
    for stored in (signed_in, signed_out):
        assert ADDRESS not in stored.reporter_key
        assert stored.reporter_key != str(account_id)
        assert len(stored.reporter_key) == 64
    assert signed_in.reporter_key != signed_out.reporter_key


def test_every_question_and_perspective_offers_a_report_link(client, make):
    posted = make.question()
    answered = make.answer(posted.post)
    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    tree = parse(page)
    links = {
        n.attrs.get("href"): " ".join("".join(text for text, _ in n.texts()).split())
        for n in tree.walk()
        if n.tag == "a" and n.attrs.get("href", "").startswith("/report?")
    }
    assert links.get(f"/report?target=question:{posted.post.id}") == "Report this question"
    assert links.get(f"/report?target=answer:{answered.post.id}") == "Report this perspective"


def test_an_author_is_not_offered_a_report_link_on_their_own_words(client, make):
    question = make.question()
    theirs = make.answer(question.post)
    kept = make.answer(question.post)
    page = client.get(f"/keep/{kept.keeper_token}").get_data(as_text=True)
    assert f"/report?target=answer:{kept.post.id}" not in page
    client.post(f"/q/{question.post.id}/answers", data={"body": "Mine, just now."})
    page = client.get(f"/q/{question.post.id}").get_data(as_text=True)
    assert "Mine, just now." in page
    assert page.count("/report?target=answer:") == 2  # theirs and the kept one, not mine
    assert f"/report?target=answer:{theirs.post.id}" in page


def test_the_report_form_folds_the_reported_words_and_offers_every_reason(client, make):
    posted = make.question(body="The words someone might not want to see.")
    page = client.get(f"/report?target={question_target(posted)}").get_data(as_text=True)
    tree = parse(page)
    details = [n for n in tree.walk() if n.tag == "details"]
    assert len(details) == 1
    assert "open" not in details[0].attrs
    assert "The words someone might not want to see." in details[0].text()
    radios = [n.attrs["value"] for n in tree.walk() if n.attrs.get("type") == "radio"]
    assert radios == [reason.slug for reason in REASONS]
    for reason in REASONS:
        assert reason.label in page
    form = next(n for n in tree.walk() if n.tag == "form" and n.attrs.get("method") == "post")
    names = {n.attrs.get("name") for n in form.walk() if n.tag in ("input", "textarea")}
    assert names == {"target", "reason", "details"}  # and csrf_token, checked below


def test_a_noted_post_is_folded_behind_its_own_notes(client, make):
    posted = make.question(content_notes=("self-harm",))
    page = client.get(f"/report?target={question_target(posted)}").get_data(as_text=True)
    summary = next(n for n in parse(page).walk() if n.tag == "summary").text()
    assert "Self-harm" in summary


def test_when_nobody_is_on_shift_the_form_says_when_reports_are_read(client, make, monkeypatch):
    posted = make.question()
    monkeypatch.setattr(access, "anyone_check", None)
    page = client.get(f"/report?target={question_target(posted)}").get_data(as_text=True)
    assert "Nobody is reading reports right now" in page
    assert "when a moderator next starts a shift" in page
    assert 'href="/help-now"' in page.split("Nobody is reading reports")[1][:600]
    monkeypatch.setattr(access, "anyone_check", lambda: True)
    page = client.get(f"/report?target={question_target(posted)}").get_data(as_text=True)
    assert "Nobody is reading reports right now" not in page


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_a_report_without_the_forms_token_is_refused_and_stores_nothing(client, app, make):
    target = question_target(make.question())
    page = client.get(f"/report?target={target}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    assert report(client, target).status_code == 400
    assert count(app, Report) == 0
    sent = client.post(
        "/report", data={"target": target, "reason": "spam", "csrf_token": token.group(1)}
    )
    receipt_link(sent)


# One case per post, one count per person --------------------------------------------------


def test_a_second_report_by_the_same_person_counts_once(client, app, make):
    target = question_target(make.question())
    receipt_link(report(client, target, reason="abuse"))
    again = report(client, target, reason="spam")
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "You have already reported this" in page
    assert "your first receipt still works" in page
    assert RECEIPT_LINK.search(page) is None
    assert count(app, Report) == 1


def test_the_same_account_from_two_addresses_counts_once(client, app, make):
    join(client)
    target = question_target(make.question())
    receipt_link(report(client, target, address="198.51.100.1"))
    again = report(client, target, address="198.51.100.2")
    assert "You have already reported this" in again.get_data(as_text=True)
    assert count(app, Report) == 1


def test_ten_people_reporting_one_after_another_make_one_case_with_ten_reports(app, make):
    target = answer_target(make.answer(make.question().post))
    for n in range(10):
        receipt_link(report(app.test_client(), target, address=f"192.0.2.{n + 1}"))
    assert count(app, Case) == 1
    assert count(app, Report) == 10
    with app.app_context():
        assert len(db.session.scalar(select(Case)).reports) == 10


def test_two_people_reporting_at_the_same_moment_make_one_open_case(app, make):
    target = question_target(make.question())
    start = threading.Barrier(4)
    statuses = []

    def send(n):
        start.wait()
        statuses.append(report(app.test_client(), target, address=f"192.0.2.{n}").status_code)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200, 200, 200]
    assert count(app, Case) == 1
    assert count(app, Report) == 4


def test_one_person_sending_twice_at_the_same_moment_counts_once(app, make, monkeypatch):
    target = question_target(make.question())
    receipt_link(report(app.test_client(), target, address="192.0.2.99"))  # the case is open
    # Both sendings find the open case before either stores its report.
    found_case = threading.Barrier(2, timeout=10)
    open_case = reports_service._open_case
    monkeypatch.setattr(
        reports_service, "_open_case", lambda post: (open_case(post), found_case.wait())[0]
    )
    pages = []
    browser = app.test_client()
    browser.get(f"/report?target={target}")  # the form, shown once, then sent twice
    cookie = browser.get_cookie("session").value

    def send():
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        pages.append(report(tab, target).get_data(as_text=True))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count(app, Report) == 2
    assert sum("You have already reported this" in page for page in pages) == 1
    assert sum(RECEIPT_LINK.search(page) is not None for page in pages) == 1


def test_two_people_sharing_one_address_are_two_reporters(app, make):
    """A home, a workplace or a phone network shares one address: the second person is
    neither turned away nor told that someone near them reported it."""
    target = question_target(make.question())
    receipt_link(report(app.test_client(), target, address="203.0.113.50"))
    second = report(app.test_client(), target, address="203.0.113.50")
    receipt_link(second)
    assert "already reported" not in second.get_data(as_text=True)
    assert count(app, Report) == 2


def test_a_report_after_a_decision_opens_a_new_case(client, app, make):
    target = question_target(make.question())
    receipt_link(report(client, target))
    with app.app_context():
        case = db.session.scalar(select(Case))
        case.decided_at, case.outcome = now(), "add-note"
        db.session.commit()
    receipt_link(report(client, target))
    assert count(app, Case) == 2
    assert count(app, Case, Case.decided_at.is_(None)) == 1


# Snapshots -------------------------------------------------------------------------------


def test_the_snapshot_keeps_the_words_after_the_author_edits(client, app, make):
    posted = make.question(
        title="What I first asked",
        body="What I first said.",
        content_notes=("self-harm",),
        other="hospital",
    )
    receipt_link(report(app.test_client(), question_target(posted)))
    edited = client.post(
        f"/keep/{posted.keeper_token}/edit",
        data={
            "title": "Something else",
            "body": "Softer words.",
            "topic": "work-and-lived-experience-roles",
        },
    )
    assert edited.status_code == 303
    (stored,) = reports(app)
    assert stored.snapshot_title == "What I first asked"
    assert stored.snapshot_body == "What I first said."
    assert stored.snapshot_notes == ["self-harm"]
    assert stored.snapshot_note_other == "hospital"


def test_an_answers_snapshot_has_no_title(app, make):
    answered = make.answer(make.question().post, body="My own words.")
    receipt_link(report(app.test_client(), answer_target(answered)))
    (stored,) = reports(app)
    assert stored.snapshot_title == ""
    assert stored.snapshot_body == "My own words."


def test_the_snapshot_is_erased_when_the_author_deletes(client, app, make):
    posted = make.question(body="Words I regret.")
    receipt_link(report(app.test_client(), question_target(posted), reason="abuse"))
    assert client.post(f"/keep/{posted.keeper_token}/delete").status_code == 303
    (stored,) = reports(app)
    assert stored.snapshot_body == ""
    assert stored.snapshot_title == ""
    assert stored.snapshot_notes == []
    assert stored.snapshot_erased_at is not None


def test_a_deleted_answers_snapshot_is_erased_too(client, app, make):
    answered = make.answer(make.question().post, body="An answer I regret.", other="grief")
    receipt_link(report(app.test_client(), answer_target(answered)))
    assert client.post(f"/keep/{answered.keeper_token}/delete").status_code == 303
    (stored,) = reports(app)
    assert stored.snapshot_body == ""
    assert stored.snapshot_note_other == ""
    assert stored.snapshot_erased_at is not None


def test_an_open_may_be_illegal_report_keeps_the_snapshot_when_the_author_deletes(
    client, app, make
):
    posted = make.question(body="Words a moderator must still see.")
    receipt_link(
        report(app.test_client(), question_target(posted), reason="abuse", address="192.0.2.1")
    )
    receipt_link(
        report(app.test_client(), question_target(posted), reason="illegal", address="192.0.2.2")
    )
    assert client.post(f"/keep/{posted.keeper_token}/delete").status_code == 303
    kept = reports(app)
    assert [r.snapshot_body for r in kept] == ["Words a moderator must still see."] * 2
    assert [r.snapshot_erased_at for r in kept] == [None, None]


def test_a_decided_may_be_illegal_case_does_not_keep_the_snapshot(client, app, make):
    posted = make.question(body="Looked at and decided.")
    receipt_link(report(app.test_client(), question_target(posted), reason="illegal"))
    with app.app_context():
        case = db.session.scalar(select(Case))
        case.decided_at, case.outcome = now(), "dismiss"
        db.session.commit()
    assert client.post(f"/keep/{posted.keeper_token}/delete").status_code == 303
    (stored,) = reports(app)
    assert stored.snapshot_body == ""


def test_deleting_an_account_erases_the_snapshots_of_its_posts(client, app, make):
    join(client)
    asked = client.post(
        "/ask",
        data={"title": "Mine to delete", "body": "My words.", "topic": "getting-through-today"},
    )
    question_id = int(asked.headers["Location"].rsplit("/", 1)[1])
    receipt_link(report(app.test_client(), f"question:{question_id}"))
    gone = client.post(
        "/account/delete",
        data={"password": "kettle on the hob at night", "choice": "remove-everything"},
    )
    assert gone.status_code == 303
    (stored,) = reports(app)
    assert stored.snapshot_body == ""
    assert stored.snapshot_title == ""
    assert stored.snapshot_erased_at is not None


# What cannot be reported, and forms sent back ------------------------------------------------


def test_hidden_and_deleted_posts_cannot_be_reported(client, app, make):
    hidden = make.question(title="Hidden by a moderator")
    deleted = make.question(title="Deleted by its asker")
    hidden_answer = make.answer(make.question(title="Open").post)
    with app.app_context():
        from app.questions import services

        for post in (hidden.post, hidden_answer.post):
            services.hide(db.session.merge(post), by=None, reason="test")
        services.erase_question(db.session.merge(deleted.post))
        db.session.commit()
    for target in (
        question_target(hidden),
        question_target(deleted),
        answer_target(hidden_answer),
        "question:999999",
    ):
        assert client.get(f"/report?target={target}").status_code == 404, target
        assert report(client, target).status_code == 404, target
    assert count(app, Report) == 0
    assert count(app, Case) == 0


def test_an_answer_on_a_hidden_question_cannot_be_reported(client, app, make):
    question = make.question()
    answered = make.answer(question.post)
    with app.app_context():
        from app.questions import services

        services.hide(db.session.merge(question.post), by=None, reason="test")
        db.session.commit()
    assert report(client, answer_target(answered)).status_code == 404
    assert count(app, Report) == 0


@pytest.mark.parametrize(
    "target",
    [
        "",
        "question",
        "question:",
        "question:abc",
        "post:1",
        "answer:-1",
        "question:1:2",
        "question:" + "9" * 40,
    ],
)
def test_a_malformed_target_is_refused_keeping_what_was_typed(client, app, make, target):
    make.question()
    response = report(client, target, details="What I wanted to say.")
    assert response.status_code == 400
    assert "What I wanted to say." in response.get_data(as_text=True)
    assert count(app, Report) == 0


def test_a_report_form_without_a_target_is_refused(client):
    assert client.get("/report").status_code == 400
    assert client.get("/report?target=nonsense").status_code == 400


def test_an_unknown_reason_is_refused_keeping_what_was_typed(client, app, make):
    target = question_target(make.question())
    for reason in ("", "for-their-own-safety", "ABUSE"):
        response = report(client, target, reason=reason, details="Please look at this.")
        assert response.status_code == 400, reason
        page = response.get_data(as_text=True)
        assert "Please look at this." in page
        assert "Please choose a reason" in page
    assert count(app, Report) == 0
    assert count(app, Case) == 0


def test_over_long_details_are_refused_keeping_what_was_typed(client, app, make):
    target = question_target(make.question())
    details = "a" * 2001
    response = report(client, target, details=details)
    assert response.status_code == 400
    assert details in response.get_data(as_text=True)
    assert count(app, Report) == 0
    receipt_link(report(client, target, details="b" * 2000))


# Reports as a weapon --------------------------------------------------------------------------


def _decide(app, outcome, ago=timedelta(0)):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.decided_at.is_(None)))
        case.decided_at, case.outcome = now() - ago, outcome
        db.session.commit()


def test_a_dismissed_post_cannot_be_reported_again_for_a_day(app, make):
    target = question_target(make.question())
    receipt_link(report(app.test_client(), target, address="192.0.2.1"))
    _decide(app, "dismiss")
    again = report(app.test_client(), target, address="192.0.2.2")
    assert again.status_code == 409
    assert "looked at this recently" in again.get_data(as_text=True)
    assert count(app, Report) == 1
    assert count(app, Case) == 1


def test_a_dismissed_post_can_be_reported_again_after_a_day(app, make):
    target = question_target(make.question())
    receipt_link(report(app.test_client(), target, address="192.0.2.1"))
    _decide(app, "dismiss", ago=timedelta(hours=24, minutes=1))
    receipt_link(report(app.test_client(), target, address="192.0.2.2"))
    assert count(app, Case) == 2


def test_a_dismissed_post_edited_since_can_be_reported_again(client, app, make):
    posted = make.question()
    receipt_link(report(app.test_client(), question_target(posted), address="192.0.2.1"))
    _decide(app, "dismiss", ago=timedelta(minutes=5))
    client.post(
        f"/keep/{posted.keeper_token}/edit",
        data={
            "title": "Changed after",
            "body": "New words.",
            "topic": "work-and-lived-experience-roles",
        },
    )
    receipt_link(report(app.test_client(), question_target(posted), address="192.0.2.2"))
    assert count(app, Case) == 2


def test_a_post_acted_on_otherwise_can_be_reported_again_at_once(app, make):
    target = question_target(make.question())
    receipt_link(report(app.test_client(), target, address="192.0.2.1"))
    _decide(app, "add-note")
    receipt_link(report(app.test_client(), target, address="192.0.2.2"))


@pytest.mark.settings(RATELIMIT_ENABLED=True, REPORT_RATE_LIMIT="2 per hour")
def test_reporting_is_rate_limited_counting_only_what_was_stored(app, make):
    client = app.test_client()
    targets = [question_target(make.question(title=f"Question number {n}")) for n in range(3)]
    for _ in range(3):
        assert report(client, targets[0], reason="nonsense").status_code == 400
    receipt_link(report(client, targets[0]))
    assert "already reported" in report(client, targets[0]).get_data(as_text=True)
    receipt_link(report(client, targets[1]))
    refused = report(client, targets[2], details="Kept for later.")
    assert refused.status_code == 429
    assert "Kept for later." in refused.get_data(as_text=True)
    assert count(app, Report) == 2
    receipt_link(report(app.test_client(), targets[2], address="192.0.2.200"))
