"""How search reads text: the one rule both search indexes and every search share.

A post is found by the words a reader sees in it, however they were typed: its shown text
(never a link's address or Markdown's markup), compatibility-normalised (NFKC: full-width
letters, ligatures, mathematical bold letters), Latin letters as plain ASCII ("Łódź" as
"Lodz", "Straße" as "Strasse", by ICU's Latin-ASCII transliterator), Greek without accents,
symbols and punctuation as spaces, and without the characters in LEFT_OUT.

SQLite's index calls `searchable` and `searchable_html` through the functions every Kettle
connection registers (app.web.database; migration 0023). PostgreSQL's generated columns
read NFKC, strip LEFT_OUT by a regular expression, read ASCII punctuation as spaces, and
fold accents with `unaccent`. app.search.terms reads what is typed the same way.
"""

import threading
import unicodedata

import icu
from markupsafe import Markup

# Changes whenever this module would read the same text differently. With the versions of
# ICU and of Python's Unicode data (an upgrade of either may too), it names the rule a
# SQLite search index was built with: app.search.schema.keep_folding rebuilds one built
# with another, or telling it to forget a post's words would fail.
RULES = "2026-12b shown text, NFKC, TRANSLITERATION, LEFT_OUT"
VERSION = f"{RULES}; ICU {icu.ICU_VERSION}; Unicode {unicodedata.unidata_version}"

# Left out of every word search reads. Marks with a canonical combining class (Arabic
# harakat, Hebrew niqqud, a virama, an accent with no precomposed letter): writers of those
# scripts mostly leave them out. Vowel signs that spell a word (Devanagari's) have class 0
# and stay. And default-ignorable characters (soft hyphens, zero-width spaces and joiners,
# variation selectors), which show nothing, so "pan\u00adic" reads as the "panic" it shows.
LEFT_OUT = "[[:^ccc=0:][:Default_Ignorable_Code_Point:]]"
_LEFT_OUT = dict.fromkeys(
    code for a, b in icu.UnicodeSet(LEFT_OUT).ranges() for code in range(ord(a), ord(b) + 1)
)  # str.translate's table, each code point to None: a tenth of a regular expression's time
# ICU transliteration rules, after NFKC: Latin letters as ASCII (only letters: a modifier
# letter apostrophe, as in Ukrainian "пʼять", stays part of its word); Greek letters and "ё"
# decomposed, so LEFT_OUT then drops their accents (as PostgreSQL's unaccent does, which
# keeps "й"); and every symbol and punctuation mark a space. FTS5's own Unicode tables are
# older than ICU's and read many newer emoji as letters, so "tired🥺" was one word.
# (ICU reads a filter on the first transform as one for all of them: hence ":: Null ;".)
TRANSLITERATION = (
    ":: Null ; :: [:Latin:] Latin-ASCII ; :: [[:Greek:][ёЁ]] NFD ; [[:S:][:P:]] > ' ' ;"
)
_local = threading.local()  # one transliterator per thread: ICU's are not thread-safe


def left_out(value):
    """`value` without the characters in LEFT_OUT. None stays None."""
    if value is None or value.isascii():
        return value
    return value.translate(_LEFT_OUT)


def searchable(value):
    """The text of `value` as search reads it (see the module): NFKC, TRANSLITERATION,
    LEFT_OUT left out. Case is kept (both indexes fold it). None stays None; ASCII comes
    back as it is (FTS5 and PostgreSQL read ASCII punctuation as spaces themselves)."""
    if value is None or value.isascii():
        return value
    if not hasattr(_local, "transliterator"):
        _local.transliterator = icu.Transliterator.createFromRules(
            "kettle-search", TRANSLITERATION, icu.UTransDirection.FORWARD
        )
    # LEFT_OUT first too: Latin-ASCII would turn a soft hyphen into "-", splitting the word.
    normal = unicodedata.normalize("NFKC", left_out(value))
    return left_out(_local.transliterator.transliterate(normal))


def shown_text(body_html):
    """The words of a post's cleaned HTML as a reader sees them, as one line of plain text
    (no tags, entities decoded, runs of white space as one space). Markupsafe's `striptags`
    is enough here: bodies are Kettle's own sanitised HTML (app.core.text)."""
    return Markup(body_html or "").striptags()  # noqa: S704 - sanitised HTML, read as text


def searchable_html(body_html):
    """`searchable` of what a reader sees of a post's HTML (`shown_text`). None stays None."""
    return None if body_html is None else searchable(str(shown_text(body_html)))
