"""A moderator's shift with the keyboard alone, JavaScript on and off: start the shift, open
a noted case from the queue, claim it, open the reported words, hide the post with a rule
and a public note, and step out."""

import pytest

from tests.browser.moderation import become_moderator, reported_question
from tests.browser.pages import unique
from tests.browser.support import expect
from tests.browser.test_keyboard import focused, tab_until

pytestmark = pytest.mark.browser


def _press_button(page, words):
    tab_until(page, lambda e: e["tag"] == "button" and e["text"] == words)
    page.keyboard.press("Enter")


def test_a_moderators_shift_with_the_keyboard_alone(page, live_app, js, shoot):
    mode = "js" if js else "nojs"
    become_moderator(page, live_app, f"keyboard-{mode}")
    title = unique("A reported question read by keyboard")
    _, case_id = reported_question(live_app, title, "Words someone reported at night.")

    page.goto("/rota")
    _press_button(page, "Start my shift")
    expect(page.get_by_role("heading", level=1)).to_have_text("The moderation queue")

    tab_until(page, lambda e: e["tag"] == "a" and e["text"].startswith(f"Case {case_id}:"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/moderate')[0]}/moderate/cases/{case_id}")
    _press_button(page, "Claim this case")
    expect(page.locator("#case-status")).to_contain_text("Claimed by you")

    tab_until(page, lambda e: e["tag"] == "summary" and "Self-harm" in e["text"])
    page.keyboard.press("Enter")
    expect(page.locator(".reported-text").first).to_contain_text("Words someone reported")

    tab_until(page, lambda e: e["type"] == "radio" and e["name"] == "action")
    # Arrow keys move through a radio group; stop on "Hide".
    for _ in range(12):
        if (focused(page)["label"] or "").startswith("Hide it from readers"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.get_by_label("Hide it from readers (reversible)")).to_be_checked()
    tab_until(page, lambda e: e["name"] == "reason")
    page.keyboard.type("Keep people")  # a focused select picks the option starting so
    assert focused(page)["value"] == "no-identifying"
    tab_until(page, lambda e: e["name"] == "public_note")
    page.keyboard.type("It could identify someone.")
    shoot(page, f"a11y-keyboard-moderation-{mode}")
    _press_button(page, "Act on this case")
    expect(page.get_by_role("heading", level=1)).to_have_text("The moderation queue")
    expect(page.locator(f'.case[data-case-id="{case_id}"]')).to_have_count(0)

    page.goto("/rota")
    _press_button(page, "Step out now")
    expect(page.locator("#shift-status")).to_have_attribute("data-on-shift", "no")
