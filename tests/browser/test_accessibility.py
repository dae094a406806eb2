"""Accessibility in a real browser: WCAG 2.2 AA on every page type, and the keyboard alone.

- axe-core (vendored in tests/browser/vendor/, injected only into the test browser) runs on
  every page type in light and dark, at 320px and 1280px, and must find nothing.
- Playwright checks what axe leaves to judgement: one h1, a main, a title, every control
  named, and no sideways scrolling at 320px.
- Keyboard-only journeys: the skip link, asking a question, opening a content note, and
  leaving quickly, with focus always visible.

Screenshots of every page checked land in test-artifacts/screenshots/a11y-*.png.
"""

import itertools
import os
import re
import textwrap
from pathlib import Path

import pytest

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.support import expect

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 added only AA rules to axe: target-size).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Rules that must have run on every page, so a quiet axe cannot hide a switched-off rule.
MUST_RUN = {"target-size", "color-contrast", "label", "document-title", "html-has-lang"}
# Roles people operate; each needs a name a screen reader can say.
CONTROL_ROLES = {
    "button", "checkbox", "combobox", "link", "listbox", "radio", "searchbox", "slider",
    "spinbutton", "switch", "textbox",
}  # fmt: skip
PASSWORD = "kettle steam window ladder 47"
QUESTION_PATH = re.compile(r"/q/(\d+)$")
_numbers = itertools.count(1)


def unique(words):
    return f"{words} (a11y {next(_numbers)}-{os.getpid()})"


def name(word):
    """A login name or pseudonym nobody else has: letters, digits and hyphens only."""
    return f"{word}-{next(_numbers)}-{os.getpid()}"


# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def axe_page(browser, live_server):
    """Like conftest's `new_page`, but CSP is bypassed so axe can be injected as a script tag.

    The bypass is for the test run only: Kettle's CSP (no inline script) stays on for readers.
    """
    contexts, problems = [], []

    def open_page(width, color_scheme):
        context = browser.new_context(
            base_url=live_server,
            viewport={"width": width, "height": 900},
            color_scheme=color_scheme,
            reduced_motion="reduce",
            bypass_csp=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def site(browser, live_server):
    """Questions, perspectives and a pseudonym with posts, made once through the pages."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    made = {}

    made["plain_question"], _ = ask(
        page, unique("How do I tell my manager I need a later start"), "Mornings are hard."
    )
    made["question"], made["keeper"] = ask(
        page,
        unique("Should I mention the scars at my sports club"),
        "Everyone changes in the same room.",
        note="Self-harm",
    )
    made["topic"] = page.locator("article.question .meta a").first.get_attribute("href")
    made["answer_keeper"] = answer(
        page, made["question"], "I wore a long-sleeved top for a while, and that was fine."
    )
    answer(
        page,
        made["question"],
        "I told one person first, and it went better than I feared.",
        note="Suicide",
    )
    join(page, name("club-member"), name("Heron"))
    page.locator(".pseudonym-list a").first.click()
    made["pseudonym"] = page.url.removeprefix(live_server)
    answer(
        page,
        made["question"],
        "A different way of seeing it: the club is there for the sport.",
        note="Medication",
        as_pseudonym=True,
    )
    context.close()
    return made


# Making things through the pages -------------------------------------------------------------


def ask(page, title, body, note=None):
    """Post a question (Getting through today); returns (question path, keeper href)."""
    page.goto("/ask")
    page.get_by_label("Your question, in a line").fill(title)
    page.get_by_label("Your question, in more detail").fill(body)
    page.get_by_label("Topic", exact=True).select_option(label="Getting through today")
    if note:
        page.get_by_label(note, exact=True).check()
    page.get_by_role("button", name="Post my question").click()
    expect(page).to_have_url(QUESTION_PATH)
    href = page.locator("#keeper-link").get_attribute("href")
    return "/q/" + QUESTION_PATH.search(page.url).group(1), href


def answer(page, question, body, note=None, as_pseudonym=False):
    """Offer a perspective; returns its keeper href (None when posted as a pseudonym)."""
    page.goto(question)
    form = page.locator("form.post-form")
    form.get_by_label("Your perspective").fill(body)
    form.get_by_label("From my own experience").check()
    if note:
        form.get_by_label(note, exact=True).check()
    if as_pseudonym:
        form.locator("input[name=as]:not([value=anonymous])").first.check()
    form.get_by_role("button", name="Post my perspective").click()
    expect(page.locator(".answer[data-answer-id]").filter(has_text=body)).to_have_count(1)
    keeper = page.locator("#keeper-link")
    return keeper.get_attribute("href") if keeper.count() else None


def join(page, handle, pseudonym, on_codes=None):
    """Join through /join, keep the recovery codes, and land on /account."""
    page.goto("/join")
    page.get_by_label("Login name").fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Your first pseudonym").fill(pseudonym)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keep your recovery codes")
    if on_codes:
        on_codes()
    page.get_by_role("button", name="I have kept my codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


# axe and friends -----------------------------------------------------------------------------

RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    rules: { "target-size": { enabled: true } },
    resultTypes: ["violations"],
  });
  const ran = [results.passes, results.violations, results.incomplete, results.inapplicable]
    .flat().map((rule) => rule.id);
  return {
    ran,
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, why: n.failureSummary })),
    })),
  };
}
"""

PAGE_FACTS = """
() => ({
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main").length,
  title: document.title.trim(),
  scrollWidth: document.documentElement.scrollWidth,
})
"""


class Checker:
    """Checks one page after another in one browser context and gathers what is wrong."""

    def __init__(self, page, shoot, width, color_scheme):
        self.page, self.shoot, self.width = page, shoot, width
        self.name = f"{width}-{color_scheme}"
        self.cdp = page.context.new_cdp_session(page)
        self.problems = []
        self.checked = []

    def visit(self, label, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{label}: {path} answered {response.status}"
        self.check(label)

    def check(self, label):
        page = self.page
        self.checked.append(label)
        where = f"[{label}] {page.url}"
        page.add_script_tag(content=AXE_SOURCE)
        result = page.evaluate(RUN_AXE, AXE_TAGS)
        missing = MUST_RUN - set(result["ran"])
        if missing:
            self.problems.append(f"{where}: axe did not run {sorted(missing)}")
        for v in result["violations"]:
            lines = [f"{where}: axe {v['id']} ({v['impact']}): {v['help']}", f"  {v['helpUrl']}"]
            for node in v["nodes"]:
                lines.append(f"  - target: {' '.join(map(str, node['target']))}")
                lines.append(f"    html:   {node['html'][:300]}")
                lines.append(textwrap.indent(node["why"] or "", "    | "))
            self.problems.append("\n".join(lines))

        facts = page.evaluate(PAGE_FACTS)
        if facts["h1"] != 1:
            self.problems.append(f"{where}: {facts['h1']} h1 elements, not exactly one")
        if facts["main"] != 1:
            self.problems.append(f"{where}: {facts['main']} main elements, not exactly one")
        if not facts["title"]:
            self.problems.append(f"{where}: the <title> is empty")
        if facts["scrollWidth"] > self.width:
            self.problems.append(
                f"{where}: scrolls sideways: {facts['scrollWidth']}px wide in {self.width}px"
            )
        self.problems.extend(f"{where}: {problem}" for problem in self.unnamed_controls())
        self.shoot(page, f"a11y-{self.name}-{label}")

    def unnamed_controls(self):
        """Controls in Chromium's accessibility tree that a screen reader cannot name."""
        tree = self.cdp.send("Accessibility.getFullAXTree")
        for node in tree["nodes"]:
            role = node.get("role", {}).get("value")
            if node.get("ignored") or role not in CONTROL_ROLES:
                continue
            if str(node.get("name", {}).get("value") or "").strip():
                continue
            html = "?"
            if "backendDOMNodeId" in node:
                described = self.cdp.send(
                    "DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]}
                )["node"]
                attrs = described.get("attributes", [])
                pairs = " ".join(f'{k}="{v}"' for k, v in zip(attrs[::2], attrs[1::2], strict=True))
                html = f"<{described['localName']} {pairs}>"
            yield f"a {role} with no accessible name: {html}"

    def report(self):
        return (
            f"{len(self.problems)} accessibility problems at {self.name}"
            f" (pages checked: {', '.join(self.checked)}):\n\n" + "\n\n".join(self.problems)
        )


# 1. axe on every page type, both themes, both widths -----------------------------------------


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_type_passes_axe(axe_page, site, shoot, width, color_scheme):
    page = axe_page(width, color_scheme)
    check = Checker(page, shoot, width, color_scheme)

    # Reading, as anyone.
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
    check.visit("help-now", "/help-now")
    check.visit("how-it-works", "/how-it-works")
    check.visit("easy-read", "/how-it-works/easy-read")
    check.visit("content-note-settings", "/settings/content-notes")
    check.visit("not-found", "/no-such-page", status=404)

    # Asking, with errors first.
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

    # The asker's and answerer's own pages, through keeper links.
    check.visit("keeper-question", site["keeper"])
    check.visit("keeper-edit", site["keeper"] + "/edit")
    check.visit("keeper-delete", site["keeper"] + "/delete")
    check.visit("keeper-answer", site["answer_keeper"])
    check.visit("pseudonym-with-posts", site["pseudonym"])

    # Joining and signing in.
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

    # A question whose note this reader chose to hide opens behind a gate.
    check.visit("content-note-settings-signed-in", "/settings/content-notes")
    page.get_by_role("radio", name="Self-harm Hide").check()
    page.get_by_role("button", name="Save my choices").click()
    check.visit("question-hidden-gate", site["question"])
    expect(page.locator("h1")).to_have_text("A question with a content note you chose to hide")

    assert not check.problems, check.report()


@pytest.mark.skip(reason="arrives with the moderation issue")
def test_moderation_queue_rota_and_log_pass_axe():
    """The moderation queue (/moderate), the rota and /moderation-log do not exist yet.

    When they land, add them to test_every_page_type_passes_axe: the queue signed in as a
    moderator on shift (with a noted report collapsed), the rota, and the public log.
    """


# 2. The keyboard alone -----------------------------------------------------------------------

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
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
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
            assert now["outlineStyle"] != "none" and now["outlineWidth"] != "0px", (
                f"no visible focus on {describe(now)} at {path} ({color_scheme}): "
                f"outline {now['outlineStyle']} {now['outlineWidth']}"
            )
        assert seen_here, f"Tab reached nothing on {path}"
    missing = {"a", "button", "input", "select", "textarea", "summary"} - kinds_seen
    assert not missing, f"focus was never checked on {sorted(missing)}"
