"""Automatic collapse out of hours: the community can cool things down while nobody is on
shift. A post that REPORT_COLLAPSE_THRESHOLD (default 3; fewer while a coordinator has
lowered it during a raid) different people reported, counted by network or account
(app.web.ratelimit.network_key) so fresh cookies do not make one person several, is
collapsed pending review, with one line in the public log; never deleted, never a
decision. A moderator's decision on the case ends the collapse (`end`), and the post
collapses again only after its author edits it and people report it anew.
"""

from flask import current_app
from sqlalchemy import distinct, exists, func, select, update

from app.accounts import access
from app.core.time import now
from app.moderation import log
from app.moderation.models import Case, Report
from app.questions import counts
from app.topics import measures
from app.web.extensions import db

COLLAPSE_NOTE = (
    "Reported by several people while no moderator was on shift, so it is folded away "
    "until a moderator reads the reports. This is not a decision."
)


def if_due(case, post):
    """Collapse the post pending review, in the caller's transaction, when its open case
    has reports from REPORT_COLLAPSE_THRESHOLD different people and nobody is on shift;
    True when this call collapsed it.

    Race-safe: the case row is locked before counting (FOR NO KEY UPDATE on PostgreSQL,
    which the reports' foreign keys do not block; SQLite has one writer at a time), so of
    reports sent at one moment the last to count sees them all; the collapse is a
    conditional UPDATE, so exactly one collapses the post and writes the one log row.
    A post already collapsed, hidden or deleted, or collapsed since its last edit, stays.
    """
    # A coordinator may lower it for a while during a raid (app.topics.measures).
    threshold = measures.collapse_threshold(current_app.config["REPORT_COLLAPSE_THRESHOLD"])
    if threshold < 1 or access.anyone_on_shift():
        return False
    db.session.execute(select(Case.id).where(Case.id == case.id).with_for_update(key_share=True))
    # Different people by network or account: fresh cookies do not make one person three.
    people = select(func.count(distinct(Report.network_key))).where(
        Report.case_id == case.id, Report.network_key != ""
    )
    if db.session.scalar(people) < threshold or _collapsed_since_edit(post):
        return False
    at, model = now(), type(post)
    still_shown = (
        model.collapsed_at.is_(None),
        model.hidden_at.is_(None),
        model.deleted_at.is_(None),
    )
    collapsing = update(model).where(model.id == post.id, *still_shown).values(collapsed_at=at)
    if db.session.execute(collapsing).rowcount != 1:
        return False
    db.session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(collapsed_at=at, version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(case, ["collapsed_at", "version"])
    log.record("collapse", post, rule=None, public_note=COLLAPSE_NOTE, case=case, automatic=True)
    counts.recount(post)
    return True


def _collapsed_since_edit(post):
    """True when reports collapsed this post before, and its author has not edited it since:
    once a moderator has read it, the same words are not folded away again."""
    collapsed = exists().where(Case.column_for(post) == post.id, Case.collapsed_at.is_not(None))
    if post.edited_at is not None:
        collapsed = collapsed.where(Case.collapsed_at > post.edited_at)
    return bool(db.session.scalar(select(collapsed)))


def end(case):
    """End the collapse this case's reports made, in the caller's transaction: the post is
    shown to readers again, unless hidden or deleted. For a moderator's decision on the
    case, before it is marked decided (a decided case ends nothing). Commits nothing."""
    post = case.post
    if case.decided_at is not None or post is None or post.collapsed_at is None:
        return
    post.collapsed_at = None
    db.session.flush()
    counts.recount(post)
