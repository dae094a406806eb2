"""A coordinator's tools: who moderates, the topics and content notes, and measures for a
set time during a raid. Each change is in the public log, which never names a login name
or whose role changed; nobody but a coordinator can use them."""

import html as html_lib
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Account
from app.moderation.log import LogEntry
from app.questions.models import Question
from app.rota.models import Shift
from app.topics.measures import RaidMeasure
from app.topics.models import ContentNote, Topic
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD
from tests.moderation_helpers import People
from tests.test_asking import GOOD
from tests.test_reports import report

NOON = datetime(2026, 12, 2, 12, 0)
PAGES = ["/coordinate", "/coordinate/people", "/coordinate/topics", "/coordinate/topics/1",
         "/coordinate/content-notes", "/coordinate/content-notes/1",
         "/coordinate/raid"]  # fmt: skip
CHANGES = [("/coordinate/people", {"handle": "quiet-fox", "change": "give"}),
           ("/coordinate/topics", {"name": "Sleep"}),
           ("/coordinate/content-notes", {"label": "Gambling"}),
           ("/coordinate/raid/pause", {"pause-topic": "getting-through-today", "pause-hours": "1"}),
           ("/coordinate/raid/tighten", {"tighten-factor": "2", "tighten-hours": "1"}),
           ("/coordinate/raid/collapse",
            {"collapse-threshold": "1", "collapse-hours": "1"})]  # fmt: skip
PAUSE = {"pause-topic": GOOD["topic"], "pause-hours": "1"}


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def coordinator(people):
    """A coordinator with no rota name (login name calm-otter)."""
    return people.coordinator()


@pytest.fixture
def at_noon(time_machine):
    """The clock stopped at NOON; people sign in after it moved (sessions idle out)."""
    time_machine.move_to(NOON, tick=False)
    return time_machine


def done(response):
    """A change made: back to a coordinating page, not sent to sign in."""
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].startswith("/coordinate"), response.headers["Location"]
    return response


def rows(app, model, *where):
    with app.app_context():
        found = db.session.scalars(select(model).where(*where).order_by(model.id)).all()
        db.session.expunge_all()
        return found


def logged(app):
    return [(e.action, e.rota_name, e.public_note) for e in rows(app, LogEntry)]


def public_log(app):
    visitor = app.test_client()
    pages = [visitor.get(path).get_data(as_text=True)
             for path in ("/moderation-log", "/moderation-log.atom")]  # fmt: skip
    return html_lib.unescape("".join(pages))


def text(response):
    return html_lib.unescape(response.get_data(as_text=True))


def asks(client, count, first=0):
    """Ask `count` different questions (a repeat of one sending would store nothing)."""
    return [client.post("/ask", data={**GOOD, "title": f"{GOOD['title']} ({n})"}).status_code
            for n in range(first, first + count)]  # fmt: skip


def entries(app):
    """The public log's entries, each as the words a reader sees."""
    page = app.test_client().get("/moderation-log").get_data(as_text=True)
    found = re.findall(r'<li class="log-entry".*?</li>', page, flags=re.S)
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", e)).split()) for e in found]


def roles_of(app, handle):
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.handle_key == handle))
        return sorted(granted.role for granted in account.roles)


def test_a_coordinator_sees_each_tool_and_that_nothing_is_running(coordinator):
    response = coordinator.get("/coordinate")
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    for tool in ("/coordinate/people", "/coordinate/topics", "/coordinate/content-notes",
                 "/coordinate/raid"):  # fmt: skip
        assert f'href="{tool}"' in page
    assert 'id="no-measures"' in page
    assert 'href="/coordinate"' in text(coordinator.get("/"))  # the way there, in the menu


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_nobody_but_a_coordinator_may_open_or_use_the_tools(app, people, who):
    someone = people.member() if who == "member" else people.moderator(handle="quiet-fox")
    for path in PAGES:
        assert someone.get(path).status_code == 403, path
    before = logged(app)
    for path, data in CHANGES:
        response = someone.post(path, data=data)
        assert response.status_code == 403, path
        assert "not open to you" in text(response)
    assert logged(app) == before
    assert rows(app, RaidMeasure) == []
    assert len(rows(app, Topic)) == 9 and len(rows(app, ContentNote)) == 13


def test_a_signed_out_visitor_is_asked_to_sign_in_and_changes_nothing(app):
    visitor = app.test_client()
    tries = [("GET", path) for path in PAGES] + [("POST", path) for path, _ in CHANGES]
    for method, path in tries:
        response = visitor.open(path, method=method)
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/login?next=")
    assert logged(app) == [] and rows(app, RaidMeasure) == []


