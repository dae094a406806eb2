"""Pseudonyms: several public names per account, never linked to each other in public."""

import secrets

from sqlalchemy import select

from app.accounts import names
from app.accounts.models import Pseudonym
from app.accounts.reserved import is_reserved, reserve
from app.core.refused import Refused
from app.core.time import now
from app.web.extensions import db

MAX_ACTIVE = 10
# Retired names stay reserved, so the total is capped too.
MAX_TOTAL = 20


NAME_TAKEN = "That name, or one that looks just like it, is taken. Please choose another."


class NameTaken(Refused):
    def __init__(self):
        super().__init__(NAME_TAKEN, field="pseudonym")


def _name_taken(key, keep=None):
    """In use, retired, or left by a deleted account: all of them stay out of reach."""
    found = db.session.scalar(select(Pseudonym).where(Pseudonym.name_key == key))
    if found is not None:
        return found is not keep
    return is_reserved(key)


def _checked(name, keep=None):
    name = names.tidy(name)
    problem = names.problem(name)
    if problem:
        raise Refused(problem, field="pseudonym")
    key = names.fold(name)
    if _name_taken(key, keep):
        raise NameTaken()
    return name, key


def add_pseudonym(account, name):
    """Add a pseudonym to an account in the caller's transaction.

    Raises Refused when the account holds as many pseudonyms as it may (naming no field),
    and Refused naming "pseudonym" (NameTaken when taken) when the name cannot be used.
    """
    if len(account.active_pseudonyms) >= MAX_ACTIVE:
        raise Refused(f"You can have up to {MAX_ACTIVE} pseudonyms. Retire one to make room.")
    if len(account.pseudonyms) >= MAX_TOTAL:
        raise Refused(f"An account can hold {MAX_TOTAL} pseudonyms in all, retired ones included.")
    display_name, key = _checked(name)
    pseudonym = Pseudonym(
        public_id=secrets.token_urlsafe(9), display_name=display_name, name_key=key
    )
    account.pseudonyms.append(pseudonym)
    return pseudonym


def create(account, name):
    """Add a pseudonym to an account, and commit. Raises Refused as add_pseudonym does."""
    pseudonym = add_pseudonym(account, name)
    db.session.commit()
    return pseudonym


def rename(pseudonym, name):
    """Give a pseudonym a new name everywhere it appears, and commit.

    The old name stays reserved, as retired and deleted names do, so nobody can take up a
    name that peers came to trust. Raises Refused naming "pseudonym" (NameTaken when
    taken) when the new name cannot be used.
    """
    old_key = pseudonym.name_key
    pseudonym.display_name, pseudonym.name_key = _checked(name, keep=pseudonym)
    if pseudonym.name_key != old_key:
        reserve([old_key])
    db.session.commit()


def retire(pseudonym):
    """Stop posting as a pseudonym; what it posted stays under its name. Commits.

    Raises Refused (naming no field) when it is the account's last active pseudonym.
    """
    if len(pseudonym.account.active_pseudonyms) <= 1:
        raise Refused("You need at least one pseudonym. Create another before retiring this one.")
    pseudonym.retired_at = now()
    db.session.commit()


def owned(account, pseudonym_id):
    """One of the account's pseudonyms by id, or None."""
    return next((p for p in account.pseudonyms if str(p.id) == str(pseudonym_id)), None)
