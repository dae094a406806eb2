"""Names that stay out of reach after the account that used them has gone."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.tokens import token_hash
from app.web.extensions import db


class ReservedName(db.Model):
    """The SHA-256 of a deleted account's pseudonym's comparison key, and nothing else.

    Peers came to trust that name, so nobody may take it, or a look-alike, once it is
    gone (retired names are kept the same way, by their own rows). No account, no
    date, and neither the name nor its key are stored, so the erased name is not left
    readable in the database file.
    """

    name_key: Mapped[str] = mapped_column(String(120), primary_key=True)


def reserve(keys):
    """Keep these comparison keys out of reach, in the caller's transaction; a key kept
    already stays kept once."""
    for key in set(keys):
        if not is_reserved(key):
            db.session.add(ReservedName(name_key=token_hash(key)))


def is_reserved(key):
    """True when a deleted account's pseudonym had this comparison key."""
    return db.session.get(ReservedName, token_hash(key)) is not None
