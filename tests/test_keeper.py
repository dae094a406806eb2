"""Coming back with a keeper link: read, reply, edit, close, delete, follow."""

import re
import xml.etree.ElementTree as ET

from sqlalchemy import select

from app.questions.models import Answer, Question
from app.web.extensions import db
from tests.html_tree import parse

ATOM = "{http://www.w3.org/2005/Atom}"


def keep(posted):
    return f"/keep/{posted.keeper_token}"


def question_meta(html):
    """The line under a question that says where, by whom and when (and whether edited)."""
    articles = (n for n in parse(html).walk() if n.tag == "article")
    article = next(n for n in articles if "question" in n.attrs.get("class", "").split())
    return next(n for n in article.walk() if n.attrs.get("class") == "meta").text()


def answer_meta(html, answer_id):
    """The line under an answer's byline that says when (and whether edited)."""
    article = next(n for n in parse(html).walk() if n.attrs.get("id") == f"answer-{answer_id}")
    header = next(n for n in article.walk() if n.attrs.get("class") == "post-meta")
    return next(n for n in header.walk() if n.tag == "p").text()


def test_keeper_page_shows_the_thread_and_marks_what_is_new(client, make):
    posted = make.question(title="How do I say no to a group?")
    make.answer(posted.post, body="Before your visit")
    first = client.get(keep(posted)).get_data(as_text=True)
    assert "How do I say no to a group?" in first
    assert "Before your visit" in first
    assert "new since your last visit" not in first
    make.answer(posted.post, body="After your visit")
    second = client.get(keep(posted)).get_data(as_text=True)
    assert second.count("new since your last visit") == 1
    assert client.get(keep(posted)).headers["Cache-Control"] == "no-store"


def test_asker_edits_their_question_and_it_says_edited(client, app, make):
    posted = make.question(title="Old title", body="old words")
    before = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    assert "· edited" not in question_meta(before)
    form = client.get(keep(posted) + "/edit").get_data(as_text=True)
    assert "old words" in form
    assert 'value="Old title"' in form
    response = client.post(
        keep(posted) + "/edit",
        data={"title": "New title", "body": "new words", "topic": "getting-through-today",
              "content_notes": ["police"]},
    )  # fmt: skip
    assert response.status_code == 303
    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    assert "New title" in page
    assert "new words" in page
    assert "· edited" in question_meta(page)
    assert "· edited" in question_meta(client.get(keep(posted)).get_data(as_text=True))
    assert "Getting through today" in page
    assert "Police" in page
    assert "old words" not in page


