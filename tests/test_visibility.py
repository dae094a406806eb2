"""What a moderator hid, or an author deleted, is on no page a reader can reach.

Posts are hidden and restored through the services moderation will call, then looked for
on every surface: home, topics, a deep topic page, the question page, /p/ pages, the API,
the asker's feed; the author still reaches their own words on their account and keeper pages.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import Account, Pseudonym
from app.core.time import now
from app.questions import counts, services, visibility
from app.questions.models import Answer, Question, VisibilityChange
from app.readers.prefs import ReaderPrefs
from app.readers.titles import title_for
from app.web.extensions import db
from tests.accounts_helpers import join, pseudonym_ids
from tests.test_account_life import ask

TOPIC = "getting-through-today"
QUESTION_TITLE = "Marigold kettle question title"
QUESTION_BODY = "Marigold body words"
PEER_WORDS = "Cobalt perspective words"
ROBIN_TITLE = "Saffron question Robin asked"
ROBIN_WORDS = "Saffron perspective Robin offered"
pytestmark = pytest.mark.settings(PAGE_SIZE=3)  # so a deep topic page is a few posts away


@dataclass
class Scene:
    question: Question  # asked anonymously, with a keeper link
    keeper: str
    peer_answer: Answer  # offered anonymously on it, with a keeper link
    answer_keeper: str
    robin_question_id: int  # asked as the pseudonym Robin, signed in
    robin_answer_id: int  # Robin's perspective on the anonymous question
    robin_page: str  # Robin's public /p/ page


def _feed_url(robin, keeper):
    page = robin.get(keeper).get_data(as_text=True)
    return re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', page).group(1)


@pytest.fixture
def make_moderator(app):
    """Makes a moderator's account and returns its id."""

    def made(handle="steady-heron"):
        with app.app_context():
            joined = accounts.join(handle, "a long rota password 42", "Heron")
            accounts.grant(handle, "moderator")
            return joined.account.id

    return made


@pytest.fixture
def robin(app):
    """A signed-in person who posts as the pseudonym Robin."""
    client = app.test_client()
    join(client, pseudonym="Robin")
    return client


@pytest.fixture
def scene(make, robin):
    posted = make.question(title=QUESTION_TITLE, body=QUESTION_BODY, topic=TOPIC)
    peer = make.answer(posted.post, body=PEER_WORDS)
    as_robin = pseudonym_ids(robin)["Robin"]
    robin_qid = ask(robin, ROBIN_TITLE, as_robin, topic=TOPIC)
    answered = robin.post(
        f"/q/{posted.post.id}/answers", data={"body": ROBIN_WORDS, "as": as_robin}
    )
    assert answered.status_code == 303
    robin_aid = int(answered.headers["Location"].rsplit("answer-", 1)[1])
    public_id = re.search(r'href="/p/([^"]+)"', robin.get("/account").get_data(as_text=True))
    for n in range(4):  # pushes the anonymous question off the topic's first page
        make.question(title=f"Filler {n}", topic=TOPIC)
    return Scene(
        posted.post,
        f"/keep/{posted.keeper_token}",
        peer.post,
        f"/keep/{peer.keeper_token}",
        robin_qid,
        robin_aid,
        f"/p/{public_id.group(1)}",
    )


def _moderate(app, action, model, post_id, reason="Breaks the house rules", by=None):
    """Hide or restore through the services, and commit, as a moderation service will."""
    with app.app_context():
        post = db.session.get(model, post_id)
        moderator = db.session.get(Account, by) if by else None
        if action == "hide":
            services.hide(post, moderator, reason)
        else:
            services.restore(post, moderator)
        db.session.commit()


def _delete(app, model, post_id):
    with app.app_context():
        post = db.session.get(model, post_id)
        if model is Question:
            services.delete_question(post)
        else:
            services.delete_answer(post)


def public_surfaces(app, scene):
    """Every page a signed-out reader could read these posts on, by name."""
    visitor = app.test_client()
    qid = scene.question.id
    urls = {
        "home": "/",
        "topics": "/topics",
        "topic": f"/t/{TOPIC}",
        "deep topic page": f"/t/{TOPIC}?before={max(qid, scene.robin_question_id) + 1}",
        "question page": f"/q/{qid}",
        "Robin's question page": f"/q/{scene.robin_question_id}",
        "pseudonym page": scene.robin_page,
        "API topics": "/api/v1/topics",
        "API question": f"/api/v1/questions/{qid}",
        "API Robin's question": f"/api/v1/questions/{scene.robin_question_id}",
    }
    pages = {}
    for name, url in urls.items():
        response = visitor.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        pages[name] = response.get_data(as_text=True) if response.status_code == 200 else ""
    return pages


