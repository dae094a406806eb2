"""The Nu Html Checker finds no errors on any page type.

`make install` puts vnu.jar (the npm package vnu-jar) under .venv/vnu; it needs Java 11 or
later. Without them this test skips, unless KETTLE_REQUIRE_BROWSER=1 or KETTLE_REQUIRE_VNU=1
is set (CI sets one), when it fails loudly instead. Every page is checked in one run of the
checker, because starting Java is the slow part.
"""

import json
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.exceptions import HTTPException

from tests.accounts_helpers import PASSWORD, pseudonym_ids
from tests.builders import keeper_link
from tests.moderation_helpers import ACT, People, acting, open_case
from tests.page_types import page_endpoints

ROOT = Path(__file__).resolve().parents[1]
INSTALLED = ROOT / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
VNU_JAR = Path(os.environ.get("KETTLE_VNU_JAR", INSTALLED))
ASK = {"title": "Should I tell my new manager?", "body": "I start *on Monday*.",
       "topic": "getting-through-today"}  # fmt: skip


def _required():
    return "1" in (os.environ.get("KETTLE_REQUIRE_BROWSER"), os.environ.get("KETTLE_REQUIRE_VNU"))


@pytest.fixture(scope="module")
def vnu():
    """The command that runs the checker, or a skip (a failure where it is required)."""
    java = shutil.which("java")
    missing = None if java else "Java is not installed (`apt-get install default-jre-headless`)"
    if not VNU_JAR.exists():
        missing = f"the Nu Html Checker is not at {VNU_JAR}; run `make install` (needs npm)"
    if missing:
        if _required():
            pytest.fail(f"the HTML check is required here but {missing}", pytrace=False)
        pytest.skip(missing)
    return [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def _visit(client, pages, name, path, status=200):
    response = client.get(path)
    assert response.status_code == status, f"{name}: {path} answered {response.status_code}"
    pages[name] = (path, response.get_data(as_text=True))
    return pages[name][1]


def _keep(pages, name, path, response, status):
    assert response.status_code == status, f"{name}: {path} answered {response.status_code}"
    pages[name] = (path, response.get_data(as_text=True))


def _reading_and_asking(app, client, pages):
    """Pages anyone reaches, and what an asker and an answerer see."""
    for name, path in [("home-empty", "/"), ("topics", "/topics"), ("help-now", "/help-now"),
                       ("how-it-works", "/how-it-works"), ("ask", "/ask"),
                       ("easy-read", "/how-it-works/easy-read"), ("join", "/join"),
                       ("settings", "/settings/content-notes"), ("sign-in", "/login"),
                       ("recover", "/recover")]:  # fmt: skip
        _visit(client, pages, name, path)
    _visit(client, pages, "not-found", "/no-such-page", status=404)
    _keep(pages, "ask-errors", "/ask", client.post("/ask", data={}), 400)
    asked = client.post("/ask", data={**ASK, "content_notes": ["self-harm"],
                                      "content_note_other": "hospital"})  # fmt: skip
    question = asked.headers["Location"]
    keeper = keeper_link(_visit(client, pages, "question-fresh-keeper-link", question))
    answered = client.post(f"{question}/answers", data={"body": "It helped to wait.",
                                                        "kind": "own-experience"})  # fmt: skip
    answer_keeper = keeper_link(_visit(client, pages, "answer-fresh", answered.headers["Location"]))
    client.post(f"{keeper}/replies", data={"body": "Thank you, everyone."})
    _keep(pages, "answer-errors", question, client.post(f"{question}/answers", data={}), 400)
    for name, path in [("home", "/"), ("topic", "/t/getting-through-today"),
                       ("question", question), ("question-opened", f"{question}?notes=all"),
                       ("keeper-question", keeper), ("keeper-edit", f"{keeper}/edit"),
                       ("keeper-delete", f"{keeper}/delete"), ("keeper-answer", answer_keeper),
                       ("keeper-answer-edit", f"{answer_keeper}/edit")]:  # fmt: skip
        _visit(client, pages, name, path)
    for name, path in [
        ("search-start", "/search"),
        ("search", "/search?q=manager+monday"),
        ("search-topic", "/search?q=thank&topic=getting-through-today"),
    ]:
        _visit(client, pages, name, path)
    _visit(client, pages, "search-refused", "/search?q=" + "word+" * 100, status=400)
    client.post("/settings/content-notes", data={"note-self-harm": "hide"})
    _visit(client, pages, "question-hidden-gate", question)
    _visit(client, pages, "search-left-out", "/search?q=manager")
    client.post(f"{keeper}/replies-closed", data={"closed": "yes"})
    closed = client.post(f"{question}/answers", data={"body": "Sent as replies closed."})
    pages["answer-after-close"] = (question, closed.get_data(as_text=True))


def _accounts(app, pages):
    """Joining, signing in and everything under Your account."""
    client = app.test_client()
    _keep(pages, "join-errors", "/join", client.post("/join", data={}), 400)
    person = {"handle": "quiet-fox", "password": PASSWORD, "password_confirm": PASSWORD,
              "pseudonym": "Robin"}  # fmt: skip
    joined = client.post("/join", data=person)
    _visit(client, pages, "recovery-codes", joined.headers["Location"])
    client.post("/account/recovery-codes")
    robin = pseudonym_ids(client)["Robin"]
    asked = client.post("/ask", data={**ASK, "as": robin})
    client.post(f"{asked.headers['Location']}/answers", data={"body": "Mine.", "as": robin})
    account = _visit(client, pages, "account", "/account")
    public = re.search(r'href="(/p/[^"]+)"', account).group(1)
    for name, path in [("pseudonym", public), ("ask-signed-in", "/ask"),
                       ("account-password", "/account/password"),
                       ("account-delete", "/account/delete"),
                       ("account-new-codes", "/account/recovery-codes/new"),
                       ("account-rename", f"/account/pseudonyms/{robin}/rename"),
                       ("account-retire", f"/account/pseudonyms/{robin}/retire")]:  # fmt: skip
        _visit(client, pages, name, path)
    for found in re.findall(r'href="(/mine/[^"]+)"', account):
        _visit(client, pages, "mine" + found.replace("/", "-"), found)
    refused = client.post("/account/pseudonyms", data={"name": ""})
    _keep(pages, "account-pseudonym-errors", "/account", refused, 400)
    _keep(pages, "sign-in-errors", "/login", app.test_client().post("/login", data={}), 400)
    _keep(pages, "recover-errors", "/recover", app.test_client().post("/recover", data={}), 400)


def _reporting(app, pages):
    """The report form (plain and noted, and sent back), what follows it, and receipts."""
    from sqlalchemy import select

    from app.core.time import now
    from app.moderation.models import Case
    from app.web.extensions import db

    client = app.test_client()
    asked = client.post("/ask", data={**ASK, "content_notes": ["self-harm"]})
    question_id = asked.headers["Location"].rsplit("/", 1)[1]
    target = f"question:{question_id}"
    _visit(client, pages, "report-form", f"/report?target={target}")
    sent_back = client.post("/report", data={"target": target, "reason": "nonsense"})
    _keep(pages, "report-form-errors", "/report", sent_back, 400)
    sent = client.post("/report", data={"target": target, "reason": "abuse"})
    _keep(pages, "report-sent", "/report", sent, 200)
    receipt = re.search(r'id="receipt-link"[^>]*href="([^"]+)"', pages["report-sent"][1])[1]
    again = client.post("/report", data={"target": target, "reason": "spam"})
    _keep(pages, "report-already", "/report", again, 200)
    _visit(client, pages, "receipt-waiting", receipt)
    with app.app_context():
        case = db.session.scalar(select(Case))
        case.decided_at, case.outcome = now(), "dismiss"
        db.session.commit()
    _visit(client, pages, "receipt-decided", receipt)
    resting = app.test_client().post("/report", data={"target": target, "reason": "spam"},
                                     environ_base={"REMOTE_ADDR": "192.0.2.7"})  # fmt: skip
    _keep(pages, "report-refused-resting", "/report", resting, 409)
    _collapsed(app, pages)


def _collapsed(app, pages):
    """A question three people reported while nobody was on shift: the report that folded
    it away, its page, its report form, and its keeper page (the queue shows it later)."""
    asker = app.test_client()
    question = asker.post("/ask", data=ASK).headers["Location"]
    target = f"question:{question.rsplit('/', 1)[1]}"
    keeper = re.search(r'id="keeper-link"[^>]*href="([^"]+)"', _visit(asker, {}, "", question))
    for n in range(1, 4):
        reporter = {"REMOTE_ADDR": f"192.0.2.{20 + n}"}
        data = {"target": target, "reason": "abuse"}
        sent = app.test_client().post("/report", data=data, environ_base=reporter)
    _keep(pages, "report-sent-collapsed", "/report", sent, 200)
    _visit(app.test_client(), pages, "question-collapsed", question)
    _visit(app.test_client(), pages, "report-form-collapsed", f"/report?target={target}")
    _visit(app.test_client(), pages, "keeper-collapsed", keeper[1])


def _moderation(app, pages, make):
    """A moderator's rota page, the queue, a case (noted, and refused), and the log."""
    from app.web.extensions import db

    people = People(app)
    off = people.moderator(on_shift=False)
    _visit(off, pages, "rota-off-shift", "/rota")
    _keep(pages, "rota-name-errors", "/rota", off.post("/rota/name", data={"rota_name": "x"}), 400)
    moderator = people.moderator(rota_name="Kestrel")
    _visit(moderator, pages, "queue-empty", "/moderate")
    _visit(moderator, pages, "rota-on-shift", "/rota")
    noted = make.question(body="Noted words", content_notes=("self-harm",), other="hospital")
    case_id = open_case(app, noted.post, reasons=("abuse", "other"), details="Details, kept.")
    plain = open_case(app, make.question(title="Plain").post, body="Words before an edit")
    with app.app_context():  # a second report saw other words: the case shows both, folded
        from app.moderation.models import Report

        db.session.add(Report(
            case_id=plain, reason="spam", reporter_key="another", receipt_hash="another-receipt",
            snapshot_title="Plain", snapshot_body="Words after an edit", snapshot_notes=["police"],
        ))  # fmt: skip
        db.session.commit()
    _visit(moderator, pages, "queue", "/moderate")
    case = f"/moderate/cases/{case_id}"
    _visit(moderator, pages, "case-noted", case)
    _visit(moderator, pages, "case-edited", f"/moderate/cases/{plain}")
    _keep(pages, "case-errors", case, moderator.post(f"{case}/act", data={}), 400)
    refused = moderator.post(
        f"{case}/act", data=acting(app, case_id, {**ACT, "action": "slow-mode"})
    )
    _keep(pages, "case-refused", case, refused, 409)
    moderator.post(f"{case}/claim")
    _visit(moderator, pages, "case-claimed", case)
    moderator.post(f"{case}/act", data=acting(app, case_id))
    _visit(moderator, pages, "case-decided", case)
    _heavier(app, pages, people, moderator, make)
    _visit(app.test_client(), pages, "log", "/moderation-log")
    _handover(pages, people)


def _handover(pages, people):
    """Handover notes: the offer after stepping out, a note sent back, the queue with new
    notes, the notes page (new and read; as a coordinator), and the page with none."""
    reader = people.moderator(rota_name="Curlew")
    _visit(reader, pages, "handover-empty", "/rota/handover")
    leaving = people.moderator(rota_name="Lapwing")
    leaving.post("/rota/handover", data={"body": "All quiet.\nThread 3 is worth a look."})
    leaving.post("/rota/step-out")
    _visit(leaving, pages, "rota-handover-offer", "/rota")
    sent_back = leaving.post("/rota/handover", data={"body": " "})
    _keep(pages, "handover-errors", "/rota/handover", sent_back, 400)
    _visit(reader, pages, "queue-handover", "/moderate")
    _visit(reader, pages, "handover-new", "/rota/handover")
    leaving.post("/rota/handover", data={"body": "One more: the long thread calmed down."})
    _visit(reader, pages, "handover", "/rota/handover")
    _visit(people.coordinator("handover-otter"), pages, "handover-coordinator", "/rota/handover")
    shows = {"rota-handover-offer": 'id="handover-offer"', "handover": 'data-new="no"',
             "queue-handover": 'data-unread="1"',
             "handover-coordinator": 'id="handover-coordinator"'}  # fmt: skip
    assert [name for name, mark in shows.items() if mark not in pages[name][1]] == []


def _appeals(app, pages, make):
    """Statements of reasons and appeals: on a keeper page, a receipt and /moderate/appeals."""
    from sqlalchemy import select

    from app.moderation.appeals import Appeal
    from app.moderation.models import Case
    from app.web.extensions import db

    people = People(app)
    kestrel = people.moderator(rota_name="Egret")
    wren = people.moderator(rota_name="Plover")
    _visit(wren, pages, "appeals-empty", "/moderate/appeals")
    author = app.test_client()
    asked = author.post("/ask", data=ASK)
    question_id = asked.headers["Location"].rsplit("/", 1)[1]
    keeper = keeper_link(author.get(asked.headers["Location"]).get_data(as_text=True))
    sent = author.post("/report", data={"target": f"question:{question_id}", "reason": "abuse"})
    receipt = re.search(r'id="receipt-link"[^>]*href="([^"]+)"', sent.get_data(as_text=True))[1]
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).order_by(Case.id.desc()))
    kestrel.post(f"/moderate/cases/{case_id}/claim")
    kestrel.post(f"/moderate/cases/{case_id}/act", data=acting(app, case_id, {
        **ACT, "action": "dismiss", "author_message": "Read twice."}))  # fmt: skip
    _visit(author, pages, "receipt-appealable", receipt)
    author.post(f"{receipt}/appeal", data={"text": "It was a pile-on.\nPlease look again."})
    _visit(author, pages, "receipt-appealed", receipt)
    noted = make.question(title="Noted and hidden", content_notes=("self-harm",))
    case_id = open_case(app, noted.post)
    kestrel.post(f"/moderate/cases/{case_id}/claim")
    kestrel.post(
        f"/moderate/cases/{case_id}/act",
        data=acting(app, case_id, {**ACT, "author_message": "Sorry."}),
    )
    noted_keeper = f"/keep/{noted.keeper_token}"
    _visit(author, pages, "keeper-statement", noted_keeper)
    author.post(f"{noted_keeper}/appeal", data={"text": "I wrote about myself."})
    _visit(author, pages, "keeper-appealed", noted_keeper)
    _visit(kestrel, pages, "appeals-not-yours", "/moderate/appeals")
    _visit(wren, pages, "appeals", "/moderate/appeals")
    with app.app_context():
        first, second = db.session.scalars(select(Appeal.id).order_by(Appeal.id)).all()
    refused = wren.post(f"/moderate/appeals/{second}", data={"decision": "overturn"})
    _keep(pages, "appeals-errors", "/moderate/appeals", refused, 400)
    for appeal_id in (first, second):
        wren.post(f"/moderate/appeals/{appeal_id}", data={"decision": "overturn",
                  "message": "You were right.\nIt is back."})  # fmt: skip
    _visit(author, pages, "keeper-appeal-heard", noted_keeper)
    _visit(author, pages, "receipt-appeal-heard", receipt)
    _visit(author, pages, "keeper-unreported", keeper)
    _visit(kestrel, pages, "rota-notice-overturned", "/rota")  # Egret's decisions were reversed
    _visit(kestrel, pages, "queue-notice-overturned", "/moderate")
    shows = {"receipt-appealable": 'name="text"', "keeper-statement": 'name="text"',
             "appeals": 'name="decision"', "appeals-not-yours": "cannot-decide",
             "keeper-appeal-heard": 'data-appeal-state="overturned"',
             "receipt-appeal-heard": 'data-appeal-state="overturned"',
             "rota-notice-overturned": 'class="moderator-notice"',
             "queue-notice-overturned": 'class="moderator-notice"'}  # fmt: skip
    assert [name for name, mark in shows.items() if mark not in pages[name][1]] == []


