"""Handing a new keeper link to its author exactly once, across the post-redirect-get."""

from app.core import handover
from app.core.urls import is_preview
from app.extensions import db

KEY = "fresh_keeper"


def hand_over(posted, question_id):
    """Hold a just-made keeper link until the question page shows it, and commit."""
    if posted.keeper_token:
        what = "question" if hasattr(posted.post, "title") else "perspective"
        handover.give(KEY, posted.keeper_token, question_id=question_id, what=what)
        db.session.commit()


def take(question_id):
    """The keeper link made on this question's page, once; None afterwards.

    A prefetch or link preview must not use up the one showing.
    """
    if is_preview():
        return None
    found = handover.take(KEY, question_id=question_id)
    return found and {"token": found["secret"], "what": found["what"]}
