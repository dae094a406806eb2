"""Why someone reports a post: reasons in plain words, one place for each.

There is no "report this person for their own safety" reason, and there never will be
(DESIGN.md principle 8: help is offered, never forced).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    slug: str
    label: str
    hint: str = ""


REASONS = (
    Reason("abuse", "Abuse or pile-on", "Attacks, mockery or many people turning on one."),
    Reason("identifies", "Could identify someone", "A name, place, photo or detail that "
           "could lead to a real person."),
    Reason("needs-note", "Needs a content note", "Hard subject matter without a note to "
           "protect readers."),
    Reason("spam", "Spam or advertising"),
    Reason("illegal", "May be illegal", "For example encouraging or assisting suicide, or "
           "an intimate image shared without consent."),
    Reason("other", "Something else", "Please say what in the details."),
)  # fmt: skip
BY_SLUG = {reason.slug: reason for reason in REASONS}
MAY_BE_ILLEGAL = "illegal"
