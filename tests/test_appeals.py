"""Appeals: an author asks for another look at a decision on their post, a reporter at the
dismissal of their report; a different moderator upholds or overturns, and overturning
puts things back at once. Each test is a complaint someone could make."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core.time import now
from app.moderation import appeals
from app.moderation.appeals import Appeal
from app.moderation.log import LogEntry
from app.moderation.models import Case
from app.questions.models import Question
from app.web.extensions import db
from tests.html_tree import parse
from tests.moderation_helpers import People, acting, log_count
from tests.test_reports import receipt_link, report

ASK = {"title": "Is it fair to ask for a quieter desk?", "topic": "getting-through-today",
       "body": "Words a moderator hid from readers for a while."}  # fmt: skip
APPEAL_WORDS = "I was talking about my own experience, not about anyone here."
TO_AUTHOR = "Please keep it about your own experience; people felt singled out."
HEARD = "Reading it again, you were talking about yourself. It is back for readers."
KEEPER = re.compile(r'id="keeper-link"[^>]*href="(/keep/[^"]+)"')
HIDE = {"action": "hide", "reason": "be-kind", "public_note": "Hidden while we look again."}


@pytest.fixture
def people(app):
    return People(app)


def ask(client):
    """Ask anonymously over HTTP; the question's id and its keeper page's address."""
    asked = client.post("/ask", data=ASK)
    assert asked.status_code == 303
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    question_id = int(asked.headers["Location"].rsplit("/", 1)[1])
    return question_id, KEEPER.search(page).group(1)


def the_case(app):
    with app.app_context():
        return db.session.scalar(select(Case.id).order_by(Case.id.desc()))


def act(moderator, case_id, **fields):
    """Claim the case and act on it as `moderator`; the action's response."""
    assert moderator.post(f"/moderate/cases/{case_id}/claim").status_code == 303
    fields = acting(moderator.application, case_id, {**HIDE, **fields})
    return moderator.post(f"/moderate/cases/{case_id}/act", data=fields)


def reported_and_hidden(app, people, message=TO_AUTHOR, **fields):
    """An anonymous question, reported anonymously and acted on (hidden unless `fields`
    say otherwise) by a moderator on shift. Returns (question id, keeper path, moderator,
    receipt path)."""
    asker = app.test_client()
    question_id, keeper = ask(asker)
    receipt = receipt_link(report(app.test_client(), f"question:{question_id}"))
    moderator = people.moderator(rota_name="Kestrel")
    acted = act(moderator, the_case(app), author_message=message, **fields)
    assert acted.status_code == 303, acted.get_data(as_text=True)
    return question_id, keeper, moderator, receipt


def logged(app, question_id, action="hide", appeal=None, **fields):
    """A log row for `action` on a question, written as a moderator's service would, and
    an author's appeal against it when `appeal` gives its words; the row's id."""
    with app.app_context():
        entry = LogEntry(action=action, post_kind="question", question_id=question_id,
                         rule="be-kind", public_note="A public note.", **fields)  # fmt: skip
        db.session.add(entry)
        db.session.flush()
        if appeal is not None:
            db.session.add(Appeal(log_entry_id=entry.id, text=appeal))
        db.session.commit()
        return entry.id


def appeal_from(client, path, text=APPEAL_WORDS, **fields):
    return client.post(f"{path}/appeal", data={"text": text, **fields})


def the_appeal(app):
    with app.app_context():
        appeal = db.session.scalar(select(Appeal).order_by(Appeal.id.desc()))
        if appeal is not None:
            db.session.expunge(appeal)
        return appeal


def appeal_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Appeal))


def decide(client, appeal_id, decision="overturn", message=HEARD):
    return client.post(
        f"/moderate/appeals/{appeal_id}", data={"decision": decision, "message": message}
    )


def is_hidden(app, question_id):
    with app.app_context():
        return db.session.get(Question, question_id).is_hidden


def log_actions(app):
    with app.app_context():
        return list(db.session.scalars(select(LogEntry.action).order_by(LogEntry.id)))


def appeal_items(html):
    return [n for n in parse(html).walk() if "appeal" in n.attrs.get("class", "").split()]


# The life of a report ------------------------------------------------------------------


