"""What a coordinator changes: who holds the moderator role, and the curated lists of
topics and content notes. Each change writes one public log row (app.moderation.log) in
the same transaction, and each function here commits once.

The log names the coordinator by rota name ("A coordinator" without one), never a login
name; a role change does not say whose role it was, since a moderator stepping away
may have reasons nobody needs to know. Slugs never change once made, so readers' stored
choices, links and posts keep working when a topic or note is renamed; nothing here
deletes a topic or a note.
"""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import Account, AccountRole
from app.core.cleaning import clean_line, visible_length
from app.core.refused import Refused
from app.moderation import log
from app.topics.models import ContentNote, Topic
from app.web.extensions import db

MODERATOR = "moderator"
NAME_MAX = 80
LABEL_MAX = 60
DESCRIPTION_MAX = 300


@dataclass
class Moderator:
    """One moderator as a coordinator sees them: their rota name, if chosen. A login name
    is half of someone's sign-in, so the list never shows one (DESIGN.md principle 1)."""

    account_id: int
    rota_name: str | None


def moderators():
    """Everyone holding the moderator role, by rota name (those without one last). Reads only."""
    stmt = (
        select(Account.id, Account.rota_name)
        .join(AccountRole, AccountRole.account_id == Account.id)
        .where(AccountRole.role == MODERATOR)
        .order_by(Account.rota_name.is_(None), Account.rota_name, Account.id)
    )
    return [Moderator(*row) for row in db.session.execute(stmt)]


def _logging(action, by, done):
    """An `along` step for a role change: log `action` without naming whose role it was
    (the account id is kept privately), and note in `done` that it happened."""

    def logged(account):
        done.append(account)
        log.record_coordination(action, by, subject_account_id=account.id)

    return logged


def give_moderator_role(handle, by):
    """Give the account with this login name the moderator role and log it; commits.
    Giving it to someone who holds it already changes and logs nothing; returns True
    when it was given. Raises Refused naming "handle" when no account has that name."""
    given = []
    accounts.grant(handle, MODERATOR, along=_logging("moderator-added", by, given))
    return bool(given)


def take_moderator_role(handle, by):
    """Take the moderator role away and log it; commits. Their running shift ends, their
    claims go back to the queue and their sessions end (app.accounts.services.revoke).
    Returns False, logging nothing, when they did not hold it. Raises Refused naming
    "handle" when no account has that login name."""
    taken = []
    accounts.revoke(handle, MODERATOR, along=_logging("moderator-removed", by, taken))
    return bool(taken)


def take_moderator_role_from(account_id, by):
    """`take_moderator_role` for the moderator listed with this account id; commits.
    Returns False, changing nothing, when no such account holds the role."""
    account = db.session.get(Account, account_id)
    if account is None or not account.has_role(MODERATOR):
        return False
    accounts.revoke_from(account, MODERATOR, along=_logging("moderator-removed", by, []))
    return True


def _name(value, field, most, what):
    """`value` cleaned to one line, or Refused naming `field` when it is empty or too long."""
    value = clean_line(value or "").strip()
    if visible_length(value) < 2:
        raise Refused(f"Please give the {what} a name of at least 2 characters.", field=field)
    if len(value) > most:
        raise Refused(f"A {what}'s name can be up to {most} characters.", field=field)
    return value


def _description(value):
    value = clean_line(value or "").strip()
    if len(value) > DESCRIPTION_MAX:
        raise Refused(
            f"A description can be up to {DESCRIPTION_MAX} characters; this one has {len(value)}.",
            field="description",
        )
    return value


def _same_name(column, value, other_id=None):
    """Refused naming the column's field when another row has this name, in any case (the
    lists are short, so they are compared here, where case folding knows every script)."""
    rows = db.session.execute(select(column.class_.id, column))
    if any(row_id != other_id and name.casefold() == value.casefold() for row_id, name in rows):
        raise Refused("That name is already on the list. Please choose another.",
                      field=column.key)  # fmt: skip


def _new_slug(model, name, fallback):
    """A slug made once from `name` (plain letters, digits and hyphens), unique in `model`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:50].strip("-") or fallback
    taken = set(db.session.scalars(select(model.slug).where(model.slug.startswith(base))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _last_position(model):
    return (db.session.scalar(select(func.max(model.position))) or 0) + 1


def add_topic(name, description, by):
    """Add a topic at the end of the list and log it; commits and returns it. Raises
    Refused naming "name" or "description" for words that cannot be used."""
    name = _name(name, "name", NAME_MAX, "topic")
    description = _description(description)
    _same_name(Topic.name, name)
    topic = Topic(slug=_new_slug(Topic, name, "topic"), name=name, description=description,
                  position=_last_position(Topic))  # fmt: skip
    db.session.add(topic)
    log.record_coordination("topic-added", by, f"New topic: \u201c{name}\u201d.")
    db.session.commit()
    return topic


def edit_topic(topic, name, description, by):
    """Rename a topic or change its description (its slug stays) and log it; commits.
    Returns False, logging nothing, when nothing changed. Refuses as add_topic does."""
    name = _name(name, "name", NAME_MAX, "topic")
    description = _description(description)
    _same_name(Topic.name, name, other_id=topic.id)
    if (name, description) == (topic.name, topic.description):
        return False
    if name != topic.name:
        note = f"\u201c{topic.name}\u201d is now called \u201c{name}\u201d."
    else:
        note = f"New description for \u201c{name}\u201d."
    topic.name, topic.description = name, description
    log.record_coordination("topic-edited", by, note)
    db.session.commit()
    return True


def add_note(label, by):
    """Add a content note at the end of the list and log it; commits and returns it.
    Raises Refused naming "label" for words that cannot be used."""
    label = _name(label, "label", LABEL_MAX, "content note")
    _same_name(ContentNote.label, label)
    note = ContentNote(slug=_new_slug(ContentNote, label, "note"), label=label,
                       position=_last_position(ContentNote))  # fmt: skip
    db.session.add(note)
    log.record_coordination("note-added", by, f"New content note: \u201c{label}\u201d.")
    db.session.commit()
    return note


def rename_note(note, label, by):
    """Give a content note a new label (its slug stays, so readers' choices and noted posts
    keep it) and log it; commits. Returns False, logging nothing, when the label is the
    same. Raises Refused naming "label" as add_note does."""
    label = _name(label, "label", LABEL_MAX, "content note")
    _same_name(ContentNote.label, label, other_id=note.id)
    if label == note.label:
        return False
    before, note.label = note.label, label
    log.record_coordination("note-renamed", by, f"\u201c{before}\u201d is now \u201c{label}\u201d.")
    db.session.commit()
    return True
