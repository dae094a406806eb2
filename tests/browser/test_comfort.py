"""What axe cannot see: large and spaced-out text, print, focus after an error, and what a
screen reader hears when the copy button works."""

import pytest

from tests.browser.pages import ask, unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser

# WCAG 1.4.12's test values: what a reader's own style sheet may ask for.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
FITS = """
() => ({
  exitRight: document.querySelector(".quick-exit").getBoundingClientRect().right,
  width: window.innerWidth,
  scrollWidth: document.documentElement.scrollWidth,
})
"""


@pytest.mark.parametrize(
    ("width", "style"),
    [
        (320, TEXT_SPACING),
        (375, "html { font-size: 150% !important; }"),
        (320, "html { font-size: 200% !important; }"),
    ],
    ids=["320-text-spacing", "375-text-150", "320-text-200"],
)
def test_leave_quickly_stays_on_screen_when_text_is_large_or_spaced(new_page, width, style):
    page = new_page(js=True, width=width, bypass_csp=True)
    for path in ["/", "/ask", "/topics"]:
        page.goto(path)
        page.add_style_tag(content=style)
        fits = page.evaluate(FITS)
        assert fits["exitRight"] <= fits["width"], f"Leave quickly runs off the screen on {path}"
        assert fits["scrollWidth"] <= fits["width"], f"{path} scrolls sideways: {fits}"
        expect(page.get_by_role("link", name="Leave quickly")).to_be_in_viewport(ratio=1)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_question_prints_black_on_white_with_noted_words_under_their_notes(
    new_page, shoot, color_scheme
):
    page = new_page(js=True, color_scheme=color_scheme)
    question, _ = ask(page, unique("What do I say at the reunion"), "People will ask.", "Self-harm")
    page.goto(question)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".answer-form")).to_be_hidden()
    expect(page.locator("article.question summary")).to_contain_text("Self-harm")
    expect(page.locator("article.question .note-action")).to_be_hidden()
    expect(page.locator(".question-body")).to_be_visible()
    colours = page.evaluate(
        """() => ["body", ".meta", "summary"].map(
             (s) => getComputedStyle(document.querySelector(s)).color)"""
    )
    dark_text = {"rgb(0, 0, 0)", "rgb(51, 51, 51)"}
    assert set(colours) <= dark_text, f"printed text is not dark on white: {colours}"
    shoot(page, f"print-question-{color_scheme}")


def test_the_error_summary_keeps_focus_after_a_refused_perspective(new_page):
    page = new_page(js=True, width=360)
    question, _ = ask(page, unique("Is it normal to feel flat after a good day"), "Just wondering.")
    page.goto(question)
    page.get_by_role("button", name="Post my perspective").click()
    expect(page).to_have_title("Error: " + page.locator("h1").inner_text() + " – Kettle")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    page.wait_for_load_state("load")
    expect(summary).to_be_focused()


def test_copying_the_keeper_link_is_said_aloud(new_page):
    page = new_page(js=True)
    ask(page, unique("How do I keep a journal I will not lose"), "On paper or a phone?")
    page.get_by_role("button", name="Copy the link").click()
    status = page.locator("[data-copy-status]")
    expect(status).to_have_attribute("role", "status")
    expect(status).not_to_be_empty()
    assert status.inner_text() == page.locator("button[data-copy]").inner_text()
