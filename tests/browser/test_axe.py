"""WCAG 2.2 AA on every page type: axe-core in light and dark, at 320px and 1280px.

Beside axe, every page must have one h1, one main, a title, a name for every control
and no sideways scrolling. Screenshots land in test-artifacts/screenshots/a11y-*.png.

One test per area of the site; each records the paths it checked, and the last test in
this module fails if a page a GET can reach was checked by none of them.
"""

import contextlib
from datetime import timedelta

import pytest
from werkzeug.exceptions import HTTPException

from app import create_app
from tests.browser.axe import Checker
from tests.browser.moderation import (
    become_moderator,
    case_for,
    hide_case,
    report_question,
    reported_question,
    start_shift,
)
from tests.browser.pages import answer, ask, join, name, unique
from tests.browser.rota import (
    account_named,
    appeal_overturned,
    ask_about,
    become_coordinator,
    debrief_sent,
    note_from_earlier_shift,
    other_moderator,
    plan_shift,
    reading_for_a_while,
)
from tests.browser.support import expect
from tests.conftest import TestConfig
from tests.page_types import page_endpoints

pytestmark = pytest.mark.browser

WIDTHS = (320, 1280)
COLOR_SCHEMES = ("light", "dark")
AREAS = (
    "reading", "error", "asking", "keeper", "account", "reporting", "moderation", "appeal",
    "rota", "coordinating",
)  # fmt: skip


def at_every_size(test):
    """Run an area's test in light and dark, at 320px and 1280px."""
    test = pytest.mark.parametrize("color_scheme", COLOR_SCHEMES)(test)
    return pytest.mark.parametrize("width", WIDTHS)(test)


@pytest.fixture(scope="module")
def checked():
    """(area, width, color_scheme) -> the paths axe checked there, across this module."""
    return {}


@pytest.fixture
def check(request, new_page, shoot, width, color_scheme, checked):
    """A Checker on a fresh page; the paths it checks are recorded for the final guard."""
    # CSP is bypassed in this test browser only, so axe can be injected as a script tag.
    page = new_page(width=width, color_scheme=color_scheme, bypass_csp=True)
    checker = Checker(page, shoot, width, color_scheme)
    yield checker
    area = request.node.originalname.removeprefix("test_").removesuffix("_pages_pass_axe")
    checked[(area, width, color_scheme)] = checker.paths


@at_every_size
def test_reading_pages_pass_axe(check, site):
    page = check.page
    check.visit("home", "/")
    expect(page.locator(".noted-title").first).to_be_visible()
    expect(page.locator(".question-title:not(.noted-title)").first).to_be_visible()
    check.visit("topics", "/topics")
    check.visit("topic", site["topic"])
    check.visit("question-collapsed", site["question"])
    details = page.locator("details.content-note")
    assert details.count() >= 2, "the question page should have noted question and answers"
    details.evaluate_all("(all) => all.forEach((d) => { d.open = true; })")
    expect(page.locator(".question-body")).to_be_visible()
    check.check("question-opened")
    check.visit("question-plain", site["plain_question"])
    check.visit("pseudonym-with-posts", site["pseudonym"])
    check.visit("help-now", "/help-now")
    check.visit("how-it-works", "/how-it-works")
    check.visit("easy-read", "/how-it-works/easy-read")
    check.visit("content-note-settings", "/settings/content-notes")
    check.visit("search-start", "/search")
    check.visit("search-results", "/search?q=mornings+hard")
    expect(page.locator(".search-result mark").first).to_be_visible()
    check.visit("search-noted", "/search?q=sleeved")
    expect(page.locator(".search-result .noted-title").first).to_be_visible()
    assert not check.problems, check.report()


@at_every_size
def test_error_pages_pass_axe(check):
    check.visit("not-found", "/no-such-page", status=404)
    check.visit("search-refused", "/search?q=" + "word+" * 100, status=400)
    assert not check.problems, check.report()


@at_every_size
def test_asking_pages_pass_axe(check):
    page = check.page
    check.visit("ask", "/ask")
    page.get_by_role("button", name="Post my question").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("ask-errors")
    page.get_by_label("Your question, in a line").fill(unique("Is it fine to take a day off"))
    page.get_by_label("Your question, in more detail").fill("Just one day.")
    page.get_by_label("Topic", exact=True).select_option(label="Getting through today")
    page.get_by_role("button", name="Post my question").click()
    expect(page.locator("#keeper-link")).to_be_visible()
    check.check("question-fresh-keeper-link")
    assert not check.problems, check.report()


