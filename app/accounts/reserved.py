"""Names that stay out of reach after the account that used them has gone."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class ReservedName(db.Model):
    """The comparison key of a deleted account's pseudonym, and nothing else about it.

    Peers came to trust that name, so nobody may take it, or a look-alike, once it is
    gone (retired names are kept the same way, by their own rows). No account, no
    date and not the name itself are stored, so nothing here leads back to anyone.
    """

    name_key: Mapped[str] = mapped_column(String(120), primary_key=True)
