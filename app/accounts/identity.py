"""The one place that knows who is reading and who is posting.

A signed-in session is a signed cookie carrying the account id, the SHA-256 of the
account's random session secret, and when it began and was last used. A new secret
ends every session at once, on every server; and since the secret is random, a
cookie can never fit another account, even one that somehow got the same id.
Every posting form offers the choices from `posting_choices()` in its `as` field,
and every service receives the `Author` that `current_author()` resolves.
"""

import hmac
import time
from dataclasses import dataclass
from functools import cache

from flask import current_app, g, session
from sqlalchemy.orm import joinedload

from app.core.tokens import token_hash
from app.web.extensions import db

ANONYMOUS = "anonymous"
SESSION_KEY = "account"


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

    @property
    def account_id(self):
        return self.account.id if self.account else None

    @property
    def pseudonym_id(self):
        return self.pseudonym.id if self.pseudonym else None


@cache
def _with_names_and_roles():
    """Load options for an account with its roles (the header's links) and pseudonyms
    (every posting form) in the same query: almost every page a member opens shows both.
    Built once."""
    from app.accounts.models import Account

    return joinedload(Account.roles), joinedload(Account.pseudonyms)


def current_account():
    """The signed-in account for this request, or None; ends stale or revoked sessions."""
    if "current_account" in g:
        return g.current_account
    from app.accounts.models import Account

    account = None
    held = session.get(SESSION_KEY)
    if held:
        account = db.session.get(Account, held.get("id"), options=_with_names_and_roles())
        if not _still_valid(account, held):
            session.pop(SESSION_KEY, None)
            g.session_ended = True
            account = None
        elif time.time() - held["seen"] > 60:
            session[SESSION_KEY] = {**held, "seen": int(time.time())}
    g.current_account = account
    return account


def _still_valid(account, held):
    now = time.time()
    config = current_app.config
    return (
        account is not None
        and account.suspended_at is None
        and isinstance(held.get("key"), str)
        and hmac.compare_digest(held["key"], token_hash(account.session_secret))
        and now - held.get("since", 0) < config["SESSION_ABSOLUTE_SECONDS"]
        and now - held.get("seen", 0) < config["SESSION_IDLE_SECONDS"]
    )


def begin_session(account, keep=()):
    """A fresh session for a newly signed-in account; nothing from before carries over but
    the `keep` keys (the cookie half of a secret sealed for the next page)."""
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)
    stamp = int(time.time())
    session[SESSION_KEY] = {"id": account.id, "key": token_hash(account.session_secret),
                            "since": stamp, "seen": stamp}  # fmt: skip
    g.current_account = account


def end_session():
    session.clear()
    g.current_account = None


def posting_choices():
    """(value, label) pairs for the `as` field of every posting form."""
    choices = [(ANONYMOUS, "Anonymously")]
    account = current_account()
    if account is not None:
        choices += [(str(p.id), p.display_name) for p in account.active_pseudonyms]
    return choices


def current_author(as_value):
    """The author a form's `as` value stands for; refuses a pseudonym that is not yours."""
    account = current_account()
    if as_value in (None, "", ANONYMOUS):
        return Author(account=account)
    for pseudonym in account.active_pseudonyms if account else []:
        if str(pseudonym.id) == as_value:
            return Author(pseudonym=pseudonym, account=account)
    raise UnknownAuthor(as_value)


def remembered_choice(topic_slug):
    """The `as` choice this person last used in a topic, if it is still theirs to use."""
    account = current_account()
    if account is None:
        return ANONYMOUS
    choice = (account.last_posted_as or {}).get(topic_slug, ANONYMOUS)
    return choice if choice in dict(posting_choices()) else ANONYMOUS


def remember_choice(topic_slug, as_value):
    """Keep the `as` choice for a topic on the account, in the caller's transaction (the
    post's own, so a refused post leaves the choice as it was)."""
    account = current_account()
    if account is not None and (account.last_posted_as or {}).get(topic_slug) != as_value:
        account.last_posted_as = {**(account.last_posted_as or {}), topic_slug: as_value}
