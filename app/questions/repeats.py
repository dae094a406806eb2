"""Sending the same posting form twice stores one post, and shows the same keeper link again.

A double-click, a slow connection or Back-then-Post-again all send a form a second time.
A sending is known by this browser's secret (kept in its session from the moment a form is
shown), where it was sent and exactly what it said, so it does not matter whether the
browser showed the form again from its cache or fetched it anew. A repeat inside WINDOW
gives back the first post; changed words, another browser, a later sending, or a first post
since deleted make a new post.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import session
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.time import now
from app.core.tokens import xor
from app.questions.models import Answer, Question, Submission
from app.web.database import holds_no_words
from app.web.extensions import db

WINDOW = timedelta(minutes=15)
SESSION_KEY = "poster"
# A sending's row is a hash and a sealed link, never words: sweeping stale ones away on
# every sending needs no checkpoint of SQLite's write-ahead log.
holds_no_words(Submission.__tablename__)


def prepare():
    """Give this browser its secret before it is shown a form, so two sends of it agree."""
    return session.setdefault(SESSION_KEY, secrets.token_hex(16))


@dataclass(frozen=True)
class Once:
    """What makes one sending of a form this browser's, before its words are known."""

    browser: str


def this_sending():
    """The Once for a form sent from this browser now."""
    return Once(prepare())


def _material(once, where, author, fields):
    def plain(value):
        return getattr(value, "slug", value)

    said = {name: plain(value) for name, value in fields.items()}
    said["content_notes"] = sorted(plain(note) for note in fields.get("content_notes", []))
    said["as"] = [author.account_id, author.pseudonym_id]
    words = json.dumps(said, sort_keys=True, default=str)
    return f"{once.browser}\x1f{where}\x1f{words}".encode()


def _pad(material, length):
    return hashlib.sha512(b"kettle-repeat-pad\x1f" + material).digest()[:length]


# Sendings are written and read with these plain statements on the session's connection,
# built once: no loaded object stands for a sending's row, so nothing of it waits for (or
# adds to) the ORM's next flush.
_rows = Submission.__table__
_at = bindparam("at", type_=_rows.c.created_at.type)
_mine = _rows.c.id == bindparam("sending")
_READ = select(_rows).where(_mine)
_SWEEP = delete(_rows).where(_rows.c.created_at < _at)
_SWEEP_WITH_MINE = delete(_rows).where((_rows.c.created_at < _at) | _mine)
_STORE = insert(_rows).values(id=bindparam("sending"), created_at=_at)
_RECORD = {
    column: update(_rows).where(_mine).values({column: bindparam("post"),
                                                "sealed": bindparam("sealed")})
    for column in ("question_id", "answer_id")
}  # fmt: skip


@dataclass
class Sending:
    """One sending being stored, or found to repeat an earlier one."""

    id: str
    material: bytes
    earlier: Question | Answer | None = None
    earlier_token: str | None = None
    stale: bool = False

    def store(self):
        """Hold this sending's row in the caller's transaction, so a second sending at the
        same moment waits for this one and then finds it; returns the Sending to go on with
        (the earlier one's, with `earlier` set, when this lost that race, having rolled back
        the caller's transaction). Rows past WINDOW are swept away first."""
        connection = db.session.connection()
        # A stale row of this sending's own (its first post is gone) goes too, so this
        # sending may be stored again.
        sweep = _SWEEP_WITH_MINE if self.stale else _SWEEP
        connection.execute(sweep, {"at": now() - WINDOW, "sending": self.id})
        try:
            connection.execute(_STORE, {"sending": self.id, "at": now()})
        except IntegrityError:
            db.session.rollback()
            found = Sending(self.id, self.material)
            if not _found(found):
                raise
            return found
        return self

    def record(self, post, keeper_token):
        """Remember the stored post and its keeper link (in the caller's transaction);
        the post must have its id (be flushed)."""
        sealed = None
        if keeper_token:
            data = keeper_token.encode()
            sealed = xor(data, _pad(self.material, len(data))).hex()
        column = "question_id" if isinstance(post, Question) else "answer_id"
        values = {"sending": self.id, "post": post.id, "sealed": sealed}
        db.session.connection().execute(_RECORD[column], values)


def begin(once, where, author, fields):
    """Start storing one sending, or find the earlier post it repeats: `find`, then
    `Sending.store` when it repeats nothing. Returns None when `once` is None."""
    sending = find(once, where, author, fields)
    if sending and not sending.earlier:
        sending = sending.store()
    return sending


def find(once, where, author, fields):
    """The sending, with `earlier` set when it repeats an earlier post; reads only, so a
    service can check what it must before its first write. Returns None when `once` is None.
    Otherwise a Sending to `store` (when not a repeat) before its post is stored."""
    if once is None:
        return None
    material = _material(once, where, author, fields)
    sending = Sending(hashlib.sha256(material).hexdigest(), material)
    _found(sending)
    return sending


def _found(sending):
    row = db.session.connection().execute(_READ, {"sending": sending.id}).first()
    if row is None:
        return False
    post_id = row.question_id or row.answer_id
    post = post_id and db.session.get(Question if row.question_id else Answer, post_id)
    if row.created_at < now() - WINDOW or not post or not post.is_visible:
        sending.stale = True
        return False
    sending.earlier = post
    if row.sealed:
        data = bytes.fromhex(row.sealed)
        sending.earlier_token = xor(data, _pad(sending.material, len(data))).decode()
    return True