def linked(pages, question_id):
    """The surfaces that list or link to a question, by its address."""
    return nowhere(pages, f'href="/q/{question_id}"')


def nowhere(pages, words):
    """The surfaces that still show these words (none, when all is well)."""
    return sorted(name for name, text in pages.items() if words in text)


def test_before_anything_is_hidden_every_surface_shows_the_posts(app, scene, robin):
    pages = public_surfaces(app, scene)
    assert QUESTION_TITLE in pages["home"]
    assert QUESTION_TITLE in pages["deep topic page"]
    assert QUESTION_TITLE not in pages["topic"]  # both are on an older page
    assert ROBIN_TITLE not in pages["topic"]
    assert ROBIN_TITLE in pages["deep topic page"]
    assert PEER_WORDS in pages["question page"]
    assert ROBIN_WORDS in pages["pseudonym page"]
    assert linked(pages, scene.robin_question_id) == ["deep topic page", "home", "pseudonym page"]
    assert QUESTION_TITLE in pages["pseudonym page"]  # beside Robin's perspective on it
    assert ROBIN_TITLE in pages["pseudonym page"]
    assert "2 perspectives" in pages["question page"]
    assert '"perspective_count":2' in pages["API question"].replace(" ", "")
    assert PEER_WORDS in robin.get(_feed_url(robin, scene.keeper)).get_data(as_text=True)


def test_a_hidden_questions_words_are_on_no_page_and_its_own_page_says_so(app, client, scene):
    _moderate(app, "hide", Question, scene.question.id)
    pages = public_surfaces(app, scene)
    assert nowhere(pages, QUESTION_TITLE) == []
    assert nowhere(pages, QUESTION_BODY) == []
    assert linked(pages, scene.question.id) == []  # not even as a stand-in
    # Its own page stays, saying moderators hid it; other people's perspectives stay.
    assert "A moderator hid this question" in pages["question page"]
    assert PEER_WORDS in pages["question page"]
    api = client.get(f"/api/v1/questions/{scene.question.id}").get_json()
    assert api["hidden_by_moderator"] is True
    assert api["body_html"] == "" and api["title"] == "A moderator hid this question"
    # Lists leave it out: Robin's page does not point into a hidden thread.
    assert ROBIN_WORDS not in pages["pseudonym page"]
    assert "6 questions" not in pages["topics"]
    assert "5 questions" in pages["topics"]  # Robin's and four fillers


def test_a_question_robin_asked_and_a_moderator_hid_leaves_robins_page(app, scene):
    _moderate(app, "hide", Question, scene.robin_question_id)
    pages = public_surfaces(app, scene)
    assert nowhere(pages, ROBIN_TITLE) == []
    assert linked(pages, scene.robin_question_id) == []
    # Only its own page (and the API's record of it) says a moderator hid it; no list does.
    assert nowhere(pages, "A moderator hid") == ["API Robin's question", "Robin's question page"]
    assert QUESTION_TITLE in pages["pseudonym page"]  # the rest of Robin's page stays


def test_a_hidden_perspective_is_on_no_page_and_is_not_counted(app, robin, scene):
    _moderate(app, "hide", Answer, scene.robin_answer_id)
    _moderate(app, "hide", Answer, scene.peer_answer.id)
    pages = public_surfaces(app, scene)
    assert nowhere(pages, ROBIN_WORDS) == []
    assert nowhere(pages, PEER_WORDS) == []
    assert "No perspectives yet" in pages["question page"]
    assert '"perspective_count":0' in pages["API question"].replace(" ", "")
    assert '"perspectives":[]' in pages["API question"].replace(" ", "")
    feed = robin.get(_feed_url(robin, scene.keeper)).get_data(as_text=True)
    assert PEER_WORDS not in feed
    assert ROBIN_WORDS not in feed
    # With no perspective a reader can see, the question is waiting again.
    waiting = pages["home"].split('id="waiting-heading"')[1].split('id="latest-heading"')[0]
    assert QUESTION_TITLE in waiting


def test_one_hidden_perspective_leaves_the_other_counted(app, scene):
    _moderate(app, "hide", Answer, scene.peer_answer.id)
    pages = public_surfaces(app, scene)
    assert "1 perspective" in pages["question page"]
    assert "1 perspective" in pages["deep topic page"]
    assert ROBIN_WORDS in pages["question page"]


