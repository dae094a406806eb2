"""The one place Markdown becomes HTML that Kettle will show.

Markdown is rendered by markdown-it-py's `js-default` preset (raw HTML is not
passed through) with single line breaks kept, then cleaned by bleach against the
allowlists below. The result is stored beside the source, so pages never render
on read; `RENDERING` names the current rules, so stored HTML can be renewed when
they change (see migrations).
"""

import html as entities
import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from flask import g, has_app_context
from markdown_it import MarkdownIt

from app.core import cleaning

# Changes whenever render() would give different HTML for the same source.
RENDERING = "2026-11 breaks kept, autolinks without trailing punctuation"

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "ol": ["start"],
    "th": ["align"],
    "td": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"
# Bare text becomes a link only when it starts http://, https:// or www. bleach's default
# pattern would link 23 schemes (ftp:, data:, ...) and bare domains after any of them.
BARE_URL = re.compile(r"(?<![\w/:.@-])(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)

# Images would make readers' browsers call other sites, so they stay as text. A single
# line break stays a line break, as on Discourse: people on phones write one idea a line.
_markdown = MarkdownIt("js-default", {"breaks": True}).disable("image")

# GitHub Flavored Markdown's autolink extension: these never end a bare link, a closing
# bracket ends one only when it has no partner inside the link, and neither does an
# entity such as "&amp;". Semicolons, closing quotes and CJK punctuation are added, so a
# link ended or quoted in any script stops where the sentence's punctuation starts.
TRAILING = frozenset(
    "?!.,:;*_~\u201d\u2019\u00bb\u203a\u300d\u300f\u3002\uff0c\uff01\uff1f\uff1a\uff1b\u3001"
)
_ENTITY_END = re.compile(r"&[A-Za-z0-9]+;$")


def _safe_link(url):
    """Markdown links must be http(s), mailto, or a path on Kettle; others stay as text.

    bleach alone lets `tel:0900...` through, because the URL parser reads it as a port.
    """
    url = url.strip().lower()
    if url.startswith(("/", "#")) and not url.startswith("//"):
        return True
    return url.startswith(("http://", "https://", "mailto:"))


_markdown.validateLink = _safe_link


def _set_rel(attrs, new=False):
    if new and BARE_URL.fullmatch(attrs.get("_text", "")) is None:
        return None  # nothing but "www." or "https://" was left: not a link
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


class _Linkify(LinkifyFilter):
    """bleach's linkifier, leaving punctuation after a bare link out of it (GFM's rules)."""

    def strip_non_url_bits(self, fragment):
        suffix = ""
        while fragment:
            entity = _ENTITY_END.search(fragment)
            unpartnered = fragment[-1] == ")" and fragment.count(")") > fragment.count("(")
            if entity:
                cut = len(entity.group())
            elif fragment[-1] in TRAILING or unpartnered:
                cut = 1
            else:
                break
            fragment, suffix = fragment[:-cut], fragment[-cut:] + suffix
        return fragment, "", suffix  # bleach takes (url, prefix, suffix)


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            _Linkify,
            callbacks=[_set_rel],
            skip_tags={"pre", "code"},
            url_re=BARE_URL,
        )
    ],
)


def _demote_headings(tokens):
    """Post headings start at h3, so each page keeps its own h1 and h2 outline."""
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = int(token.tag[1])
            token.tag = f"h{min(level + 2, 6)}"
    return tokens


# Link parsing slows down with the square of unmatched "[" (a 20,000-character body of
# them took over a second); past this many, brackets are taken literally.
BRACKETS_MAX = 500


# The last source render() was given in this request, and its HTML: a posting form's body
# is measured (seen) while the form is checked, then rendered again to be stored.
_LAST = "kettle_last_rendered"


def render(source):
    """Markdown source to safe HTML for storage beside the source; cleans the source first.

    The same source twice in a row in one request is rendered once: the result is kept on
    flask.g (gone with the request's app context) for the second call, never anywhere
    longer-lived."""
    if not has_app_context():
        return _render(source)
    last = g.get(_LAST)
    if last is not None and last[0] == source:
        return last[1]
    html = _render(source)
    setattr(g, _LAST, (source, html))
    return html


def _render(source):
    source = cleaning.clean_text(source or "")
    if source.count("[") > BRACKETS_MAX:
        source = source.replace("[", "\\[")
    tokens = _demote_headings(_markdown.parse(source))
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return _cleaner.clean(html)


def seen(source):
    """How many characters a reader sees once `source` is rendered: markup alone shows nothing."""
    shown = entities.unescape(re.sub(r"<[^>]*>", "", render(source)))
    return cleaning.visible_length(shown)


def plain(text):
    """Tidy one line of plain text (titles, a note in the author's words); "" if none is visible."""
    return cleaning.clean_line(text or "")
