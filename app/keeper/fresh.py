"""Handing a new keeper link to its author exactly once, across the post-redirect-get."""

from flask import session

KEY = "fresh_keeper"


def hand_over(posted, question_id):
    """Hold a just-made keeper link until the question page shows it."""
    if posted.keeper_token:
        what = "question" if hasattr(posted.post, "title") else "perspective"
        session[KEY] = {"token": posted.keeper_token, "question_id": question_id, "what": what}


def take(question_id):
    """The keeper link made on this question's page, once; None afterwards."""
    fresh = session.get(KEY)
    if not fresh or fresh.get("question_id") != question_id:
        return None
    return session.pop(KEY)
