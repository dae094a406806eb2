"""Pseudonymous accounts: a hidden login handle, a password hash, and pseudonyms."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import now
from app.core.tokens import new_token
from app.web.extensions import db

ROLES = ("moderator", "coordinator")


class Account(db.Model):
    """Never shown to anyone: people appear only as their pseudonyms, or anonymously."""

    id: Mapped[int] = mapped_column(primary_key=True)
    handle_key: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # A random secret every session is bound to (by its hash); a new one ends them all, on
    # every server. Random, not a counter, so no cookie can fit another account.
    session_secret: Mapped[str] = mapped_column(String(64), default=new_token)
    created_at: Mapped[datetime] = mapped_column(default=now)
    suspended_at: Mapped[datetime | None]
    # A moderator's timed suspension (app.accounts.suspension): none of the account's
    # pseudonyms may post, and what it posted is held back from readers, until then.
    # Unlike suspended_at, it never stops the person signing in, reading or leaving.
    suspended_until: Mapped[datetime | None] = mapped_column(index=True)
    note_choices: Mapped[dict] = mapped_column(JSON, default=dict)
    discreet_titles: Mapped[bool] = mapped_column(default=False)
    # The `as` choice last used in each topic, so posting forms remember it.
    last_posted_as: Mapped[dict] = mapped_column(JSON, default=dict)
    # The one name the public moderation log shows for a moderator (app.rota.names);
    # never shown beside a login name or pseudonym.
    rota_name: Mapped[str | None] = mapped_column(String(40), unique=True)

    pseudonyms: Mapped[list["Pseudonym"]] = relationship(
        back_populates="account", order_by="Pseudonym.id", cascade="all, delete-orphan"
    )
    roles: Mapped[list["AccountRole"]] = relationship(cascade="all, delete-orphan")
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(cascade="all, delete-orphan")

    # SQLite AUTOINCREMENT: a deleted account's id is never handed to anyone else.
    __table_args__ = {"sqlite_autoincrement": True}

    def has_role(self, role):
        return any(granted.role == role for granted in self.roles)

    @property
    def active_pseudonyms(self):
        return [p for p in self.pseudonyms if p.is_active]


class Pseudonym(db.Model):
    """A public name. Its public id is random, so ids and creation order link nothing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(40))
    # The name folded for comparison (NFKC, case, look-alike letters), unique across Kettle.
    name_key: Mapped[str] = mapped_column(String(120), unique=True)
    retired_at: Mapped[datetime | None]
    # A moderator's timed suspension: the name may not post, and its posts are held back
    # from readers, until then (app.accounts.suspension).
    suspended_until: Mapped[datetime | None] = mapped_column(index=True)

    account: Mapped[Account] = relationship(back_populates="pseudonyms")

    __table_args__ = {"sqlite_autoincrement": True}

    @hybrid_property
    def is_active(self):
        """A name its owner may still post under: not retired. The one rule, in Python on
        a loaded pseudonym and in SQL (`Pseudonym.is_active`) in a query."""
        return self.retired_at is None

    @is_active.inplace.expression
    @classmethod
    def _is_active_expression(cls):
        return cls.retired_at.is_(None)


class AccountRole(db.Model):
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class RecoveryCode(db.Model):
    """A one-time code, stored as a salted argon2id hash, that lets a person set a new password."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]
