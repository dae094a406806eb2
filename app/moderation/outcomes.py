"""What a moderator's decision on a case means, in plain words: one place for each action.

Receipts tell reporters what was done; the moderator's side (the log, statements of
reasons) can say it the same way. The slugs are the actions of DESIGN.md's HTTP contract.
"""

DISMISS = "dismiss"

OUTCOMES = {
    DISMISS: "A moderator read it and decided it does not break Kettle's rules, so it "
             "stays as it was.",
    "add-note": "A moderator added a content note, so readers can choose whether to open it.",
    "hide": "A moderator hid it from readers. The author can still see it, edit it or "
            "delete it.",
    "restore": "A moderator showed it to readers again, as it was.",
    "lock": "A moderator locked the question, so it takes no new perspectives.",
    "slow-mode": "A moderator slowed the thread down, so each person can reply only now "
                 "and then.",
    "suspend-pseudonym": "A moderator suspended the name it was posted under, for a while.",
    "suspend-account": "A moderator suspended the account it was posted from, for a while.",
    "warn": "A moderator warned the person who posted it.",
}  # fmt: skip
# For an outcome recorded by a later version of Kettle than the one showing it.
UNKNOWN = "A moderator made a decision on it."


def said(outcome):
    """The plain words for one outcome slug; UNKNOWN for a slug not listed here."""
    return OUTCOMES.get(outcome, UNKNOWN)