@at_every_size
def test_keeper_pages_pass_axe(check, site):
    """The asker's and answerer's own pages, through keeper links."""
    check.visit("keeper-question", site["keeper"])
    check.visit("keeper-edit", site["keeper"] + "/edit")
    check.visit("keeper-delete", site["keeper"] + "/delete")
    check.visit("keeper-answer", site["answer_keeper"])
    assert not check.problems, check.report()


@at_every_size
def test_account_pages_pass_axe(check, site, width, color_scheme):
    """Joining, signing in, an account's own pages, and a reader's hidden content notes."""
    page = check.page
    check.visit("login", "/login")
    check.visit("recover", "/recover")
    check.visit("join", "/join")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("join-errors")
    join(
        page,
        name(f"reader-{width}-{color_scheme}"),
        name("Wren"),
        on_codes=lambda: check.check("recovery-codes"),
    )
    check.check("account")
    page.locator(".pseudonym-list a").first.click()
    expect(page.locator("h1")).to_contain_text("Wren")
    check.check("pseudonym")
    check.visit("ask-signed-in", "/ask")
    check.visit("account-password", "/account/password")
    check.visit("account-delete", "/account/delete")
    check.visit("account-new-codes", "/account/recovery-codes/new")
    check.visit("account", "/account")
    page.get_by_role("link", name="Retire").first.click()
    check.check("account-retire")
    check.visit("account", "/account")
    page.get_by_role("link", name="Rename").first.click()
    check.check("account-rename")

    # A question whose note this reader chose to hide opens behind a gate.
    check.visit("content-note-settings-signed-in", "/settings/content-notes")
    page.get_by_role("radio", name="Self-harm Hide").check()
    page.get_by_role("button", name="Save my choices").click()
    check.visit("question-hidden-gate", site["question"])
    expect(page.locator("h1")).to_have_text("A question with a content note you chose to hide")
    assert not check.problems, check.report()


@at_every_size
def test_reporting_pages_pass_axe(check, new_page):
    """Reporting a perspective without an account: the form (folded, opened, sent back),
    the receipt link, and the receipt. Someone else posts it, so it is not the reader's own."""
    author = new_page()
    question, _ = ask(author, unique("Is it all right to skip a family meal"), "Just once.")
    answer(author, question, "It was, for me.", note="Suicide")
    page = check.page
    page.goto(question)
    page.get_by_role("link", name="Report this perspective").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report this perspective")
    check.check("report-form")
    page.locator("details.reported-words > summary").click()
    expect(page.locator("details.reported-words .prose")).to_be_visible()
    check.check("report-form-opened")
    page.get_by_role("button", name="Send my report").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("report-form-errors")
    page.get_by_label("Could identify someone").check()
    page.get_by_role("button", name="Send my report").click()
    expect(page.locator("#receipt-link")).to_be_visible()
    check.check("report-sent")
    page.locator("#receipt-link").click()
    expect(page.locator("#report-status")).to_have_attribute("data-state", "waiting")
    check.check("receipt")


@at_every_size
def test_moderation_pages_pass_axe(check, live_app, width, color_scheme):
    """A moderator's rota page, the queue, a noted case folded and opened, and the log."""
    page = check.page
    become_moderator(page, live_app, f"moderator-{width}-{color_scheme}")
    check.check("rota-off-shift")
    _, case_id = reported_question(live_app, unique("A reported question"), "Reported words.")
    start_shift(page)
    check.check("queue")
    check.visit("rota-on-shift", "/rota")
    check.visit("case-folded", f"/moderate/cases/{case_id}")
    page.get_by_role("button", name="Claim this case").click()
    page.locator("details.reported-words summary").click()
    expect(page.locator(".reported-text").first).to_be_visible()
    check.check("case-claimed-opened")
    page.get_by_role("button", name="Act on this case").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("case-errors")
    check.visit("log", "/moderation-log")
    assert not check.problems, check.report()


