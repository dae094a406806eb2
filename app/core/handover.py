"""Handing a new secret (a keeper link, recovery codes) to the person across a redirect.

The secret is split in two: the database keeps it XORed with a random pad, and the
session cookie keeps the pad and a random id. Neither half alone reveals anything,
and once the row is gone a replayed cookie shows nothing.
"""

import secrets
from datetime import datetime, timedelta

from flask import session
from sqlalchemy import String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import now
from app.extensions import db

LIFETIME = timedelta(minutes=30)


class Handover(db.Model):
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)


def _xor(data, pad):
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


def give(key, secret, **about):
    """Seal a secret for this browser's next page(s), in the caller's transaction."""
    db.session.execute(delete(Handover).where(Handover.created_at < now() - LIFETIME))
    data = secret.encode()
    pad = secrets.token_bytes(len(data))
    handover = Handover(id=secrets.token_hex(16), sealed=_xor(data, pad).hex())
    db.session.add(handover)
    session[key] = {"id": handover.id, "pad": pad.hex(), **about}


def peek(key, **about):
    """The secret held for this browser under `key`, if it matches `about` and is fresh.

    Returns the `about` values it was given with, plus "secret"; or None.
    """
    held = session.get(key)
    if not held or any(held.get(name) != value for name, value in about.items()):
        return None
    handover = db.session.scalar(
        select(Handover).where(Handover.id == held["id"], Handover.created_at >= now() - LIFETIME)
    )
    if handover is None:
        session.pop(key, None)
        return None
    secret = _xor(bytes.fromhex(handover.sealed), bytes.fromhex(held["pad"])).decode()
    return {**{k: v for k, v in held.items() if k not in ("id", "pad")}, "secret": secret}


def take(key, **about):
    """Like peek, but the secret can never be shown again; commits."""
    found = peek(key, **about)
    if found is not None:
        forget(key)
    return found


def forget(key):
    """Drop the sealed half and the cookie half, and commit."""
    held = session.pop(key, None)
    if held:
        db.session.execute(delete(Handover).where(Handover.id == held["id"]))
        db.session.commit()