# Who moderates --------------------------------------------------------------------------


def test_a_coordinator_gives_the_moderator_role_and_the_log_names_nobody(app, people, coordinator):
    people.member(handle="quiet-fox", pseudonym="Robin")
    response = coordinator.post("/coordinate/people", data={"handle": "Quiet-Fox"})
    done(response)
    assert roles_of(app, "quiet-fox") == ["moderator"]
    [entry] = rows(app, LogEntry)
    assert (entry.action, entry.post_kind, entry.rota_name) == ("moderator-added", "none", None)
    assert entry.subject_account_id is not None  # kept privately, never shown
    [shown] = entries(app)
    assert shown.startswith("A coordinator gave someone the moderator role.")
    log = public_log(app)
    assert "quiet-fox" not in log.lower() and "Robin" not in log and "calm-otter" not in log
    listed = text(coordinator.get("/coordinate/people"))
    assert "A moderator with no rota name yet" in listed
    assert "quiet-fox" not in listed  # a login name is half of a sign-in: never listed
    again = coordinator.post("/coordinate/people", data={"handle": "quiet-fox"})
    assert "already held" in text(coordinator.get(again.headers["Location"]))
    assert len(rows(app, LogEntry)) == 1


def test_taking_the_role_away_ends_their_shift_and_the_log_keeps_their_name_out(
    app, people, coordinator
):
    moderator = people.moderator(handle="steady-kestrel", rota_name="Kestrel")
    listed = text(coordinator.get("/coordinate/people"))
    assert "Kestrel" in listed
    assert "steady-kestrel" not in listed  # a login name is half of a sign-in: never listed
    response = coordinator.post(f"/coordinate/people/{moderator.account_id}/take")
    done(response)
    assert roles_of(app, "steady-kestrel") == []
    [shift] = rows(app, Shift)
    assert shift.ended_at is not None
    assert moderator.get("/rota").status_code == 303  # signed out at once
    assert [e[0] for e in logged(app)] == ["moderator-removed"]
    log = public_log(app)
    assert "took the moderator role from someone" in log
    assert "Kestrel" not in log and "steady-kestrel" not in log


def test_taking_the_role_by_login_name_still_works(app, people, coordinator):
    people.moderator(handle="steady-heron", rota_name="Heron")
    done(coordinator.post("/coordinate/people",
                          data={"handle": "steady-heron", "change": "take"}))  # fmt: skip
    assert roles_of(app, "steady-heron") == []


def test_an_unknown_login_name_comes_back_on_the_form_and_nothing_changes(app, coordinator):
    response = coordinator.post("/coordinate/people",
                                data={"handle": "no-such-person", "change": "give"})  # fmt: skip
    assert response.status_code == 409
    page = text(response)
    assert "No account has that login name." in page
    assert 'value="no-such-person"' in page
    assert coordinator.post("/coordinate/people", data={"change": "give"}).status_code == 400
    assert logged(app) == []


# Topics and content notes ---------------------------------------------------------------


def test_a_new_topic_is_listed_for_asking_and_logged_under_the_coordinators_rota_name(app, people):
    people._account("calm-heron", "Heronish", ("coordinator", "moderator"), "Heron")
    heron = people._client("calm-heron")
    data = {"name": "Sleep and nights", "description": "Nights, dreams and 4am thoughts."}
    done(heron.post("/coordinate/topics", data=data))
    [topic] = rows(app, Topic, Topic.name == "Sleep and nights")
    assert topic.slug == "sleep-and-nights"
    assert topic.position == 9  # at the end of the list
    assert 'value="sleep-and-nights"' in text(heron.get("/ask"))
    assert logged(app) == [("topic-added", "Heron", "New topic: “Sleep and nights”.")]
    [entry] = entries(app)
    assert entry.startswith("Heron added a topic.")
    assert "New topic: “Sleep and nights”." in entry


def test_renaming_a_topic_keeps_its_address_and_its_questions(app, coordinator, make):
    asked = make.question(topic="getting-through-today")
    [topic] = rows(app, Topic, Topic.slug == "getting-through-today")
    renamed = {"name": "Just today", "description": "Small things."}
    response = coordinator.post(f"/coordinate/topics/{topic.id}", data=renamed)
    done(response)
    page = text(coordinator.get("/t/getting-through-today"))
    assert "Just today" in page and asked.post.title in page
    assert logged(app) == [
        ("topic-edited", None, "“Getting through today” is now called “Just today”.")
    ]
    assert entries(app)[0].startswith("A coordinator edited a topic.")


