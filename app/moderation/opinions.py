"""Two heads for hard calls: any moderator on shift can ask the others on the rota for a
second opinion on a case, and the conversation stays in the case (DESIGN.md principle 5).

A question goes to the top of the queue for every other moderator, on this shift and the
next, until someone other than the asker replies or the case is decided. Requests waiting
for a second moderator's approval (app.moderation.approvals) come first by the same rule,
in the same group: `arrange` is the one place that decides it. The asker may add to their
own conversation, but only another moderator's reply answers it. Asking needs no claim,
and replying never takes one or changes the case. What a moderator wrote here goes when
their account is deleted (the foreign keys cascade).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Text, exists, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app.accounts.models import Account
from app.core.refused import Refused
from app.core.time import now
from app.moderation.approvals import ApprovalRequest
from app.moderation.models import Case
from app.web.extensions import db

QUESTION_MAX = 1000
REPLY_MAX = 1000


class SecondOpinion(db.Model):
    """One moderator's question to the others about one case, and the replies to it."""

    __tablename__ = "second_opinion"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_case.id", ondelete="CASCADE"), index=True
    )
    asked_by_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(default=now)

    replies: Mapped[list["SecondOpinionReply"]] = relationship(
        order_by="SecondOpinionReply.id", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = ({"sqlite_autoincrement": True},)


class SecondOpinionReply(db.Model):
    """One moderator's words in a second-opinion conversation (the asker's own included)."""

    __tablename__ = "second_opinion_reply"
    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(
        ForeignKey("second_opinion.id", ondelete="CASCADE"), index=True
    )
    by_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = ({"sqlite_autoincrement": True},)


class Unwritten(Refused):
    def __init__(self, field, limit):
        what = "your question for the other moderators" if field == "question" else "your reply"
        super().__init__(
            f"Please write {what}, in up to {limit:,} characters. Nothing was sent.", field=field
        )


class Decided(Refused):
    def __init__(self):
        super().__init__(
            "This case is already decided, so nothing was sent. If you want to talk a "
            "decision through, you can still reply in a conversation already on the case.",
            field="question",
        )


class AlreadyAsking(Refused):
    def __init__(self):
        super().__init__(
            "You have already asked about this case and nobody has replied yet, so nothing "
            "new was sent. You can add to your question in that conversation below.",
            field="question",
        )


def _words(words, field, limit):
    words = (words or "").strip()
    if not words or len(words) > limit:
        raise Unwritten(field, limit)
    return words


def _answered():
    """SQL: someone other than the asker has replied to the second opinion."""
    return (
        exists()
        .where(
            SecondOpinionReply.opinion_id == SecondOpinion.id,
            SecondOpinionReply.by_id != SecondOpinion.asked_by_id,
        )
        .correlate(SecondOpinion)
    )


def ask(case, by, words):
    """Ask the other moderators about `case` as `by`, and commit; no claim is needed.

    Refuses: Unwritten for empty words or more than QUESTION_MAX characters; Decided once
    the case is decided; AlreadyAsking while `by` has a question on it nobody answered.
    """
    words = _words(words, "question", QUESTION_MAX)
    if case.decided_at is not None:
        raise Decided()
    waiting = db.session.scalar(
        select(SecondOpinion.id).where(
            SecondOpinion.case_id == case.id, SecondOpinion.asked_by_id == by.id, ~_answered()
        )
    )
    if waiting is not None:
        raise AlreadyAsking()
    opinion = SecondOpinion(case_id=case.id, asked_by_id=by.id, question=words)
    db.session.add(opinion)
    db.session.commit()
    return opinion


def reply(opinion, by, words):
    """Add `by`'s words to the conversation, and commit; the case and its claim are left
    as they are, and a decided case can still be talked through. Another moderator's reply
    answers the question; the asker's own words add to it but do not. Refuses Unwritten
    for empty words or more than REPLY_MAX."""
    words = _words(words, "text", REPLY_MAX)
    added = SecondOpinionReply(opinion_id=opinion.id, by_id=by.id, text=words)
    db.session.add(added)
    db.session.commit()
    return added


def get(opinion_id):
    """The second opinion with this id, or None."""
    return db.session.get(SecondOpinion, opinion_id)


@dataclass
class Conversation:
    """A second opinion as the case page shows it, with rota names (never login names)."""

    opinion: SecondOpinion
    asker: str
    replies: list  # (SecondOpinionReply, rota name, True when by the asker)

    @property
    def answered(self):
        return any(not by_asker for _, _, by_asker in self.replies)


def on_case(case):
    """Every second opinion on `case`, oldest first, with rota names. Reads only (three
    queries, however many conversations)."""
    found = db.session.scalars(
        select(SecondOpinion)
        .options(selectinload(SecondOpinion.replies))
        .where(SecondOpinion.case_id == case.id)
        .order_by(SecondOpinion.id)
    ).all()
    ids = {o.asked_by_id for o in found} | {r.by_id for o in found for r in o.replies}
    names = dict(
        db.session.execute(select(Account.id, Account.rota_name).where(Account.id.in_(ids))).all()
    ) if ids else {}  # fmt: skip

    def name(account_id):
        return names.get(account_id) or "A moderator"

    return [
        Conversation(o, name(o.asked_by_id),
                     [(r, name(r.by_id), r.by_id == o.asked_by_id) for r in o.replies])
        for o in found
    ]  # fmt: skip


@dataclass(frozen=True)
class Look:
    """One ask for a second look at a case: an approval request still waiting, or a
    second opinion on an undecided case (`answered` once someone else replied)."""

    case_id: int
    by_id: int | None
    at: datetime
    kind: str  # "approval" or "opinion"
    answered: bool = False


def _looks(items):
    """Case id -> its Looks, for the queue's items. Two queries, whatever the queue's size."""
    found = {}
    waiting = [item.case.id for item in items if item.waiting]
    if waiting:  # at most one request waits per case (approvals.AlreadyWaiting)
        rows = db.session.execute(
            select(ApprovalRequest.case_id, ApprovalRequest.requested_by_id,
                   ApprovalRequest.requested_at)
            .where(ApprovalRequest.case_id.in_(waiting), ApprovalRequest.approved_at.is_(None))
            .order_by(ApprovalRequest.id)
        )  # fmt: skip
        latest = {case_id: Look(case_id, by_id, at, "approval") for case_id, by_id, at in rows}
        for case_id, look in latest.items():
            found.setdefault(case_id, []).append(look)
    undecided = [item.case.id for item in items if item.case.decided_at is None]
    if undecided:
        rows = db.session.execute(
            select(SecondOpinion.case_id, SecondOpinion.asked_by_id, SecondOpinion.asked_at,
                   _answered().label("answered"))
            .join(Case, Case.id == SecondOpinion.case_id)
            .where(SecondOpinion.case_id.in_(undecided), Case.decided_at.is_(None))
        )  # fmt: skip
        for case_id, by_id, at, answered in rows:
            found.setdefault(case_id, []).append(Look(case_id, by_id, at, "opinion", answered))
    return found


def arrange(items, me):
    """The queue's items in the order `me` (an Account, or None) sees them, marked for them.

    The one rule for second looks, approvals and second opinions alike: a case someone
    other than `me` is asking about (a request waiting for approval, or a second opinion
    nobody but its asker has answered) comes first, longest-waiting first, with
    `item.second_look` set; the rest keep their order. A case only `me` asked about stays
    where it was, with `item.my_opinion` "waiting" until someone replies, then "replied";
    `item.opinion_open` says another moderator's question waits on it. Reads only.
    """
    looks = _looks(items)
    me_id = me.id if me is not None else None
    for item in items:
        case_looks = looks.get(item.case.id, [])
        others = [look for look in case_looks if look.by_id != me_id and not look.answered]
        item.second_look = bool(others)
        item.opinion_open = any(look.kind == "opinion" for look in others)
        item.asked_since = min((look.at for look in others), default=None)
        mine = [look for look in case_looks if look.kind == "opinion" and look.by_id == me_id]
        if mine:
            item.my_opinion = "replied" if all(look.answered for look in mine) else "waiting"
    first = sorted((i for i in items if i.second_look), key=lambda i: (i.asked_since, i.case.id))
    return first + [item for item in items if not item.second_look]
