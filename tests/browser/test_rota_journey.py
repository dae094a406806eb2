"""The rota in Chromium, with JavaScript on and off: a coordinator plans a week of shifts
and sees its gaps; a moderator signs up for a shift running now and starts it, asks the
other moderators for a second opinion on a reported case, another moderator on the shift
replies, and the first reads the reply in the case; after stepping out the first leaves a
handover note, and the next moderator to start finds it, new, on the queue.

The shift running now is planned directly (a pattern plans whole hours from a first day,
so whether one covers this minute would depend on the clock); everything else goes
through the pages.
"""

from datetime import timedelta

import pytest

from app.core.time import now
from app.rota.calendar import local
from tests.browser.moderation import become_moderator, reported_question
from tests.browser.pages import unique
from tests.browser.rota import become_coordinator, plan_shift
from tests.browser.support import expect

pytestmark = pytest.mark.browser

QUESTION = "Is this about someone here, or about their own week? I cannot tell."
REPLY = "Their own week, I think: nobody here is named, and it reads as about them."
# Seven days of two-hour slots from 08:00 to 22:00: the pattern form's own defaults.
A_WEEK = 7 * 7


def said(page):
    """What the page says back after a form (the flashed message)."""
    return page.locator('div.notice[role="status"]')


def tomorrow(live_app):
    with live_app.app_context():
        return (local(now()).date() + timedelta(days=1)).isoformat()


def on_shift_for(page, live_app, word, planned_id):
    """Become a moderator, sign up on /rota for the planned shift running now, and start
    it inside that shift; returns the rota name."""
    rota_name = become_moderator(page, live_app, word)
    shift = page.locator(f'li.planned-shift[data-planned-shift-id="{planned_id}"]')
    shift.get_by_role("button", name="Sign up").click()
    expect(said(page)).to_contain_text("You are signed up for")
    expect(shift.locator(".signed-up")).to_have_text("You are signed up.")
    expect(shift).to_contain_text(rota_name)
    page.get_by_role("button", name="Start my shift").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The moderation queue")
    expect(said(page)).to_contain_text("You are on shift until")
    return rota_name


