"""The one place that knows who is posting.

Every posting form offers the choices from `posting_choices()` in its `as`
field, and every service receives the `Author` that `current_author()`
resolves. Until accounts exist, everyone posts anonymously.
"""

from dataclasses import dataclass

ANONYMOUS = "anonymous"


class UnknownAuthor(ValueError):
    """The `as` choice names no pseudonym this person may post as."""


@dataclass(frozen=True)
class Author:
    pseudonym: object | None = None
    account: object | None = None

    @property
    def needs_keeper_link(self):
        """Posts made without an account are managed through a keeper link."""
        return self.account is None


def posting_choices():
    """(value, label) pairs for the `as` field of every posting form."""
    return [(ANONYMOUS, "Anonymously")]


def current_author(as_value):
    """The author a form's `as` value stands for; refuses a pseudonym that is not yours."""
    if as_value in (None, "", ANONYMOUS):
        return Author()
    raise UnknownAuthor(as_value)


def shown_as(post):
    """The name shown beside a post: "the asker", a pseudonym, or "anonymous"."""
    if getattr(post, "by_asker", False):
        return "the asker"
    return "anonymous"
