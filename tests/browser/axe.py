"""axe-core and the checks axe leaves to judgement, run on one page after another.

axe (vendored in tests/browser/vendor/) is injected only into the test browser; readers
never get it.
"""

import textwrap
from pathlib import Path
from urllib.parse import urlsplit

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
        self.paths = set()

    def visit(self, label, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{label}: {path} answered {response.status}"
        self.check(label)

    def check(self, label):
        page = self.page
        self.checked.append(label)
        self.paths.add(urlsplit(page.url).path)
        where = f"[{label}] {page.url}"
        page.add_script_tag(content=AXE_SOURCE)
        # axe measures a position: sticky bar where it is now, so on a scrolled page it reads
        # links half under the Leave quickly bar as too small (axe-core issue #3720). Check
        # from the top, where the bar covers nothing; the layout tests check focus under it.
        page.evaluate("window.scrollTo(0, 0)")
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
