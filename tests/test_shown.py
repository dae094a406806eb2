"""Each wording a reader sees is decided in one place, and reads the same on every surface.

Note names, the name beside a post, a removed question, counts, the topic list, and the
record of a post that the API and a person's export share.
"""

import json
import re

from sqlalchemy import select

from app.questions.models import Question
from app.questions.queries import answers_for
from app.questions.records import post_record
from app.readers.shown import note_labels, note_names, perspectives, plural, shown_name
from app.readers.titles import REMOVED_QUESTION
from app.topics.models import Topic
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids
from tests.html_tree import parse
from tests.test_account_life import ask

TOPIC = "getting-through-today"
OWN_WORDS = "hospital stay"


def _text_of(html, tag, **attrs):
    """The text of the first element with this tag and these attributes."""
    for node in parse(html).walk():
        if node.tag == tag and all(node.attrs.get(k) == v for k, v in attrs.items()):
            return node.text()
    raise AssertionError(f"no <{tag} {attrs}> on the page")


def _export(client):
    return json.loads(client.get("/account/export.json").get_data(as_text=True))


# Counts


def test_counts_say_none_one_and_many():
    assert perspectives(0) == "No perspectives yet"
    assert perspectives(1) == "1 perspective"
    assert perspectives(2) == "2 perspectives"
    assert plural(0, "question") == "0 questions"
    assert plural(1, "question was", "questions were") == "1 question was"
    assert plural(2, "question was", "questions were") == "2 questions were"
    assert plural(1200, "character") == "1,200 characters"


def test_the_perspective_count_reads_the_same_on_the_page_and_in_lists(client, make):
    for count in (0, 1, 2):
        question = make.question(title=f"Counted {count}", topic=TOPIC).post
        for n in range(count):
            make.answer(question, body=f"Perspective {n}")
        page = client.get(f"/q/{question.id}").get_data(as_text=True)
        assert _text_of(page, "h2", id="answers-heading") == perspectives(count)
        listed = client.get(f"/t/{TOPIC}").get_data(as_text=True)
        items = [n for n in parse(listed).walk() if n.attrs.get("class") == "question-item"]
        item = next(n for n in items if f"Counted {count}" in n.text())
        assert f"· {perspectives(count)}" in item.text()


def test_the_topic_list_counts_questions_in_words(client, make):
    make.question(topic=TOPIC)
    once = client.get("/topics").get_data(as_text=True)
    assert "Small questions about hard days. 1 question." in once
    assert "Running, joining or leaving groups, and supporting each other. 0 questions." in once
    make.question(topic=TOPIC)
    twice = client.get("/topics").get_data(as_text=True)
    assert "Small questions about hard days. 2 questions." in twice


# Content-note names


def test_note_names_read_the_same_on_the_page_in_the_feed_and_in_python(app, client, make):
    posted = make.question(title="Noted", content_notes=["police", "medication"], other=OWN_WORDS)
    make.answer(posted.post, body="Noted answer", content_notes=["police"], other=OWN_WORDS)
    with app.app_context():
        question = db.session.get(Question, posted.post.id)
        assert note_labels(question) == ["Medication", "Police", OWN_WORDS]
        assert str(note_names(question)) == f"Medication, Police, <bdi>{OWN_WORDS}</bdi>"
    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    assert f"Content notes:</span> Medication, Police, <bdi>{OWN_WORDS}</bdi>" in page
    keeper = client.get(f"/keep/{posted.keeper_token}").get_data(as_text=True)
    feed = re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', keeper).group(1)
    atom = client.get(feed).get_data(as_text=True)
    assert f"This perspective has content notes: Police, {OWN_WORDS}. Open it" in atom


def test_own_words_in_a_note_are_escaped_and_isolated(app, make):
    posted = make.question(content_notes=["police"], other="<b>loud</b>")
    with app.app_context():
        names = str(note_names(db.session.get(Question, posted.post.id)))
    assert names == "Police, <bdi>&lt;b&gt;loud&lt;/b&gt;</bdi>"


def test_the_settings_page_names_the_own_words_note(client):
    page = client.get("/settings/content-notes").get_data(as_text=True)
    assert _text_of(page, "legend", id="note-own-words-label") == "Notes in the author's own words"
    assert _text_of(page, "legend", id="note-police-label") == "Police"


# The name beside a post, and a removed question


def test_a_removed_question_reads_the_same_everywhere(app):
    robin = app.test_client()
    join(robin, pseudonym="Robin")
    as_robin = pseudonym_ids(robin)["Robin"]
    qid = ask(robin, "Soon to be removed", as_robin, topic=TOPIC)
    robin.post(f"/q/{qid}/answers", data={"body": "Robin's own perspective", "as": as_robin})
    promise = robin.get(f"/mine/question/{qid}/delete").get_data(as_text=True)
    assert f"The page will say “{REMOVED_QUESTION}”" in promise
    assert f'/q/{qid}"' in app.test_client().get(f"/t/{TOPIC}").get_data(as_text=True)
    assert robin.post(f"/mine/question/{qid}/delete").status_code == 303

    visitor = app.test_client()
    page = visitor.get(f"/q/{qid}").get_data(as_text=True)
    assert _text_of(page, "h1", id="question-title") == REMOVED_QUESTION
    assert f"{REMOVED_QUESTION}, so it takes no new perspectives." in page
    assert "asked by anonymous ·" in _text_of(page, "p", **{"class": "meta"})
    api = visitor.get(f"/api/v1/questions/{qid}").get_json()
    assert api["title"] == REMOVED_QUESTION
    assert api["by"] == "anonymous"
    assert api["removed_by_author"] is True
    robin_page = re.search(r'href="(/p/[^"]+)"', robin.get("/account").get_data(as_text=True))
    on = visitor.get(robin_page.group(1)).get_data(as_text=True)
    offered_on = next(n for n in parse(on).walk() if n.text().startswith("On "))
    said = offered_on.text().removesuffix(f"(number {qid})")  # the number is for screen readers
    assert said == "On a question its asker removed"
    listed = visitor.get(f"/t/{TOPIC}").get_data(as_text=True)
    assert f'/q/{qid}"' not in listed  # its words are gone, so no list names it at all
    assert qid not in [q["id"] for q in _export(robin)["questions"]]
    for surface in (page, on, promise, json.dumps(api)):
        assert "removed this question" not in surface