def test_the_author_still_reaches_what_a_moderator_hid(app, robin, scene):
    _moderate(app, "hide", Question, scene.question.id, reason="Names a real person")
    _moderate(app, "hide", Answer, scene.peer_answer.id)
    _moderate(app, "hide", Question, scene.robin_question_id)
    _moderate(app, "hide", Answer, scene.robin_answer_id)
    kept = app.test_client().get(scene.keeper).get_data(as_text=True)
    assert QUESTION_TITLE in kept
    assert QUESTION_BODY in kept
    assert "A moderator hid this question" in kept
    assert "Names a real person" in kept
    kept_answer = app.test_client().get(scene.answer_keeper).get_data(as_text=True)
    assert PEER_WORDS in kept_answer
    assert "A moderator hid this perspective" in kept_answer
    account = robin.get("/account").get_data(as_text=True)
    assert ROBIN_TITLE in account
    assert ROBIN_WORDS in account
    assert account.count("Hidden by a moderator") == 2
    mine = robin.get(f"/mine/question/{scene.robin_question_id}").get_data(as_text=True)
    assert ROBIN_TITLE in mine
    assert "A moderator hid this question" in mine
    mine = robin.get(f"/mine/answer/{scene.robin_answer_id}").get_data(as_text=True)
    assert ROBIN_WORDS in mine
    assert "A moderator hid this perspective" in mine


def test_restoring_brings_every_surface_back(app, robin, scene):
    before = public_surfaces(app, scene)
    posts = [(Question, scene.question.id), (Answer, scene.peer_answer.id),
             (Question, scene.robin_question_id), (Answer, scene.robin_answer_id)]  # fmt: skip
    for action in ("hide", "restore"):
        for model, post_id in posts:
            _moderate(app, action, model, post_id)
    after = public_surfaces(app, scene)
    for words in (QUESTION_TITLE, QUESTION_BODY, PEER_WORDS, ROBIN_TITLE, ROBIN_WORDS):
        assert nowhere(after, words) == nowhere(before, words)
    assert "2 perspectives" in after["question page"]
    assert "Hidden by a moderator" not in robin.get("/account").get_data(as_text=True)


def test_deleted_posts_leave_every_list_and_thread(app, robin, scene):
    _delete(app, Answer, scene.peer_answer.id)
    _delete(app, Answer, scene.robin_answer_id)
    _delete(app, Question, scene.robin_question_id)
    _delete(app, Question, scene.question.id)
    pages = public_surfaces(app, scene)
    for words in (QUESTION_TITLE, QUESTION_BODY, PEER_WORDS, ROBIN_TITLE, ROBIN_WORDS):
        assert nowhere(pages, words) == [], words
    # A removed question's own page still opens, to say so.
    assert "The asker removed their question" in pages["question page"]
    assert "The asker removed their question" in pages["API question"]
    assert "No perspectives yet" in pages["question page"]
    account = robin.get("/account").get_data(as_text=True)
    assert ROBIN_TITLE not in account
    assert ROBIN_WORDS not in account


def test_a_loaded_post_is_visible_by_the_same_rule_as_the_lists(app, scene):
    """Post.is_visible (used for rows already loaded, such as a repeated sending's first
    post) says no for deleted and for hidden posts; a removed question's page may open."""
    _delete(app, Answer, scene.peer_answer.id)
    _moderate(app, "hide", Question, scene.robin_question_id)
    with app.app_context():
        deleted = db.session.get(Answer, scene.peer_answer.id)
        hidden = db.session.get(Question, scene.robin_question_id)
        shown = db.session.get(Question, scene.question.id)
        assert not deleted.is_visible
        assert not hidden.is_visible
        assert shown.is_visible
        assert visibility.is_visible(deleted, removed=True)
        assert not visibility.is_visible(hidden, removed=True)


def test_hiding_keeps_the_words_and_records_why(app, scene):
    _moderate(app, "hide", Answer, scene.peer_answer.id, reason="Shares someone's address")
    with app.app_context():
        hidden = db.session.get(Answer, scene.peer_answer.id)
        assert hidden.body_source == PEER_WORDS
        assert hidden.hidden_reason == "Shares someone's address"
        assert hidden.hidden_at is not None
        assert not hidden.is_visible


def test_hiding_needs_a_reason_and_happens_once(app, scene):
    with app.app_context():
        post = db.session.get(Question, scene.question.id)
        with pytest.raises(services.NoReason):
            services.hide(post, None, "   ")
        services.hide(post, None, "Breaks the house rules")
        with pytest.raises(services.AlreadyHidden):
            services.hide(post, None, "Again")
        services.restore(post, None)
        with pytest.raises(services.NotHidden):
            services.restore(post, None)


def test_who_hid_and_who_restored_is_recorded_with_the_change(app, scene, make_moderator):
    moderator = make_moderator()
    _moderate(app, "hide", Answer, scene.peer_answer.id, reason="Pile-on", by=moderator)
    _moderate(app, "restore", Answer, scene.peer_answer.id, by=moderator)
    with app.app_context():
        records = db.session.scalars(select(VisibilityChange).order_by(VisibilityChange.id)).all()
        assert [r.change for r in records] == ["hidden", "restored"]
        assert [r.answer_id for r in records] == [scene.peer_answer.id] * 2
        assert [r.by_id for r in records] == [moderator, moderator]
        assert records[0].reason == "Pile-on"


