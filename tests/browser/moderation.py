"""A moderator and a reported post for the browser tests: the role and the case are set
up directly (no page grants a role yet, and reporting is built elsewhere); everything a
moderator then does goes through the pages."""

from app.accounts import services
from app.web.extensions import db
from tests.browser.pages import join, name
from tests.browser.support import expect
from tests.builders import Builders
from tests.moderation_helpers import open_case


def become_moderator(page, live_app, word="moderator"):
    """Join through the pages, be granted the moderator role, and choose a rota name on
    /rota; returns the rota name. The shift is not started."""
    handle = name(word)
    join(page, handle, name("Wren"))
    with live_app.app_context():
        services.grant(handle, "moderator")
        db.session.remove()
    rota_name = name("Kestrel")
    page.goto("/rota")
    page.get_by_label("Your rota name").fill(rota_name)
    page.get_by_role("button", name="Save my rota name").click()
    expect(page.locator("#shift-status")).to_have_attribute("data-on-shift", "no")
    return rota_name


def nobody_on_shift(live_app):
    """End every running shift in the shared live app, as if each moderator had finished:
    other browser tests leave theirs running, and a page may say who is reading now."""
    from sqlalchemy import update

    from app.core.time import now
    from app.rota.models import ENDED, Shift

    with live_app.app_context():
        db.session.execute(
            update(Shift).where(Shift.ended_at.is_(None)).values(ended_at=now(), ended_how=ENDED)
        )
        db.session.commit()
        db.session.remove()


def start_shift(page):
    page.goto("/rota")
    page.get_by_role("button", name="Start my shift").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The moderation queue")


def reported_question(live_app, title, body, notes=("self-harm",)):
    """A question with notes, and an open case on it; returns (question id, case id)."""
    posted = Builders(live_app).question(
        title=title, body=body, topic="getting-through-today", content_notes=notes
    )
    case_id = open_case(live_app, posted.post, reasons=("abuse", "needs-note"))
    return posted.post.id, case_id


def report_question(page, question):
    """Report the question at path `question` as abuse, through its Report link; returns
    the receipt's path."""
    page.goto(question)
    page.get_by_role("link", name="Report this question").click()
    page.get_by_label("Abuse or pile-on").check()
    page.get_by_role("button", name="Send my report").click()
    return page.locator("#receipt-link").get_attribute("href")


def hide_case(page, case_id, to_author=""):
    """Claim the case and hide its post under "Be kind", with a message to the author."""
    page.goto(f"/moderate/cases/{case_id}")
    page.get_by_role("button", name="Claim this case").click()
    page.get_by_label("Hide it from readers (reversible)").check()
    page.get_by_label("The community rule it rests on").select_option("be-kind")
    page.get_by_label("A short public note for the log").fill("Read as about someone here.")
    page.get_by_label("A message to the author").fill(to_author)
    page.get_by_role("button", name="Act on this case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The moderation queue")


def case_for(live_app, question_id):
    """The id of the newest case on a question."""
    from sqlalchemy import select

    from app.moderation.models import Case

    with live_app.app_context():
        found = db.session.scalar(
            select(Case.id).where(Case.question_id == question_id).order_by(Case.id.desc())
        )
        db.session.remove()
        return found
