"""Two people for the heaviest calls: suspending an account, and suspending a pseudonym for
more than 7 days, wait for a second, different moderator on shift to approve.

Asking writes a pending ApprovalRequest and changes nothing else: no suspension, no log
row (nothing has been done yet). Another moderator on shift approves it from the case page
(app.moderation.actions.approve carries it out with its one log row); the moderator who
asked never can. A request lapses unapproved LAPSE after it was made. Hiding never waits:
the case can be hidden at once while a request is pending, and the queue keeps showing a
case that still waits for a second moderator, decided or not.
"""

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.refused import Refused
from app.core.time import now
from app.web.extensions import db

LAPSE = timedelta(hours=24)
LONGEST_ALONE = 7  # days a pseudonym may be suspended by one moderator


class ApprovalRequest(db.Model):
    """One moderator's request for an action that needs a second moderator's approval."""

    __tablename__ = "approval_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_case.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(30))
    rule: Mapped[str] = mapped_column(String(40))
    public_note: Mapped[str] = mapped_column(String(300))
    # Moved to the action's AuthorMessage when approved; never public, never logged.
    author_message: Mapped[str] = mapped_column(Text, default="")
    days: Mapped[int]
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    requested_by_name: Mapped[str | None] = mapped_column(String(40))  # the rota name then
    requested_at: Mapped[datetime] = mapped_column(default=now)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None]
    log_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_log.id", ondelete="SET NULL")
    )
    # Of two moderators approving at one moment, one succeeds (a version check, not luck).
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def lapses_at(self):
        return self.requested_at + LAPSE

    def state(self, at=None):
        """ "approved", "lapsed" or "waiting"."""
        if self.approved_at is not None:
            return "approved"
        return "lapsed" if self.lapses_at <= (at or now()) else "waiting"


class AlreadyWaiting(Refused):
    def __init__(self):
        super().__init__(
            "A request on this case is already waiting for a second moderator, so nothing "
            "was changed. Another moderator on shift can approve it; you can still hide the "
            "post at once."
        )


class OwnRequest(Refused):
    """The moderator who asked cannot approve their own request (answered with 403)."""

    def __init__(self):
        super().__init__(
            "You asked for this action, so a different moderator on shift has to approve "
            "it. Nothing was changed. It waits in the queue for them."
        )


class Lapsed(Refused):
    def __init__(self):
        super().__init__(
            "This request lapsed: nobody approved it within 24 hours, so nothing was "
            "changed. If it is still needed, a moderator can ask again."
        )


class NothingWaiting(Refused):
    def __init__(self):
        super().__init__("Nothing on this case is waiting for approval, so nothing was changed.")


def needs_second(asked):
    """True for an action a second moderator must approve."""
    if asked.action == "suspend-account":
        return True
    return asked.action == "suspend-pseudonym" and (asked.days or 0) > LONGEST_ALONE


def latest(case):
    """The case's most recent request, whatever its state, or None."""
    return db.session.scalar(
        select(ApprovalRequest)
        .where(ApprovalRequest.case_id == case.id)
        .order_by(ApprovalRequest.id.desc())
        .limit(1)
    )


def waiting(case):
    """The case's request still waiting for approval (not approved, not lapsed), or None."""
    request = latest(case)
    return request if request is not None and request.state() == "waiting" else None


def ask(case, by, asked):
    """Record a request for a second moderator, in the caller's transaction; releases the
    asker's claim so another moderator can read and approve. Refuses AlreadyWaiting."""
    if waiting(case) is not None:
        raise AlreadyWaiting()
    request = ApprovalRequest(
        case_id=case.id, action=asked.action, rule=asked.reason,
        public_note=asked.public_note, author_message=asked.author_message or "",
        days=asked.days, requested_by_id=by.id, requested_by_name=by.rota_name,
    )  # fmt: skip
    db.session.add(request)
    if case.claimed_by_id == by.id:
        case.claimed_by_id = case.claimed_until = None
    return request


def check_approver(request, by):
    """Refuse NothingWaiting without a request, Lapsed once it lapsed, OwnRequest for the
    moderator who asked (a second person means a different person)."""
    if request is None or request.approved_at is not None:
        raise NothingWaiting()
    if request.requested_by_id == by.id:
        raise OwnRequest()
    if request.state() == "lapsed":
        raise Lapsed()
