"""Turning what a person typed into search terms, safely, the same way on every database.

Only words count: every character that is not a letter or digit separates words, so the
full-text syntax of either database (quotes, `*`, `NEAR(`, `OR`, `-`, `^`, brackets) and
SQL fragments are plain text here and can never change what a query means. Words are
matched in full (after stemming by the database), all of them at once, and the commonest
English words are dropped first, as PostgreSQL's english dictionary does, so "has anyone
been here before" looks for the words that carry the meaning.
"""

import re
import unicodedata
from dataclasses import dataclass

from app.core import folding
from app.core.cleaning import char_class
from app.core.refused import Refused

# Longer than anyone types into a search box; a pasted page is refused kindly, not cut.
MAX_QUERY_CHARS = 300
# Every word typed is looked for, never silently dropped; more than this many (after the
# commonest are dropped) is refused kindly: each word costs the index one more list to read.
MAX_TERMS = 20

# Letters, digits and combining marks make words (as FTS5 reads them, migration 0023), and
# so do characters that show nothing (folding.LEFT_OUT: search reads "pan\u00adic" as the
# "panic" it shows); everything else separates them. Excerpts split text by the same rule.
WORD_CHARACTERS = char_class("[[:L:][:N:][:M:][:Default_Ignorable_Code_Point:]]")
WORD = re.compile(WORD_CHARACTERS + "+")  # one word; excerpts read words by it too

# The Snowball English stop words: every one PostgreSQL's `english` configuration drops,
# and the parts of contractions ("didn", "isn"), so "why didn't I sleep" looks for "sleep"
# on either database (Kettle drops them before either reads the words). "won" and "ma"
# are words people search for, so they stay.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now d ll m o re ve y ain aren couldn didn doesn hadn hasn haven isn
    mightn mustn needn shan shouldn wasn weren wouldn""".split()  # noqa: SIM905
)

TOO_LONG = (
    f"A search can be up to {MAX_QUERY_CHARS} characters. Try a few words from what you "
    "are looking for."
)
TOO_MANY = (
    f"A search can look for up to {MAX_TERMS} words at once. Try the few that say most "
    "about what you are looking for."
)
ONLY_COMMON = (
    "Those words are in almost every post, so they cannot narrow a search. Try a word that "
    "says more about what you are looking for."
)


@dataclass(frozen=True)
class Terms:
    """The words a search looks for, in the order typed, without repeats: each as a tuple
    of the forms that count as it (see `parse`)."""

    forms: tuple[tuple[str, ...], ...]

    def __bool__(self):
        return bool(self.forms)

    @property
    def words(self):
        """Every form of every word, for marking them in excerpts."""
        return tuple(form for forms in self.forms for form in forms)

    @property
    def fts5(self):
        """An FTS5 query matching posts that hold every word, in any of its forms: each form
        is a quoted string (forms never contain a quote), so no FTS5 operator can be
        spelled."""
        return " AND ".join(
            "(" + " OR ".join(f'"{form}"' for form in forms) + ")" for forms in self.forms
        )


def parse(raw):
    """The `Terms` in `raw` (what was typed; None counts as nothing typed).

    Each word counts in every form that differs: as typed (lower-cased, without
    folding.LEFT_OUT: "المُرَبَّى" finds "المربى"), unless compatibility normalisation
    changes it ("x²" is only "x2"); and as search reads a post (folding.searchable: "łódź"
    finds "Lodz", "ﬁnally" pasted from a PDF finds "finally"), both as typed and
    case-folded. A form that normalising splits ("½") is its words in a row. A word left
    with no form (nothing but marks or invisible characters) is no word.

    Returns empty Terms when nothing was typed, or only spaces and punctuation. Raises
    Refused (with a message for people) when `raw` is longer than MAX_QUERY_CHARS, when
    every word in it is one of the STOP_WORDS, or when more than MAX_TERMS words are left.
    """
    raw = raw or ""
    if len(raw) > MAX_QUERY_CHARS:
        raise Refused(TOO_LONG, field="q")
    # A word of nothing but optional marks has no form left: it is not a word.
    typed = [forms for forms in map(_forms, dict.fromkeys(_words(raw.lower()))) if forms]
    if not typed:
        return Terms(())
    # A word counts unless one of its forms is a common word (full-width "the" is "the").
    words = [forms for forms in typed if not STOP_WORDS.intersection(forms)]
    if not words:
        raise Refused(ONLY_COMMON, field="q")
    if len(words) > MAX_TERMS:
        raise Refused(TOO_MANY, field="q")
    return Terms(tuple(dict.fromkeys(words)))


def _forms(word):
    normal = unicodedata.normalize("NFKC", word)
    # As typed only when normalising changes nothing: "x²" is read as "x2", as in posts.
    forms = [folding.left_out(word)] if normal == word else []
    forms += [_phrase(folding.searchable(text).lower()) for text in (word, normal.casefold())]
    return tuple(dict.fromkeys(form for form in forms if form))


def _phrase(text):
    """The words in `text`, joined by single spaces: a word that normalising splits ("½"
    becomes "1", a fraction slash, "2") is looked for as those words in a row, as both
    indexes read it in posts. A form is only ever word characters and spaces, so it can
    never hold a quote or any other full-text syntax."""
    return " ".join(_words(text))


def _words(text):
    return WORD.findall(text)
