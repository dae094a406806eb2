"""Short excerpts of a post around the words someone searched for, marked safely.

Every piece of a post's text is escaped; the only markup an excerpt holds is the `<mark>`
this module puts around matched words, so nothing a person wrote can become HTML here.
"""

import functools
import re
import unicodedata

import snowballstemmer
from markupsafe import Markup, escape

from app.search.terms import WORD_CHARACTERS

# Words of context in an excerpt, and how many of them come before the first match.
EXCERPT_WORDS = 32
LEAD_WORDS = 8

# A piece longer than this (a 5,000-letter "word", a line of dashes) is cut, with "…".
PIECE_CHARS = 40

# Words and what lies between them, split as app.search.terms reads words.
_PIECES = re.compile(f"({WORD_CHARACTERS}+)")
_MARK = Markup("<mark>{}</mark>")  # format() escapes what fills it
# SQLite's index stems with Porter's algorithm, PostgreSQL's with an older Snowball English
# than snowballstemmer's (it stems "university" and "universe" alike): a word is marked when
# either stemmer makes it one of the words searched for.
_STEMMERS = tuple(snowballstemmer.stemmer(name) for name in ("english", "porter"))


def plain_text(body_html):
    """The words of a post's cleaned HTML as one line of plain text (no tags, entities
    decoded, runs of white space as one space). Markupsafe's `striptags` is enough here:
    bodies are Kettle's own sanitised HTML (app.core.text), and excerpts escape it again."""
    return Markup(body_html or "").striptags()  # noqa: S704 - sanitised HTML, read as text


@functools.lru_cache(maxsize=8192)
def _stems(word):
    """The word's stems by each stemmer, after case folding and without accents (both
    indexes read "cafe" and "café" alike)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return frozenset((name, stemmer.stemWord(plain)) for name, stemmer in enumerate(_STEMMERS))


def _cut(piece):
    return piece if len(piece) <= PIECE_CHARS else piece[:PIECE_CHARS] + "…"


def excerpt(text, words):
    """Markup: about EXCERPT_WORDS words of `text` around the first word matching one of
    `words` (after stemming, as the indexes match them), each match in `<mark>`, each
    piece at most PIECE_CHARS characters; the opening words when none match. Empty Markup
    for empty text."""
    pieces = _PIECES.split(text)
    if not text:
        return Markup("")
    wanted = _wanted(words)
    word_at = list(range(1, len(pieces), 2))
    first = next((n for n, i in enumerate(word_at) if _stems(pieces[i]) & wanted), 0)
    start = max(0, first - LEAD_WORDS)
    end = start + EXCERPT_WORDS
    begin = word_at[start] if start else 0
    stop = word_at[end] if end < len(word_at) else len(pieces)
    shown = [escape("… ") if begin else escape(""), _marked(pieces[begin:stop], begin, wanted)]
    shown.append(escape(" …") if stop < len(pieces) else escape(""))
    return escape("").join(shown)


def marked(text, words):
    """Markup: all of `text` (a title), escaped, with each word matching one of `words`
    in `<mark>` as in `excerpt`."""
    return _marked(_PIECES.split(text or ""), 0, _wanted(words))


def _wanted(words):
    return frozenset().union(*map(_stems, words))


def _marked(pieces, first, wanted):
    """Escaped pieces, each cut to PIECE_CHARS, a word in `<mark>` where it matches: words
    stand at odd places of the whole split text, and `pieces` start at place `first`."""
    shown = []
    for place, piece in enumerate(pieces, start=first):
        is_match = place % 2 and _stems(piece) & wanted
        shown.append(_MARK.format(_cut(piece)) if is_match else escape(_cut(piece)))
    return escape("").join(shown)