def test_an_answer_whose_account_is_gone_reads_anonymous(app):
    robin = app.test_client()
    join(robin, pseudonym="Robin")
    qid = ask(app.test_client(), "Asked by someone else", "anonymous")
    robin.post(f"/q/{qid}/answers", data={"body": "Staying words",
                                         "as": pseudonym_ids(robin)["Robin"]})  # fmt: skip
    gone = robin.post("/account/delete", data={"password": PASSWORD, "choice": "keep-answers"})
    assert gone.status_code == 303
    visitor = app.test_client()
    page = visitor.get(f"/q/{qid}").get_data(as_text=True)
    heading = next(n for n in parse(page).walk() if n.attrs.get("class") == "answer-by")
    assert heading.text() == "Anonymous"
    assert visitor.get(f"/api/v1/questions/{qid}").get_json()["perspectives"][0]["by"] == (
        "anonymous"
    )


def test_the_askers_reply_is_named_the_asker_on_the_page_in_the_api_and_in_the_export(app):
    robin = app.test_client()
    join(robin, pseudonym="Robin")
    qid = ask(robin, "Asked then replied to", "anonymous")
    assert robin.post(f"/mine/question/{qid}/replies",
                      data={"body": "Thank you all"}).status_code == 303  # fmt: skip
    page = app.test_client().get(f"/q/{qid}").get_data(as_text=True)
    assert _text_of(page, "h3", **{"class": "answer-by"}) == "The asker"
    api = app.test_client().get(f"/api/v1/questions/{qid}").get_json()
    assert api["perspectives"][0]["by"] == "the asker"
    reply = next(a for a in _export(robin)["answers"] if a["by_asker"])
    assert reply["posted_as"] == "the asker"


def test_a_live_anonymous_question_is_asked_by_anonymous_mid_sentence(app, make):
    question = make.question(title="Plainly asked").post
    page = app.test_client().get(f"/q/{question.id}").get_data(as_text=True)
    assert "asked by anonymous ·" in _text_of(page, "p", **{"class": "meta"})
    with app.app_context():
        live = db.session.get(Question, question.id)
        assert shown_name(live) == "anonymous"
        assert shown_name(live, start=True) == "Anonymous"


# The topic list


def test_every_topic_list_follows_the_order_coordinators_set(app, client):
    with app.app_context():
        rows = db.session.scalars(select(Topic).order_by(Topic.position)).all()
        rows[0].position, rows[-1].position = rows[-1].position, rows[0].position
        db.session.commit()
        first = db.session.scalars(select(Topic).order_by(Topic.position)).first().slug
    assert first == "faith-culture-and-community"
    assert client.get("/api/v1/topics").get_json()["topics"][0]["slug"] == first
    for url in ("/", "/topics"):
        page = client.get(url).get_data(as_text=True)
        assert re.search(r'class="topic-list">\s*<li>\s*<a href="/t/([^"]+)"', page).group(1) == (
            first
        ), url
    ask_page = client.get("/ask").get_data(as_text=True)
    assert re.search(r'>Choose a topic</option>\s*<option value="([^"]+)"',
                     ask_page).group(1) == first  # fmt: skip


# One record of a post, shared by the API and the export


def test_the_api_and_the_export_share_one_record_of_a_post(app):
    robin = app.test_client()
    join(robin, pseudonym="Robin")
    as_robin = pseudonym_ids(robin)["Robin"]
    asked = robin.post("/ask", data={"title": "Shared record", "body": "Words", "topic": TOPIC,
                                     "as": as_robin, "content_notes": "police",
                                     "content_note_other": OWN_WORDS})  # fmt: skip
    qid = int(asked.headers["Location"].rsplit("/", 1)[1])
    robin.post(f"/q/{qid}/answers", data={"body": "Plain answer", "as": as_robin,
                                         "kind": "practical"})  # fmt: skip
    api = app.test_client().get(f"/api/v1/questions/{qid}").get_json()
    exported = _export(robin)
    with app.app_context():
        question = db.session.get(Question, qid)
        shared = post_record(question)
        shared_answer = post_record(answers_for(question)[0])
    assert shared["content_note_other"] == OWN_WORDS
    assert shared_answer["content_note_other"] is None
    assert shared_answer["kind"] == "practical"
    for record, from_api, from_export in (
        (shared, api, exported["questions"][0]),
        (shared_answer, api["perspectives"][0], exported["answers"][0]),
    ):
        assert {key: from_api[key] for key in record} == record
        assert {key: from_export[key] for key in record} == record
        assert from_api["by"] == from_export["posted_as"]
