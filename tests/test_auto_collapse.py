"""Out of hours, the community can cool things down: a post reported by
REPORT_COLLAPSE_THRESHOLD (3) different people while no moderator is on shift is folded
away pending review, automatically, once, with one line in the public log; a moderator's
decision ends it. Runs on PostgreSQL too, with TEST_DATABASE_URL set."""

import threading

import pytest
from sqlalchemy import select

from app.moderation.log import LogEntry
from app.moderation.models import Case, Report
from app.questions.models import Answer, Question
from app.web.extensions import db
from tests import test_visibility as visibility
from tests.moderation_helpers import People, acting
from tests.test_reports import count, receipt_link, report
from tests.test_visibility import (
    PEER_WORDS,
    QUESTION_BODY,
    QUESTION_TITLE,
    ROBIN_WORDS,
    linked,
    nowhere,
    public_surfaces,
)

robin = visibility.robin
scene = visibility.scene
FOLDED = "folded away until a moderator reads the reports"
MARKED = "collapsed until a moderator reads the reports"


@pytest.fixture
def people(app):
    return People(app)


def reported_by(app, target, people_count, first=1):
    """`people_count` different people report `target`, one after another."""
    pages = []
    for n in range(first, first + people_count):
        response = report(app.test_client(), target, address=f"192.0.2.{n}")
        receipt_link(response)
        pages.append(response.get_data(as_text=True))
    return pages


def collapsed_at(app, model, post_id):
    with app.app_context():
        return db.session.get(model, post_id).collapsed_at


def entries(app):
    with app.app_context():
        found = db.session.scalars(select(LogEntry).order_by(LogEntry.id)).all()
        db.session.expunge_all()
        return found


def test_three_people_reporting_out_of_hours_fold_a_question_away(app, scene, robin):
    target = f"question:{scene.question.id}"
    pages = reported_by(app, target, 3)
    assert "folded away from readers" not in pages[1]
    assert "folded away from readers" in pages[2]  # the report that reached the threshold
    assert collapsed_at(app, Question, scene.question.id) is not None

    surfaces = public_surfaces(app, scene)
    assert nowhere(surfaces, QUESTION_TITLE) == []
    assert nowhere(surfaces, QUESTION_BODY) == []
    assert linked(surfaces, scene.question.id) == []
    question_page = surfaces["question page"]
    assert "This question is folded away until a moderator reads the reports" in question_page
    assert "Nobody has decided anything about it yet" in question_page
    assert PEER_WORDS in question_page  # other people's perspectives stay theirs
    assert 'href="/report?target=question' not in question_page
    assert '"collapsed_pending_review":true' in surfaces["API question"].replace(" ", "")
    # Robin's perspective on it stays on Robin's page, beside the stand-in, never the title.
    assert ROBIN_WORDS in surfaces["pseudonym page"]
    assert "a question folded away until a moderator reads" in surfaces["pseudonym page"]

    log_page = app.test_client().get("/moderation-log").get_data(as_text=True)
    feed = app.test_client().get("/moderation-log.atom").get_data(as_text=True)
    assert "Kettle, automatically" in log_page
    assert "collapsed it pending review" in log_page
    assert "Kettle, automatically collapsed it pending review: a question" in feed
    assert QUESTION_TITLE not in log_page + feed
    [entry] = entries(app)
    assert (entry.action, entry.automatic, entry.rota_name, entry.moderator_id) == (
        "collapse",
        True,
        None,
        None,
    )
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert entry.case_id == case.id
        assert case.collapsed_at is not None
        assert case.decided_at is None  # not a decision


def test_the_author_still_sees_their_collapsed_question_marked(app, scene):
    reported_by(app, f"question:{scene.question.id}", 3)
    keeper = app.test_client().get(scene.keeper).get_data(as_text=True)
    assert QUESTION_TITLE in keeper
    assert QUESTION_BODY in keeper
    assert MARKED in keeper
    assert "Kettle folded it away from readers automatically" in keeper


def test_a_collapsed_perspective_leaves_the_thread_the_api_the_feed_and_the_count(
    app, scene, robin
):
    reported_by(app, f"answer:{scene.robin_answer_id}", 3)
    surfaces = public_surfaces(app, scene)
    assert nowhere(surfaces, ROBIN_WORDS) == []
    assert "1 perspective" in surfaces["question page"]
    assert PEER_WORDS in surfaces["question page"]
    assert '"perspective_count":1' in surfaces["API question"].replace(" ", "")
    feed = robin.get(visibility._feed_url(robin, scene.keeper)).get_data(as_text=True)
    assert ROBIN_WORDS not in feed
    # Robin still finds it on their account, marked, and on its own page.
    assert MARKED in robin.get("/account").get_data(as_text=True).lower()
    own = robin.get(f"/mine/answer/{scene.robin_answer_id}").get_data(as_text=True)
    assert ROBIN_WORDS in own
    assert MARKED in own


def test_one_person_reporting_three_times_collapses_nothing(app, make):
    posted = make.question()
    target = f"question:{posted.post.id}"
    client = app.test_client()
    receipt_link(report(client, target))
    for reason in ("spam", "abuse"):
        assert "already reported" in report(client, target, reason=reason).get_data(True)
    assert count(app, Report) == 1
    assert collapsed_at(app, Question, posted.post.id) is None
    assert entries(app) == []