def test_a_hide_that_is_not_committed_leaves_no_trace(app, client, scene):
    """hide() works in the caller's transaction: if the moderation step around it fails,
    neither the hiding nor its record is kept."""
    with app.app_context():
        post = db.session.get(Question, scene.question.id)
        services.hide(post, None, "Breaks the house rules")
        db.session.rollback()
    with app.app_context():
        assert db.session.get(Question, scene.question.id).hidden_at is None
        assert db.session.scalar(select(func.count(VisibilityChange.id))) == 0
    assert QUESTION_TITLE in client.get(f"/q/{scene.question.id}").get_data(as_text=True)


def test_one_decision_names_a_hidden_removed_or_noted_title(app, make):
    noted = make.question(title="Folded title", content_notes=["police"]).post
    with app.app_context():
        question = db.session.merge(noted)
        stranger, author = ReaderPrefs(), ReaderPrefs(claimed={("question", question.id)})
        assert title_for(question, stranger).text == "A question with content notes"
        assert title_for(question, stranger).folded == "Folded title"
        assert title_for(question).text == "Folded title"  # the API gives notes beside it
        question.hidden_at = now()  # as hide() would; never committed
        assert title_for(question, stranger).text == "A moderator hid this question"
        assert title_for(question).text == "A moderator hid this question"
        assert title_for(question, author).folded == "Folded title"
        question.deleted_at = now()
        assert title_for(question, author).text == "The asker removed their question"
        db.session.rollback()


def _suspend(app, holder, until):
    """Suspend Robin's pseudonym (or, with "account", its account alone) until `until`, as
    the moderation service does: the suspension, and the threads Robin posted in
    recounted."""
    with app.app_context():
        pseudonym = db.session.scalar(select(Pseudonym).where(Pseudonym.display_name == "Robin"))
        target = pseudonym if holder == "pseudonym" else pseudonym.account
        target.suspended_until = until
        db.session.flush()
        counts.recount_posts_of(pseudonym.id)
        db.session.commit()


def test_an_account_suspension_alone_holds_back_nothing_so_no_names_are_linked(app, scene):
    """Holding back every pseudonym of a suspended account at one moment would show anyone
    watching which names belong together; the account stops posting, and the service
    suspends the reported pseudonym with it (tests/test_moderation_heavier.py)."""
    _suspend(app, "account", now() + timedelta(days=3))
    pages = public_surfaces(app, scene)
    assert ROBIN_TITLE in pages["deep topic page"]
    assert ROBIN_WORDS in pages["question page"]


def test_a_suspended_persons_posts_are_held_back_everywhere_and_come_back(app, robin, scene):
    holder = "pseudonym"
    _suspend(app, holder, now() + timedelta(days=3))
    pages = public_surfaces(app, scene)
    assert nowhere(pages, ROBIN_TITLE) == []
    assert nowhere(pages, ROBIN_WORDS) == []
    assert linked(pages, scene.robin_question_id) == []
    assert app.test_client().get(f"/q/{scene.robin_question_id}").status_code == 404
    assert QUESTION_BODY in pages["question page"]  # other people's words stay
    assert "1 perspective" in pages["question page"]
    feed = robin.get(_feed_url(robin, scene.keeper)).get_data(as_text=True)
    assert ROBIN_WORDS not in feed
    assert PEER_WORDS in feed
    # Robin still reaches their own words.
    assert ROBIN_WORDS in robin.get("/account").get_data(as_text=True)
    # When the suspension ends, by the clock alone, everything is back.
    _suspend(app, holder, now() - timedelta(minutes=1))
    pages = public_surfaces(app, scene)
    assert ROBIN_TITLE in pages["deep topic page"]
    assert ROBIN_WORDS in pages["question page"]
    assert ROBIN_WORDS in pages["pseudonym page"]
    assert ROBIN_WORDS in robin.get(_feed_url(robin, scene.keeper)).get_data(as_text=True)


def test_a_suspension_ends_by_the_clock_with_nothing_run(app, scene):
    """Only the stored end moves here: the rule reads the clock when it is asked."""
    _suspend(app, "pseudonym", now() + timedelta(hours=1))
    with app.app_context():
        question = db.session.get(Question, scene.robin_question_id)
        assert not question.is_visible
        pseudonym = db.session.scalar(select(Pseudonym).where(Pseudonym.display_name == "Robin"))
        pseudonym.suspended_until = now() - timedelta(seconds=1)
        db.session.commit()
    with app.app_context():
        assert db.session.get(Question, scene.robin_question_id).is_visible
    assert app.test_client().get(f"/q/{scene.robin_question_id}").status_code == 200
