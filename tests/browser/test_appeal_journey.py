"""An appeal in Chromium, with JavaScript on and off: someone reports a question without an
account, a moderator hides it with a message to the author, the author reads why on their
keeper page and appeals, the moderator who hid it cannot hear the appeal, and another
moderator overturns it, so readers see the question again and the author reads the answer.
"""

import pytest

from tests.browser.moderation import (
    become_moderator,
    case_for,
    hide_case,
    report_question,
    start_shift,
)
from tests.browser.pages import ask, unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser

TO_AUTHOR = "People read this as being about someone here; please keep to your own story."
APPEAL = "It was about my own week and nobody else; I would like it back."
HEARD = "Reading it again, it is about your own week. It is back for readers now."


def _mode(js):
    return "js" if js else "nojs"


def test_an_author_appeals_and_another_moderator_overturns(new_page, live_app, js, shoot):
    mode = _mode(js)
    title = unique("Is it all right to leave a party early")
    author = new_page(js=js, width=320, height=720)
    question, keeper = ask(author, title, "I left after an hour and felt awful about it.")
    question_id = int(question.rsplit("/", 1)[1])

    reporter = new_page(js=js)
    receipt = report_question(reporter, question)

    hider = new_page(js=js)
    become_moderator(hider, live_app, f"hider-{mode}")
    start_shift(hider)
    case_id = case_for(live_app, question_id)
    expect(hider.locator(f'.case[data-case-id="{case_id}"]')).to_have_count(1)
    hide_case(hider, case_id, TO_AUTHOR)
    passer_by = new_page(js=js)
    assert passer_by.goto(question).status == 200  # the page stays, without its words
    expect(passer_by.get_by_role("heading", level=1)).to_have_text("A moderator hid this question")
    expect(passer_by.locator("main")).not_to_contain_text(title)

    # The author reads why, on their keeper page, and appeals.
    author.goto(keeper)
    statement = author.locator(".statement").first
    expect(statement).to_contain_text("hid it from readers")
    expect(statement).to_contain_text("Be kind to each other")
    expect(statement).to_contain_text(TO_AUTHOR)
    shoot(author, f"appeal-journey-statement-{mode}")
    statement.get_by_label("Why should the decision change?").fill(APPEAL)
    statement.get_by_role("button", name="Send my appeal").click()
    expect(author.locator(".appeal-outcome")).to_have_attribute("data-appeal-state", "waiting")

    # The moderator who hid it sees the appeal but may not decide it.
    hider.goto("/moderate/appeals")
    mine = hider.locator(".appeal[data-appeal-id]").filter(has_text=APPEAL)
    expect(mine).to_have_count(1)
    expect(mine.get_by_role("button", name="Decide this appeal")).to_have_count(0)

    # Another moderator on shift hears it and overturns.
    hearer = new_page(js=js)
    become_moderator(hearer, live_app, f"hearer-{mode}")
    start_shift(hearer)
    hearer.locator("#appeals-link").click()
    expect(hearer.get_by_role("heading", level=1)).to_have_text("Appeals waiting to be heard")
    appeal = hearer.locator(".appeal[data-appeal-id]").filter(has_text=APPEAL)
    appeal.get_by_label("Overturn", exact=False).check()
    appeal.get_by_label("Your message to the person who appealed").fill(HEARD)
    shoot(hearer, f"appeal-journey-deciding-{mode}")
    appeal.get_by_role("button", name="Decide this appeal").click()
    expect(hearer.locator(".appeal[data-appeal-id]").filter(has_text=APPEAL)).to_have_count(0)

    # Readers see the question again; the author reads the answer; the log shows both steps.
    reader = new_page(js=js)
    assert reader.goto(question).status == 200
    expect(reader.get_by_role("heading", level=1)).to_contain_text(title)
    author.goto(keeper)
    outcome = author.locator(".appeal-outcome")
    expect(outcome).to_have_attribute("data-appeal-state", "overturned")
    expect(outcome).to_contain_text(HEARD)
    shoot(author, f"appeal-journey-heard-{mode}")
    reader.goto("/moderation-log")
    expect(reader.locator(".log-entry").first).to_contain_text("reversed")
    expect(reader.locator("main")).not_to_contain_text(APPEAL)
    expect(reader.locator("main")).not_to_contain_text(HEARD)
    reporter.goto(receipt)
    expect(reporter.locator("#report-status")).to_have_attribute("data-state", "decided")

    for moderator in (hider, hearer):
        moderator.goto("/rota")
        moderator.get_by_role("button", name="Step out now").click()
