"""Comparing names the way people read them: one key per name after folding look-alikes."""

import json
import re
import unicodedata
from functools import cache
from importlib import resources

# Names nobody may take, because they would speak with borrowed authority.
RESERVED = (
    "anonymous",
    "anon",
    "theasker",
    "asker",
    "rota",
    "therota",
    "kettle",
    "moderator",
    "moderators",
    "coordinator",
    "admin",
    "administrator",
    "staff",
    "system",
    "deleted",
)
# Swaps people make on purpose that the Unicode tables do not list as look-alikes.
_EXTRA = {"0": "o"}
RESERVED_WITHIN = ("moderator", "kettle", "admin", "coordinator", "theasker", "therota")
_ALLOWED = re.compile(r"^[\w .'\-]+$")
# Letters that render as blank space, so "Ann" and "Ann\u3164" would look the same.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e")
KEY_MAX = 120


@cache
def _look_alikes():
    """Each confusable character mapped to one representative of its group."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text()
    )
    table = {}
    for char, entry in data.items():
        group = [char] + [h["c"] for h in entry if len(h["c"]) == 1]
        table[char] = min(group)
    return table | _EXTRA


def fold(name):
    """NFKC, case folding and look-alike folding, keeping only letters and digits."""
    text = unicodedata.normalize("NFKC", name).casefold()
    table = _look_alikes()
    folded = "".join(table.get(char, char) for char in text)
    folded = unicodedata.normalize("NFKC", folded).casefold()
    return "".join(char for char in folded if char.isalnum())


def problem(name):
    """Why a display name cannot be used, in plain words; None when it is fine."""
    if any(unicodedata.category(char).startswith("C") or char in _BLANK_LETTERS for char in name):
        return "A pseudonym can use letters, numbers, spaces and simple punctuation only."
    name = " ".join(name.split())
    if not 2 <= len(name) <= 40:
        return "A pseudonym needs 2 to 40 characters."
    if not _ALLOWED.match(name):
        return "A pseudonym can use letters, numbers, spaces, and . ' - _ only."
    key = fold(name)
    if len(key) < 2:
        return "A pseudonym needs at least two letters or numbers."
    if len(key) > KEY_MAX:
        return "Please choose a shorter pseudonym."
    if key in {fold(word) for word in RESERVED} or any(
        fold(word) in key for word in RESERVED_WITHIN
    ):
        return "That name is kept for Kettle's own use. Please choose another."
    return None
