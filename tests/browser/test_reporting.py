"""Reporting a perspective without an account, with the keyboard alone, JavaScript on and off,
on a 320px screen; then keeping the receipt and reading it."""

import re

import pytest

from tests.browser.moderation import nobody_on_shift
from tests.browser.pages import answer, ask, unique
from tests.browser.support import expect
from tests.browser.test_keyboard import tab_until

pytestmark = pytest.mark.browser

RECEIPT_HREF = re.compile(r"^/receipt/[A-Za-z0-9_-]{43}$")


def mode(js):
    return "js" if js else "nojs"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_report_a_perspective_without_an_account_by_keyboard(new_page, js, shoot, live_app):
    nobody_on_shift(live_app)  # the form then says when reports will be read
    author = new_page()
    words = unique("Honestly, just stop taking your meds and see what happens")
    question, _ = ask(author, unique("Should I change my medication myself"), "I feel flat.")
    answer(author, question, words)

    page = new_page(js=js, width=320, height=720)
    page.goto(question)
    perspective = page.locator(".answer[data-answer-id]").filter(has_text=words)
    answer_id = perspective.get_attribute("data-answer-id")
    report_link = perspective.get_by_role("link", name="Report this perspective")
    expect(report_link).to_have_attribute("href", f"/report?target=answer:{answer_id}")

    tab_until(page, lambda e: e["text"].startswith("Report") and "perspective" in e["text"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/report\?target=answer:{answer_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Report this perspective")
    reported = page.locator("details.reported-words")
    expect(reported).not_to_have_attribute("open", "")
    expect(page.get_by_text("Nobody is reading reports right now.")).to_be_visible()
    shoot(page, f"report-{mode(js)}-1-form-320")

    # The reported words open from the keyboard too, and only when asked.
    tab_until(page, lambda e: e["tag"] == "summary")
    page.keyboard.press("Enter")
    expect(reported.locator(".prose")).to_contain_text(words)

    first = tab_until(page, lambda e: e["name"] == "reason")
    assert first["value"] == "abuse"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Could identify someone")).to_be_checked()
    tab_until(page, lambda e: e["name"] == "details")
    page.keyboard.type("It tells people to stop their medicine without a doctor.")
    tab_until(page, lambda e: e["tag"] == "button" and e["text"] == "Send my report")
    shoot(page, f"report-{mode(js)}-2-filled-320")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your report is sent")
    receipt = page.locator("#receipt-link")
    expect(receipt).to_have_attribute("href", RECEIPT_HREF)
    expect(page.get_by_text("The author never learns who reported.")).to_be_visible()
    shoot(page, f"report-{mode(js)}-3-sent-320")

    href = receipt.get_attribute("href")
    tab_until(page, lambda e: e["id"] == "receipt-link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    status = page.locator("#report-status")
    expect(status).to_have_attribute("data-state", "waiting")
    expect(status).to_contain_text("waiting for a moderator")
    notice = page.locator(".shift-notice")
    expect(notice).to_contain_text("Nobody is reading reports right now.")
    expect(notice.get_by_role("link", name="Need help now?")).to_have_attribute("href", "/help-now")
    shoot(page, f"report-{mode(js)}-4-receipt-320")

    # Sending another report on it from the same place counts once, and says so kindly.
    page.goto(f"/report?target=answer:{answer_id}")
    page.get_by_label("Spam or advertising").check()
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already reported this")
    expect(page.locator("#receipt-link")).to_have_count(0)
