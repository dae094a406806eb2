"""Joining, signing in, passwords and recovery codes. Each function owns its transaction."""

import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts import passwords
from app.accounts.models import ROLES, Account, AccountRole, RecoveryCode
from app.accounts.pseudonyms import NameTaken, add_pseudonym
from app.core.forms import clean_line
from app.core.refused import Refused
from app.core.time import now
from app.core.tokens import new_token, token_hash
from app.web.extensions import db

RECOVERY_CODE_COUNT = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alike letters or digits
SIGN_IN_FAILED = "That login name and password do not match. Please try again."


class HandleTaken(Refused):
    def __init__(self):
        super().__init__(
            "That login name is taken. Please choose another; nobody will see it.", field="handle"
        )


@dataclass
class Joined:
    account: Account
    recovery_codes: list[str]


def handle_key(handle):
    """The one comparable form of a login name, used to store, find and rate-limit it."""
    return unicodedata.normalize("NFKC", clean_line(handle or "")).strip().casefold()


def handle_problem(handle):
    key = handle_key(handle)
    if not 3 <= len(key) <= 40:
        return "Your login name needs 3 to 40 characters."
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in key):
        return "A login name has no spaces: use letters, numbers and punctuation."
    return None


def find_by_handle(handle):
    return db.session.scalar(select(Account).where(Account.handle_key == handle_key(handle)))


def _fresh_codes(account):
    account.recovery_codes = []
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        account.recovery_codes.append(RecoveryCode(code_hash=passwords.hash_code(_secret(code))))
        codes.append(code)
    return codes


def _secret(code):
    """What a code's stored hash is made from: the SHA-256 of the code, without dashes or case.

    The SHA-256 step lets codes stored before slow hashing be wrapped in place (migration
    0005), so every code, old or new, is checked the same way.
    """
    return token_hash("".join(char for char in (code or "").casefold() if char.isalnum()))


def join(handle, password, pseudonym_name, along=None):
    """Create an account with its first pseudonym and recovery codes, and commit once.

    `along(joined)` runs inside the same transaction just before its commit (the view
    moves the reader's choices onto the account and seals the codes for the next page).

    Raises HandleTaken when the login name is taken, and Refused naming "pseudonym"
    (NameTaken when taken) when the pseudonym's name cannot be used; also when someone
    else took either in the same moment (the database's unique keys decide).
    """
    if find_by_handle(handle) is not None:
        raise HandleTaken()
    account = Account(
        handle_key=handle_key(handle), password_hash=passwords.hash_password(password)
    )
    add_pseudonym(account, pseudonym_name)
    joined = Joined(account, _fresh_codes(account))
    db.session.add(account)
    try:
        db.session.flush()  # the unique keys decide here, before anything is built on them
    except IntegrityError as clash:
        db.session.rollback()
        if "handle_key" in str(clash.orig):
            raise HandleTaken() from None
        raise NameTaken() from None
    if along is not None:
        along(joined)
    db.session.commit()
    return joined


def authenticate(handle, password, along=None):
    """The account for a handle and password; commits once, upgrading an old password hash
    and running `along(account)` inside the same transaction just before the commit.

    Raises Refused, naming no field, with one message for every wrong login name or
    password (so it tells nothing about either), and when the account is suspended.
    """
    account = find_by_handle(handle)
    if not passwords.verify(account.password_hash if account else None, password):
        raise Refused(SIGN_IN_FAILED)
    if account.suspended_at is not None:
        raise Refused("This account is suspended, so it cannot sign in.")
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    if along is not None:
        along(account)
    db.session.commit()
    return account


def change_password(account, current, new):
    """Set a new password after checking the current one, and commit; ends every session.

    Raises Refused naming "current" when the current password is not the account's.
    """
    if not passwords.verify(account.password_hash, current):
        raise Refused(
            "Your current password was not right, so nothing was changed.", field="current"
        )
    _set_password(account, new)
    db.session.commit()


