"""The rota looks after moderators while they review: it counts the hard cases each opened
this shift, suggests a break every half hour, offers a private debrief after a hard case,
and keeps "Step out" one click away. None of it ever blocks anything."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.moderation.wellbeing import DebriefNote
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD
from tests.moderation_helpers import ACT, People, acting, open_case

COUNTED = "with content notes or possible illegal content this shift"
BREAK = "I've had a break"
SUGGESTS_HANDOVER = 'id="exposure-suggestion"'
OFFER = 'id="debrief"'
START = datetime(2026, 12, 3, 21, 0)


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def cases(app, make):
    """One case of each kind: noted words, reported as may be illegal, and an easy one."""
    noted = make.question(title="Noted", content_notes=("self-harm",)).post
    illegal = make.question(title="Reported as may be illegal").post
    easy = make.question(title="Plain").post
    return {
        "noted": open_case(app, noted),
        "illegal": open_case(app, illegal, reasons=("illegal",)),
        "easy": open_case(app, easy, reasons=("spam",)),
    }


def _queue(client):
    return client.get("/moderate").get_data(as_text=True)


def _opened(page):
    found = re.search(r'id="exposure-count" data-opened="(\d+)"', page)
    return int(found[1]) if found else 0


def _act(client, case_id, **fields):
    data = acting(client.application, case_id, {**ACT, **fields})
    return client.post(f"/moderate/cases/{case_id}/act", data=data)


def _notes(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(DebriefNote))


def test_a_moderator_sees_how_many_hard_cases_they_opened_each_counted_once(people, cases):
    moderator = people.moderator()
    assert COUNTED not in _queue(moderator)
    for name in ("noted", "noted", "illegal", "easy", "easy"):
        assert moderator.get(f"/moderate/cases/{cases[name]}").status_code == 200
    page = _queue(moderator)
    assert f"You have opened 2 cases {COUNTED}" in page
    assert _opened(page) == 2


def test_another_moderator_opening_the_same_case_does_not_add_to_my_count(people, cases):
    kestrel, heron = people.moderator(), people.moderator()
    kestrel.get(f"/moderate/cases/{cases['noted']}")
    heron.get(f"/moderate/cases/{cases['noted']}")
    heron.get(f"/moderate/cases/{cases['illegal']}")
    assert f"You have opened 1 case {COUNTED}" in _queue(kestrel)
    assert _opened(_queue(heron)) == 2


def test_the_count_starts_again_with_the_next_shift(people, cases):
    moderator = people.moderator()
    moderator.get(f"/moderate/cases/{cases['noted']}")
    assert _opened(_queue(moderator)) == 1
    moderator.post("/rota/step-out")
    moderator.post("/rota/start")
    assert COUNTED not in _queue(moderator)
    moderator.get(f"/moderate/cases/{cases['noted']}")
    assert _opened(_queue(moderator)) == 1


@pytest.mark.settings(ROTA_EXPOSURE_SOFT_LIMIT=1)
def test_past_the_soft_limit_the_queue_suggests_handing_over_and_blocks_nothing(app, people, cases):
    moderator = people.moderator()
    moderator.get(f"/moderate/cases/{cases['noted']}")
    assert SUGGESTS_HANDOVER not in _queue(moderator)  # at the limit, not past it
    moderator.get(f"/moderate/cases/{cases['illegal']}")
    page = _queue(moderator)
    assert SUGGESTS_HANDOVER in page
    assert 'href="/rota"' in page and 'href="/rota/debriefs"' in page
    version = acting(app, cases["illegal"])["version"]
    claimed = moderator.post(f"/moderate/cases/{cases['illegal']}/claim", data={"version": version})
    assert claimed.status_code == 303
    assert _act(moderator, cases["illegal"]).status_code == 303
    assert moderator.get(f"/moderate/cases/{cases['easy']}").status_code == 200


def test_the_soft_limit_is_ten_unless_a_deployment_says_otherwise(app, people, make):
    assert app.config["ROTA_EXPOSURE_SOFT_LIMIT"] == 10
    moderator = people.moderator()
    for n in range(11):
        noted = make.question(title=f"Noted {n}", content_notes=("self-harm",)).post
        moderator.get(f"/moderate/cases/{open_case(app, noted)}")
        assert (SUGGESTS_HANDOVER in _queue(moderator)) == (n == 10), n


def test_a_break_is_suggested_after_thirty_minutes_and_goes_once_taken(people, cases,
                                                                       time_machine):  # fmt: skip
    time_machine.move_to(START, tick=False)
    moderator = people.moderator()
    time_machine.shift(timedelta(minutes=29))
    assert BREAK not in _queue(moderator)
    time_machine.shift(timedelta(minutes=1))
    assert BREAK in _queue(moderator)
    case = f"/moderate/cases/{cases['easy']}"
    assert BREAK in moderator.get(case).get_data(as_text=True)
    back = moderator.post("/rota/break", data={"back": case})
    assert back.status_code == 303 and back.headers["Location"] == case
    assert BREAK not in _queue(moderator)
    time_machine.shift(timedelta(minutes=29))
    assert BREAK not in moderator.get(case).get_data(as_text=True)
    time_machine.shift(timedelta(minutes=1))
    assert BREAK in _queue(moderator)


def test_a_break_taken_from_a_refused_action_goes_back_to_the_case(people, cases, time_machine):
    time_machine.move_to(START, tick=False)
    moderator = people.moderator()
    time_machine.shift(timedelta(minutes=45))
    case = f"/moderate/cases/{cases['easy']}"
    refused = moderator.post(f"{case}/act", data={}).get_data(as_text=True)
    assert BREAK in refused
    back = re.search(r'name="back" value="([^"]+)"', refused)[1]
    assert moderator.post("/rota/break", data={"back": back}).headers["Location"] == case


@pytest.mark.settings(ROTA_BREAK_MINUTES=10)
def test_how_often_a_break_is_suggested_is_configurable(people, time_machine):
    time_machine.move_to(START, tick=False)
    moderator = people.moderator()
    time_machine.shift(timedelta(minutes=10))
    assert BREAK in _queue(moderator)


def test_a_break_goes_back_only_to_a_moderation_page(people, time_machine):
    time_machine.move_to(datetime.now(UTC).replace(tzinfo=None), tick=False)
    moderator = people.moderator()
    for back in ("https://elsewhere.example/", "//elsewhere.example", "/account"):
        sent = moderator.post("/rota/break", data={"back": back})
        assert sent.headers["Location"] == "/moderate", back


def test_a_debrief_is_offered_after_acting_on_a_hard_case_and_not_an_easy_one(app, people, cases):
    moderator = people.moderator()
    hard = _act(moderator, cases["noted"])
    assert hard.headers["Location"] == "/moderate?debrief=offer#debrief"
    page = moderator.get(hard.headers["Location"]).get_data(as_text=True)
    assert OFFER in page and 'name="text"' in page and 'value="send"' in page
    illegal = _act(moderator, cases["illegal"], action="dismiss")
    assert "debrief=offer" in illegal.headers["Location"]
    easy = _act(moderator, cases["easy"], action="dismiss")
    assert easy.headers["Location"] == "/moderate"
    assert OFFER not in _queue(moderator)
    assert _notes(app) == 0  # offered, never required


def test_a_note_kept_for_oneself_is_never_shown_to_coordinators(app, people):
    moderator = people.moderator(rota_name="Kestrel")
    kept = moderator.post("/rota/debriefs", data={"text": "That one stayed with me.",
                                                  "share": "keep"})  # fmt: skip
    assert kept.status_code == 303
    mine = moderator.get("/rota/debriefs").get_data(as_text=True)
    assert "That one stayed with me." in mine and "Only for you" in mine
    coordinator = people.coordinator().get("/rota/debriefs").get_data(as_text=True)
    assert "That one stayed with me." not in coordinator
    assert 'id="no-sent-notes"' in coordinator


def test_a_sent_note_reaches_coordinators_by_rota_name_never_login_name(app, people):
    moderator = people.moderator(handle="private-login-name", rota_name="Kestrel")
    moderator.post("/rota/debriefs", data={"text": "Could someone check in?", "share": "send"})
    page = people.coordinator().get("/rota/debriefs")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Could someone check in?" in html and "<bdi>Kestrel</bdi>" in html
    assert "private-login-name" not in html
    other = people.moderator(rota_name="Heron").get("/rota/debriefs").get_data(as_text=True)
    assert "Could someone check in?" not in other  # another moderator is not a coordinator


def test_members_and_visitors_are_refused_debriefs_and_breaks(app, people):
    member, visitor = people.member(), people.visitor()
    coordinator = people.coordinator()
    for method, path in [("GET", "/rota/debriefs"), ("POST", "/rota/debriefs"),
                         ("POST", "/rota/break"), ("POST", "/rota/debriefs/forget")]:  # fmt: skip
        data = {"text": "Words", "share": "keep", "note": "1"}
        assert member.open(path, method=method, data=data).status_code == 403, path
        signed_out = visitor.open(path, method=method, data=data)
        assert signed_out.status_code == 303, path
        assert signed_out.headers["Location"].startswith("/login"), path
    assert coordinator.post("/rota/debriefs", data={"text": "Words"}).status_code == 403
    assert _notes(app) == 0


@pytest.mark.parametrize("words", ["", "   ", "x" * 2001])
def test_a_note_that_cannot_be_kept_comes_back_with_its_words(app, people, words):
    moderator = people.moderator()
    sent = moderator.post("/rota/debriefs", data={"text": words, "share": "send"})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert 'class="error-summary"' in page
    if words.strip():
        assert words in page and "2,000" in page
    assert re.search(r'value="send"\s+checked|value="send" checked', page)
    assert _notes(app) == 0


def test_a_moderator_may_erase_their_own_note_and_nobody_elses(app, people):
    kestrel, heron = people.moderator(), people.moderator()
    kestrel.post("/rota/debriefs", data={"text": "Mine to keep.", "share": "send"})
    with app.app_context():
        note_id = db.session.scalar(select(DebriefNote.id))
    heron.post("/rota/debriefs/forget", data={"note": str(note_id)})
    assert _notes(app) == 1
    kestrel.post("/rota/debriefs/forget", data={"note": str(note_id)})
    assert _notes(app) == 0


def test_notes_are_in_their_writers_export_and_erased_with_the_account(app, people):
    moderator = people.moderator(handle="leaving-moderator", rota_name="Kestrel")
    moderator.post("/rota/debriefs", data={"text": "A hard evening.", "share": "send"})
    moderator.post("/rota/debriefs", data={"text": "Just for me.", "share": "keep"})
    exported = json.loads(moderator.get("/account/export.json").get_data(as_text=True))
    assert [(n["text"], n["sent_to_coordinators"]) for n in exported["debrief_notes"]] == [
        ("A hard evening.", True), ("Just for me.", False)]  # fmt: skip
    coordinator = people.coordinator()
    assert "A hard evening." in coordinator.get("/rota/debriefs").get_data(as_text=True)
    deleted = moderator.post(
        "/account/delete", data={"password": PASSWORD, "choice": "remove-everything"}
    )
    assert deleted.status_code == 303
    assert _notes(app) == 0
    assert "A hard evening." not in coordinator.get("/rota/debriefs").get_data(as_text=True)


def test_step_out_is_one_click_away_on_the_queue_and_on_a_case(people, cases):
    moderator = people.moderator()
    for path in ("/moderate", f"/moderate/cases/{cases['noted']}"):
        page = moderator.get(path).get_data(as_text=True)
        form = re.search(r'<form method="post" action="/rota/step-out"[^>]*id="step-out">(.*?)'
                         r"</form>", page, re.S)  # fmt: skip
        assert form, path
        assert 'name="csrf_token"' in form[1] and "<textarea" not in form[1]
        assert page.index('id="step-out"') < page.index('class="intro"' if path == "/moderate"
                                                        else 'id="case-status"')  # fmt: skip
    assert moderator.post("/rota/step-out").status_code == 303
    assert moderator.get("/moderate").status_code == 403
