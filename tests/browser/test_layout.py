"""Layout that holds whatever people write, and a way out that is always in reach."""

import re

import pytest

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.pages import QUESTION_PATH, join, name
from tests.browser.support import expect

pytestmark = pytest.mark.browser

LONG_TITLE = "Why" + "y" * 140 + "?"
LONG_WORD = "Rechtsschutzversicherungsgesellschaften"
LONG_NAME = "Rechtsschutzversicherungsgesellschaft"  # 37 characters; names may have 40
LONG_NOTE = "Schadenfreude" * 9  # 117 letters, one word; own notes may have 120
LONG_BODY = f"""{LONG_WORD}? Wh{"y" * 300}.

https://example.com/{"a-very-long-path-" * 12}end

| {LONG_WORD}{LONG_WORD} | {LONG_WORD}{LONG_WORD} | {LONG_WORD}{LONG_WORD} |
| --- | --- | --- |
| {"z" * 200} | `{"q" * 120}` | {LONG_WORD} |

    {"code" * 90}

Inline `{"inline" * 40}` code."""
# Every page must fit its viewport; the first element found sticking out is named.
FITS = """
() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].find(
    (e) => e.getBoundingClientRect().right > width + 1
      && !e.closest(".visually-hidden, .honeypot"));
  return {
    width, scrollWidth: document.documentElement.scrollWidth,
    wide: wide ? wide.tagName + "." + wide.className + ": " + wide.textContent.slice(0, 60) : null,
  };
}
"""


def _post(page, path, fields, note, as_pseudonym, button):
    page.goto(path)
    form = page.locator("form.post-form")
    for label, words in fields.items():
        form.get_by_label(label, exact=True).fill(words)
    if path == "/ask":
        form.get_by_label("Topic", exact=True).select_option(label="Getting through today")
    if note:
        form.get_by_label("Another content note, in your own words").fill(note)
    if as_pseudonym:
        form.locator("input[name=as]:not([value=anonymous])").first.check()
    form.get_by_role("button", name=button).click()
    expect(page.locator("[data-posted]")).to_be_visible()


@pytest.fixture(scope="session")
def long_words(browser, live_server):
    """One person's pages and one stranger's, with long words in every field people fill."""
    made = {}
    for who, signed_in in (("named", True), ("anonymous", False)):
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        if signed_in:
            join(page, name("long-words"), name(LONG_NAME[:30]))
            page.get_by_label("Name of the pseudonym").fill(LONG_NAME)
            page.get_by_role("button", name="Add a pseudonym").click()
        ask = {"Your question, in a line": LONG_TITLE, "Your question, in more detail": LONG_BODY}
        # The stranger's question has no note, so its long title shows in lists.
        note = LONG_NOTE if signed_in else ""
        _post(page, "/ask", ask, note, signed_in, "Post my question")
        question = "/q/" + QUESTION_PATH.search(page.url).group(1)
        made[f"{who}-question"] = question
        if not signed_in:
            made["keeper"] = page.locator("#keeper-link").get_attribute("href")
        answer = {"Your perspective": LONG_BODY}
        _post(page, question, answer, LONG_NOTE, signed_in, "Post my perspective")
        if signed_in:
            page.goto("/account")
            links = page.locator(".question-list a, .pseudonym-list a").all()
            made["account-pages"] = sorted({a.get_attribute("href") for a in links})
            made["state"] = context.storage_state()
        else:
            made["answer-keeper"] = page.locator("#keeper-link").get_attribute("href")
        context.close()
    return made


def _pages(made):
    keeper, answer_keeper = made["keeper"], made["answer-keeper"]
    return [
        "/", "/topics", "/t/getting-through-today", made["named-question"],
        made["anonymous-question"], keeper, f"{keeper}/edit", f"{keeper}/delete", answer_keeper,
        f"{answer_keeper}/edit", "/account", *made["account-pages"],
    ]  # fmt: skip


