"""The one decision about which title a reader sees for a question.

Lists, the question page, the pseudonym pages, the author's own pages and the API all ask
`title_for`; templates only lay out what it decided. The words that stand in for a title
live here too, so a removed question is named the same way everywhere.
"""

from dataclasses import dataclass

OPEN = "open"
NOTED = "noted"
REMOVED = "removed"
HIDDEN = "hidden"
COLLAPSED = "collapsed"

# Said wherever a removed question is named: its page, the sentences that explain it, the
# promise made before deleting, and the API.
REMOVED_QUESTION = "The asker removed their question"

# What stands where a title would be: as a heading, and in the middle of a sentence.
STAND_INS = {
    NOTED: ("A question with content notes", "a question with content notes"),
    REMOVED: (REMOVED_QUESTION, "a question its asker removed"),
    HIDDEN: ("A moderator hid this question", "a question a moderator hid"),
    COLLAPSED: (
        "This question is folded away until a moderator reads the reports",
        "a question folded away until a moderator reads the reports",
    ),
}


@dataclass(frozen=True)
class Title:
    """What a reader sees where a question's title goes.

    `state` is OPEN (the title itself), NOTED (the title folds in behind its notes, and the
    page names only the notes), REMOVED, HIDDEN or COLLAPSED (a stand-in; the title is never
    shown).
    """

    state: str
    text: str
    in_sentence: str
    folded: str | None = None  # the real title, to show only inside the opened notes

    @property
    def is_open(self):
        return self.state == OPEN


def _stand_in(state, folded=None):
    heading, in_sentence = STAND_INS[state]
    return Title(state, heading, in_sentence, folded)


def title_for(question, prefs=None):
    """The title this reader sees for a question; with no `prefs`, as the API gives it.

    A removed question's title is gone for everyone. A hidden one's, or one collapsed
    pending review, is shown only to its author (their prefs own it). A noted one folds
    behind its notes unless the reader chose to show every one of them; the API (no prefs)
    gives it with its notes beside it.
    """
    if question.is_deleted:
        return _stand_in(REMOVED)
    if question.is_hidden and not (prefs is not None and prefs.owns(question)):
        return _stand_in(HIDDEN)
    if question.is_collapsed and not (prefs is not None and prefs.owns(question)):
        return _stand_in(COLLAPSED)
    if prefs is not None and question.is_noted and not prefs.opens(question):
        return _stand_in(NOTED, folded=question.title)
    return Title(OPEN, question.title, question.title)
