"""Browsing: home, topics, keyset paging, seeds, and the read-only API."""

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import init_db
from app.topics.models import ContentNote, Topic
from app.web.extensions import db


def test_home_shows_latest_waiting_and_topics(client, make):
    answered = make.question(title="Answered one").post
    make.answer(answered)
    make.question(title="Waiting one")
    html = client.get("/").get_data(as_text=True)
    waiting = html.split('id="waiting-heading"')[1].split('id="latest-heading"')[0]
    latest = html.split('id="latest-heading"')[1].split('id="topics-heading"')[0]
    assert "Waiting one" in waiting
    assert "Answered one" not in waiting
    assert latest.index("Waiting one") < latest.index("Answered one")
    assert "Disclosure and identity" in html


def test_defaults_are_seeded_with_enough_topics_and_notes(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Topic)) >= 8
        assert db.session.scalar(select(func.count()).select_from(ContentNote)) >= 12


def test_init_db_is_idempotent(app):
    runner = CliRunner()
    with app.app_context():
        first = runner.invoke(init_db)
        second = runner.invoke(init_db)
        assert first.exit_code == 0, second.output
        assert second.exit_code == 0, second.output
        assert "0 default rows added" in second.output
        assert db.session.scalar(select(func.count()).select_from(Topic)) == 9


def test_topics_page_counts_questions(client, make):
    make.question(topic="getting-through-today")
    make.question(topic="getting-through-today")
    html = client.get("/topics").get_data(as_text=True)
    assert re.search(r"Getting through today</a>\s*<span[^>]*>[^<]*2 questions", html)


def test_topic_pages_page_by_id_without_offset(app, client, make):
    app.config["PAGE_SIZE"] = 3
    ids = [make.question(title=f"Question number {n}", topic="peer-support-and-groups").post.id
           for n in range(7)]  # fmt: skip
    first = client.get("/t/peer-support-and-groups").get_data(as_text=True)
    assert [f"Question number {n}" in first for n in (6, 5, 4, 3)] == [True, True, True, False]
    older = re.search(r'href="(/t/peer-support-and-groups\?before=(\d+))"', first)
    assert int(older.group(2)) == ids[4]
    second = client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Question number 3" in second
    assert "Question number 4" not in second
    last = client.get(f"/t/peer-support-and-groups?before={ids[1]}").get_data(as_text=True)
    assert "Question number 0" in last
    assert "Older questions" not in last


def test_unknown_topic_is_404(client):
    assert client.get("/t/nothing-here").status_code == 404


def test_api_lists_topics_and_shows_a_question(client, make):
    question = make.question(title="API title", content_notes=["medication"]).post
    make.answer(question, body="api answer", kind="practical")
    topics = client.get("/api/v1/topics").get_json()["topics"]
    assert topics[0]["slug"] == "disclosure-and-identity"
    data = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert data["title"] == "API title"
    assert data["content_notes"] == ["medication"]
    assert data["perspectives"][0]["kind"] == "practical"
    assert data["perspectives"][0]["by"] == "anonymous"
    assert "keeper" not in str(data).lower()
    missing = client.get("/api/v1/questions/999")
    assert missing.status_code == 404
    assert missing.get_json()["status"] == 404


def test_help_now_lists_uk_support_and_is_linked_everywhere(client, make):
    html = client.get("/help-now").get_data(as_text=True)
    for words in ("116 123", "85258", "111", "999"):
        assert words in html
    question = make.question().post
    for url in ("/", "/topics", "/ask", f"/q/{question.id}", "/settings/content-notes", "/nope"):
        page = client.get(url).get_data(as_text=True)
        assert 'href="/help-now"' in page, url
        assert "data-quick-exit" in page, url
        assert "Leave quickly" in page, url


def test_help_now_can_be_replaced_by_a_deployment(app, client):
    app.config["HELP_NOW"] = (
        {"name": "Local line", "how": "Call 0800 000", "href": "tel:0800000"},
    )
    html = client.get("/help-now").get_data(as_text=True)
    assert "Local line" in html
    assert "Samaritans" not in html


def test_robots_asks_crawlers_not_to_index(client):
    assert "Disallow: /" in client.get("/robots.txt").get_data(as_text=True)
    assert client.get("/").headers["X-Robots-Tag"].startswith("noindex")


def test_help_now_offers_peer_support_as_well_as_crisis_lines(client):
    html = client.get("/help-now").get_data(as_text=True)
    crisis, peer = html.split('id="peer-heading"')
    assert "Samaritans" in crisis
    assert "Side by Side" in peer
    assert 'rel="noreferrer"' in peer


@pytest.mark.parametrize(
    "url",
    [
        "/q/99999999999999999999",
        "/api/v1/questions/99999999999",
        "/mine/question/99999999999",
        "/t/a%00b",
        "/p/a%00b",
    ],
)
def test_impossible_ids_and_nul_bytes_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_huge_before_is_ignored(client):
    assert client.get("/t/getting-through-today?before=99999999999999").status_code == 200
    assert client.get("/t/getting-through-today?kind=%00").status_code == 400


def test_leaving_quickly_tells_the_next_page_nothing(client):
    response = client.get("/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == "/how-it-works"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert 'href="/leave"' in client.get("/").get_data(as_text=True)
