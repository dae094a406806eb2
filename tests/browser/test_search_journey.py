"""Someone at 2am types into the header's search box, reads the results, pages on and
narrows to a topic, with JavaScript on and off."""

import itertools
import os
import re

import pytest
from sqlalchemy import select

from tests.browser.support import expect

pytestmark = pytest.mark.browser

_words = itertools.count()


def _seed(live_app, word):
    """23 questions holding `word` (more than a page of 20), 3 of them in another topic."""
    from app.accounts.identity import Author
    from app.questions import services
    from app.topics.models import Topic
    from app.web.extensions import db

    with live_app.app_context():
        topics = {t.slug: t for t in db.session.scalars(select(Topic))}
        for n in range(23):
            topic = topics["peer-support-and-groups" if n < 3 else "getting-through-today"]
            fields = {"title": f"Nights and {word} number {n}", "body": f"The {word} again.",
                      "content_notes": [], "content_note_other": ""}  # fmt: skip
            services.ask(topic, Author(), fields)
        db.session.remove()


def _ids(page):
    return [int(n) for n in page.locator(".search-result").evaluate_all(
        "(all) => all.map((r) => r.dataset.questionId)")]  # fmt: skip


def test_searching_from_the_header_pages_on_and_narrows_to_a_topic(live_app, page, js, shoot):
    word = f"quillnight{next(_words)}x{os.getpid()}"
    _seed(live_app, word)
    page.goto("/topics")
    page.get_by_role("search", name="Search Kettle").get_by_role("searchbox").fill(word)
    page.get_by_role("search", name="Search Kettle").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.locator(".search-result")).to_have_count(20)
    expect(page.locator(".search-result mark").first).to_have_text(word)
    first = _ids(page)
    shoot(page, f"search-results-{'js' if js else 'nojs'}")

    page.get_by_role("link", name="More results").click()
    expect(page.locator(".search-result")).to_have_count(3)
    assert not set(first) & set(_ids(page))
    expect(page.get_by_role("link", name="More results")).to_have_count(0)

    form = page.get_by_role("search", name="Search questions")
    form.get_by_label("In topic").select_option(label="Peer support and groups")
    form.get_by_role("button", name="Search").click()
    expect(page.locator(".search-result")).to_have_count(3)
    expect(page.get_by_role("heading", name="Found in Peer support and groups")).to_be_visible()
