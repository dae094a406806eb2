"""Short excerpts of a post around the words someone searched for, marked safely.

Every piece of a post's text is escaped; the only markup an excerpt holds is the `<mark>`
this module puts around matched words, so nothing a person wrote can become HTML here.
"""

import html
import re

import bleach
import snowballstemmer
from markupsafe import Markup, escape

# Words of context in an excerpt, and how many of them come before the first match.
EXCERPT_WORDS = 32
LEAD_WORDS = 8

_PIECES = re.compile(r"(\w+)")
_SPACES = re.compile(r"\s+")
_MARK = Markup("<mark>{}</mark>")  # format() escapes what fills it
_STEMMER = snowballstemmer.stemmer("english")  # the same family as PostgreSQL's english


def plain_text(body_html):
    """The words of a post's cleaned HTML as one line of plain text (no tags, entities
    decoded, runs of white space as one space)."""
    text = bleach.clean(body_html or "", tags=set(), strip=True)
    return _SPACES.sub(" ", html.unescape(text)).strip()


def _stem(word):
    return _STEMMER.stemWord(word.casefold())


def excerpt(text, words):
    """Markup: about EXCERPT_WORDS words of `text` around the first word matching one of
    `words` (after English stemming, as the index matched them), each match in `<mark>`;
    the opening words when none match. Empty Markup for empty text."""
    pieces = _PIECES.split(text)
    if not text:
        return Markup("")
    wanted = {_stem(word) for word in words}
    word_at = list(range(1, len(pieces), 2))
    first = next((n for n, i in enumerate(word_at) if _stem(pieces[i]) in wanted), 0)
    start = max(0, first - LEAD_WORDS)
    end = start + EXCERPT_WORDS
    begin = word_at[start] if start else 0
    stop = word_at[end] if end < len(word_at) else len(pieces)
    shown = [escape("… ") if begin else escape("")]
    for i in range(begin, stop):
        marked = i % 2 and _stem(pieces[i]) in wanted
        shown.append(_MARK.format(pieces[i]) if marked else escape(pieces[i]))
    shown.append(escape(" …") if stop < len(pieces) else escape(""))
    return escape("").join(shown)