def _second_opinions(app, pages, make):
    """A case with a second opinion asked (as its asker and another moderator see it, and
    each form sent back), replied, and the queue's group for it."""
    from sqlalchemy import select

    from app.moderation.opinions import SecondOpinion
    from app.web.extensions import db

    people = People(app)
    asker = people.moderator(rota_name="Merlin")
    other = people.moderator(rota_name="Osprey")
    case = f"/moderate/cases/{open_case(app, make.question(title='A hard call').post)}"
    sent_back = asker.post(f"{case}/second-opinion", data={"question": ""})
    _keep(pages, "case-ask-errors", case, sent_back, 400)
    asker.post(f"{case}/second-opinion", data={"question": "A pile-on?\nI am not sure."})
    _visit(asker, pages, "case-opinion-own", case)
    _visit(asker, pages, "queue-opinion-own", "/moderate")
    _visit(other, pages, "queue-second-look", "/moderate")
    _visit(other, pages, "case-opinion-asked", case)
    with app.app_context():
        opinion_id = db.session.scalar(select(SecondOpinion.id).order_by(SecondOpinion.id.desc()))
    reply = f"{case}/second-opinion/{opinion_id}/reply"
    _keep(pages, "case-reply-errors", case, other.post(reply, data={"text": ""}), 400)
    other.post(reply, data={"text": "A pile-on, I think.\nThree at once."})
    _visit(asker, pages, "case-opinion-replied", case)
    _visit(asker, pages, "queue-opinion-replied", "/moderate")
    shows = {"case-ask-errors": 'id="opinion-errors"', "case-reply-errors": 'id="opinion-errors"',
             "queue-second-look": 'id="second-looks"', "case-opinion-asked": 'name="text"',
             "queue-opinion-own": 'data-state="waiting"', "case-opinion-replied": "Osprey",
             "queue-opinion-replied": 'data-state="replied"'}  # fmt: skip
    assert [name for name, mark in shows.items() if mark not in pages[name][1]] == []


