"""Sealed secrets: a new secret (a keeper link, recovery codes) carried across a redirect.

The secret is split in two: the database keeps it XORed with a random pad, and the
session cookie keeps the pad and a random id. Neither half alone reveals anything,
and once the row is gone a replayed cookie shows nothing.
"""

import secrets
from datetime import datetime, timedelta

from flask import session
from sqlalchemy import String, Text, bindparam, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import now
from app.core.tokens import xor
from app.web.extensions import db

LIFETIME = timedelta(minutes=30)


class SealedSecret(db.Model):
    """One secret XORed with a pad the browser holds; gone after LIFETIME at most."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)


# A secret is sealed with these plain statements on the session's connection, built once.
# Rows are never loaded as objects, so none can need updating, and the caller's pending
# changes need not be flushed first (they go in with the rest of its transaction).
_rows = SealedSecret.__table__
_at = bindparam("at", type_=_rows.c.created_at.type)
_SWEEP = delete(_rows).where(_rows.c.created_at < _at)
_SEAL = insert(_rows).values(id=bindparam("row"), sealed=bindparam("sealed"), created_at=_at)


def give(key, secret, **about):
    """Seal a secret for this browser's next page(s), in the caller's transaction (written
    at once); rows past LIFETIME are swept away in the same transaction."""
    connection = db.session.connection()
    connection.execute(_SWEEP, {"at": now() - LIFETIME})
    data = secret.encode()
    pad = secrets.token_bytes(len(data))
    row = secrets.token_hex(16)
    connection.execute(_SEAL, {"row": row, "sealed": xor(data, pad).hex(), "at": now()})
    session[key] = {"id": row, "pad": pad.hex(), **about}


def _held(key, about):
    held = session.get(key)
    if not isinstance(held, dict) or not {"id", "pad"} <= held.keys():
        session.pop(key, None)  # nothing, or a cookie from before sealed secrets existed
        return None
    if any(held.get(name) != value for name, value in about.items()):
        return None
    return held


def _opened(held, sealed):
    secret = xor(bytes.fromhex(sealed), bytes.fromhex(held["pad"])).decode()
    return {**{k: v for k, v in held.items() if k not in ("id", "pad")}, "secret": secret}


def peek(key, **about):
    """The secret held for this browser under `key`, if it matches `about` and is fresh.

    Returns the `about` values it was given with, plus "secret"; or None.
    """
    held = _held(key, about)
    if held is None:
        return None
    sealed = db.session.scalar(
        select(SealedSecret.sealed).where(
            SealedSecret.id == held["id"], SealedSecret.created_at >= now() - LIFETIME
        )
    )
    if sealed is None:
        session.pop(key, None)
        return None
    return _opened(held, sealed)


def take(key, **about):
    """Like peek, but in one step that deletes the row, so it is shown once at most; commits."""
    held = _held(key, about)
    if held is None:
        return None
    session.pop(key)
    sealed = db.session.scalar(
        delete(SealedSecret)
        .where(SealedSecret.id == held["id"], SealedSecret.created_at >= now() - LIFETIME)
        .returning(SealedSecret.sealed)
    )
    db.session.commit()
    return None if sealed is None else _opened(held, sealed)


def forget(key):
    """Drop the sealed half and the cookie half, and commit."""
    held = session.pop(key, None)
    expired = SealedSecret.created_at < now() - LIFETIME
    if isinstance(held, dict) and "id" in held:
        db.session.execute(delete(SealedSecret).where((SealedSecret.id == held["id"]) | expired))
    else:
        db.session.execute(delete(SealedSecret).where(expired))
    db.session.commit()
