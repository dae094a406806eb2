"""The one rule for which questions and answers a reader may see.

Every list, page, feed and API response narrows its query with `visible`, and a row
already loaded is checked with `is_visible` (also `Post.is_visible`). Both read the same
conditions, so the rule changes here or nowhere:

- deleted by its author: words gone, so left out of lists and threads; a removed
  question's own page still opens (`removed=True`) to say so, and keeps its thread;
- hidden by a moderator (`hidden_at`): left out everywhere a reader looks, until restored,
  except that a hidden question's own page still opens (`hidden=True`) to say moderators
  hid it, and keeps other people's perspectives on it that are not hidden themselves;
- collapsed pending review (`collapsed_at`: enough people reported it while nobody was on
  shift; a moderator's decision ends it): left out everywhere a reader looks, like a hidden
  post, except that a collapsed question's own page still opens (`collapsed=True`) to say
  it is folded away until a moderator reads the reports, and keeps its thread; reports on
  a collapsed post still join its case;
- posted by a suspended pseudonym (`suspended_until` still ahead): held back everywhere a
  reader looks while the suspension lasts, and back by itself when it ends. Time-dependent,
  so the clock is read when the query is built (app.core.time.now); no job has to run when
  a suspension ends. A suspended account cannot post, but its other pseudonyms' posts and
  its anonymous ones stay: holding them back at one moment would show the world which
  names and posts belong together (principle 2). Suspending an account suspends the
  reported post's pseudonym with it, so that one is held back (app.moderation.sanctions).

The author's own views (their account lists, through `own`, and keeper pages) do not use
this rule: a person's own words stay reachable to them, marked when a moderator hid them
or they are collapsed pending review.

This module imports no model, so models can use it for their own rows; it names the
suspension column through a light table stand-in instead.
"""

from sqlalchemy import and_, column, exists, table

from app.accounts.suspension import is_suspended
from app.core.time import now

_pseudonym = table("pseudonym", column("id"), column("suspended_until"))


def _suspended(holders, holder_id, at):
    return (
        exists()
        .where(holders.c.id == holder_id, holders.c.suspended_until > at)
        .correlate_except(holders)
    )


def _held_back(model, *, collapsed=False):
    """Conditions a row itself must meet to be shown to readers, as SQL (now, by the
    clock); with `collapsed`, a post collapsed pending review meets them."""
    at = now()
    shown = [
        model.hidden_at.is_(None),
        ~_suspended(_pseudonym, model.pseudonym_id, at),
    ]
    return shown if collapsed else [*shown, model.collapsed_at.is_(None)]


def _row_held_back(post, *, collapsed=False, hidden=False):
    """The same conditions as `_held_back`, for one loaded row; with `hidden`, a post a
    moderator hid meets them (for a hidden question's own page, which says so)."""
    if not hidden and post.hidden_at is not None:
        return True
    if not collapsed and post.collapsed_at is not None:
        return True
    return is_suspended(post.pseudonym if post.pseudonym_id is not None else None)


def visible(stmt, model, *, removed=False, within=None, collapsed=False):
    """Narrow a select of questions or answers to what any reader may see.

    Leaves out hidden posts and those of suspended pseudonyms always (as of now), deleted
    ones unless `removed` (a removed question's page still opens to say so), and collapsed
    ones unless `collapsed` (a collapsed question's page opens to say so; a report on a
    collapsed post joins its case). Answers are shown only where their question may be
    opened; `within` names the question (by id) a thread was read from, by a caller that
    already checked that question, so each answer is not checked against it again.
    """
    stmt = stmt.where(*_held_back(model, collapsed=collapsed))
    if not removed:
        stmt = stmt.where(model.deleted_at.is_(None))
    if hasattr(model, "question_id"):
        if within is not None:
            stmt = stmt.where(model.question_id == within)
        else:
            question = model.question.property.mapper.class_
            stmt = stmt.where(model.question.has(and_(*_held_back(question, collapsed=True))))
    return stmt


def own(stmt, model):
    """Narrow a select of one author's questions or answers to those they can still manage.

    Not the readers' rule: hidden posts stay in (their author sees them, marked as hidden by
    a moderator); only deleted ones, whose words are gone, are left out.
    """
    return stmt.where(model.deleted_at.is_(None))


def is_visible(post, *, removed=False, collapsed=False, hidden=False):
    """The same rule as `visible`, for a single question or answer already loaded; with
    `hidden`, a post a moderator hid passes (a hidden question's page opens to say so).

    For an answer this looks at the answer alone: callers hold its question already.
    """
    if _row_held_back(post, collapsed=collapsed, hidden=hidden):
        return False
    return removed or post.deleted_at is None