def recover(handle, code, new, along=None):
    """Set a new password with a one-time recovery code, and commit once; ends every session.

    `along(account)` runs inside the same transaction just before its commit.

    Raises Refused, naming no field, when the code is wrong, used, or not this login
    name's. Every attempt checks as many hashes as an account holds codes, so timing
    tells nothing.
    """
    account = find_by_handle(handle)
    secret = _secret(code)
    unused = [stored for stored in (account.recovery_codes if account else [])
              if stored.used_at is None]  # fmt: skip
    match = None
    for index in range(max(RECOVERY_CODE_COUNT, len(unused))):
        stored = unused[index] if index < len(unused) else None
        fits = passwords.code_matches(stored.code_hash if stored else passwords.DUMMY_CODE_HASH,
                                      secret)  # fmt: skip
        if fits and stored is not None:
            match = stored
    # Only one request can spend a code, even if two arrive at once.
    spent = (
        match is not None
        and db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.id == match.id, RecoveryCode.used_at.is_(None))
            .values(used_at=now())
        ).rowcount
        == 1
    )
    if not spent:
        db.session.rollback()
        raise Refused(
            "That code does not work with that login name. It may be mistyped, "
            "or already used: each code works once."
        )
    _set_password(account, new)
    if along is not None:
        along(account)
    db.session.commit()
    return account


def _set_password(account, new):
    """A new password, and every session ended, in the caller's transaction."""
    account.password_hash = passwords.hash_password(new)
    _new_session_secret(account)


def _new_session_secret(account):
    """End every session of the account, on every server, in the caller's transaction."""
    account.session_secret = new_token()


def new_recovery_codes(account, password, along=None):
    """Replace every recovery code with a fresh set, and commit; returns them, once.

    `along(codes)` runs inside the same transaction just before its commit.

    Raises Refused naming "password" when the password is not the account's, so someone
    at an unlocked screen cannot swap the codes and lock the person out.
    """
    if not passwords.verify(account.password_hash, password):
        raise Refused(
            "That password was not right, so your codes were not changed.", field="password"
        )
    codes = _fresh_codes(account)
    if along is not None:
        along(codes)
    db.session.commit()
    return codes


def unused_code_count(account):
    return sum(1 for code in account.recovery_codes if code.used_at is None)


def end_every_session(account):
    """Sign out everywhere: every cookie issued so far stops working, and commit."""
    _new_session_secret(account)
    db.session.commit()


def suspend(account):
    """Suspend an account: it is signed out everywhere at once and cannot sign in; commits."""
    account.suspended_at = account.suspended_at or now()
    _new_session_secret(account)
    db.session.commit()


def grant(handle, role, along=None):
    """Give the account with this login name a role, and commit; returns the account.

    `along(account)` runs in the same transaction just before its commit, only when the
    account did not hold the role already. Raises Refused naming "role" for a role Kettle
    does not have, and naming "handle" when no account has that login name.
    """
    account = _account_for_role(handle, role)
    if not account.has_role(role):
        account.roles.append(AccountRole(role=role))
        if along is not None:
            along(account)
    db.session.commit()
    return account


_revoke_hooks = []


def when_revoked(hook):
    """Run `hook(account, role)` in revoke's transaction, before its commit: the rota
    registers one that ends a running shift when the moderator role goes."""
    if hook not in _revoke_hooks:
        _revoke_hooks.append(hook)


def revoke(handle, role, along=None):
    """Take a role away and end the account's sessions, so it takes effect at once; commits
    and returns the account.

    The hooks registered with `when_revoked` run in the same transaction (a moderator's
    running shift ends with the role), and so does `along(account)`, only when the account
    held the role. Raises Refused as grant does.
    """
    return revoke_from(_account_for_role(handle, role), role, along)


def revoke_from(account, role, along=None):
    """`revoke` for an account already found (a coordinator's page names no login name);
    commits and returns the account."""
    held = account.has_role(role)
    account.roles = [granted for granted in account.roles if granted.role != role]
    _new_session_secret(account)
    for hook in _revoke_hooks:
        hook(account, role)
    if held and along is not None:
        along(account)
    db.session.commit()
    return account


def _account_for_role(handle, role):
    if role not in ROLES:
        raise Refused(f"Roles are {', '.join(ROLES)}.", field="role")
    account = find_by_handle(handle)
    if account is None:
        raise Refused("No account has that login name.", field="handle")
    return account
