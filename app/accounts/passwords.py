"""Passwords: argon2id hashing with a cap on how many run at once, and a kind policy."""

import functools
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 256
_hasher = PasswordHasher()  # argon2id with argon2-cffi's current defaults
# Recovery codes carry about 49 bits. argon2id at OWASP's minimum for passwords (19 MiB,
# 2 passes, 1 lane; the Password Storage Cheat Sheet) puts guessing even one code from a
# leaked database out of reach, while checking all ten at recovery stays quick.
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Each hash takes ~64 MiB; a burst of sign-ins waits here instead of exhausting memory.
_slots = threading.BoundedSemaphore(2)
# Verified when a handle is unknown, so a wrong handle takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("kettle-no-such-account")
DUMMY_CODE_HASH = _code_hasher.hash("kettle-no-such-code")


@functools.cache
def _common():
    """zxcvbn's 30,000 most common passwords, read the first time a new password is checked:
    its word lists hold about 12 MB, which a server that only shows pages need not keep."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def problem(password, handle=""):
    """Why a new password cannot be used, in plain words; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Please use at least {MIN_LENGTH} characters. A few words together work well."
    if len(password) > MAX_LENGTH:
        return f"Please use at most {MAX_LENGTH} characters."
    folded = password.casefold()
    if folded in _common() or len(set(folded)) < 3:
        return (
            "That password is one of the most common, so it is easy to guess. "
            "Try a few unrelated words together."
        )
    if handle and folded == handle.casefold():
        return "Please choose a password that is different from your login name."
    return None


def hash_password(password):
    with _slots:
        return _hasher.hash(password)


def _matches(hasher, stored_hash, secret):
    with _slots:
        try:
            return hasher.verify(stored_hash, secret)
        except (VerificationError, InvalidHashError):
            return False


def verify(stored_hash, password):
    """True when the password matches; pass stored_hash=None for an unknown handle."""
    return _matches(_hasher, stored_hash or _DUMMY_HASH, password) and stored_hash is not None


def needs_rehash(stored_hash):
    return _hasher.check_needs_rehash(stored_hash)


def hash_code(secret):
    """A salted argon2id hash of a recovery code's secret, for storage."""
    with _slots:
        return _code_hasher.hash(secret)


def code_matches(stored_hash, secret):
    """True when the secret is the one stored_hash was made from; never raises."""
    return _matches(_code_hasher, stored_hash, secret)
