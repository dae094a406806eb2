"""Handing a new keeper link to its author exactly once, across the post-redirect-get."""

from flask import session

from app.core.urls import is_preview
from app.web import sealed
from app.web.database import holds_no_words

# One held link per post, so posting from two tabs before either page loads loses neither.
PREFIX = "fresh_keeper:"
# A sealed row is a secret XORed with a pad only the browser holds, never words: sweeping
# expired ones away as each link is sealed needs no checkpoint of SQLite's write-ahead log.
holds_no_words(sealed.SealedSecret.__tablename__)


def hand_over(posted):
    """Hold a just-made keeper link until the question page shows it, in the caller's
    transaction (the post's own, through a service's `along`); nothing without a link."""
    if posted.keeper_token:
        post = posted.post
        kind = "question" if hasattr(post, "title") else "answer"
        question_id = post.id if kind == "question" else post.question_id
        key = f"{PREFIX}{question_id}:{kind}:{post.id}"
        sealed.give(key, posted.keeper_token, question_id=question_id, kind=kind, post_id=post.id)


def take(question_id):
    """The keeper link made on this question's page, once (the sealed row is deleted and
    committed at once); None afterwards.

    Returns the token, what it keeps ("question" or "perspective") and the post's kind and
    id, so the page can show the post to its author whatever their reading choices.
    A prefetch or link preview must not use up the one showing.
    """
    if is_preview():
        return None
    mine = [key for key in session if key.startswith(f"{PREFIX}{question_id}:")]
    waiting = sorted(mine, key=lambda key: int(key.rsplit(":", 1)[1]))
    if not waiting:
        return None
    # The oldest first; another waiting for this page is shown the next time it loads.
    found = sealed.take(waiting[0], question_id=question_id)
    if not found or "post_id" not in found:
        return None
    what = "question" if found["kind"] == "question" else "perspective"
    return {"token": found["secret"], "what": what, "kind": found["kind"], "id": found["post_id"]}
