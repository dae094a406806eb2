"""Short excerpts of a post around the words someone searched for, marked safely.

Every piece of a post's text is escaped; the only markup an excerpt holds is the `<mark>`
this module puts around matched words, so nothing a person wrote can become HTML here.
"""

import functools
import html
import re
import unicodedata

import snowballstemmer
from markupsafe import Markup

from app.core import folding
from app.search.terms import WORD, WORD_CHARACTERS

# Words of context in an excerpt, and how many of them come before the first match.
EXCERPT_WORDS = 32
LEAD_WORDS = 8

# A piece longer than this (a 5,000-letter "word", a line of dashes) is cut, with "…".
PIECE_CHARS = 40

# Words and what lies between them, split as app.search.terms reads words.
_PIECES = re.compile(f"({WORD_CHARACTERS}+)")
# SQLite's index stems with Porter's algorithm, PostgreSQL's with an older Snowball English
# than snowballstemmer's (it stems "university" and "universe" alike): a word is marked when
# either stemmer makes it one of the words searched for.
_STEMMERS = tuple(snowballstemmer.stemmer(name) for name in ("english", "porter"))


@functools.lru_cache(maxsize=8192)
def _stems(word):
    """The word's stems by each stemmer, read as search reads it (folding.searchable),
    case-folded and without accents (both indexes read "cafe" and "café" alike)."""
    decomposed = unicodedata.normalize("NFKD", folding.searchable(word).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return frozenset((name, stemmer.stemWord(plain)) for name, stemmer in enumerate(_STEMMERS))


def _cut(piece):
    return piece if len(piece) <= PIECE_CHARS else piece[:PIECE_CHARS] + "…"


def excerpt(text, words):
    """Markup: about EXCERPT_WORDS words of `text` around the first word matching one of
    `words` (after stemming, as the indexes match them), each match in `<mark>`, each
    piece at most PIECE_CHARS characters; the opening words when none match. Empty Markup
    for empty text. Reads `text` only as far as the excerpt reaches (all of it when no
    word matches, as when only the title held the words)."""
    if not text:
        return Markup("")
    wanted = _wanted(words)
    starts = []  # where each word read so far starts
    first = None  # the first matching word's number
    for word in WORD.finditer(text):
        starts.append(word.start())
        if first is None and _stems(word.group()) & wanted:
            first = len(starts) - 1
        if first is not None and len(starts) > max(0, first - LEAD_WORDS) + EXCERPT_WORDS:
            break
    start = max(0, (first or 0) - LEAD_WORDS)
    end = start + EXCERPT_WORDS
    begin = starts[start] if start else 0
    stop = starts[end] if end < len(starts) else len(text)
    shown = _marked(_PIECES.split(text[begin:stop]), 0, wanted)
    return ("… " if begin else "") + shown + (" …" if stop < len(text) else "")  # Markup


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
        text = html.escape(_cut(piece))
        shown.append(f"<mark>{text}</mark>" if place % 2 and _stems(piece) & wanted else text)
    return Markup("".join(shown))  # noqa: S704 - every piece was escaped just above
