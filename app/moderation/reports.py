"""Filing a report on a post, and forgetting reported words when their author deletes them.

Anyone may report any post a reader may see, with or without an account. All the reports
on one post make one open case; one person's reports on one case count once; a post a
moderator dismissed cannot be reported again for a day unless its author edited it since.
The reporter gets a receipt link, kept here only as a hash; who they are is kept only as
a keyed hash that changes every day (app.web.ratelimit.person_key).

Out of hours, a report may collapse its post pending review (app.moderation.collapse).
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from app.core import tokens
from app.core.refused import Refused
from app.core.time import now
from app.moderation import collapse
from app.moderation.models import Case, Report
from app.moderation.outcomes import DISMISS
from app.moderation.reasons import BY_SLUG, MAY_BE_ILLEGAL
from app.questions.models import Answer, Question
from app.questions.visibility import visible
from app.web.database import ERASED
from app.web.extensions import db

DETAILS_MAX = 2000
# After a dismissal, the same post rests this long unless its author edits it.
RESTS_AFTER_DISMISSAL = timedelta(hours=24)
_TARGET = re.compile(r"(question|answer):([1-9][0-9]{0,17})")
_MODELS = {"question": Question, "answer": Answer}
# The public log's note on an automatic collapse: what happened, never the words.


class AlreadyReported(Refused):
    def __init__(self):
        super().__init__("You have already reported this; your first receipt still works.")


class RecentlyDismissed(Refused):
    def __init__(self):
        super().__init__(
            "A moderator looked at this recently and decided to leave it as it is, so it "
            "cannot be reported again until tomorrow, unless its author changes it. Nothing "
            "was sent. If you think that decision was wrong, the person who reported it "
            "first can appeal from their receipt."
        )


@dataclass(frozen=True)
class Target:
    """What a report form names: "question:<id>" or "answer:<id>"."""

    kind: str
    id: int

    @property
    def value(self):
        return f"{self.kind}:{self.id}"

    @property
    def what(self):
        """The post in the product's words: "question" or "perspective"."""
        return "question" if self.kind == "question" else "perspective"


@dataclass(frozen=True)
class Filed:
    """A stored report and its receipt token (shown once, then only its hash is kept);
    `collapsed` when this report folded the post away pending review."""

    report: Report
    receipt_token: str
    collapsed: bool = False


def parse_target(value):
    """The Target a form's `target` names, or None when it is not well formed."""
    match = _TARGET.fullmatch(value or "")
    return Target(match.group(1), int(match.group(2))) if match else None


def target_of(post):
    """The Target that names a loaded question or answer."""
    return Target("question" if isinstance(post, Question) else "answer", post.id)


def reportable(target):
    """The post a Target names, if any reader may see it (the one visibility rule), or None.

    Deleted and hidden posts, and answers on hidden questions, cannot be reported. A post
    collapsed pending review can: the report joins its open case."""
    model = _MODELS[target.kind]
    query = visible(select(model), model, collapsed=True).where(model.id == target.id)
    return db.session.scalar(query)


def _open_case_of(post):
    query = select(Case).where(Case.column_for(post) == post.id, Case.decided_at.is_(None))
    return db.session.scalar(query)


def _resting(post):
    """True while a dismissal less than a day old, made after the last edit, covers the post."""
    since = now() - RESTS_AFTER_DISMISSAL
    if post.edited_at is not None and post.edited_at > since:
        since = post.edited_at
    dismissed = exists().where(
        Case.column_for(post) == post.id, Case.outcome == DISMISS, Case.decided_at >= since
    )
    return bool(db.session.scalar(select(dismissed)))


def _open_case(post):
    """The post's open case, opened now if there is none, in the caller's transaction.

    The partial unique index decides a race: whoever loses it rolls back (nothing else of
    theirs is stored yet) and joins the case the winner opened."""
    case = _open_case_of(post)
    if case is not None:
        return case
    case = Case(**{Case.column_for(post).key: post.id})
    db.session.add(case)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        case = _open_case_of(post)
        if case is None:
            raise
    return case


