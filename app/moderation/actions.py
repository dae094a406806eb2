"""What a moderator does to a case: each action changes the post, the thread or the person,
and writes exactly one public log row, in one transaction; a failure keeps none of them.

Every action needs a rule (app.moderation.rules) and a short public note; a message to
the author is optional and kept apart from both, in its own table, never in the log.
Nothing here deletes words: hiding is reversible, and authors delete their own. The
heavier actions live in app.moderation.sanctions; those that need a second moderator wait
as requests (app.moderation.approvals) until `approve`.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Text, select
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from app.core.refused import Refused
from app.core.time import now
from app.moderation import approvals, cases, collapse, log, reports, reversal, rules, sanctions
from app.moderation.sanctions import Change
from app.questions import services as posts
from app.topics.models import ContentNote
from app.web.extensions import db

ACTIONS = ("dismiss", "hide", "restore", "add-note", "lock", "slow-mode", "suspend-pseudonym",
           "suspend-account")  # fmt: skip
# Actions that may follow a hide on a case it decided: hiding never waits for the rest.
AFTER_HIDING = ("restore", "lock", "slow-mode", "suspend-pseudonym", "suspend-account")
PUBLIC_NOTE_MAX = 300
AUTHOR_MESSAGE_MAX = 2000


class AuthorMessage(db.Model):
    """A moderator's words to the author about one action: never public, never logged."""

    id: Mapped[int] = mapped_column(primary_key=True)
    log_entry_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_log.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class UnknownAction(Refused):
    def __init__(self):
        super().__init__("Please choose one of the actions offered. Nothing was changed.",
                         field="action")  # fmt: skip


class NoVersion(Refused):
    def __init__(self):
        super().__init__(
            "The form did not say which version of the case you were looking at, so "
            "nothing was changed (it may be out of date). Please look at the case again "
            "and act from the page."
        )


@dataclass
class Request:
    """What a moderator asked for, from the action form."""

    action: str
    reason: str
    public_note: str
    author_message: str = ""
    content_notes: tuple = ()
    minutes: int | None = None
    days: int | None = None
    version: int | None = None
    # Filled in by "add-note": the notes it added, so an appeal can take off just those.
    added_notes: tuple = ()


@dataclass
class Done:
    """What `act` did: the log entry written, or the request waiting for a second moderator;
    `warned` when a suspension became a first warning."""

    entry: object = None
    waiting: object = None
    warned: bool = False


def act(case, by, asked):
    """Carry out `asked` (a Request) on `case` as the moderator `by`, and commit.

    Decides an open case (decided_at, outcome), releases the claim, and writes one log row,
    all in one commit; or, for an action that needs a second moderator, records a waiting
    request and nothing else. Refuses (Refused, nothing kept): an unknown action, a reason
    that is not a published rule, a missing or over-long public note, a form without the
    case version (NoVersion) or with an old one (Stale), a decided case (except restoring,
    or a heavier action after, what a decision hid), someone else's live claim, and a
    change that does not apply to the post.
    """
    _check_request(asked)
    hidden_by_decision = case.decided_at is not None and case.post.is_hidden
    if case.decided_at is not None and not (hidden_by_decision and asked.action in AFTER_HIDING):
        raise cases.AlreadyDecided()
    cases.check(case, by, asked.version)
    with _all_or_nothing():
        if asked.action in sanctions.SUSPENSIONS:
            sanctions.check_days(asked)
            sanctions.subject(case)  # refuses, in words, a post nobody can be suspended for
            if sanctions.warns_first(case, asked):
                warning = sanctions.warn(case, by, asked)
                done = Done(carry_out(case, by, asked, warning), warned=True)
            elif approvals.needs_second(asked):
                done = Done(waiting=approvals.ask(case, by, asked))
                flag_modified(case, "outcome")  # a request changes the case: raise its version
            else:
                done = Done(carry_out(case, by, asked, sanctions.suspend(case, by, asked)))
        else:
            done = Done(carry_out(case, by, asked, _DO[asked.action](case, by, asked)))
    return done


