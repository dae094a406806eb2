"""WCAG 2.2 AA on every page type: axe-core in light and dark, at 320px and 1280px.

Beside axe, every page must have one h1, one main, a title, a name for every control
and no sideways scrolling. Screenshots land in test-artifacts/screenshots/a11y-*.png.

One test per area of the site; each records the paths it checked, and the last test in
this module fails if a page a GET can reach was checked by none of them.
"""

import contextlib

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
from tests.browser.support import expect
from tests.conftest import TestConfig
from tests.page_types import page_endpoints

pytestmark = pytest.mark.browser

WIDTHS = (320, 1280)
COLOR_SCHEMES = ("light", "dark")
AREAS = (
    "reading", "error", "asking", "keeper", "account", "reporting", "moderation", "appeal",
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
    assert not check.problems, check.report()


@at_every_size
def test_error_pages_pass_axe(check):
    check.visit("not-found", "/no-such-page", status=404)
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
