"""The one place that knows who is reading and who is posting.

A signed-in session is a signed cookie carrying the account id, the SHA-256 of the
account's random session secret, and when it began and was last used. A new secret
ends every session at once, on every server; and since the secret is random, a
cookie can never fit another account, even one that somehow got the same id.
Every posting form offers the choices from `posting_choices()` in its `as` field,
and every service receives the `Author` that `current_author()` resolves.

Most pages load the signed-in `Account` through the ORM (`current_account()`). A page kept
for members (app.questions.member_copy) needs only a few plain facts of it (`Member`), so
`member_facts()` reads those in one small query, with the same session check.
"""

import hmac
import time
from dataclasses import dataclass
from functools import cache

from flask import current_app, g, session
from sqlalchemy import bindparam, literal, null, select, true, union_all
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
        account = account if _holds_session(account, held) else None
    g.current_account = account
    return account


@dataclass(frozen=True)
class Member:
    """The facts of the signed-in account a member copy of a page needs (its key, its
    `as` choices and the reader's choices), read without loading the account.

    `names` holds (pseudonym id as a string, display name) for each name the member may
    post under, by id; `roles` the role names, sorted."""

    id: int
    roles: tuple
    names: tuple
    last_posted_as: dict
    note_choices: dict
    discreet_titles: bool

    @classmethod
    def of(cls, account):
        """The facts of a loaded `Account`, as they stand now."""
        return cls(
            id=account.id,
            roles=tuple(sorted(granted.role for granted in account.roles)),
            names=tuple((str(p.id), p.display_name) for p in account.active_pseudonyms),
            last_posted_as=account.last_posted_as or {},
            note_choices=account.note_choices or {},
            discreet_titles=bool(account.discreet_titles),
        )


@cache
def _member_query():
    """The one prebuilt query `member_facts` asks: the account's own columns, on one row
    for each of its active names and roles (or one row with neither). Built once; the id
    is bound per call."""
    from app.accounts.models import Account, AccountRole, Pseudonym

    own = union_all(
        select(literal("name").label("kind"), Pseudonym.id.label("own_id"),
               Pseudonym.display_name.label("text"))
        .where(Pseudonym.account_id == bindparam("id"), Pseudonym.is_active),
        select(literal("role"), null(), AccountRole.role)
        .where(AccountRole.account_id == bindparam("id")),
    ).subquery()  # fmt: skip
    account = Account.__table__
    columns = (
        account.c.id, account.c.suspended_at, account.c.session_secret,
        account.c.last_posted_as, account.c.note_choices, account.c.discreet_titles,
        own.c.kind, own.c.own_id, own.c.text,
    )  # fmt: skip
    joined = account.outerjoin(own, true())
    return select(*columns).select_from(joined).where(account.c.id == bindparam("id"))


def current_member():
    """The signed-in account's `Member` facts for this request, or None when signed out.
    From the account when it is loaded (so they are never older than it), else from what
    `member_facts()` read, else by loading the account."""
    if "current_account" not in g and "current_member" in g:
        return g.current_member
    account = current_account()
    return None if account is None else Member.of(account)


def member_facts():
    """`current_member()`, read by one small query when the account is not loaded yet,
    for a page that may be served as a member copy without loading it at all. Ends stale
    or revoked sessions just as `current_account()` does."""
    if "current_account" in g or "current_member" in g:
        return current_member()
    member = None
    held = session.get(SESSION_KEY)
    if held:
        # On the session's connection: a plain Core query needs none of the ORM's work.
        rows = db.session.connection().execute(_member_query(), {"id": held.get("id")}).all()
        row = rows[0] if rows else None
        if _holds_session(row, held):
            own = sorted(rows, key=_by_id)
            member = Member(
                id=row.id,
                roles=tuple(sorted(r.text for r in own if r.kind == "role")),
                names=tuple((str(r.own_id), r.text) for r in own if r.kind == "name"),
                last_posted_as=row.last_posted_as or {},
                note_choices=row.note_choices or {},
                discreet_titles=bool(row.discreet_titles),
            )
    if member is None:
        g.current_account = None
    g.current_member = member
    return member


def _by_id(row):
    return (row.kind or "", row.own_id or 0, row.text or "")


def _holds_session(account, held):
    """Whether `account` (loaded, or its row; None when gone) is the one this session's
    cookie `held` is for and the session is still live. A stale or revoked session is
    ended; a live one is marked seen, at most once a minute."""
    if not _still_valid(account, held):
        session.pop(SESSION_KEY, None)
        g.session_ended = True
        return False
    if time.time() - held["seen"] > 60:
        session[SESSION_KEY] = {**held, "seen": int(time.time())}
    return True


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
    """(value, label) pairs for the `as` field of every posting form: anonymously, then
    each name the signed-in member may post under."""
    member = current_member()
    return [(ANONYMOUS, "Anonymously"), *(member.names if member else ())]


def current_author(as_value):
    """The author a form's `as` value stands for; raises UnknownAuthor for a pseudonym
    that is not one `posting_choices()` offers."""
    account = current_account()
    if as_value in (None, "", ANONYMOUS):
        return Author(account=account)
    for pseudonym in account.active_pseudonyms if account else []:
        if str(pseudonym.id) == as_value:
            return Author(pseudonym=pseudonym, account=account)
    raise UnknownAuthor(as_value)


def remembered_choice(topic_slug):
    """The `as` choice this person last used in a topic, if it is still theirs to use."""
    member = current_member()
    if member is None:
        return ANONYMOUS
    choice = member.last_posted_as.get(topic_slug, ANONYMOUS)
    return choice if choice in dict(posting_choices()) else ANONYMOUS


def remember_choice(topic_slug, as_value):
    """Keep the `as` choice for a topic on the account, in the caller's transaction (the
    post's own, so a refused post leaves the choice as it was)."""
    account = current_account()
    if account is not None and (account.last_posted_as or {}).get(topic_slug) != as_value:
        account.last_posted_as = {**(account.last_posted_as or {}), topic_slug: as_value}
