"""XSS: every text field a person fills stays inert on every page that shows it."""

import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest

from app.core.forms import clean_line, clean_text
from app.core.text import render
from tests import test_xss_payloads as given
from tests.builders import keeper_link
from tests.conftest import TestConfig

TOPIC = "work-and-lived-experience-roles"
LINK_REL = "nofollow noopener noreferrer ugc"
# What a post body may hold, written out here so a wider allowlist in the app fails this suite.
SAFE_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol",
    "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
SAFE_ATTRS = {"a": {"href", "title", "rel"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
FORBIDDEN_TAGS = {
    "svg", "math", "iframe", "object", "embed", "style", "noscript", "template", "base",
    "meta", "form", "img", "frame", "frameset", "link", "applet", "video", "audio", "source",
}  # fmt: skip
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
OWN_SCRIPT = re.compile(r"/assets/js/kettle\.[0-9a-f]{12}\.js")
# Browsers ignore these inside a URL's scheme; so must the check.
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
PROSE = re.compile(r'<div class="(?:question|answer)-body prose"[^>]*>(.*?)</div>', re.S)


class Scan(HTMLParser):
    """Every element as (tag, attrs, in_head), script bodies, text, and named fields' text."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.elements, self.script_text, self.text, self.fields = [], [], [], {}
        self._in_head = self._in_script = False
        self._field = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs, self._in_head))
        self._in_head = self._in_head or tag == "head"
        self._in_script = self._in_script or tag == "script"
        named = dict(attrs)
        if tag in {"textarea", "h1", "h2"} and (named.get("name") or named.get("id")):
            self._field = named.get("name") or named.get("id")
            self.fields[self._field] = ""

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs, self._in_head))

    def handle_endtag(self, tag):
        self._in_head = self._in_head and tag != "head"
        self._in_script = self._in_script and tag != "script"
        if tag in {"textarea", "h1", "h2"}:
            self._field = None

    def handle_data(self, data):
        (self.script_text if self._in_script else self.text).append(data)
        if self._field:
            self.fields[self._field] += data

    def value_of(self, name):
        """The value of the input with this name (or id)."""
        for tag, attrs, _ in self.elements:
            named = dict(attrs)
            if tag == "input" and name in (named.get("name"), named.get("id")):
                return named.get("value")
        return None


def bad_url(value):
    return INVISIBLE.sub("", html.unescape(value or "")).lower().startswith(BAD_SCHEMES)


def _page_own(tag, named, in_head):
    """The page's own head metas, stylesheet, icon and script, and its same-site forms."""
    if tag == "script":
        return set(named) <= {"src", "defer"} and OWN_SCRIPT.fullmatch(named.get("src") or "")
    if tag == "meta":
        return in_head and "http-equiv" not in named
    if tag == "link":
        href = named.get("href") or ""
        own = named.get("rel") in {"stylesheet", "icon"} and href.startswith("/assets/")
        return in_head and own
    action = named.get("action") or ""
    return tag == "form" and (action[:1] == "#" or (action[:1] == "/" and action[:2] != "//"))


def _fragment_problems(tag, named):
    """A post body may hold only the allowlisted tags and attributes, and safe links."""
    if tag not in SAFE_TAGS:
        return [f"<{tag}> is not on the allowlist"]
    if set(named) - SAFE_ATTRS.get(tag, set()):
        return [f"<{tag} {named}> has an attribute off the allowlist"]
    if tag == "a" and named.get("rel") != LINK_REL:
        return [f"<a {named}> lacks rel={LINK_REL!r}"]
    return []


def problems(markup, fragment=False):
    """Every way this HTML could run script; empty when it is inert."""
    scan = markup if isinstance(markup, Scan) else Scan(markup)
    found = [f"inline script {body!r}" for body in scan.script_text if body.strip()]
    for tag, attrs, in_head in scan.elements:
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRS and bad_url(value):
                found.append(f"<{tag} {name}={value!r}>")
        if tag in FORBIDDEN_TAGS | {"script"} and (fragment or not _page_own(tag, named, in_head)):
            found.append(f"<{tag} {named}>")
        if fragment:
            found += _fragment_problems(tag, named)
    return found


def assert_inert(markup, where, fragment=False):
    found = problems(markup, fragment)
    assert not found, f"{where}: {found}"


def assert_inert_page(markup, payload, where):
    scan = Scan(markup)
    assert_inert(scan, where)
    bodies = PROSE.findall(markup)
    for body in bodies:
        assert_inert(body, f"{where}: post body", fragment=True)
    assert TestConfig.SECRET_KEY not in markup, where
    if "<" in payload:
        for variant in {payload, clean_text(payload), clean_line(payload)}:
            assert variant not in markup, f"{where}: payload is in the page unescaped"
    return scan, len(bodies)


def fields(**extra):
    return {"topic": TOPIC, "as": "anonymous", "content_note_other": "", **extra}


def post(client, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 303, f"POST {url}: {response.status_code}"
    return response.headers["Location"]


def question_id(location):
    return int(re.search(r"/q/(\d+)", location).group(1))


def posted_with_link(client, url, data):
    """POST, then read the page it leads to; returns (location, page HTML, keeper path)."""
    location = post(client, url, data)
    page = client.get(location).get_data(as_text=True)
    link = keeper_link(page)
    assert link, f"no keeper link after POST {url}"
    return location, page, link


@pytest.mark.parametrize("payload", given.PAYLOADS, ids=given.PAYLOAD_IDS)
def test_payload_stays_inert_on_every_page(client, payload):
    """Title, body, own-words note, answer, reply and edit, read back on every page."""
    line = clean_line(payload)
    mine = fields(title=payload, body=payload, content_note_other=payload)
    loc1, asked_page, keep1 = posted_with_link(client, "/ask", mine)
    q1 = question_id(loc1)
    loc2, _, keep2 = posted_with_link(client, "/ask", fields(title="Plain", body="Plain."))
    q2 = question_id(loc2)
    post(client, f"{keep2}/edit", fields(title=payload, body=payload))
    _, _, keep_answer = posted_with_link(
        client, f"/q/{q2}/answers", {"body": payload, "content_note_other": payload}
    )
    post(client, f"/q/{q2}/answers", {"body": payload})
    post(client, f"{keep2}/replies", {"body": payload, "content_note_other": payload})

    pages = {f"/q/{q1}": asked_page}  # with its fresh keeper link
    in_url = quote(payload, safe="")
    q2_page = f"/q/{q2}?kind={in_url}&order={in_url}"  # unknown choices: all answers, in order
    shown = [q2_page, "/", f"/t/{TOPIC}", keep1, keep2, keep_answer, f"{keep1}/edit",
             f"{keep2}/edit"]  # fmt: skip
    missing = [f"/t/{in_url}"]  # an address that reflects the payload, if anything does
    for path in shown + missing:
        response = client.get(path)
        assert response.status_code == (404 if path in missing else 200), path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp, path
        pages[path] = response.get_data(as_text=True)
    refused = client.post("/ask", data={**mine, "topic": "no-such-topic"})
    assert refused.status_code == 400
    pages["refused ask form"] = refused.get_data(as_text=True)
    lost = client.post("/q/999999/answers", data={"body": payload, "content_note_other": payload})
    assert lost.status_code == 404
    pages["404 page keeping their words"] = lost.get_data(as_text=True)

    scans, body_count = {}, 0
    for where, markup in pages.items():
        scans[where], found = assert_inert_page(markup, payload, where)
        body_count += found
    assert body_count == 11  # every post body was really read back, none left out

    # The words come back as text, exactly as written.
    # q1 carries a note in its own words, so its title sits folded behind the note.
    assert scans[f"/q/{q1}"].fields["question-body-title"] == line
    assert scans[q2_page].fields["question-title"] == line
    assert scans[keep2].fields["kept-title"] == line
    for listing in ("/", f"/t/{TOPIC}"):
        assert line in "".join(scans[listing].text), listing  # q2's title and q1's note
    edit = scans[f"{keep1}/edit"]
    assert edit.value_of("title") == line
    assert edit.value_of("content_note_other") == line
    assert clean_text(payload).strip() in edit.fields["body"]
    for where in ("refused ask form", "404 page keeping their words"):
        assert clean_text(payload).strip() in "".join(scans[where].text), where

    check_api(client, q1, q2, line)
    check_feed(client, pages[keep2], payload, line)


def check_api(client, q1, q2, line):
    for qid, perspectives in ((q1, 0), (q2, 3)):
        response = client.get(f"/api/v1/questions/{qid}")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        data = response.get_json()
        assert data["title"] == line
        assert len(data["perspectives"]) == perspectives
        for body_html in [data["body_html"]] + [p["body_html"] for p in data["perspectives"]]:
            assert body_html.strip(), f"api {qid}: empty body_html"
            assert_inert(body_html, f"api {qid}", fragment=True)
    assert data["perspectives"][-1]["by"] == "the asker"
    assert data["perspectives"][0]["content_note_other"] == line


def check_feed(client, keeper_page, payload, line):
    feed_url = Scan(keeper_page).value_of("feed-url")
    assert feed_url
    assert "/feed/" in feed_url
    response = client.get(urlsplit(feed_url).path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    raw = response.get_data(as_text=True)
    if "<" in payload:
        assert payload not in raw
        assert clean_text(payload) not in raw
    atom = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(response.get_data()).findall("a:entry", atom)
    assert len(entries) == 2  # the asker's own reply is not news to the asker
    contents = [e.find("a:content", atom) for e in entries if e.find("a:content", atom) is not None]
    assert len(contents) == 1  # the one answer without notes; the others stay behind a summary
    for content in contents:
        assert content.get("type") == "html"
        assert len(content) == 0  # escaped HTML, not markup
        assert content.text
        assert_inert(content.text, "feed content", fragment=True)
    summaries = [e.findtext("a:summary", "", atom) for e in entries]
    assert sum(line in summary for summary in summaries) == 1


@pytest.mark.parametrize("payload", given.CONTROL_PAYLOADS)
def test_text_stored_without_the_form_filters_stays_inert(client, make, payload):
    """Services may be called by more than the forms: raw control characters must not help."""
    question = make.question(title=payload, body=payload, other=payload).post
    make.answer(question, body=payload)
    for path in (f"/q/{question.id}", "/"):
        assert_inert_page(client.get(path).get_data(as_text=True), payload, path)
    body_html = client.get(f"/api/v1/questions/{question.id}").get_json()["body_html"]
    assert body_html.strip()
    assert_inert(body_html, "api", fragment=True)


# The sanitiser on its own.


@pytest.mark.parametrize("source", given.LINKS)
def test_every_link_gets_the_safe_rel_and_no_target(source):
    out = render(source)
    links = [attrs for tag, attrs, _ in Scan(out).elements if tag == "a"]
    assert links, out
    for attrs in links:
        assert dict(attrs)["rel"] == LINK_REL
        assert "target" not in dict(attrs)


def test_markdown_still_renders_so_the_checks_are_not_vacuous():
    out = render("# Big\n\n**bold** and *soft*\n\n- one\n- two\n\n> quoted")
    tags = {tag for tag, _, _ in Scan(out).elements}
    assert {"h3", "strong", "em", "ul", "li", "blockquote"} <= tags
    assert_inert(out, repr(out), fragment=True)


@pytest.mark.parametrize(("source", "kept"), given.SCHEMES, ids=[s for s, _ in given.SCHEMES])
def test_only_http_https_and_mailto_hrefs_survive(source, kept):
    hrefs = [dict(a).get("href") for t, a, _ in Scan(render(source)).elements if t == "a"]
    hrefs = [href for href in hrefs if href]
    assert hrefs == ([kept] if kept else []), f"{source!r} -> {hrefs}"


@pytest.mark.parametrize("source", given.IMAGES)
def test_no_image_ever_gets_through(source):
    out = render(source)
    assert "<img" not in out
    assert "<source" not in out
    assert "<picture" not in out
    assert_inert(out, repr(out), fragment=True)


@pytest.mark.parametrize("payload", given.PAYLOADS, ids=given.PAYLOAD_IDS)
def test_render_keeps_every_payload_inert(payload):
    out = render(payload)
    assert_inert(out, repr(out), fragment=True)
    if "<" in payload:
        assert clean_text(payload) not in out
