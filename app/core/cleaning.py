"""The one cleaning step every piece of text people write goes through, and what counts as seen.

Kettle keeps what people type, with three exceptions made here and nowhere else:
characters XML 1.0 does not allow (they would break every feed), characters that
only ever cause harm (controls, bidirectional overrides), and combining marks piled
past what any writing system needs. What a person cannot see (format characters,
fillers, blanks of every script, marks with nothing to sit on) stays in the text,
because joiners matter inside Persian, Indic and emoji sequences, but it never
counts as content: text with nothing visible is cleaned to "".

Character classes come from ICU's Unicode properties (PyICU), so they follow the
Unicode version ICU ships rather than a list kept by hand.
"""

import re
import unicodedata

import icu

# UTS #39 (Unicode Security Mechanisms) section 5.4 suggests forbidding more than four
# nonspacing marks in a row; no writing system needs more on one character.
MARKS_PER_CHARACTER = 4


def char_class(pattern, extra=""):
    """An `re` character class for an ICU UnicodeSet pattern such as `[[:Mn:][:Me:]]`."""
    ranges = icu.UnicodeSet(pattern).ranges()
    parts = (re.escape(a) + ("-" + re.escape(b) if b != a else "") for a, b in ranges)
    return "[" + "".join(parts) + extra + "]"


# XML 1.0 (section 2.2) allows tab, newline and carriage return but no other C0 control,
# no surrogate, and not U+FFFE or U+FFFF; it discourages C1 controls and the other
# noncharacters. Bidirectional overrides and isolates are dropped too: they let one post
# reorder the words around it. Carriage returns were already turned into newlines.
_UNSAFE = re.compile(
    char_class(
        r"[[[:Cc:][:Noncharacter_Code_Point:][\u202a-\u202e][\u2066-\u2069]]"
        r"-[\u0009\u000a]]",
        extra="\ud800-\udfff",  # surrogates: ICU hands them back as U+FFFD
    )
)
_NONSPACING = char_class("[[:Mn:][:Me:]]")
_MARK_RUN = re.compile(_NONSPACING + "{2,}")
# What draws nothing on the screen: format characters and other default-ignorable ones
# (which include the Hangul and Khmer fillers), blanks and separators of every script,
# the braille blank, and combining marks (a mark only shows on the character before it,
# so it never counts on its own).
_UNSEEN = re.compile(
    char_class(r"[[:Default_Ignorable_Code_Point:][:White_Space:][:Cc:][:Cf:][:Z:][:M:]\u2800]")
)

_IGNORABLE = re.compile(char_class(r"[[:Default_Ignorable_Code_Point:]\u2800]"))


def _limit_marks(match):
    kept = []
    for mark in match.group():
        if len(kept) < MARKS_PER_CHARACTER and (not kept or kept[-1] != mark):
            kept.append(mark)
    return "".join(kept)


def visible_length(value):
    """How many characters of `value` a reader would actually see (marks ride on their base)."""
    return len(_UNSEEN.sub("", value or ""))


def clean_text(value):
    """Text as Kettle stores it: NFC, newlines as "\\n", nothing XML refuses, marks limited.

    Returns "" when nothing in it is visible, so a field of only invisible characters
    reads as blank to every validator after it. None stays None.
    """
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _UNSAFE.sub("", unicodedata.normalize("NFC", value))
    value = _MARK_RUN.sub(_limit_marks, value)
    return value if visible_length(value) else ""


def clean_line(value):
    """One line of text (titles, own-words notes): cleaned, with runs of whitespace folded."""
    if value is None:
        return None
    return " ".join(clean_text(value).split())


def unsafe_characters(value):
    """True when `value` holds a character clean_text would drop (for checks that refuse)."""
    return bool(_UNSAFE.search(value or ""))


def too_many_marks(value):
    """True when some character in `value` carries more marks than clean_text would keep."""
    return any(_limit_marks(run) != run.group() for run in _MARK_RUN.finditer(value or ""))


def ignorable(char):
    """True for a character that shows nothing even where it belongs (joiners, fillers)."""
    return _IGNORABLE.fullmatch(char) is not None