def test_the_life_of_a_report_ends_with_another_moderator_overturning_the_appeal(app, people):
    question_id, keeper, kestrel, _ = reported_and_hidden(app, people)
    author = app.test_client()
    reader = app.test_client()
    hidden = reader.get(f"/q/{question_id}")  # the page stays, saying moderators hid it
    assert hidden.status_code == 200
    assert "A moderator hid this question" in hidden.get_data(as_text=True)
    assert ASK["title"] not in hidden.get_data(as_text=True)
    assert ASK["body"] not in hidden.get_data(as_text=True)

    statement = author.get(keeper).get_data(as_text=True)
    assert "A moderator hid it from readers" in statement
    assert "Be kind to each other" in statement
    assert "Hidden while we look again." in statement
    assert TO_AUTHOR in statement
    assert "After reports" in statement
    assert 'action="' + keeper + '/appeal"' in statement

    sent = appeal_from(author, keeper)
    assert sent.status_code == 303
    assert "Your appeal is sent" in author.get(keeper).get_data(as_text=True)
    appeal = the_appeal(app)
    assert appeal.text == APPEAL_WORDS and appeal.report_id is None

    listed = kestrel.get("/moderate/appeals").get_data(as_text=True)
    assert f'data-appeal-id="{appeal.id}"' in listed
    assert "You made the decision this appeal is about" in listed
    refused = decide(kestrel, appeal.id)
    assert refused.status_code == 403
    assert the_appeal(app).decided_at is None
    assert is_hidden(app, question_id)
    assert log_actions(app) == ["hide"]

    wren = people.moderator(rota_name="Wren")
    listed = wren.get("/moderate/appeals").get_data(as_text=True)
    assert (
        APPEAL_WORDS in listed and "Kestrel" in listed and "Hidden while we look again." in listed
    )
    assert decide(wren, appeal.id).status_code == 303

    assert reader.get(f"/q/{question_id}").status_code == 200
    assert ASK["body"] in reader.get(f"/q/{question_id}").get_data(as_text=True)
    told = author.get(keeper).get_data(as_text=True)
    assert "reversed the decision" in told and HEARD in told
    assert log_actions(app) == ["hide", "appeal-overturned"]
    log = reader.get("/moderation-log").get_data(as_text=True)
    assert "heard an appeal and reversed the decision" in log and "Wren" in log
    for secret in (ASK["title"], ASK["body"], APPEAL_WORDS, HEARD, TO_AUTHOR):
        assert secret not in log
    assert f'data-appeal-id="{appeal.id}"' not in wren.get("/moderate/appeals").get_data(
        as_text=True
    )


def test_upholding_keeps_the_decision_and_tells_the_author_why(app, people):
    question_id, keeper, _, _ = reported_and_hidden(app, people)
    author = app.test_client()
    appeal_from(author, keeper)
    assert (
        decide(people.moderator(), the_appeal(app).id, "uphold", "It stays hidden.").status_code
        == 303
    )
    assert is_hidden(app, question_id)
    told = author.get(keeper).get_data(as_text=True)
    assert "kept the decision" in told and "It stays hidden." in told
    assert log_actions(app) == ["hide", "appeal-upheld"]


# Sending an appeal ---------------------------------------------------------------------


def test_an_author_appeals_each_decision_only_once(app, people):
    _, keeper, _, _ = reported_and_hidden(app, people)
    author = app.test_client()
    assert appeal_from(author, keeper).status_code == 303
    again = appeal_from(author, keeper, "And another thing.")
    assert again.status_code == 409
    assert "already appealed" in again.get_data(as_text=True)
    assert appeal_count(app) == 1


def test_two_appeals_sent_at_one_instant_store_one(app, people, monkeypatch):
    _, keeper, _, _ = reported_and_hidden(app, people)
    # The second sending passes the first check before the first is stored.
    monkeypatch.setattr(appeals, "by_author_of", lambda ids: {})
    assert appeal_from(app.test_client(), keeper).status_code == 303
    again = appeal_from(app.test_client(), keeper)
    assert again.status_code == 409
    assert "already appealed" in again.get_data(as_text=True)
    assert appeal_count(app) == 1


def test_an_appeal_after_six_months_is_refused(app, people):
    _, keeper, _, _ = reported_and_hidden(app, people)
    with app.app_context():
        db.session.execute(update(LogEntry).values(at=now() - timedelta(days=184)))
        db.session.commit()
    author = app.test_client()
    assert "has passed" in author.get(keeper).get_data(as_text=True)
    late = appeal_from(author, keeper)
    assert late.status_code == 409
    assert "six months" in late.get_data(as_text=True)
    assert appeal_count(app) == 0


