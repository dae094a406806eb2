"""Rota names: the only name the public moderation log shows for a moderator.

A rota name is checked as pseudonyms are (app.accounts.names): the same letters and
lengths, and no name that could read as speaking for Kettle. It may not look like any
pseudonym, used, retired or left behind, nor like another moderator's rota name, so
nothing public links a moderator to what they post. Once chosen, a rota name's key is
reserved as retired pseudonyms' are, so nobody can later post under a look-alike of it.
"""

from sqlalchemy import select

from app.accounts import names
from app.accounts.models import Account, Pseudonym
from app.accounts.reserved import is_reserved, reserve
from app.accounts.services import handle_key
from app.core.refused import Refused
from app.web.extensions import db

TAKEN = "That rota name, or one that looks just like it, is taken. Please choose another."
LOGIN_NAME = ("The public log shows your rota name, so it cannot be your login name. "
              "Please choose another.")  # fmt: skip


def problem(name):
    """Why `name` cannot be a rota name, in plain words; None when it can."""
    found = names.problem(names.tidy(name))
    return found.replace("A pseudonym", "A rota name") if found else None


def choose(account, name):
    """Give `account` the rota name `name`, in the caller's transaction.

    Refuses (Refused) a name `problem` refuses, and one whose look-alike key belongs to
    a pseudonym, a reserved name or another moderator's rota name, or that is the
    account's own login name (the log is public). Keeping one's own
    rota name is allowed; the old key stays reserved when it changes.
    """
    name = names.tidy(name)
    found = problem(name)
    if found:
        raise Refused(found)
    if handle_key(name) == account.handle_key:
        raise Refused(LOGIN_NAME, field="rota_name")
    key = names.fold(name)
    if account.rota_name and names.fold(account.rota_name) == key:
        account.rota_name = name
        return
    pseudonym = db.session.scalar(select(Pseudonym.id).where(Pseudonym.name_key == key))
    others = db.session.scalars(
        select(Account.rota_name).where(Account.rota_name.is_not(None), Account.id != account.id)
    )
    if pseudonym is not None or is_reserved(key) or any(names.fold(o) == key for o in others):
        raise Refused(TAKEN)
    reserve([key] + ([names.fold(account.rota_name)] if account.rota_name else []))
    account.rota_name = name
