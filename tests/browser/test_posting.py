"""Posting in a real browser: once per form, limits told not enforced, your own post shown."""

import re

import pytest

from tests.browser.pages import QUESTION_PATH, ask, unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser


def fill_question(page, title, body):
    page.goto("/ask")
    page.get_by_label("Your question, in a line").fill(title)
    page.get_by_label("Your question, in more detail").fill(body)
    page.get_by_label("Topic", exact=True).select_option(label="Getting through today")


def listed(page, title):
    page.goto("/t/getting-through-today")
    return page.locator(".question-list a", has_text=title).count()


def test_a_double_click_on_post_makes_one_question_with_its_link(new_page, shoot):
    page = new_page(js=True, width=360)
    title = unique("Is it fine to leave a group chat quietly")
    fill_question(page, title, "It is too much some days.")
    page.get_by_role("button", name="Post my question").dblclick()
    expect(page).to_have_url(QUESTION_PATH)
    expect(page.locator("#keeper-link")).to_have_attribute("href", re.compile(r"^/keep/"))
    shoot(page, "double-click-one-question-360")
    assert listed(page, title) == 1


def test_the_button_says_sending_and_ignores_a_second_send(new_page):
    page = new_page(js=True)
    fill_question(page, unique("Sending once"), "Words.")
    state = page.evaluate(
        """() => {
          const form = document.querySelector("form.post-form");
          const button = form.querySelector("button[type=submit]");
          let sent = 0;
          form.addEventListener("submit", (e) => { if (!e.defaultPrevented) sent += 1; });
          form.requestSubmit();
          const second = new Event("submit", {cancelable: true});
          form.dispatchEvent(second);
          const state = [button.getAttribute("aria-disabled"), button.textContent];
          return [...state, second.defaultPrevented];
        }"""
    )
    assert state == ["true", "Sending\u2026", True]
    expect(page).to_have_url(QUESTION_PATH)


def test_back_then_post_again_shows_the_same_question_and_link(new_page):
    page = new_page(js=True)
    title = unique("Back and post again")
    fill_question(page, title, "Did it go through?")
    page.get_by_role("button", name="Post my question").click()
    expect(page).to_have_url(QUESTION_PATH)
    first_url, first_link = page.url, page.locator("#keeper-link").get_attribute("href")
    page.go_back()
    button = page.get_by_role("button", name="Post my question")
    expect(button).not_to_have_attribute("aria-disabled", "true")
    if not page.get_by_label("Your question, in a line").input_value():  # not restored
        fill_question(page, title, "Did it go through?")
    button.click()
    expect(page).to_have_url(first_url)
    expect(page.locator("#keeper-link")).to_have_attribute("href", first_link)
    assert listed(page, title) == 1


def test_a_long_paste_is_counted_not_cut(new_page, shoot):
    page = new_page(js=True, width=360)
    page.goto("/ask")
    title = page.get_by_label("Your question, in a line")
    long_title = "Why does everything feel so loud on the bus home " * 4
    title.fill(long_title)
    assert title.input_value() == long_title  # nothing cut
    over = len(long_title) - 150
    counter = page.locator(".char-count").first
    expect(counter).to_have_text(f"You have {over} characters too many")
    live = page.locator("[aria-live=polite]", has_text="too many")
    expect(live).to_have_count(1)
    shoot(page, "long-title-counted-360")
    page.get_by_role("button", name="Post my question").click()
    expect(page).to_have_url(re.compile(r"/ask$"))  # held back, and the box says why
    expect(title).to_be_focused()
    title.fill("A shorter line")
    expect(counter).to_have_text("You have 136 characters left")


def test_without_javascript_a_long_title_comes_back_whole_with_the_limit(new_page):
    page = new_page(js=False)
    long_title = "Why does everything feel so loud on the bus home " * 4
    fill_question(page, long_title, "Every day.")
    assert page.get_by_label("Your question, in a line").input_value() == long_title
    page.get_by_role("button", name="Post my question").click()
    expect(page.locator("#error-summary")).to_contain_text("Please keep the question line to 150")
    expect(page.get_by_label("Your question, in a line")).to_have_value(long_title.strip())


def test_your_own_question_under_a_note_you_hide_is_shown_with_its_link(new_page, shoot):
    page = new_page(js=True, width=360)
    page.goto("/settings/content-notes")
    page.locator("input[name=note-self-harm][value=hide]").check()
    page.get_by_role("button", name=re.compile("Save")).click()
    title = unique("How do I get through the nights")
    _, keeper = ask(page, title, "The nights are long.", note="Self-harm")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A question with content notes: Self-harm"
    )
    expect(page.get_by_text("You wrote this")).to_be_visible()
    assert keeper.startswith("/keep/")
    page.locator("details.content-note summary").first.click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    shoot(page, "own-question-under-hidden-note-360")


def test_drafts_under_a_keeper_link_are_not_stored_by_the_link(new_page):
    page = new_page(js=True)
    _, keeper = ask(page, unique("Drafts by post"), "Body.")
    page.goto(keeper)
    page.get_by_label("Your reply").fill("A reply I am still writing")
    keys = page.evaluate("() => Object.keys(sessionStorage)")
    token = keeper.removeprefix("/keep/")
    assert keys
    assert not [key for key in keys if token in key]
