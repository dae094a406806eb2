"""Nothing a person writes is lost: drafts kept in the tab, and words given back on refusal."""

import pytest

from tests.browser.pages import ask, unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser


def test_a_draft_survives_leaving_the_page_and_goes_once_posted(new_page, shoot):
    page = new_page(js=True, width=360)
    question, _ = ask(page, unique("Is it all right to miss a group session"), "Just this once.")
    words = "I missed one last month and nobody minded."
    page.get_by_label("Your perspective").fill(words)
    page.goto("/topics")  # a tap on the wrong link, or the phone reloading the tab
    page.goto(question)
    expect(page.get_by_label("Your perspective")).to_have_value(words)
    shoot(page, "draft-restored-360")

    page.get_by_role("button", name="Post my perspective").click()
    expect(page.locator(".answer[data-answer-id]").filter(has_text=words)).to_have_count(1)
    page.goto(question)
    expect(page.get_by_label("Your perspective")).to_have_value("")


def test_a_perspective_sent_as_replies_close_is_given_back(new_page, js, shoot):
    asker = new_page(js=True)
    question, keeper = ask(asker, unique("Should I go back to the day centre"), "It has changed.")
    peer = new_page(js=js)
    peer.goto(question)
    words = "When I went back it felt strange for a week, then it was mine again."
    peer.get_by_label("Your perspective").fill(words)

    asker.goto(keeper)
    asker.get_by_role("button", name="Close replies").click()
    expect(asker.get_by_text("Replies are closed. Nobody can add")).to_be_visible()

    peer.get_by_role("button", name="Post my perspective").click()
    expect(peer.get_by_role("alert")).to_contain_text("Replies closed while you were writing")
    expect(peer.get_by_label("Your words")).to_have_value(words)
    shoot(peer, f"replies-closed-words-given-back-{'js' if js else 'nojs'}")
