"""Which cases reach which moderator: a case carrying a content note a moderator chose
not to review (their own limits, app.rota.limits) goes to others on shift and is never
shown to them. A case's notes are its post's notes now and every note a reporter saw."""

from collections import defaultdict

from sqlalchemy import select

from app.core.refused import Refused
from app.moderation.models import Case, Report
from app.questions.models import answer_content_notes, question_content_notes
from app.rota import limits
from app.topics.models import ContentNote
from app.web.extensions import db


class KeptFromYou(Refused):
    def __init__(self):
        super().__init__(
            "This case carries a content note you chose not to review, so it goes to "
            "others on shift. Nothing about it is shown to you."
        )


def _opted_out_slugs(account):
    ids = limits.opted_out_ids(account.id)
    if not ids:
        return set()
    return set(db.session.scalars(select(ContentNote.slug).where(ContentNote.id.in_(ids))))


def notes_by_case(case_ids):
    """{case id: set of note slugs} for the given cases, in three queries."""
    found = defaultdict(set)
    if not case_ids:
        return found
    snapshots = select(Report.case_id, Report.snapshot_notes).where(Report.case_id.in_(case_ids))
    for case_id, notes in db.session.execute(snapshots):
        found[case_id].update(notes or ())
    for table, column in ((question_content_notes, Case.question_id),
                          (answer_content_notes, Case.answer_id)):  # fmt: skip
        post_id = next(iter(c for c in table.c if c.name != "content_note_id"))
        live = (
            select(Case.id, ContentNote.slug)
            .join(table, post_id == column)
            .join(ContentNote, ContentNote.id == table.c.content_note_id)
            .where(Case.id.in_(case_ids))
        )
        for case_id, slug in db.session.execute(live):
            found[case_id].add(slug)
    return found


def kept_from(case, account):
    """True when the case carries a note `account` chose not to review."""
    slugs = _opted_out_slugs(account)
    return bool(slugs) and bool(notes_by_case([case.id])[case.id] & slugs)


def kept_case_ids(case_ids, account):
    """Of `case_ids`, the set kept from `account` by their own limits (three queries)."""
    slugs = _opted_out_slugs(account)
    if not slugs:
        return set()
    notes = notes_by_case(list(case_ids))
    return {case_id for case_id in case_ids if notes[case_id] & slugs}


def check(case, account):
    """Refuse (KeptFromYou) a moderator the case is kept from; commits nothing."""
    if kept_from(case, account):
        raise KeptFromYou()


def for_moderator(items, account):
    """The queue's items (each with `.case`) less those kept from `account`, and how many
    were kept from them: (items, count)."""
    slugs = _opted_out_slugs(account)
    if not slugs:
        return items, 0
    notes = notes_by_case([item.case.id for item in items])
    shown = [item for item in items if not notes[item.case.id] & slugs]
    return shown, len(items) - len(shown)
