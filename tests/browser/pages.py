"""Making things through Kettle's own pages, as a person would, for the browser tests."""

import itertools
import os
import re

from tests.browser.support import expect

PASSWORD = "kettle steam window ladder 47"
QUESTION_PATH = re.compile(r"/q/(\d+)$")
_numbers = itertools.count(1)


def unique(words):
    """Text no other test uses, so assertions cannot match another test's posts."""
    return f"{words} ({next(_numbers)}-{os.getpid()})"


def name(word):
    """A login name or pseudonym nobody else has: letters, digits and hyphens only."""
    return f"{word}-{next(_numbers)}-{os.getpid()}"


def ask(page, title, body, note=None):
    """Post a question (Getting through today); returns (question path, keeper href)."""
    page.goto("/ask")
    page.get_by_label("Your question, in a line").fill(title)
    page.get_by_label("Your question, in more detail").fill(body)
    page.get_by_label("Topic", exact=True).select_option(label="Getting through today")
    if note:
        page.get_by_label(note, exact=True).check()
    page.get_by_role("button", name="Post my question").click()
    expect(page).to_have_url(QUESTION_PATH)
    href = page.locator("#keeper-link").get_attribute("href")
    return "/q/" + QUESTION_PATH.search(page.url).group(1), href


def answer(page, question, body, note=None, as_pseudonym=False):
    """Offer a perspective; returns its keeper href (None when posted as a pseudonym)."""
    page.goto(question)
    form = page.locator("form.post-form")
    form.get_by_label("Your perspective").fill(body)
    form.get_by_label("From my own experience").check()
    if note:
        form.get_by_label(note, exact=True).check()
    if as_pseudonym:
        form.locator("input[name=as]:not([value=anonymous])").first.check()
    form.get_by_role("button", name="Post my perspective").click()
    expect(page.locator(".answer[data-answer-id]").filter(has_text=body)).to_have_count(1)
    keeper = page.locator("#keeper-link")
    return keeper.get_attribute("href") if keeper.count() else None


def join(page, handle, pseudonym, on_codes=None):
    """Join through /join, keep the recovery codes, and land on /account."""
    page.goto("/join")
    page.get_by_label("Login name").fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Your first pseudonym").fill(pseudonym)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keep your recovery codes")
    if on_codes:
        on_codes()
    page.get_by_role("button", name="I have kept my codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