def _snapshot(post):
    """The reported words as they are now: the fields a Report keeps."""
    return {
        "snapshot_title": post.title if isinstance(post, Question) else "",
        "snapshot_body": post.body_source,
        "snapshot_notes": [note.slug for note in post.content_notes],
        "snapshot_note_other": post.content_note_other,
    }


def file(post, reason, details, reporter_key, network_key=""):
    """Store one person's report on a post, with a snapshot of its words, and commit.

    Opens the post's case if none is open. `post` must be one `reportable` returned;
    `reason` a slug from app.moderation.reasons; `details` at most DETAILS_MAX characters,
    already cleaned; `reporter_key` from person_key and `network_key` from network_key
    (automatic collapse counts people by it). Returns Filed with the receipt token.
    When this report brings the case to REPORT_COLLAPSE_THRESHOLD people while nobody is
    on shift, the post is collapsed in the same commit (app.moderation.collapse.if_due).
    Raises AlreadyReported when this person already reported the open case, and
    RecentlyDismissed while a dismissal rests the post; either way nothing is stored.
    Raises ValueError for an unknown reason or over-long details (the form checks both).
    """
    if reason not in BY_SLUG or len(details) > DETAILS_MAX:
        raise ValueError("a report needs a known reason and details of at most 2,000 characters")
    if _resting(post):
        raise RecentlyDismissed()
    case = _open_case(post)
    # Keyed by case too, so one person's reports on different posts share no stored value.
    reporter_key = tokens.token_hash(f"{case.id}:{reporter_key}")
    mine = exists().where(Report.case_id == case.id, Report.reporter_key == reporter_key)
    if db.session.scalar(select(mine)):
        db.session.rollback()
        raise AlreadyReported()
    token = tokens.new_token()
    report = Report(
        case_id=case.id,
        reason=reason,
        details=details,
        reporter_key=reporter_key,
        network_key=tokens.token_hash(f"{case.id}:{network_key}") if network_key else "",
        receipt_hash=tokens.token_hash(token),
        **_snapshot(post),
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # the same person's other sending, at the same moment, won
        db.session.rollback()
        raise AlreadyReported() from None
    collapsed = collapse.if_due(case, post)
    db.session.commit()
    return Filed(report, token, collapsed)


def erase_snapshots(post):
    """Erase the reported words kept of a post whose author is erasing it, in the caller's
    transaction (registered with questions.services.on_erase).

    Keeps them only while the post's case is open and someone reported it as may be
    illegal: moderators must still be able to see what was reported. Commits nothing.
    """
    column = Case.column_for(post)
    of_post = select(Case.id).where(column == post.id)
    held = (
        select(Report.case_id)
        .join(Case, Report.case_id == Case.id)
        .where(column == post.id, Case.decided_at.is_(None), Report.reason == MAY_BE_ILLEGAL)
    )
    _blank(Report.case_id.in_(of_post), Report.case_id.not_in(held))


def erase_expired_snapshots():
    """Erase, in the caller's transaction, the reported words of every case decided more
    than REPORT_SNAPSHOT_DAYS ago (default 30), and of every decided case whose post its
    author has deleted (words held while a may-be-illegal case was open go once it is
    decided). Run with each moderator action; commits nothing."""
    days = current_app.config["REPORT_SNAPSHOT_DAYS"]
    expired = select(Case.id).where(Case.decided_at < now() - timedelta(days=days))
    deleted = select(Case.id).where(
        Case.decided_at.is_not(None),
        Case.question.has(Question.deleted_at.is_not(None))
        | Case.answer.has(Answer.deleted_at.is_not(None)),
    )
    _blank(Report.case_id.in_(expired.union(deleted)))


def _blank(*where):
    db.session.execute(
        update(Report)
        .where(*where, Report.snapshot_erased_at.is_(None))
        .values(
            snapshot_title="",
            snapshot_body="",
            snapshot_notes=[],
            snapshot_note_other="",
            snapshot_erased_at=now(),
        )
        .execution_options(synchronize_session="fetch")
    )
    db.session.info[ERASED] = True  # so SQLite's write-ahead log keeps no copy either