@pytest.mark.parametrize(
    "addresses",
    [("192.0.2.7",) * 3, ("2001:db8:1:2::1", "2001:db8:1:2::99", "2001:db8:1:2:ffff::5")],
    ids=["one IPv4 address", "one IPv6 /64"],
)
def test_one_person_with_fresh_cookies_each_time_collapses_nothing(app, make, addresses):
    """A new browser value is not a new person for the collapse: it counts networks."""
    posted = make.question()
    target = f"question:{posted.post.id}"
    for reason, address in zip(("spam", "abuse", "identifies"), addresses, strict=True):
        receipt_link(report(app.test_client(), target, reason=reason, address=address))
    assert count(app, Report) == 3  # each report is kept and read
    assert collapsed_at(app, Question, posted.post.id) is None
    assert entries(app) == []


def test_with_a_moderator_on_shift_nothing_collapses(app, make, people):
    people.moderator()  # on shift: they read the reports themselves
    posted = make.question(title="Read by a person on shift")
    reported_by(app, f"question:{posted.post.id}", 5)
    assert collapsed_at(app, Question, posted.post.id) is None
    assert entries(app) == []
    assert "Read by a person on shift" in app.test_client().get("/").get_data(True)


@pytest.mark.settings(REPORT_COLLAPSE_THRESHOLD=5)
def test_the_threshold_is_the_deployments_to_choose(app, make):
    posted = make.question()
    reported_by(app, f"question:{posted.post.id}", 4)
    assert collapsed_at(app, Question, posted.post.id) is None
    reported_by(app, f"question:{posted.post.id}", 1, first=5)
    assert collapsed_at(app, Question, posted.post.id) is not None


@pytest.mark.parametrize("senders", [3, 8])
def test_reports_sent_at_one_moment_collapse_the_post_exactly_once(app, make, senders):
    """However the reports interleave, the one that makes the threshold is counted, and
    the post collapses once, with one log row."""
    posted = make.answer(make.question().post, body="Reported all at once.")
    target = f"answer:{posted.post.id}"
    start = threading.Barrier(senders, timeout=30)
    statuses = []

    def send(n):
        client = app.test_client()
        start.wait()
        statuses.append(report(client, target, address=f"198.51.100.{n}").status_code)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(1, senders + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * senders
    assert count(app, Report) == senders
    assert count(app, Case) == 1
    assert collapsed_at(app, Answer, posted.post.id) is not None
    assert [(e.action, e.automatic) for e in entries(app)] == [("collapse", True)]


def test_a_collapsed_post_can_still_be_reported_without_showing_its_words(app, make):
    posted = make.question(title="Folded title here", body="Folded body words.")
    target = f"question:{posted.post.id}"
    reported_by(app, target, 3)
    form = app.test_client().get(f"/report?target={target}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "Folded body words" not in page
    assert "Folded title here" not in page
    assert "folded away until a moderator reads the reports" in page
    reported_by(app, target, 1, first=4)
    assert count(app, Report) == 4
    assert count(app, Case) == 1
    assert len(entries(app)) == 1


def test_the_queue_puts_a_collapsed_case_first_and_says_so(app, make, people):
    older = make.question(title="Reported first")
    reported_by(app, f"question:{older.post.id}", 1)
    collapsed = make.question(title="Reported by three")
    reported_by(app, f"question:{collapsed.post.id}", 3, first=10)
    moderator = people.moderator()
    queue = moderator.get("/moderate").get_data(as_text=True)
    with app.app_context():
        first = db.session.scalar(select(Case).where(Case.question_id == collapsed.post.id))
    assert queue.index("data-case-id=") == queue.index(f'data-case-id="{first.id}"')
    assert queue.count("Collapsed automatically") == 1


def test_a_dismissal_ends_the_collapse_and_the_post_is_read_again(app, make, people):
    posted = make.question(title="Back after a dismissal", body="Ordinary words.")
    target = f"question:{posted.post.id}"
    reported_by(app, target, 3)
    assert "Back after a dismissal" not in app.test_client().get("/").get_data(True)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id))
    moderator = people.moderator(rota_name="Heron")
    acted = moderator.post(
        f"/moderate/cases/{case_id}/act",
        data=acting(
            app,
            case_id,
            {"action": "dismiss", "reason": "be-kind", "public_note": "Nothing wrong here."},
        ),
    )
    assert acted.status_code == 303
    assert collapsed_at(app, Question, posted.post.id) is None
    assert "Back after a dismissal" in app.test_client().get("/").get_data(True)
    assert "Ordinary words." in app.test_client().get(f"/q/{posted.post.id}").get_data(True)
    assert [e.action for e in entries(app)] == ["collapse", "dismiss"]
    # The re-report rest after a dismissal still holds.
    again = report(app.test_client(), target, address="192.0.2.200")
    assert again.status_code == 409


def test_once_read_the_same_words_collapse_again_only_after_an_edit(app, make, people):
    posted = make.question(title="Read once already", body="Words as they were.")
    target = f"question:{posted.post.id}"
    reported_by(app, target, 3)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id))
    moderator = people.moderator(rota_name="Plover")
    note = {"action": "add-note", "reason": "use-content-notes", "public_note": "Noted.",
            "content_notes": ["self-harm"]}  # fmt: skip
    assert (
        moderator.post(
            f"/moderate/cases/{case_id}/act", data=acting(app, case_id, note)
        ).status_code
        == 303
    )
    moderator.post("/rota/step-out")
    reported_by(app, target, 3, first=20)
    assert collapsed_at(app, Question, posted.post.id) is None
    edit = {"title": "Read once already", "body": "Words changed since.",
            "topic": "work-and-lived-experience-roles"}  # fmt: skip
    client = app.test_client()
    assert client.post(f"/keep/{posted.keeper_token}/edit", data=edit).status_code == 303
    reported_by(app, target, 1, first=30)
    assert collapsed_at(app, Question, posted.post.id) is not None
    assert [e.action for e in entries(app)] == ["collapse", "add-note", "collapse"]
