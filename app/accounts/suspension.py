"""A moderator's timed suspension of a pseudonym or an account: who may not post, until when.

A suspended pseudonym may not ask or answer; a suspended account may not post as any of its
pseudonyms, nor anonymously while signed in. The person can still sign in, read, see what
moderators told them, export their data and delete their account. What a suspended
pseudonym posted is held back from readers while it lasts (app.questions.visibility, the
one rule); an account's suspension holds back nothing of its own, so no names are linked
(the moderation service suspends the reported pseudonym with it). A suspension ends by the
clock: nothing needs to run when it does.
"""

from flask import current_app

from app.core.refused import Refused
from app.core.time import local_moment, now


def is_suspended(holder, at=None):
    """True while `holder` (a Pseudonym or Account, or None) is suspended."""
    until = getattr(holder, "suspended_until", None)
    return until is not None and until > (at or now())


def posting_suspended_until(pseudonym=None, account=None, at=None):
    """When the later of the pseudonym's and the account's running suspensions ends, or None."""
    at = at or now()
    ends = [h.suspended_until for h in (pseudonym, account) if is_suspended(h, at)]
    return max(ends) if ends else None


class Suspended(Refused):
    """Posting refused while a suspension lasts; the words stay in the form."""

    def __init__(self, until, name=None):
        when = local_moment(until, current_app.config["TIMEZONE"])
        who = f"The pseudonym {name} is" if name else "Your account is"
        super().__init__(
            f"{who} suspended by the moderators until {when}, so it cannot post until "
            "then. Your words are still here, so you can keep them. You can still read, "
            "see what the moderators told you, and appeal from your post's page.",
            field="as_",
        )
        self.until = until


def check_can_post(pseudonym=None, account=None):
    """Refuse (Suspended) while the pseudonym or the account posting is suspended."""
    until = posting_suspended_until(pseudonym, account)
    if until is None:
        return
    named = pseudonym if is_suspended(pseudonym) and pseudonym.suspended_until == until else None
    raise Suspended(until, named.display_name if named else None)