def approve(case, by, version):
    """Carry out the request waiting on `case` as its second moderator `by`, and commit:
    one log row naming both rota names, in one transaction.

    Refuses (nothing kept): NoVersion or Stale for a missing or old case version,
    NothingWaiting, Lapsed after 24 hours, OwnRequest for the moderator who asked, OwnWords
    and ClaimedByOther as for any action, Refused when the case was since decided other
    than by hiding, and Stale when another approval got there first.
    """
    if version is None:
        raise NoVersion()
    request = approvals.latest(case)
    approvals.check_approver(request, by)
    cases.check(case, by, version)
    if case.decided_at is not None and case.outcome != "hide":
        raise Refused(
            "Since the request was made, another moderator decided the case another way, so "
            "the request no longer stands. Nothing was changed."
        )
    asked = Request(request.action, request.rule, request.public_note, request.author_message,
                    days=request.days)  # fmt: skip
    requester = _Requester(request.requested_by_id, request.requested_by_name)
    with _all_or_nothing():
        change = sanctions.suspend(case, by, asked)
        change.about.update(second_rota_name=by.rota_name, second_moderator_id=by.id)
        entry = carry_out(case, requester, asked, change)
        request.approved_by_id, request.approved_at = by.id, now()
        db.session.flush()
        request.log_entry_id = entry.id
        flag_modified(case, "outcome")
    return entry


@contextmanager
def _all_or_nothing():
    """Commit what the block changed, or keep none of it: Stale when another moderator's
    change landed first (mid-way or at the commit), any other failure re-raised."""
    try:
        yield
    except StaleDataError:  # another moderator's change landed first, mid-way
        db.session.rollback()
        raise cases.Stale() from None
    except Exception:
        db.session.rollback()
        raise
    cases.commit_or_stale()


@dataclass(frozen=True)
class _Requester:
    """The moderator who asked, as the log names them (they may be off shift by now)."""

    id: int | None
    rota_name: str | None


def carry_out(case, by, asked, change):
    """Write the log row for `change` (with the author's message apart), decide the case if
    it is open (a restore rewrites the decision, so receipts say "restored"), sweep expired
    snapshots and settle ended suspensions; in the caller's transaction. Returns the log
    entry."""
    action = change.action or asked.action
    entry = log.record(action, change.target, rule=asked.reason, public_note=asked.public_note,
                       by=by, case=case, **change.about)  # fmt: skip
    db.session.flush()
    reversal.remember_notes(entry, asked.added_notes)
    if asked.author_message:
        db.session.add(AuthorMessage(log_entry_id=entry.id, text=asked.author_message))
    if case.decided_at is None or action == "restore":
        _decide(case, action)
    elif case.claimed_by_id is not None:
        case.claimed_by_id = case.claimed_until = None
    db.session.flush()
    reports.erase_expired_snapshots()
    sanctions.settle_ended()
    return entry


def _check_request(asked):
    if asked.action not in ACTIONS:
        raise UnknownAction()
    if asked.reason not in rules.BY_SLUG:
        raise Refused("Please choose the community rule this action rests on.")
    if not asked.public_note or len(asked.public_note) > PUBLIC_NOTE_MAX:
        raise Refused(f"Please write a short public note, up to {PUBLIC_NOTE_MAX} characters.")
    if len(asked.author_message or "") > AUTHOR_MESSAGE_MAX:
        raise Refused(f"A message to the author can be up to {AUTHOR_MESSAGE_MAX} characters.")
    if asked.version is None:
        raise NoVersion()


def _decide(case, action):
    collapse.end(case)
    case.decided_at, case.outcome = now(), action
    case.claimed_by_id = case.claimed_until = None


def _dismiss(case, by, asked):
    return Change(case.post)


def _hide(case, by, asked):
    post = case.post
    if post.is_deleted:
        raise posts.AlreadyDeleted()
    posts.hide(post, by, rules.title(asked.reason))
    return Change(post)


def _restore(case, by, asked):
    """Show the post again; every other case that hid it now says "restored" too."""
    post = case.post
    posts.restore(post, by)
    cases.mark_restored(post, but=case.id)
    return Change(post)


def _add_note(case, by, asked):
    post = case.post
    if post.is_deleted:
        raise posts.AlreadyDeleted()
    if not asked.content_notes:
        raise Refused("Please choose the content note to add.")
    chosen = db.session.scalars(
        select(ContentNote).where(ContentNote.slug.in_(asked.content_notes))
    ).all()
    new = [note for note in chosen if note not in post.content_notes]
    if not new:
        raise Refused("The post already carries that content note, so nothing was changed.")
    post.content_notes.extend(new)
    asked.added_notes = tuple(new)
    return Change(post)


_DO = {"dismiss": _dismiss, "hide": _hide, "restore": _restore, "add-note": _add_note,
       "lock": sanctions.lock, "slow-mode": sanctions.slow_mode}  # fmt: skip