def test_bad_edit_changes_nothing(client, app, make):
    posted = make.question(title="Keep me")
    response = client.post(keep(posted) + "/edit", data={"title": "", "body": "x", "topic": "nope"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Question, posted.post.id).title == "Keep me"


def test_asker_replies_in_the_thread_labelled_the_asker(client, make):
    posted = make.question()
    response = client.post(keep(posted) + "/replies", data={"body": "Thank you all."})
    assert response.status_code == 303
    html = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    reply = re.search(r'<article class="answer by-asker".*?</article>', html, re.S).group(0)
    assert "The asker" in reply
    assert "Thank you all." in reply
    assert "No perspectives yet" in html  # the asker's own reply is not a perspective


def test_asker_closes_and_reopens_replies(client, make):
    posted = make.question()
    client.post(keep(posted) + "/replies-closed", data={"closed": "yes"})
    assert client.post(f"/q/{posted.post.id}/answers", data={"body": "hi"}).status_code == 409
    client.post(keep(posted) + "/replies-closed", data={"closed": "no"})
    assert client.post(f"/q/{posted.post.id}/answers", data={"body": "hi"}).status_code == 303


def test_a_perspective_sent_as_replies_close_comes_back_with_its_words(client, make):
    posted = make.question()
    client.post(keep(posted) + "/replies-closed", data={"closed": "yes"})
    response = client.post(f"/q/{posted.post.id}/answers", data={"body": "My long-typed view"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Replies closed while you were writing" in html
    assert re.search(r'<textarea id="your-body" readonly[^>]*>My long-typed view</textarea>', html)


def test_a_reply_that_fails_its_checks_comes_back_with_the_error_and_the_words(client, make):
    posted = make.question()
    empty = client.post(keep(posted) + "/replies", data={"body": "  "})
    assert empty.status_code == 400
    assert 'aria-invalid="true"' in empty.get_data(as_text=True)
    long_note = {"body": "Thank you all, truly.", "content_note_other": "x" * 121}
    too_long = client.post(keep(posted) + "/replies", data=long_note)
    assert too_long.status_code == 400
    html = too_long.get_data(as_text=True)
    assert "Thank you all, truly.</textarea>" in html
    assert "Please keep your own content note to 120 characters." in html
    assert "by-asker" not in client.get(f"/q/{posted.post.id}").get_data(as_text=True)


def test_deleting_a_question_erases_its_words_but_keeps_other_answers(client, app, make):
    posted = make.question(title="A secret title", body="secret words", content_notes=["abuse"])
    make.answer(posted.post, body="someone else's words")
    client.post(keep(posted) + "/replies", data={"body": "a secret reply as the asker"})
    assert "Yes, delete" in client.get(keep(posted) + "/delete").get_data(as_text=True)
    assert client.post(keep(posted) + "/delete").status_code == 303
    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    assert "The asker removed their question" in page
    assert "someone else&#39;s words" in page or "someone else's words" in page
    assert "secret" not in page
    with app.app_context():
        question = db.session.get(Question, posted.post.id)
        assert (question.title, question.body_source, question.body_html) == ("", "", "")
        assert question.content_notes == []
        reply = db.session.scalars(select(Answer).where(Answer.by_asker.is_(True))).one()
        assert (reply.body_source, reply.body_html) == ("", "")
    assert "secret" not in client.get("/").get_data(as_text=True)


def test_an_answerer_edits_and_deletes_their_answer(client, app, make):
    question = make.question().post
    posted = make.answer(question, body="first thoughts")
    before = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "· edited" not in answer_meta(before, posted.post.id)
    client.post(keep(posted) + "/edit", data={"body": "second thoughts", "kind": "helped-me"})
    page = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "second thoughts" in page
    assert "Something that helped me" in page
    assert "· edited" in answer_meta(page, posted.post.id)
    client.post(keep(posted) + "/delete")
    page = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "second thoughts" not in page
    assert "No perspectives yet" in page
    with app.app_context():
        assert db.session.get(Answer, posted.post.id).body_source == ""
    assert "You deleted this perspective" in client.get(keep(posted)).get_data(as_text=True)


def test_private_feed_lists_new_perspectives_and_cannot_manage_the_post(client, make):
    posted = make.question(title="Noted title", content_notes=["suicide"])
    make.answer(posted.post, body="plain view")
    make.answer(posted.post, body="heavy view", content_notes=["self-harm"])
    page = client.get(keep(posted)).get_data(as_text=True)
    feed_url = re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', page).group(1)
    response = client.get(feed_url)
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    text = response.get_data(as_text=True)
    assert "plain view" in text
    assert "heavy view" not in text
    assert "Self-harm" in text
    assert "Noted title" not in text
    feed_token = feed_url.removeprefix("/feed/")
    assert feed_token != posted.keeper_token
    assert client.get(f"/keep/{feed_token}").status_code == 404


def test_keeper_link_can_be_downloaded_without_javascript(client, make):
    posted = make.question()
    response = client.get(keep(posted) + "/kettle-link.txt")
    assert "attachment" in response.headers["Content-Disposition"]
    assert posted.keeper_token in response.get_data(as_text=True)


def test_unknown_keeper_link_gets_a_kind_404(client):
    response = client.get("/keep/not-a-real-link")
    assert response.status_code == 404
    assert "copied whole" in response.get_data(as_text=True)
    assert client.post("/keep/not-a-real-link/delete").status_code == 404
    assert client.get("/feed/not-a-real-feed").status_code == 404


def test_one_keeper_link_cannot_touch_another_post(client, app, make):
    mine = make.question()
    other = make.question()
    reply = make.answer(other.post, body="their reply", by_asker=True)
    url = f"{keep(mine)}/replies/{reply.post.id}/delete"
    assert client.post(url).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Answer.body_source)) == "their reply"


def test_keeper_pages_send_only_the_origin_as_referer(client, make):
    posted = make.question()
    assert client.get(f"/keep/{posted.keeper_token}").headers["Referrer-Policy"] == "strict-origin"
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


def test_a_link_preview_does_not_count_as_the_askers_visit(client, make):
    posted = make.question()
    make.answer(posted.post, body="waiting for you")
    client.get(f"/keep/{posted.keeper_token}")
    make.answer(posted.post, body="arrived later")
    client.get(f"/keep/{posted.keeper_token}", headers={"Sec-Purpose": "prefetch"})
    page = client.get(f"/keep/{posted.keeper_token}").get_data(as_text=True)
    assert page.count("new since your last visit") == 1