def test_a_topic_name_already_on_the_list_comes_back_with_the_words_kept(app, coordinator):
    data = {"name": "getting THROUGH today", "description": "My careful description."}
    response = coordinator.post("/coordinate/topics", data=data)
    assert response.status_code == 409
    page = text(response)
    assert "already on the list" in page and "My careful description." in page
    too_long = coordinator.post("/coordinate/topics", data={"name": "Sleep",
                                                            "description": "d" * 301})  # fmt: skip
    assert too_long.status_code == 409 and "up to 300 characters" in text(too_long)
    assert coordinator.post("/coordinate/topics", data={"description": "Kept"}).status_code == 400
    assert len(rows(app, Topic)) == 9 and logged(app) == []


def test_a_renamed_note_keeps_readers_choices_and_the_posts_that_carry_it(app, coordinator, make):
    title = "The night the police came to the door"
    noted = make.question(title=title, content_notes=("police",))
    reader = app.test_client()
    reader.post("/settings/content-notes", data={"note-police": "show"})
    [note] = rows(app, ContentNote, ContentNote.slug == "police")
    response = coordinator.post(f"/coordinate/content-notes/{note.id}",
                                data={"label": "Police and arrest"})  # fmt: skip
    done(response)
    assert "Police and arrest" in text(app.test_client().get(f"/q/{noted.post.id}"))
    topic = "/t/work-and-lived-experience-roles"
    assert title in text(reader.get(topic))  # the reader's "show" holds under the new name
    assert title not in text(app.test_client().get(topic))
    settings = text(reader.get("/settings/content-notes"))
    assert re.search(r'name="note-police"[^>]*value="show" checked', settings)
    assert logged(app) == [("note-renamed", None, "“Police” is now “Police and arrest”.")]


def test_a_new_note_is_offered_when_asking_and_logged(app, coordinator):
    done(coordinator.post("/coordinate/content-notes", data={"label": "Gambling"}))
    assert 'value="gambling"' in text(coordinator.get("/ask"))
    assert logged(app) == [("note-added", None, "New content note: “Gambling”.")]
    refused = coordinator.post("/coordinate/content-notes", data={"label": "gambling"})
    assert refused.status_code == 409 and 'value="gambling"' in text(refused)
    assert len(rows(app, ContentNote)) == 14


# During a raid ----------------------------------------------------------------------------


def test_a_paused_topic_refuses_asking_kindly_keeps_the_words_and_ends_on_time(
    app, people, at_noon
):
    coordinator = people.coordinator()
    done(coordinator.post("/coordinate/raid/pause", data=PAUSE))
    asker = app.test_client()
    refused = asker.post("/ask", data=GOOD)
    assert refused.status_code == 409
    page = text(refused)
    assert "are paused until 2 Dec 2026 at 13:00" in page  # Europe/London is UTC in December
    assert "Part of me" in page and GOOD["title"] in page
    elsewhere = asker.post("/ask", data={**GOOD, "topic": "getting-through-today"})
    assert elsewhere.status_code == 303
    overview = text(coordinator.get("/coordinate"))
    assert 'data-kind="pause-questions"' in overview and "13:00" in overview
    [(action, _, note)] = logged(app)
    assert action == "questions-paused" and "For 1 hour." in note
    assert "Until 2 Dec 2026 at" in public_log(app)
    at_noon.shift(timedelta(minutes=59))
    assert asker.post("/ask", data=GOOD).status_code == 409
    at_noon.shift(timedelta(minutes=1))
    assert asker.post("/ask", data=GOOD).status_code == 303
    assert 'id="no-measures"' in text(coordinator.get("/coordinate"))
    assert len(logged(app)) == 1  # ending by itself needs no job and no log row


def test_a_pause_lifted_early_lets_questions_in_and_is_logged(app, coordinator):
    done(coordinator.post("/coordinate/raid/pause", data=PAUSE))
    [measure] = rows(app, RaidMeasure)
    done(coordinator.post(f"/coordinate/raid/{measure.id}/lift"))
    assert app.test_client().post("/ask", data=GOOD).status_code == 303
    assert [e[0] for e in logged(app)] == ["questions-paused", "questions-resumed"]
    again = coordinator.post(f"/coordinate/raid/{measure.id}/lift")
    assert "already ended" in text(coordinator.get(again.headers["Location"]))
    assert len(logged(app)) == 2