def test_an_appeal_just_inside_six_months_is_taken(app, people):
    _, keeper, _, _ = reported_and_hidden(app, people)
    with app.app_context():
        db.session.execute(update(LogEntry).values(at=now() - timedelta(days=182)))
        db.session.commit()
    assert appeal_from(app.test_client(), keeper).status_code == 303


@pytest.mark.parametrize("text", ["", "   \n  ", "\u200b\u200b", "x" * 2001])
def test_an_empty_or_over_long_appeal_is_refused_kindly(app, people, text):
    _, keeper, _, _ = reported_and_hidden(app, people)
    refused = appeal_from(app.test_client(), keeper, text)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Nothing was sent" in page
    assert "why the decision should change" in page or "2,000 characters" in page
    if len(text) > 2000:
        assert "x" * 2001 in page  # their words are given back
    # ... on their own keeper page, in the form under the decision, the error linked to it
    assert re.search(r'href="#(appeal-text-\d+)"', page)
    field_id = re.search(r'href="#(appeal-text-\d+)"', page).group(1)
    assert f'id="{field_id}"' in page and 'aria-invalid="true"' in page
    assert appeal_count(app) == 0


def test_an_appeal_of_exactly_two_thousand_characters_is_taken(app, people):
    _, keeper, _, _ = reported_and_hidden(app, people)
    assert appeal_from(app.test_client(), keeper, "y" * 2000).status_code == 303


def test_nothing_to_appeal_before_a_moderator_acts(app, make):
    posted = make.question()
    keeper = f"/keep/{posted.keeper_token}"
    assert "Appeal this decision" not in app.test_client().get(keeper).get_data(as_text=True)
    refused = appeal_from(app.test_client(), keeper)
    assert refused.status_code == 409
    assert appeal_count(app) == 0


def test_an_appeal_about_another_post_s_decision_is_refused(app, people, make):
    reported_and_hidden(app, people)
    with app.app_context():
        entry_id = db.session.scalar(select(LogEntry.id))
    other = f"/keep/{make.question(title='Another').keeper_token}"
    refused = appeal_from(app.test_client(), other, entry=str(entry_id))
    assert refused.status_code == 409
    assert appeal_count(app) == 0


def test_a_wrong_keeper_link_cannot_appeal(app, people):
    reported_and_hidden(app, people)
    assert appeal_from(app.test_client(), "/keep/not-a-real-link").status_code == 404
    assert appeal_count(app) == 0


# A reporter's appeal ---------------------------------------------------------------------


def test_a_reporter_appeals_a_dismissal_from_their_receipt_and_the_case_opens_again(app, people):
    _, _, kestrel, receipt = reported_and_hidden(
        app, people, action="dismiss", public_note="Not against the rules."
    )
    reporter = app.test_client()
    page = reporter.get(receipt).get_data(as_text=True)
    assert 'name="text"' in page and f'action="{receipt}/appeal"' in page
    assert appeal_from(reporter, receipt).status_code == 303
    appeal = the_appeal(app)
    assert appeal.report_id is not None
    assert decide(kestrel, appeal.id).status_code == 403
    assert decide(people.moderator(), appeal.id).status_code == 303
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.decided_at is None and case.outcome is None
    page = reporter.get(receipt).get_data(as_text=True)
    assert 'data-state="waiting"' in page
    assert "reversed the decision" in page and HEARD in page
    assert log_actions(app) == ["dismiss", "appeal-overturned"]


@pytest.mark.parametrize("text", ["", "\u2060\u2060", "\u05d0" * 2001])
def test_a_reporters_appeal_that_cannot_be_taken_comes_back_on_the_receipt(app, people, text):
    _, _, _, receipt = reported_and_hidden(
        app, people, action="dismiss", public_note="Not against the rules."
    )
    refused = appeal_from(app.test_client(), receipt, text)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="report-status"' in page  # the receipt itself, not an error page
    assert "Nothing was sent yet, and your words are still here." in page
    if len(text) > 2000:
        assert text in page
    assert appeal_count(app) == 0


def test_a_reporter_appeals_once_and_only_a_dismissal(app, people):
    _, _, _, receipt = reported_and_hidden(app, people)  # hidden, not dismissed
    reporter = app.test_client()
    assert 'name="text"' not in reporter.get(receipt).get_data(as_text=True)
    assert appeal_from(reporter, receipt).status_code == 409
    assert appeal_count(app) == 0