@pytest.mark.parametrize("width", [360, 1280])
def test_no_page_scrolls_sideways_because_of_anything_a_person_wrote(
    browser, live_server, long_words, shoot, width
):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 900},
        storage_state=long_words["state"],
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    too_wide = []
    try:
        for path in _pages(long_words):
            page.goto(path)
            fits = page.evaluate(FITS)
            if fits["scrollWidth"] > fits["width"] or fits["wide"]:
                too_wide.append(f"{path}: {fits}")
                shoot(page, f"too-wide-{width}-{re.sub(r'[^a-z0-9]+', '-', path)}")
        page.goto(long_words["named-question"])
        shoot(page, f"long-words-question-{width}")
        page.goto("/")
        shoot(page, f"long-words-home-{width}")
    finally:
        context.close()
    assert too_wide == []


BAR = """
() => {
  const bar = document.querySelector(".safety-bar").getBoundingClientRect();
  const focused = document.activeElement.getBoundingClientRect();
  return { barBottom: bar.bottom, focusedTop: focused.top, focusedBottom: focused.bottom,
           tag: document.activeElement.tagName, scrolled: window.scrollY };
}
"""


def test_leave_quickly_is_on_screen_when_someone_reaches_the_perspective_form(page, site, shoot):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(site["question"])
    page.get_by_label("Your perspective").focus()
    leave = page.get_by_role("link", name="Leave quickly")
    expect(leave).to_be_in_viewport(ratio=1)
    expect(page.get_by_role("link", name="Need help now?").first).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") > 1000, "the form should be far down the page"
    shoot(page, "leave-quickly-at-the-form-360")


def test_the_bar_never_hides_what_has_keyboard_focus(page, site):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(site["question"])
    # Going back up the page is when a control lands at the top of the screen, under the bar.
    page.locator(".footer-links a").last.focus()
    hidden = []
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        where = page.evaluate(BAR)
        inside_bar = page.evaluate("!!document.activeElement.closest('.safety-bar')")
        if not inside_bar and where["scrolled"] > 0 and where["focusedTop"] < where["barBottom"]:
            hidden.append(where)
    assert hidden == [], "focused controls slid under the Leave quickly bar"


def test_pressing_shift_three_times_leaves_quickly(page_js, site):
    page_js.goto(site["question"])
    status = page_js.locator("[data-quick-exit-status]")
    expect(page_js.get_by_role("link", name="Leave quickly")).to_have_accessible_description(
        "Or press Shift three times."
    )
    page_js.keyboard.press("Shift")
    expect(status).to_have_text("Shift: press 2 more times to leave quickly.")
    page_js.keyboard.press("Shift")
    expect(status).to_have_text("Shift: press 1 more time to leave quickly.")
    page_js.keyboard.press("Shift")
    expect(page_js).to_have_url(re.compile(r"/how-it-works$"))  # the tests' neutral page


def test_typing_capital_letters_never_leaves_by_accident(page_js, site):
    page_js.goto(site["question"])
    box = page_js.get_by_label("Your perspective")
    box.click()
    page_js.keyboard.press("Shift")
    for _ in range(3):
        page_js.keyboard.press("Shift+A")
    page_js.keyboard.press("Shift")
    expect(box).to_have_value("AAA")
    expect(page_js).to_have_url(re.compile(re.escape(site["question"]) + "$"))
    expect(page_js.locator("[data-quick-exit-status]")).to_have_text(
        "Shift: press 2 more times to leave quickly."
    )


def test_without_javascript_leave_quickly_is_still_a_link_that_leaves(page_nojs, site):
    page_nojs.goto(site["question"])
    expect(page_nojs.locator("#quick-exit-keys")).to_be_hidden()
    page_nojs.get_by_role("link", name="Leave quickly").click()
    expect(page_nojs).to_have_url(re.compile(r"/how-it-works$"))