@pytest.mark.settings(RATELIMIT_ENABLED=True, ASK_RATE_LIMIT="6 per day")
def test_tightened_limits_let_fewer_questions_through_and_end_on_time(app, people, at_noon):
    coordinator = people.coordinator()
    early = app.test_client()
    assert asks(early, 2) == [303, 303]
    data = {"tighten-factor": "2", "tighten-hours": "1"}
    done(coordinator.post("/coordinate/raid/tighten", data=data))
    # Posts made before still count: 2 of 6, then each counts twice.
    assert asks(early, 3, first=2) == [303, 303, 429]
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert asks(other, 4) == [303, 303, 303, 429]
    assert [e[0] for e in logged(app)] == ["limits-tightened"]
    at_noon.shift(timedelta(hours=1))
    later = app.test_client()
    later.environ_base["REMOTE_ADDR"] = "198.51.100.8"
    assert asks(later, 7) == [303] * 6 + [429]


def test_a_lowered_threshold_folds_a_post_away_sooner_until_it_ends(app, people, make, at_noon):
    coordinator = people.coordinator()
    data = {"collapse-threshold": "1", "collapse-hours": "1"}
    done(coordinator.post("/coordinate/raid/collapse", data=data))
    first = make.question(title="First").post
    report(app.test_client(), f"question:{first.id}", address="192.0.2.1")
    assert rows(app, Question, Question.id == first.id)[0].collapsed_at is not None
    at_noon.shift(timedelta(hours=1))
    second = make.question(title="Second").post
    for n in (1, 2):
        report(app.test_client(), f"question:{second.id}", address=f"192.0.2.{n}")
    assert rows(app, Question, Question.id == second.id)[0].collapsed_at is None
    report(app.test_client(), f"question:{second.id}", address="192.0.2.3")
    assert rows(app, Question, Question.id == second.id)[0].collapsed_at is not None
    assert [e[0] for e in logged(app)] == ["collapse-lowered", "collapse", "collapse"]


def test_raid_forms_refuse_what_they_do_not_offer_and_change_nothing(app, coordinator):
    bad = [("/coordinate/raid/pause", {"pause-topic": GOOD["topic"], "pause-hours": "5"}),
           ("/coordinate/raid/pause", {"pause-topic": "no-such-topic", "pause-hours": "1"}),
           ("/coordinate/raid/tighten", {"tighten-factor": "100", "tighten-hours": "1"}),
           ("/coordinate/raid/collapse",
            {"collapse-threshold": "3", "collapse-hours": "1"})]  # fmt: skip
    for path, data in bad:
        response = coordinator.post(path, data=data)
        assert response.status_code == 400, (path, data)
        assert "Please choose" in text(response)
    assert rows(app, RaidMeasure) == [] and logged(app) == []


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_every_change_without_its_csrf_token_is_refused_and_changes_nothing(app, people):
    people._account("calm-otter", "Otter", ("coordinator",))
    coordinator = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      coordinator.get("/login").get_data(as_text=True))[1]  # fmt: skip
    signed_in = coordinator.post("/login", data={"handle": "calm-otter", "password": PASSWORD,
                                                 "csrf_token": token})  # fmt: skip
    assert signed_in.status_code == 303
    with app.app_context():
        from app.core.time import now

        db.session.add(RaidMeasure(kind="tighten-limits", value=2,
                                   ends_at=now() + timedelta(hours=1)))  # fmt: skip
        db.session.commit()
    people_page = text(coordinator.get("/coordinate/people"))
    assert 'name="csrf_token"' in people_page
    for path, data in [*CHANGES, ("/coordinate/topics/1", {"name": "Renamed"}),
                       ("/coordinate/content-notes/1", {"label": "Renamed"}),
                       ("/coordinate/raid/1/lift", {})]:  # fmt: skip
        assert coordinator.post(path, data=data).status_code == 400, path
    assert logged(app) == []
    assert [m.lifted_at for m in rows(app, RaidMeasure)] == [None]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Topic)) == 9


def test_absurd_values_in_any_coordinating_field_never_break_a_form(app, coordinator):
    absurd = ["", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "x" * 5000,
              "\u200b", "a\x00b", "<script>alert(1)</script>", "\U0001f600" * 50]  # fmt: skip
    for path, fields in [*CHANGES, ("/coordinate/topics/1", {"name": "Renamed"}),
                         ("/coordinate/content-notes/1", {"label": "Renamed"})]:  # fmt: skip
        for name in fields:
            for value in absurd:
                response = coordinator.post(path, data={**fields, name: value})
                assert response.status_code < 500, (path, name, value)
    for page in ("/coordinate/topics", "/coordinate/content-notes", "/moderation-log"):
        assert "<script>alert" not in coordinator.get(page).get_data(as_text=True), page
