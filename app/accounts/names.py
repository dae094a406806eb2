"""Names people post under: which are allowed, and one key per name so look-alikes collide.

Names may be written in any script. They are compared by a key built from Unicode's
UTS #39 confusable skeleton (ICU's SpoofChecker, through PyICU), so `Iimes11` and
`limes11`, `Robin` and `R\u043ebin` (a Cyrillic o), or `rn` and `m` meet on the same key.
Case folding and look-alikes together make the key coarse on purpose: `Ian`, `lan` and
`Lan` share one, since a capital I reads as a small l and a small l as a capital L.
"""

import re
import unicodedata
from functools import cache

import icu

from app.core import cleaning

# What a name may hold beside letters, numbers and their marks: spaces, and the
# apostrophes, hyphens and dots people's keyboards type (a phone's curly one too).
# Also the marks some scripts write inside names: the Tibetan tsheg, the Hebrew geresh and
# gershayim, and the Armenian apostrophe.
PUNCTUATION = frozenset(".'\u2019\u2018\u02bc-\u2010\u2011_\u00b7\u30fb\u0f0b\u05f3\u05f4\u055a")
# Zero-width (non-)joiners shape Persian and Indic names; they may sit between letters.
_JOINERS = frozenset("\u200c\u200d")
# Names nobody may take whole, because they stand for no one in particular.
RESERVED = ("anonymous", "anon", "theasker", "asker", "rota", "therota", "system", "deleted")
# Words that would make a name speak for Kettle or its moderators, anywhere in a name:
# "Mod Sarah", "Kettle Support" and "The Moderation Team" all borrow authority.
AUTHORITY = (
    "mod", "mods", "moderator", "moderators", "moderation", "moderating",
    "admin", "admins", "administrator", "administrators", "administration",
    "coordinator", "coordinators", "kettle", "staff", "support", "official", "officials",
    "sysop", "helpdesk", "safeguarding",
    # The same in the languages people here most often write besides English.
    "moderador", "moderadora", "moderatore", "moderateur", "moderatorin", "moderatorzy",
    "модератор", "админ", "администратор", "مشرف", "管理员", "版主", "管理者",
)  # fmt: skip
# Digits people swap for letters to slip a word past a filter ("K3ttle", "Moder4tor").
_LEET = str.maketrans("0134578@$", "oleastbas")
# Long enough to be unmistakable even run together with other words ("KettleTeam").
AUTHORITY_WITHIN = ("moderator", "moderation", "coordinator", "kettle", "theasker", "therota")
# Words that, only alongside the ones above, still make a whole name of them ("ModTeam").
_FILLERS = ("the", "team", "teams", "squad", "crew", "desk", "help", "hq", "bot", "service")
REFUSED_NAME = (
    "That name is kept for Kettle's own use: it could read as speaking for Kettle or its "
    "moderators. Please choose another."
)
KEY_MAX = 120
# Where run-together words meet: "ModTeam", "Admin123".
_SEAMS = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


@cache
def _checker():
    return icu.SpoofChecker()


def _skeleton(text):
    return _checker().getSkeleton(0, text)


def fold(name):
    """The key two names share when people could mistake one for the other.

    The UTS #39 skeleton of the name as written (a Greek capital eta reads as H), then
    of its case folding, then of its capitals (a capital I reads as a small l), each
    folded again. Only letters, numbers and their marks are kept, so spacing and
    punctuation never tell names apart.
    """
    # In capitals first, so a name's capitals and small letters meet in every script.
    text = _skeleton(unicodedata.normalize("NFKC", _small_capitals(name)).upper())
    text = _skeleton(text.casefold())
    text = _skeleton(_skeleton(text.upper()).casefold())
    return "".join(char for char in _bare(text) if unicodedata.category(char)[0] in "LNM")


def _small_capitals(text):
    """Latin small capitals (ᴍᴏᴅ) read as the letters they are; NFKC leaves them alone."""
    prefix = "LATIN LETTER SMALL CAPITAL "
    out = []
    for char in text:
        name = unicodedata.name(char, "")
        letter = name.removeprefix(prefix)
        out.append(letter.lower() if name.startswith(prefix) and len(letter) == 1 else char)
    return "".join(out)


def _bare(text):
    """Accents and dots on Latin, Greek and Cyrillic letters left off (Mød, Möd, li̇mes read
    as Mod, Mod, limes); marks in other scripts are letters' own parts and stay."""
    out = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char) == "Mn" and out and _decorated_script(out[-1]):
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def _decorated_script(char):
    return unicodedata.name(char, "").split(" ", 1)[0] in {"LATIN", "GREEK", "CYRILLIC"}


@cache
def _authority():
    words = {fold(word) for word in AUTHORITY}
    run = "|".join(re.escape(fold(word)) for word in AUTHORITY + _FILLERS)
    # A name made only of authority words and fillers, with at least one authority word.
    whole = re.compile(f"(?:{run})*(?:{'|'.join(map(re.escape, words))})(?:{run})*")
    return words, whole, {fold(word) for word in AUTHORITY_WITHIN}, {fold(w) for w in RESERVED}


def borrows_authority(name):
    """True when a name could read as Kettle's, its moderators' or nobody's in particular."""
    words, whole, within, reserved = _authority()
    spaced = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in name)
    split = _SEAMS.sub(" ", spaced).split()
    for attempt in (name, name.translate(_LEET)):
        key = fold(attempt)
        parts = {fold(part) for part in split} | {fold(p.translate(_LEET)) for p in split}
        if (
            key in reserved
            or bool(parts & words)
            or whole.fullmatch(key) is not None
            or any(word in key for word in within)
        ):
            return True
    return False


def _allowed(name):
    """Letters, numbers and marks of any script, spaces, keyboard punctuation, inner joiners."""
    for at, char in enumerate(name):
        kind = unicodedata.category(char)[0]
        before, after = name[at - 1 : at], name[at + 1 : at + 2]
        if char in _JOINERS:  # between letters, or after a virama (Sinhala, Devanagari)
            ok = bool(before) and unicodedata.category(before)[0] in "LM" and after.isalpha()
        elif char == " " or char in PUNCTUATION:
            ok = True
        elif kind == "M":  # a mark needs a letter or number (or another mark) to sit on
            ok = bool(before) and unicodedata.category(before)[0] in "LNM"
        else:
            ok = kind in "LN"
        if not ok or (char not in _JOINERS and cleaning.ignorable(char)):
            return False
    return True


def problem(name):
    """Why a display name cannot be used, in plain words; None when it is fine."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if not _allowed(name):
        return (
            "A pseudonym can use letters, numbers (in any language), spaces, and . \u2019 - _ only."
        )
    if not 2 <= len(name) <= 40:
        return "A pseudonym needs 2 to 40 characters."
    if cleaning.too_many_marks(name):
        return (
            f"A pseudonym can carry up to {cleaning.MARKS_PER_CHARACTER} marks on one letter, "
            "and the same mark only once in a row."
        )
    key = fold(name)
    if len(key) < 2:
        return "A pseudonym needs at least two letters or numbers."
    if len(key) > KEY_MAX:
        return "Please choose a shorter pseudonym."
    if borrows_authority(name):
        return REFUSED_NAME
    return None


def tidy(name):
    """A name as it is stored and shown: NFC, with single spaces."""
    return unicodedata.normalize("NFC", " ".join((name or "").split()))