def plan_a_week(page, live_app, mode, shoot):
    """A coordinator plans a week of shifts from tomorrow on /rota/plan, and finds every
    one of them among the gaps, nobody having signed up yet."""
    become_coordinator(page, live_app, f"planner-{mode}")
    page.goto("/rota")
    page.locator("#coordinating-link a").click()
    page.get_by_role("link", name="Plan the rota").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan the rota")
    expect(page.locator("#nothing-planned")).to_be_visible()
    page.get_by_label("First day").fill(tomorrow(live_app))
    expect(page.get_by_label("Number of days")).to_have_value("7")
    expect(page.get_by_label("Moderators needed for each slot")).to_have_value("2")
    page.get_by_role("button", name="Plan these shifts").click()
    expect(said(page)).to_have_text(f"Planned {A_WEEK} shifts.")
    expect(page.locator("li.planned-shift")).to_have_count(A_WEEK)
    expect(page.locator("li.planned-shift").first).to_contain_text("08:00 to 10:00")
    expect(page.locator("li.planned-shift").first).to_contain_text("0 of 2 places taken")
    shoot(page, f"rota-journey-planned-{mode}")

    page.get_by_role("link", name="Gaps", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gaps in the coming 14 days")
    gaps = page.locator(".gap[data-planned-shift-id]")
    expect(gaps).to_have_count(A_WEEK)
    expect(gaps.first.locator(".gap-places")).to_have_text(
        "Nobody has signed up yet: 2 places to fill."
    )
    shoot(page, f"rota-journey-gaps-{mode}")


def ask_about(page, case_id):
    """From the queue, open the case and ask the other moderators about it."""
    page.get_by_role("link", name=f"Case {case_id}:").click()
    page.get_by_label("Your question for the other moderators").fill(QUESTION)
    page.get_by_role("button", name="Ask for a second opinion").click()
    expect(said(page)).to_contain_text("Your question is at the top of the queue")
    asked = page.locator(".second-opinion")
    expect(asked).to_have_attribute("data-state", "waiting")
    expect(asked.get_by_role("heading")).to_contain_text("You asked")
    expect(asked.locator(".opinion-question")).to_have_text(QUESTION)
    expect(asked.locator(".opinion-status")).to_contain_text("You asked; waiting for a reply.")


def reply_from_the_queue(page, case_id, asker_name, shot, shoot):
    """Find the case asking for a second look at the top of the queue, read who asked
    what, and reply."""
    looks = page.locator("#second-looks")
    expect(looks.get_by_role("heading", level=2)).to_have_text("Asking for a second look")
    case = looks.locator(f'.case[data-case-id="{case_id}"]')
    expect(case.locator(".case-second-opinion")).to_contain_text(
        "A moderator asks for a second opinion"
    )
    shoot(page, shot)
    case.get_by_role("link", name="read their question and reply").click()
    conversation = page.locator(".second-opinion")
    expect(conversation.locator(".opinion-asker")).to_have_text(asker_name)
    expect(conversation.locator(".opinion-question")).to_have_text(QUESTION)
    expect(conversation.locator(".opinion-status")).to_contain_text("Nobody has replied yet.")
    conversation.get_by_label("Your reply").fill(REPLY)
    conversation.get_by_role("button", name="Send my reply").click()
    expect(said(page)).to_contain_text("Your words are in the conversation")
    expect(page.locator(".opinion-reply")).to_contain_text(REPLY)


def test_a_planned_shift_with_a_second_opinion_and_a_handover_note(
    new_page, live_app, js, shoot, fresh_plan
):
    mode = "js" if js else "nojs"
    plan_a_week(new_page(js=js), live_app, mode, shoot)
    running = plan_shift(live_app, timedelta(minutes=-30), hours=3, places=3)
    title = unique("A reported question someone asks about")
    _, case_id = reported_question(live_app, title, "Words that might be about someone here.")

    # The first moderator signs up for the shift running now, starts it and asks about a case.
    asker = new_page(js=js)
    asker_name = on_shift_for(asker, live_app, f"asker-{mode}", running)
    shoot(asker, f"rota-journey-on-shift-{mode}")
    ask_about(asker, case_id)

    # Another moderator on the same shift finds it at the top of the queue and replies.
    replier = new_page(js=js)
    replier_name = on_shift_for(replier, live_app, f"replier-{mode}", running)
    reply_from_the_queue(replier, case_id, asker_name, f"rota-journey-second-look-{mode}", shoot)

    # The first moderator sees the reply from the queue, in the case.
    asker.goto("/moderate")
    mine = asker.locator(f'.case[data-case-id="{case_id}"] .case-my-opinion')
    expect(mine).to_have_attribute("data-state", "replied")
    mine.get_by_role("link", name="Read the reply").click()
    expect(asker.locator(".second-opinion")).to_have_attribute("data-state", "replied")
    reply = asker.locator(".opinion-reply").filter(has_text=REPLY)
    expect(reply.locator(".opinion-replier")).to_have_text(replier_name)
    expect(reply).to_contain_text("replied")
    expect(asker.locator(".opinion-status")).to_have_text("Replied.")
    shoot(asker, f"rota-journey-reply-{mode}")

    # Stepping out, the first moderator is offered a handover note, and leaves one.
    note = unique("Quiet so far. One thread in Getting through today to keep an eye on")
    asker.goto("/rota")
    asker.get_by_role("button", name="Step out now").click()
    expect(asker.locator("#shift-status")).to_have_attribute("data-on-shift", "no")
    offer = asker.locator("#handover-offer")
    expect(offer.get_by_role("heading", level=2)).to_have_text(
        "Leave a handover note for the next moderators"
    )
    offer.get_by_label("Your note for the next moderators").fill(note)
    shoot(asker, f"rota-journey-handover-offer-{mode}")
    offer.get_by_role("button", name="Leave this note").click()
    expect(said(asker)).to_contain_text("Your note is waiting for the next moderators on shift")

    # The next moderator to start finds the note new on the queue; reading it marks it read.
    next_one = new_page(js=js)
    on_shift_for(next_one, live_app, f"next-{mode}", running)
    waiting = next_one.locator("#handover-unread .handover-note").filter(has_text=note)
    expect(waiting).to_have_attribute("data-new", "yes")
    expect(waiting.locator(".new")).to_have_text("New")
    expect(waiting).to_contain_text(asker_name)
    shoot(next_one, f"rota-journey-handover-new-{mode}")
    next_one.locator("#handover-link").click()
    expect(next_one.get_by_role("heading", level=1)).to_have_text("Handover notes")
    expect(next_one.locator("#handover-new .handover-note").filter(has_text=note)).to_have_count(1)
    next_one.goto("/moderate")
    expect(next_one.locator("#handover-unread").filter(has_text=note)).to_have_count(0)

    for moderator in (replier, next_one):
        moderator.goto("/rota")
        moderator.get_by_role("button", name="Step out now").click()
        expect(moderator.locator("#shift-status")).to_have_attribute("data-on-shift", "no")
