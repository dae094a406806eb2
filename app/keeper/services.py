"""Making and finding keeper links. The raw link exists only in the author's hands."""

from sqlalchemy import select

from app.core import tokens
from app.core.time import now
from app.extensions import db
from app.keeper.models import KeeperToken

FEED_PURPOSE = "kettle-feed"


def issue(question=None, answer=None):
    """Attach a new keeper link to one post (in the caller's transaction); returns the raw token."""
    token = tokens.new_token()
    keeper = KeeperToken(token_hash=tokens.token_hash(token), question=question, answer=answer)
    if question is not None:
        keeper.feed_hash = tokens.token_hash(feed_token(token))
    db.session.add(keeper)
    return token


def feed_token(token):
    """The read-only feed secret that belongs to a question's keeper link."""
    return tokens.derived_token(token, FEED_PURPOSE)


def find(token):
    """The keeper for a presented link, or None."""
    return _find_by(KeeperToken.token_hash, token)


def find_by_feed(feed):
    """The keeper whose question a feed URL follows, or None."""
    return _find_by(KeeperToken.feed_hash, feed)


def _find_by(column, token):
    if not token or len(token) > 100:
        return None
    keeper = db.session.scalar(select(KeeperToken).where(column == tokens.token_hash(token)))
    if keeper is None or not tokens.same_hash(getattr(keeper, column.key), token):
        return None
    return keeper


def mark_seen(keeper):
    """Record the author's visit, and commit."""
    keeper.last_seen_at = now()
    db.session.commit()
