"""Handover notes between shifts: left on shift or just after stepping out, read first by
the next moderators on shift (and by coordinators), and erased after HANDOVER_DAYS or
with their author's account."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.rota.handover import HandoverNote, HandoverRead
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD
from tests.moderation_helpers import People, open_case
from tests.test_account_life import all_text

OFFER = "Leave a handover note for the next moderators"
START = datetime(2026, 12, 7, 9, 0)


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def clock(time_machine):
    """Time stands still at START until a test moves it."""
    time_machine.move_to(START, tick=False)
    return time_machine


def notes(app):
    """Every stored note as (author id, body), oldest first."""
    with app.app_context():
        stmt = select(HandoverNote.author_id, HandoverNote.body).order_by(HandoverNote.id)
        return [tuple(row) for row in db.session.execute(stmt)]


def read_marks(app, account_id=None):
    with app.app_context():
        stmt = select(func.count()).select_from(HandoverRead)
        if account_id is not None:
            stmt = stmt.where(HandoverRead.account_id == account_id)
        return db.session.scalar(stmt)


def leave(client, body):
    return client.post("/rota/handover", data={"body": body})


def shown(page):
    """(note body, new?) for each note on a handover page, in the order shown."""
    found = re.findall(
        r'class="handover-note"[^>]*data-new="(yes|no)">.*?<p class="written" dir="auto">(.*?)</p>',
        page,
        flags=re.S,
    )
    return [(body, new == "yes") for new, body in found]


def stepped_out(people):
    """A moderator who has just stepped out of their shift."""
    client = people.moderator(rota_name="Kestrel")
    assert client.post("/rota/step-out").headers["Location"] == "/rota"
    return client


def test_stepping_out_offers_a_handover_note_and_it_is_kept(app, people, clock):
    client = stepped_out(people)
    page = client.get("/rota").get_data(as_text=True)
    assert OFFER in page
    assert 'action="/rota/handover"' in page
    offered = re.search(r"<textarea[^>]*>", page).group(0)
    assert 'id="handover-body"' in offered and "required" not in offered  # it is optional
    left = leave(client, "Thread 41 is heated.\nPlease keep an eye on it.")
    assert left.status_code == 303
    assert left.headers["Location"] == "/rota"  # they are off shift, so back to their page
    assert "Your note is waiting" in client.get("/rota").get_data(as_text=True)
    assert notes(app) == [(client.account_id, "Thread 41 is heated.\nPlease keep an eye on it.")]


def test_a_moderator_on_shift_is_not_offered_the_note_but_may_leave_one(app, people, clock):
    client = people.moderator()
    assert OFFER not in client.get("/rota").get_data(as_text=True)
    left = leave(client, "Quiet so far.")
    assert left.headers["Location"] == "/rota/handover"
    assert notes(app) == [(client.account_id, "Quiet so far.")]


def test_a_shift_that_ran_to_its_end_offers_the_note_too(app, people, clock):
    client = people.moderator()
    clock.shift(timedelta(hours=3, minutes=10))  # the three-hour shift ended ten minutes ago
    assert OFFER in client.get("/rota").get_data(as_text=True)
    assert leave(client, "Ran to the end.").status_code == 303
    assert len(notes(app)) == 1


def test_long_after_stepping_out_the_offer_is_gone_and_a_note_is_refused(app, people, clock):
    client = stepped_out(people)
    clock.shift(timedelta(minutes=31))
    assert OFFER not in client.get("/rota").get_data(as_text=True)
    refused = leave(client, "Too late now.")
    assert refused.status_code == 403
    assert notes(app) == []


def test_members_visitors_coordinators_and_moderators_off_shift_cannot_leave_notes(
    app, people, clock
):
    never_on_shift = people.moderator(on_shift=False)
    assert OFFER not in never_on_shift.get("/rota").get_data(as_text=True)
    assert leave(never_on_shift, "Off shift.").status_code == 403
    assert leave(people.member(), "A member.").status_code == 403
    assert leave(people.coordinator(), "A coordinator.").status_code == 403
    visitor = leave(people.visitor(), "A visitor.")
    assert visitor.status_code == 303
    assert visitor.headers["Location"].startswith("/login")
    assert notes(app) == []


def test_the_next_moderator_sees_new_notes_first_then_as_read(app, people, clock):
    kestrel = people.moderator(rota_name="Kestrel", handle="kestrel-login", pseudonym="Wrenna")
    leave(kestrel, "First: all quiet.")
    clock.shift(timedelta(minutes=20))
    leave(kestrel, "Second: thread 7 needs watching.")
    kestrel.post("/rota/step-out")
    heron = people.moderator(rota_name="Heron")
    first = heron.get("/rota/handover")
    assert first.headers["Cache-Control"] == "no-store"
    page = first.get_data(as_text=True)
    assert shown(page) == [("Second: thread 7 needs watching.", True),
                           ("First: all quiet.", True)]  # fmt: skip
    assert "<bdi>Kestrel</bdi>" in page
    assert "kestrel-login" not in page and "Wrenna" not in page  # the rota name only
    assert ">New</strong>" in page
    clock.shift(timedelta(minutes=20))
    heron.post("/rota/handover", data={"body": "Third, from Heron."})
    kestrel.post("/rota/start")
    kestrel.post("/rota/handover", data={"body": "Fourth: back again."})
    again = heron.get("/rota/handover").get_data(as_text=True)
    assert shown(again) == [
        ("Fourth: back again.", True),
        ("Third, from Heron.", False),  # their own note is never new to them
        ("Second: thread 7 needs watching.", False),
        ("First: all quiet.", False),
    ]
    assert [new for _, new in shown(heron.get("/rota/handover").get_data(as_text=True))] == [
        False
    ] * 4


def test_the_queue_shows_new_notes_before_the_cases(app, people, clock, make):
    kestrel = stepped_out(people)
    leave(kestrel, "Case about the long thread: wait for replies.")
    open_case(app, make.question(title="Reported").post)
    heron = people.moderator(rota_name="Heron")
    queue = heron.get("/moderate").get_data(as_text=True)
    assert 'id="handover-unread" data-unread="1"' in queue
    assert "1 new handover note from earlier shifts" in queue
    assert queue.index("Case about the long thread") < queue.index('class="case"')
    heron.get("/rota/handover")
    after = heron.get("/moderate").get_data(as_text=True)
    assert 'data-unread="0"' in after
    assert "Case about the long thread" not in after


def test_a_coordinator_reads_notes_without_marking_them(app, people, clock):
    kestrel = people.moderator()
    leave(kestrel, "For whoever comes next.")
    coordinator = people.coordinator()
    page = coordinator.get("/rota/handover").get_data(as_text=True)
    assert shown(page) == [("For whoever comes next.", False)]
    assert "reading as a coordinator" in page
    assert 'name="body"' not in page  # a coordinator reads; the rota writes
    assert read_marks(app) == 1  # only the author's own


def test_only_moderators_on_shift_and_coordinators_read_notes(app, people, clock):
    leave(people.moderator(), "Private to the rota.")
    off_shift = people.moderator(on_shift=False).get("/rota/handover")
    assert off_shift.status_code == 403
    assert "Private to the rota." not in off_shift.get_data(as_text=True)
    assert people.member().get("/rota/handover").status_code == 403
    visitor = people.visitor().get("/rota/handover")
    assert visitor.status_code == 303
    assert visitor.headers["Location"].startswith("/login")
    just_left = stepped_out(people).get("/rota/handover")
    assert just_left.status_code == 403  # writing after stepping out is not reading


def test_notes_are_erased_fourteen_days_after_they_were_written(app, people, clock):
    leave(people.moderator(), "Words that should not outlive two weeks.")
    clock.shift(timedelta(days=13, hours=23))
    assert len(shown(people.moderator().get("/rota/handover").get_data(as_text=True))) == 1
    assert read_marks(app) == 2
    clock.shift(timedelta(hours=2))
    reader = people.moderator()  # signed in now: the earlier sessions have timed out
    page = reader.get("/rota/handover").get_data(as_text=True)
    assert shown(page) == []
    assert 'id="handover-empty"' in page
    assert notes(app) == []
    assert read_marks(app) == 0
    assert "should not outlive" not in all_text(app)


def test_the_queue_never_shows_a_note_past_its_days(app, people, clock):
    leave(people.moderator(), "Old news.")
    clock.shift(timedelta(days=15))
    queue = people.moderator().get("/moderate").get_data(as_text=True)
    assert "Old news." not in queue
    assert notes(app) == []


@pytest.mark.settings(HANDOVER_DAYS=2)
def test_how_long_notes_are_kept_is_a_setting(app, people, clock):
    leave(people.moderator(), "Kept for two days.")
    clock.shift(timedelta(days=1))
    leave(people.moderator(), "Written a day later.")
    assert len(notes(app)) == 2
    clock.shift(timedelta(days=1, minutes=1))
    page = people.moderator().get("/rota/handover").get_data(as_text=True)
    assert shown(page) == [("Written a day later.", True)]
    assert [body for _, body in notes(app)] == ["Written a day later."]
    assert "erased 2 days after" in page


def test_erasing_an_account_erases_its_handover_notes(app, people, clock):
    kestrel = people.moderator(handle="kestrel-login")
    leave(kestrel, "Words that go with my account.")
    heron = people.moderator()
    leave(heron, "Heron's note stays.")
    heron.get("/rota/handover")
    exported = kestrel.get("/account/export.json").get_json()
    assert [n["text"] for n in exported["handover_notes"]] == ["Words that go with my account."]
    gone = kestrel.post("/account/delete", data={"password": PASSWORD, "choice": "keep-answers"})
    assert gone.status_code == 303
    assert [body for _, body in notes(app)] == ["Heron's note stays."]
    assert "Words that go with my account." not in all_text(app)
    assert read_marks(app) == 1  # Heron's own; Heron's mark of the erased note went with it


@pytest.mark.parametrize(
    ("body", "problem"),
    [("   \n ", "Please write a few words"), ("x" * 2001, "Please keep a handover note to 2,000")],
)
def test_a_note_that_cannot_be_taken_comes_back_with_its_words(app, people, clock, body, problem):
    client = stepped_out(people)
    response = leave(client, body)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert problem in page
    assert 'href="#body"' in page  # the error summary links to the field
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="body"', page) or re.search(
        r'<textarea[^>]*id="body"[^>]*aria-invalid="true"', page
    )
    if body.strip():
        assert body in page  # the words are kept
    assert notes(app) == []


def test_a_note_without_a_csrf_token_is_refused(app, people, clock):
    client = stepped_out(people)
    app.config["WTF_CSRF_ENABLED"] = True  # signed in without it; the note needs it
    refused = leave(client, "Sent without a token.")
    assert refused.status_code == 400
    assert "Sent without a token." in refused.get_data(as_text=True)  # words kept
    assert notes(app) == []
    page = client.get("/rota").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = client.post("/rota/handover", data={"body": "With a token.", "csrf_token": token})
    assert sent.status_code == 303
    assert [body for _, body in notes(app)] == ["With a token."]