@at_every_size
def test_appeal_pages_pass_axe(check, live_app, new_page, width, color_scheme):
    """A statement of reasons on a keeper page, its appeal form sent empty and then sent,
    and the appeals page with a form to decide (another moderator hid the post)."""
    author = new_page()
    question, keeper = ask(author, unique("Can I say no to a second shift"), "I am so tired.")
    report_question(new_page(), question)
    hider = new_page()
    become_moderator(hider, live_app, f"hider-{width}-{color_scheme}")
    start_shift(hider)
    hide_case(hider, case_for(live_app, int(question.rsplit("/", 1)[1])), "Please look again.")

    page = check.page
    check.visit("keeper-statement", keeper)
    page.get_by_role("button", name="Send my appeal").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("keeper-appeal-errors")
    page.get_by_label("Why should the decision change?").fill("It was about me, not them.")
    page.get_by_role("button", name="Send my appeal").click()
    expect(page.locator(".appeal-outcome")).to_have_attribute("data-appeal-state", "waiting")
    check.check("keeper-appealed")

    become_moderator(page, live_app, f"hearer-{width}-{color_scheme}")
    start_shift(page)
    check.visit("appeals", "/moderate/appeals")
    expect(page.locator(".appeal[data-appeal-id]").first).to_be_visible()
    page.get_by_role("button", name="Decide this appeal").first.click()
    expect(page.locator("#refusal, #error-summary").first).to_be_visible()
    check.check("appeals-errors")
    for moderator in (hider, page):
        moderator.goto("/rota")
        moderator.get_by_role("button", name="Step out now").click()
    assert not check.problems, check.report()


@at_every_size
def test_rota_pages_pass_axe(check, live_app, fresh_plan, width, color_scheme):
    """A moderator's rota page with a plan (their place on a shift running now, a full
    shift, one with places to sign up for) and their limits sent back; the queue asking
    for a second look with a break due; a second-opinion conversation; the debrief offer,
    debrief notes and their form sent back; handover notes new to them; a notice after an
    overturned appeal; and the offer of a handover note after stepping out."""
    page, size = check.page, f"{width}-{color_scheme}"
    colleague, _ = other_moderator(live_app, f"colleague-{size}")
    running = plan_shift(live_app, timedelta(minutes=-30))
    plan_shift(live_app, timedelta(days=1), hours=2, places=1, people=[colleague])
    plan_shift(live_app, timedelta(days=1, hours=3), hours=2)
    rota_name = become_moderator(page, live_app, f"rota-{size}")
    check.check("rota-plan")
    shift = page.locator(f'li.planned-shift[data-planned-shift-id="{running}"]')
    shift.get_by_role("button", name="Sign up").click()
    expect(shift.locator(".signed-up")).to_have_text("You are signed up.")
    expect(page.locator("li.planned-shift").filter(has_text="Full.")).to_have_count(1)
    check.check("rota-signed-up")
    page.get_by_label("At most this many shifts a week").evaluate(
        "(s) => { s.add(new Option('99', '99')); s.value = '99'; }"
    )
    page.get_by_role("button", name="Save my limits").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("rota-limits-errors")

    _, case_id = reported_question(live_app, unique("A question asked about"), "Hard words.")
    ask_about(live_app, case_id, colleague, "Is this about someone here, or their own week?")
    note_from_earlier_shift(live_app, colleague, "A quiet evening; one thread to watch.")
    page.get_by_role("button", name="Start my shift").click()
    reading_for_a_while(live_app, account_named(live_app, rota_name))
    check.visit("queue-second-look-break", "/moderate")
    expect(page.locator("#second-looks .case")).to_have_count(1)
    expect(page.locator("#break-suggestion")).to_be_visible()
    expect(page.locator("#handover-unread .handover-note").first).to_be_visible()
    page.get_by_role("link", name="read their question and reply").click()
    page.get_by_label("Your reply").fill("Their own week, I think; it reads as about them.")
    page.get_by_role("button", name="Send my reply").click()
    expect(page.locator(".opinion-reply")).to_have_count(1)
    check.check("case-second-opinion")
    page.get_by_role("button", name="Send my reply").click()
    expect(page.locator("#opinion-errors")).to_be_visible()
    check.check("case-second-opinion-errors")
    hide_case(page, case_id)
    expect(page.locator("#debrief")).to_be_visible()
    check.check("queue-debrief-offer")

    page.get_by_role("button", name="Keep this note").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("debrief-offer-errors")
    page.get_by_label("How was that for you?").fill("That one stayed with me a little.")
    page.get_by_label("Send it to the coordinators, with my rota name").check()
    page.get_by_role("button", name="Keep this note").click()
    expect(page.locator("#my-notes .debrief")).to_have_count(1)
    check.check("debriefs-mine")
    check.visit("handover-new", "/rota/handover")
    expect(page.locator("#handover-new .handover-note").first).to_be_visible()
    appeal_overturned(live_app, account_named(live_app, rota_name))
    check.visit("rota-on-shift-notice", "/rota")
    expect(page.locator("#moderator-notices")).to_be_visible()
    page.get_by_role("button", name="Step out now").click()
    expect(page.locator("#handover-offer")).to_be_visible()
    check.check("rota-handover-offer")
    assert not check.problems, check.report()