def test_a_reporter_cannot_appeal_the_same_dismissal_twice(app, people, monkeypatch):
    _, _, _, receipt = reported_and_hidden(
        app, people, action="dismiss", public_note="Not against the rules."
    )
    assert appeal_from(app.test_client(), receipt).status_code == 303
    assert appeal_from(app.test_client(), receipt).status_code == 409
    monkeypatch.setattr(appeals, "of_report", lambda report: None)  # two at one instant
    assert appeal_from(app.test_client(), receipt).status_code == 409
    assert appeal_count(app) == 1


def test_a_reopened_dismissal_leaves_a_newer_open_case_alone(app, people, make):
    question_id, _, _, receipt = reported_and_hidden(
        app, people, action="dismiss", public_note="Not against the rules."
    )
    appeal_from(app.test_client(), receipt)
    with app.app_context():  # someone else reported it again after the day's rest
        db.session.add(Case(question_id=question_id))
        db.session.commit()
    decided = decide(people.moderator(), the_appeal(app).id)
    assert decided.status_code == 303
    with app.app_context():
        open_cases = db.session.scalar(
            select(func.count()).select_from(Case).where(Case.decided_at.is_(None))
        )
    assert open_cases == 1
    assert log_actions(app) == ["dismiss", "appeal-overturned"]


# Deciding ------------------------------------------------------------------------------


def test_deciding_twice_is_refused_and_logs_once(app, people):
    question_id, keeper, _, _ = reported_and_hidden(app, people)
    appeal_from(app.test_client(), keeper)
    appeal_id = the_appeal(app).id
    assert decide(people.moderator(), appeal_id, "uphold", "It stays.").status_code == 303
    again = decide(people.moderator(), appeal_id)
    assert again.status_code == 409
    assert "already decided" in again.get_data(as_text=True)
    assert the_appeal(app).decision == "uphold"
    assert is_hidden(app, question_id)
    assert log_actions(app) == ["hide", "appeal-upheld"]


@pytest.mark.parametrize(
    "fields",
    [
        {"message": HEARD},
        {"decision": "maybe", "message": HEARD},
        {"decision": "overturn"},
        {"decision": "overturn", "message": "   "},
        {"decision": "overturn", "message": "z" * 2001},
    ],
)
def test_a_decision_without_a_choice_or_message_is_refused_and_changes_nothing(app, people, fields):
    question_id, keeper, _, _ = reported_and_hidden(app, people)
    appeal_from(app.test_client(), keeper)
    appeal_id = the_appeal(app).id
    refused = people.moderator().post(f"/moderate/appeals/{appeal_id}", data=fields)
    assert refused.status_code == 400
    assert "That could not be done" in refused.get_data(as_text=True)
    assert the_appeal(app).decided_at is None
    assert is_hidden(app, question_id)
    assert log_count(app) == 1


def test_an_unknown_appeal_is_not_found(people):
    assert decide(people.moderator(), 999).status_code == 404


def test_an_overturn_kettle_cannot_undo_is_refused_and_changes_nothing(app, people, make):
    # An action a later Kettle may log, which this one has no undo for.
    logged(app, make.question().post.id, "retired-action", APPEAL_WORDS, rota_name="Kestrel")
    appeal_id = the_appeal(app).id
    moderator = people.moderator()
    refused = decide(moderator, appeal_id)
    assert refused.status_code == 409
    assert "cannot yet undo" in refused.get_data(as_text=True)
    assert the_appeal(app).decided_at is None
    assert log_actions(app) == ["retired-action"]
    assert decide(moderator, appeal_id, "uphold", "It stays as it is.").status_code == 303


def test_overturning_an_automatic_collapse_shows_the_post_to_readers_again(app, people, make):
    question_id = make.question(title="Folded away by three reports").post.id
    with app.app_context():
        db.session.execute(
            update(Question).where(Question.id == question_id).values(collapsed_at=now())
        )
        db.session.commit()
    logged(app, question_id, "collapse", APPEAL_WORDS, automatic=True)
    assert "Folded away by three reports" not in app.test_client().get("/").get_data(True)
    assert decide(people.moderator(), the_appeal(app).id).status_code == 303
    with app.app_context():
        assert db.session.get(Question, question_id).collapsed_at is None
    assert "Folded away by three reports" in app.test_client().get("/").get_data(True)
    assert log_actions(app) == ["collapse", "appeal-overturned"]


