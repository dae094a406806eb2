"""The keyboard alone: the skip link, asking, opening a content note, leaving quickly,
and a visible focus on every Tab stop, in both themes.
"""

import pytest

from tests.browser.pages import QUESTION_PATH, unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser

FOCUSED = """
() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const label = e.labels && e.labels.length ? e.labels[0].innerText.trim() : null;
  return {
    tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute("name"),
    type: e.getAttribute("type"), label, value: e.value ?? null,
    text: (e.innerText || "").trim().slice(0, 60), inMain: !!e.closest("main"),
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
  };
}
"""


def focused(page):
    return page.evaluate(FOCUSED)


def describe(element):
    bits = [element["tag"]]
    if element["id"]:
        bits.append(f"#{element['id']}")
    words = element["label"] or element["text"] or element["name"]
    if words:
        bits.append(repr(words))
    return " ".join(bits)


def tab_until(page, wanted, limit=80, key="Tab"):
    """Press Tab until `wanted(focused element)` holds; fail, naming the stops, if it never does."""
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        stops.append(describe(now))
        if wanted(now):
            return now
    pytest.fail(f"{key} never reached it on {page.url}; stops were:\n  " + "\n  ".join(stops))


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, js):
    page.goto("/topics")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a"
    assert first["text"] == "Skip to main content", f"first Tab stop is {describe(first)}"
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    expect(page.locator("main")).to_be_focused()
    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    after = focused(page)
    assert after["inMain"], f"Tab after the skip link went to {describe(after)}, outside main"


def test_ask_a_question_with_the_keyboard_alone(page, js, shoot):
    title = unique("Can I ask for a different support worker")
    body = "We do not get on, and I dread the visits."
    page.goto("/ask")
    tab_until(page, lambda e: e["label"] == "Your question, in a line")
    page.keyboard.type(title)
    tab_until(page, lambda e: e["name"] == "topic")
    # Typing on a focused select chooses the option that starts with those letters.
    page.keyboard.type("Getting")
    assert focused(page)["value"] == "getting-through-today"
    tab_until(page, lambda e: e["label"] == "Your question, in more detail")
    page.keyboard.type(body)
    note = tab_until(page, lambda e: e["type"] == "checkbox" and e["label"] == "Self-harm")
    assert note["outlineStyle"] != "none"
    page.keyboard.press("Space")
    expect(page.get_by_label("Self-harm", exact=True)).to_be_checked()
    shoot(page, f"a11y-keyboard-ask-{'js' if js else 'nojs'}")
    tab_until(page, lambda e: e["tag"] == "button" and e["text"] == "Post my question")
    page.keyboard.press("Enter")

    expect(page).to_have_url(QUESTION_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A question with content notes: Self-harm"
    )
    expect(page.locator("#question-body-title")).to_have_text(title)
    expect(page.locator("#keeper-link")).to_be_visible()
    expect(page.locator("article.question details.content-note summary")).to_contain_text(
        "Self-harm"
    )


def test_open_a_content_note_with_enter_and_read_it(page, js, site):
    page.goto(site["question"])
    details = page.locator("article.question details.content-note")
    expect(details).to_have_js_property("open", False)
    summary = tab_until(page, lambda e: e["tag"] == "summary")
    assert "Self-harm" in summary["text"]
    assert summary["outlineStyle"] != "none", "a focused content note shows no focus outline"
    page.keyboard.press("Enter")
    expect(details).to_have_js_property("open", True)
    expect(details.locator(".question-body")).to_be_visible()
    expect(details.locator(".question-body")).to_contain_text("Everyone changes in the same room.")
    # Enter again folds it away.
    page.keyboard.press("Enter")
    expect(details).to_have_js_property("open", False)


def test_leave_quickly_is_within_four_tab_stops_and_works_with_enter(page, js, live_server):
    page.goto("/ask")
    stops = []
    for _ in range(4):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1]["text"] == "Leave quickly":
            break
    order = ", ".join(describe(stop) for stop in stops)
    assert stops[-1]["text"] == "Leave quickly", f"not in the first 4 Tab stops: {order}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server + "/how-it-works")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_focus_is_visible_on_every_tab_stop(new_page, site, color_scheme):
    """Links, buttons, inputs, selects, textareas and summaries all show an outline on focus."""
    page = new_page(js=True, color_scheme=color_scheme)
    kinds_seen = set()
    for path in ["/ask", site["question"], "/settings/content-notes"]:
        page.goto(path)
        seen_here = []
        for _ in range(200):
            page.keyboard.press("Tab")
            now = focused(page)
            if now["tag"] == "body" or (seen_here and now == seen_here[0]):
                break  # Tab has left the page or come round again
            seen_here.append(now)
            kinds_seen.add(now["tag"])
            no_focus = (
                f"no visible focus on {describe(now)} at {path} ({color_scheme}): "
                f"outline {now['outlineStyle']} {now['outlineWidth']}"
            )
            assert now["outlineStyle"] != "none", no_focus
            assert now["outlineWidth"] != "0px", no_focus
        assert seen_here, f"Tab reached nothing on {path}"
    missing = {"a", "button", "input", "select", "textarea", "summary"} - kinds_seen
    assert not missing, f"focus was never checked on {sorted(missing)}"