@at_every_size
def test_coordinating_pages_pass_axe(check, live_app, fresh_plan, width, color_scheme):
    """A coordinator's rota page and tools: the plan with its pattern form sent back and
    then planned, gaps (one with a note nobody signed up can take), hours per person,
    debrief notes sent to them, handover notes, and each tool with a form sent back."""
    page, size = check.page, f"{width}-{color_scheme}"
    colleague, _ = other_moderator(live_app, f"planned-{size}", opted_out=("self-harm",))
    # Two people, both opted out: one person's notes alone are never named to coordinators.
    second, _ = other_moderator(live_app, f"second-{size}", opted_out=("self-harm",))
    plan_shift(live_app, timedelta(days=1, hours=1), hours=2, places=2,
               people=[colleague, second])  # fmt: skip
    debrief_sent(live_app, colleague, "A hard case tonight; I am all right, just tired.")
    note_from_earlier_shift(live_app, colleague, "Two new people in Getting through today.")
    become_coordinator(page, live_app, f"coordinator-{size}")
    check.visit("rota-coordinator", "/rota")
    check.visit("coordinate", "/coordinate")
    check.visit("plan", "/rota/plan")
    page.get_by_label("Number of days").fill("")
    page.get_by_label("Each slot lasts (hours)").fill("")
    page.get_by_role("button", name="Plan these shifts").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check.check("plan-errors")
    page.get_by_label("Number of days").fill("3")
    page.get_by_label("Each slot lasts (hours)").fill("2")
    page.get_by_role("button", name="Plan these shifts").click()
    expect(page.locator("li.planned-shift").first).to_be_visible()
    check.check("plan-planned")
    check.visit("gaps", "/rota/gaps")
    expect(page.locator(".gap .gap-notes").first).to_contain_text("Self-harm")
    check.visit("hours", "/rota/hours")
    check.visit("debriefs-coordinator", "/rota/debriefs")
    expect(page.locator("#sent-notes .debrief").first).to_be_visible()
    check.visit("handover-coordinator", "/rota/handover")
    expect(page.locator("#handover-coordinator")).to_be_visible()

    for label, path, button in (
        ("people", "/coordinate/people", "Save"),
        ("topics", "/coordinate/topics", "Add the topic"),
        ("content-notes", "/coordinate/content-notes", "Add the note"),
        ("raid", "/coordinate/raid", "Pause new questions"),
    ):
        check.visit(label, path)
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("#error-summary")).to_be_visible()
        check.check(f"{label}-errors")
    page.goto("/coordinate/topics")
    page.locator(".coordinated-topic a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit the topic")
    check.check("topic")
    page.goto("/coordinate/content-notes")
    page.locator(".coordinated-note a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rename the content note")
    check.check("content-note")
    assert not check.problems, check.report()


def test_axe_checked_every_page_a_get_can_reach(checked):
    """Runs last in this module: the area tests above, together, reached every page."""
    expected = {(a, w, c) for a in AREAS for w in WIDTHS for c in COLOR_SCHEMES}
    if not expected <= checked.keys():
        pytest.skip(
            f"needs every area test above to run first; missing {sorted(expected - checked.keys())}"
        )
    for width in WIDTHS:
        for color_scheme in COLOR_SCHEMES:
            paths = set().union(*(checked[(a, width, color_scheme)] for a in AREAS))
            unchecked = pages_never_checked(paths)
            assert not unchecked, (
                f"pages axe never checked at {width}-{color_scheme} (add them to an area test"
                f" above): {sorted(unchecked)}"
            )


def pages_never_checked(paths):
    """Endpoints a GET can reach that render a page, less those among `paths`.

    The moderation queue, rota and log join this set when they land, and the area tests
    above must then visit them too."""
    url_map = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).url_map
    pages = page_endpoints(url_map)
    adapter = url_map.bind("kettle.test")
    for path in paths:
        with contextlib.suppress(HTTPException):  # the not-found page, checked on purpose
            pages.discard(adapter.match(path, method="GET")[0])
    return pages