def _heavier(app, pages, people, kestrel, make):
    """Slow mode on a question page, a locked one, a suspended name refused, and a case
    waiting for a second moderator (as its asker and as another moderator sees it)."""
    from app.web.extensions import db

    slowed = make.question(title="Slowed").post
    slow_case = open_case(app, slowed)
    kestrel.post(
        f"/moderate/cases/{slow_case}/act",
        data=acting(app, slow_case, {**ACT, "action": "slow-mode", "minutes": "5"}),
    )
    _visit(app.test_client(), pages, "question-slow-mode", f"/q/{slowed.id}")
    writer = app.test_client()
    writer.post(f"/q/{slowed.id}/answers", data={"body": "First."})
    _keep(pages, "answer-slow-mode-refused", f"/q/{slowed.id}",
          writer.post(f"/q/{slowed.id}/answers", data={"body": "Second."}), 429)  # fmt: skip
    locked = make.question(title="Locked").post
    lock_case = open_case(app, locked)
    kestrel.post(
        f"/moderate/cases/{lock_case}/act", data=acting(app, lock_case, {**ACT, "action": "lock"})
    )
    _visit(app.test_client(), pages, "question-locked", f"/q/{locked.id}")
    robin = app.test_client()
    robin.post("/join", data={"handle": "robin-valid", "password": PASSWORD,
                              "password_confirm": PASSWORD, "pseudonym": "Robinvalid"})  # fmt: skip
    as_robin = pseudonym_ids(robin)["Robinvalid"]
    asked = robin.post("/ask", data={"title": "Robin's question", "body": "Words.", "as": as_robin,
                                     "topic": "getting-through-today"})  # fmt: skip
    question_id = int(asked.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        from app.questions.models import Question

        robins = db.session.get(Question, question_id)
        db.session.expunge(robins)
    heavy = open_case(app, robins)
    kestrel.post(f"/moderate/cases/{heavy}/act", data=acting(app, heavy, {
        **ACT, "action": "suspend-account", "days": "3", "reason": "within-the-law"}))  # fmt: skip
    _visit(kestrel, pages, "case-waiting-own", f"/moderate/cases/{heavy}")
    heron = people.moderator(rota_name="Heron")
    _visit(heron, pages, "queue-waiting", "/moderate")
    _visit(heron, pages, "case-waiting", f"/moderate/cases/{heavy}")
    heron.post(f"/moderate/cases/{heavy}/approve", data={"version": str(_version(app, heavy))})
    _visit(heron, pages, "case-approved", f"/moderate/cases/{heavy}")
    refused = robin.post("/ask", data={"title": "Another", "body": "Kept words.", "as": as_robin,
                                       "topic": "getting-through-today"})  # fmt: skip
    _keep(pages, "ask-suspended", "/ask", refused, 409)


def _wellbeing(app, pages, make):
    """A moderator an hour into a shift, past the soft limit, offered a debrief; their own
    notes, a note sent back with its words, and the notes a coordinator was sent."""
    from sqlalchemy import select, update

    from app.rota.models import Shift
    from app.web.extensions import db

    people = People(app)
    moderator = people.moderator(rota_name="Dunlin")
    with app.app_context():
        shift = db.session.scalar(select(Shift).where(Shift.account_id == moderator.account_id))
        db.session.execute(  # an hour into the shift: a break is suggested
            update(Shift).where(Shift.id == shift.id)
            .values(started_at=shift.started_at - timedelta(hours=1))
        )  # fmt: skip
        db.session.commit()
    app.config["ROTA_EXPOSURE_SOFT_LIMIT"] = 0  # one hard case is past it
    noted = open_case(app, make.question(title="Heavy", content_notes=("self-harm",)).post)
    _visit(moderator, pages, "case-break-suggested", f"/moderate/cases/{noted}")
    acted = moderator.post(f"/moderate/cases/{noted}/act", data=acting(app, noted))
    _visit(moderator, pages, "queue-care-and-debrief", acted.headers["Location"].split("#")[0])
    moderator.post("/rota/debriefs", data={"text": "A long one.\nI am all right.",
                                          "share": "send"})  # fmt: skip
    moderator.post("/rota/debriefs", data={"text": "Only mine.", "share": "keep"})
    _visit(moderator, pages, "debriefs", "/rota/debriefs")
    refused = moderator.post("/rota/debriefs", data={"text": "x" * 2001, "share": "keep"})
    _keep(pages, "debriefs-errors", "/rota/debriefs", refused, 400)
    _visit(people.coordinator("debrief-otter"), pages, "debriefs-coordinator", "/rota/debriefs")
    shows = {"case-break-suggested": 'id="break-suggestion"',
             "queue-care-and-debrief": 'id="exposure-suggestion"', "debriefs": "Only mine.",
             "debriefs-coordinator": "A long one."}  # fmt: skip
    assert [name for name, mark in shows.items() if mark not in pages[name][1]] == []


def _coordinating(app, pages):
    """A coordinator's plan (with its pattern refused and words kept), the gaps (a shift
    nobody took, one short, one whose people all opted out of a note), hours per person."""
    from datetime import timedelta

    from sqlalchemy import select

    from app.accounts.models import Account
    from app.core.time import now
    from app.rota import limits, pattern, plan
    from app.rota.calendar import local
    from app.topics.models import ContentNote
    from app.web.extensions import db

    people = People(app)
    coordinator = people.coordinator("planning-otter")
    _visit(coordinator, pages, "rota-gaps-nothing-planned", "/rota/gaps")
    _visit(coordinator, pages, "rota-hours", "/rota/hours")
    curlew = people.moderator(rota_name="Godwit", on_shift=False)
    with app.app_context():
        tomorrow = local(now()).date() + timedelta(days=1)
        pattern.plan_pattern(tomorrow, 2, 8, 12, 2, 2)
        notes = db.session.scalars(select(ContentNote).where(ContentNote.slug == "self-harm"))
        limits.save(curlew.account_id, None, None, list(notes))
        plan.sign_up(db.session.get(Account, curlew.account_id), plan.coming(now())[0])
    _visit(coordinator, pages, "rota-plan", "/rota/plan")
    bad = {"first_day": "next Tuesday", "days": "seven", "from_hour": "8", "to_hour": "22",
           "slot_hours": "two", "places": "30"}  # fmt: skip
    _keep(pages, "rota-plan-errors", "/rota/plan", coordinator.post("/rota/plan", data=bad), 400)
    _visit(coordinator, pages, "rota-gaps", "/rota/gaps")
    _visit(coordinator, pages, "rota-hours-people", "/rota/hours")


def _coordinator_tools(app, pages):
    """A coordinator's overview (quiet, and with measures running), each tool's page, and
    each form sent back."""
    from sqlalchemy import select

    from app.topics.models import ContentNote, Topic
    from app.web.extensions import db

    people = People(app)
    people.moderator(handle="steady-curlew", rota_name="Sanderling")
    coordinator = people.coordinator("raid-otter")
    _visit(coordinator, pages, "coordinate-quiet", "/coordinate")
    _visit(coordinator, pages, "coordinate-people", "/coordinate/people")
    refused = coordinator.post("/coordinate/people", data={"handle": "nobody-here"})
    _keep(pages, "coordinate-people-refused", "/coordinate/people", refused, 409)
    _visit(coordinator, pages, "coordinate-topics", "/coordinate/topics")
    _keep(pages, "coordinate-topics-errors", "/coordinate/topics",
          coordinator.post("/coordinate/topics", data={"description": "Kept."}), 400)  # fmt: skip
    _visit(coordinator, pages, "coordinate-notes", "/coordinate/content-notes")
    _keep(pages, "coordinate-notes-errors", "/coordinate/content-notes",
          coordinator.post("/coordinate/content-notes", data={"label": "x"}), 409)  # fmt: skip
    with app.app_context():
        topic_id = db.session.scalar(select(Topic.id).order_by(Topic.id))
        note_id = db.session.scalar(select(ContentNote.id).order_by(ContentNote.id))
    _visit(coordinator, pages, "coordinate-topic", f"/coordinate/topics/{topic_id}")
    _visit(coordinator, pages, "coordinate-note", f"/coordinate/content-notes/{note_id}")
    _visit(coordinator, pages, "coordinate-raid-quiet", "/coordinate/raid")
    _keep(pages, "coordinate-raid-errors", "/coordinate/raid",
          coordinator.post("/coordinate/raid/pause", data={"pause-hours": "5"}), 400)  # fmt: skip
    coordinator.post("/coordinate/raid/pause",
                     data={"pause-topic": "getting-through-today", "pause-hours": "6"})  # fmt: skip
    coordinator.post("/coordinate/raid/tighten", data={"tighten-factor": "2", "tighten-hours": "1"})
    coordinator.post("/coordinate/raid/collapse",
                     data={"collapse-threshold": "1", "collapse-hours": "24"})  # fmt: skip
    _visit(coordinator, pages, "coordinate", "/coordinate")
    _visit(coordinator, pages, "coordinate-raid", "/coordinate/raid")
    refused = app.test_client().post("/ask", data=ASK)
    _keep(pages, "ask-topic-paused", "/ask", refused, 409)
    _visit(app.test_client(), pages, "log-coordinating", "/moderation-log")


def _version(app, case_id):
    from app.web.extensions import db

    with app.app_context():
        from app.moderation.models import Case

        return db.session.get(Case, case_id).version


def _check(vnu, pages, tmp_path):
    """Every error the checker finds, named by page and path."""
    for name, (_, html) in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    files = sorted(str(p) for p in tmp_path.glob("*.html"))
    run = subprocess.run([*vnu, *files], capture_output=True, text=True, timeout=300, check=False)
    errors = []
    for message in json.loads(run.stderr or run.stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = Path(message.get("url", "")).stem
            where = f"{name} ({pages[name][0]})" if name in pages else message.get("url")
            errors.append(f"{where} line {message.get('lastLine')}: {message['message']}\n"
                          f"    {message.get('extract', '').strip()}")  # fmt: skip
    return errors


def test_the_nu_html_checker_finds_no_errors_on_any_page_type(app, client, make, vnu, tmp_path):
    pages = {}
    _reading_and_asking(app, client, pages)
    _accounts(app, pages)
    _reporting(app, pages)
    _moderation(app, pages, make)
    _appeals(app, pages, make)
    _second_opinions(app, pages, make)
    _wellbeing(app, pages, make)
    _coordinating(app, pages)
    _coordinator_tools(app, pages)
    errors = _check(vnu, pages, tmp_path)
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    unchecked = _endpoints(app) - {_endpoint(app, path) for path, _ in pages.values()}
    assert unchecked == set(), "page types the HTML check never visited (add them above)"


def _endpoints(app):
    return page_endpoints(app.url_map)


def _endpoint(app, path):
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(path.split("?")[0], method="GET")[0]
    except HTTPException:  # the not-found page has no endpoint
        return None