def test_nobody_decides_an_appeal_about_their_own_post(app, people, make):
    own = people.moderator(rota_name="Heron")
    with app.app_context():
        from app.accounts.identity import Author
        from app.accounts.models import Account
        from app.questions import services
        from app.topics.models import Topic

        account = db.session.get(Account, own.account_id)
        topic = db.session.scalar(select(Topic))
        body = {"title": "Mine", "body": "My own words.", "content_notes": [],
                "content_note_other": ""}  # fmt: skip
        question_id = services.ask(topic, Author(account=account), body).post.id
    logged(app, question_id, "hide", APPEAL_WORDS, rota_name="Kestrel")
    listed = own.get("/moderate/appeals").get_data(as_text=True)
    assert "about something you wrote" in listed
    assert decide(own, the_appeal(app).id).status_code == 403
    assert the_appeal(app).decided_at is None


def test_overturning_a_content_note_takes_off_only_the_note_it_added(app, people):
    question_id, keeper, _, _ = reported_and_hidden(
        app, people, action="add-note", content_notes=["self-harm"],
        public_note="A note for readers.",
    )  # fmt: skip
    appeal_from(app.test_client(), keeper)
    assert decide(people.moderator(), the_appeal(app).id).status_code == 303
    with app.app_context():
        assert db.session.get(Question, question_id).content_notes == []


def test_overturning_a_lock_opens_replies_again(app, people):
    question_id, keeper, _, _ = reported_and_hidden(
        app, people, action="lock", public_note="Cooling down."
    )
    appeal_from(app.test_client(), keeper)
    assert decide(people.moderator(), the_appeal(app).id).status_code == 303
    with app.app_context():
        assert not db.session.get(Question, question_id).replies_closed


# Who may hear appeals ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "member", "off-shift moderator", "coordinator"])
def test_only_a_moderator_on_shift_reaches_appeals(app, people, who):
    _, keeper, _, _ = reported_and_hidden(app, people)
    appeal_from(app.test_client(), keeper)
    appeal_id = the_appeal(app).id
    client = {
        "visitor": people.visitor,
        "member": people.member,
        "off-shift moderator": lambda: people.moderator(on_shift=False),
        "coordinator": people.coordinator,
    }[who]()
    listed = client.get("/moderate/appeals")
    assert listed.status_code == 403
    assert APPEAL_WORDS not in listed.get_data(as_text=True)
    assert listed.headers["Cache-Control"] == "no-store"
    decided = decide(client, appeal_id)
    assert decided.status_code == 403
    assert the_appeal(app).decided_at is None
    assert log_count(app) == 1


def test_a_moderator_on_shift_sees_the_appeals_and_the_queue_links_them(app, people):
    _, keeper, _, _ = reported_and_hidden(app, people)
    appeal_from(app.test_client(), keeper)
    moderator = people.moderator()
    listed = moderator.get("/moderate/appeals")
    assert listed.status_code == 200
    assert listed.headers["Cache-Control"] == "no-store"
    items = appeal_items(listed.get_data(as_text=True))
    assert [item.attrs["data-appeal-id"] for item in items] == [str(the_appeal(app).id)]
    assert 'href="/moderate/appeals"' in moderator.get("/moderate").get_data(as_text=True)


def test_with_no_appeals_the_page_says_so(people):
    page = people.moderator().get("/moderate/appeals").get_data(as_text=True)
    assert "No appeals are waiting" in page


def test_two_moderators_deciding_at_one_moment_decide_it_once(app, people):
    """Both read the appeal before either writes: the second finds it decided, whatever
    the timing, and nothing of theirs is kept."""
    from app.accounts.models import Account
    from app.moderation import deciding

    question_id, keeper, _, _ = reported_and_hidden(app, people)
    appeal_from(app.test_client(), keeper)
    appeal_id = the_appeal(app).id
    first, second = people.moderator(), people.moderator()
    with app.app_context():
        slow_copy = db.session.get(Appeal, appeal_id)
        assert slow_copy.entry.action == "hide"
        slow_moderator = db.session.get(Account, second.account_id)
        with app.app_context():  # the other request, in its own session, lands first
            fast = db.session.get(Account, first.account_id)
            deciding.decide(db.session.get(Appeal, appeal_id), fast, "uphold", "It stays.")
        with pytest.raises(deciding.CannotDecide):
            deciding.decide(slow_copy, slow_moderator, "overturn", HEARD)
    assert the_appeal(app).decision == "uphold"
    assert is_hidden(app, question_id)
    assert log_actions(app) == ["hide", "appeal-upheld"]
