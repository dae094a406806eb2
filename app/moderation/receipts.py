"""A reporter's receipt: what became of their report, told in plain words.

A receipt link is a 256-bit secret; Kettle keeps only its SHA-256 (Report.receipt_hash).
A receipt speaks of the case its report joined and of nothing else: never who else
reported, or how many people did, or who wrote the post.
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.core import tokens
from app.moderation import outcomes
from app.moderation.models import Report
from app.moderation.reasons import BY_SLUG
from app.questions.models import Question
from app.questions.visibility import is_visible
from app.web.extensions import db

STATES = {
    "waiting": ("Waiting to be read", "Your report is waiting for a moderator on the rota "
                "to read it."),
    "being-read": ("Being read", "A moderator on the rota is reading the reports on this "
                   "post. Nothing has been decided yet."),
    "decided": ("Decided", "A moderator on the rota has read the reports on this post and "
                "made a decision."),
}  # fmt: skip


@dataclass(frozen=True)
class Receipt:
    """What a receipt page says: the state, its words, and once decided what was done."""

    state: str
    heading: str
    words: str
    outcome: str | None
    what: str  # "question" or "perspective"
    reason: str
    reported_at: object
    decided_at: object
    question_id: int | None  # where the post can be read, while any reader may see it


def find(token):
    """The report a receipt token belongs to, or None (checked in constant time)."""
    if not token or len(token) > 100:
        return None
    report = db.session.scalar(
        select(Report).where(Report.receipt_hash == tokens.token_hash(token))
    )
    if report is None or not tokens.same_hash(report.receipt_hash, token):
        return None
    return report


def receipt_for(report):
    """What the receipt for one report says now. Reads only; commits nothing."""
    case = report.case
    heading, words = STATES[case.state]
    reason = BY_SLUG.get(report.reason)
    return Receipt(
        state=case.state,
        heading=heading,
        words=words,
        outcome=outcomes.said(case.outcome) if case.state == "decided" else None,
        what="question" if case.question_id is not None else "perspective",
        reason=reason.label if reason else report.reason,
        reported_at=report.created_at,
        decided_at=case.decided_at,
        question_id=_readable_question_id(case),
    )


def _readable_question_id(case):
    """The question page where the reported post can still be read, or None.

    A post collapsed pending review still counts: its page opens, and a receipt must not
    change because other people reported the same post."""
    if case.question_id is not None:
        question = case.question
        shown = question is not None and is_visible(question, collapsed=True)
        return question.id if shown else None
    answer = case.answer
    if answer is None or not is_visible(answer, collapsed=True):
        return None
    question = db.session.get(Question, answer.question_id)
    shown = question is not None and is_visible(question, removed=True, collapsed=True)
    return question.id if shown else None
