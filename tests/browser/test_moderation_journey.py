"""A moderator's shift in Chromium, with JavaScript on and off: start, open a noted case,
hide the post with a rule and a public note, and step out."""

import pytest

from tests.browser.moderation import become_moderator, reported_question, start_shift
from tests.browser.pages import unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser


def test_a_moderator_hides_a_reported_post_and_steps_out(page, live_app, js, shoot):
    rota_name = become_moderator(page, live_app, f"journey-{'js' if js else 'nojs'}")
    title = unique("A reported question that names someone")
    question_id, case_id = reported_question(live_app, title, "Words naming a real person.")

    start_shift(page)
    case = page.locator(f'.case[data-case-id="{case_id}"]')
    expect(case).to_contain_text("Abuse or pile-on")
    expect(page.locator("main")).not_to_contain_text(title)
    case.get_by_role("link").click()

    folded = page.locator("details.reported-words")
    expect(folded).not_to_have_attribute("open", "")
    expect(folded.locator("summary")).to_contain_text("Self-harm")
    expect(page.locator(".reported-text").first).to_be_hidden()
    page.get_by_role("button", name="Claim this case").click()
    expect(page.locator("#case-status")).to_contain_text("Claimed by you")
    folded.locator("summary").click()
    expect(page.locator(".reported-text").first).to_contain_text("Words naming a real person.")
    shoot(page, f"moderation-journey-case-{'js' if js else 'nojs'}")

    page.get_by_label("Hide it from readers (reversible)").check()
    page.get_by_label("The community rule it rests on").select_option("no-identifying")
    page.get_by_label("A short public note for the log").fill("It could identify someone.")
    page.get_by_role("button", name="Act on this case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The moderation queue")
    expect(page.locator(f'.case[data-case-id="{case_id}"]')).to_have_count(0)

    response = page.goto(f"/q/{question_id}")
    assert response.status == 200  # the page stays, saying so, without its words
    expect(page.get_by_role("heading", level=1)).to_have_text("A moderator hid this question")
    expect(page.locator("main")).not_to_contain_text(title)
    page.goto("/moderation-log")
    entry = page.locator(".log-entry").filter(has_text="It could identify someone.").first
    expect(entry).to_contain_text(rota_name)
    expect(entry).to_contain_text("hid it from readers")
    expect(page.locator("main")).not_to_contain_text(title)

    page.goto("/rota")
    page.get_by_role("button", name="Step out now").click()
    expect(page.locator("#shift-status")).to_have_attribute("data-on-shift", "no")
    assert page.goto("/moderate").status == 403
