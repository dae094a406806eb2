"""The public moderation log: one row for every moderator action, in the same
transaction as the action itself (DESIGN.md principle 6).

A row holds what was done, to what kind of post, under which rule, the public note,
when, and the moderator's rota name; never the post's words or title, never a login
name or pseudonym, never anything about who reported. The post is linked only while it
is still visible to readers (app.questions.visibility decides).

A coordinator's change (app.moderation.coordinating and .raids) is about no post
(post_kind "none"): the moderator role given or taken (never whose it is), a topic or
content note added or renamed (by its public name), a raid measure set (until when) or
lifted early. It shows the coordinator's rota name, or "A coordinator" without one.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import now
from app.questions.models import Answer, Question
from app.questions.visibility import visible
from app.web.extensions import db

# How each action reads in the log, after "A moderator ...".
DONE = {
    "dismiss": "looked at the reports and left it as it was",
    "hide": "hid it from readers",
    "restore": "restored it for readers",
    "add-note": "added a content note",
    "lock": "closed its replies",
    "slow-mode": "put the thread in slow mode",
    "suspend-pseudonym": "suspended the pseudonym that posted it",
    "suspend-account": "suspended the account that posted it",
    "warn": "warned the person who posted it",
    "collapse": "collapsed it pending review",
    # Another moderator hearing an appeal (app.moderation.deciding); never the appeal's words.
    "appeal-upheld": "heard an appeal and kept the decision",
    "appeal-overturned": "heard an appeal and reversed the decision",
}
# A coordinator's changes (app.moderation.coordinating), after "A coordinator ...".
COORDINATING = {
    "moderator-added": "gave someone the moderator role",
    "moderator-removed": "took the moderator role from someone",
    "topic-added": "added a topic",
    "topic-edited": "edited a topic",
    "note-added": "added a content note to the list",
    "note-renamed": "renamed a content note",
    "questions-paused": "paused new questions in a topic during a flood of posts",
    "questions-resumed": "let new questions into a topic again, earlier than planned",
    "limits-tightened": "tightened the limits on asking and answering for a while",
    "limits-restored": "put the limits on asking and answering back, earlier than planned",
    "collapse-lowered": "lowered how many reports fold a post away while nobody is on shift",
    "collapse-restored": "put back how many reports fold a post away, earlier than planned",
}
NO_POST = "none"


class LogEntry(db.Model):
    """One line of the public moderation log."""

    __tablename__ = "moderation_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now)
    action: Mapped[str] = mapped_column(String(30))
    post_kind: Mapped[str] = mapped_column(String(10))  # "question", "answer" or "none"
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_case.id", ondelete="SET NULL"), index=True
    )
    rule: Mapped[str | None] = mapped_column(String(40))  # a slug in app.moderation.rules
    public_note: Mapped[str] = mapped_column(String(300), default="")
    # The name shown, kept as it was then; the account only so appeals reach someone else.
    rota_name: Mapped[str | None] = mapped_column(String(40))
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    automatic: Mapped[bool] = mapped_column(default=False)
    # Who a warning or suspension was about, so a first warning can come before a
    # suspension and an appeal can lift it. Never shown publicly, never in the feed.
    pseudonym_id: Mapped[int | None] = mapped_column(
        ForeignKey("pseudonym.id", ondelete="SET NULL"), index=True
    )
    subject_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    # When a timed action (a suspension) ends.
    until: Mapped[datetime | None]
    # The second moderator who approved an action that needs two (app.moderation.approvals).
    second_rota_name: Mapped[str | None] = mapped_column(String(40))
    second_moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )

    question: Mapped[Question | None] = relationship(lazy="raise")
    answer: Mapped[Answer | None] = relationship(lazy="raise")

    __table_args__ = (
        CheckConstraint("post_kind IN ('question', 'answer', 'none')", name="known_post_kind"),
        {"sqlite_autoincrement": True},  # keyset paging never meets a reused id
    )

    @property
    def done(self):
        return DONE.get(self.action) or COORDINATING.get(self.action, self.action)

    @property
    def by_coordinator(self):
        return self.action in COORDINATING


def record(action, post, *, rule, public_note, by=None, case=None, automatic=False, **about):
    """Add one log row for `action` on `post` (a Question or Answer), in the caller's
    transaction; `by` is the acting moderator's Account (its rota name is shown).

    `about` may name the subject of a warning or suspension (pseudonym_id,
    subject_account_id), when it ends (until) and the approving moderator (second_rota_name,
    second_moderator_id)."""
    is_answer = isinstance(post, Answer)
    entry = LogEntry(
        action=action,
        post_kind="answer" if is_answer else "question",
        question_id=None if is_answer else post.id,
        answer_id=post.id if is_answer else None,
        case_id=case.id if case is not None else None,
        rule=rule,
        public_note=public_note,
        rota_name=by.rota_name if by is not None else None,
        moderator_id=by.id if by is not None else None,
        automatic=automatic,
        **about,
    )
    db.session.add(entry)
    return entry


def record_coordination(action, by, public_note="", *, until=None, subject_account_id=None):
    """Add one log row for a coordinator's change (an action in COORDINATING), about no
    post, in the caller's transaction. `by` is the coordinator's Account (its rota name is
    shown if it has one); `subject_account_id` names, privately, whose role changed."""
    if action not in COORDINATING:
        raise ValueError(f"not a coordinator's change: {action}")
    entry = LogEntry(
        action=action,
        post_kind=NO_POST,
        rule=None,
        public_note=public_note,
        rota_name=by.rota_name,
        moderator_id=by.id,
        until=until,
        subject_account_id=subject_account_id,
    )
    db.session.add(entry)
    return entry


def page(before=None, size=50):
    """Up to `size` entries, newest first, older than id `before` (keyset paging).

    Returns (entries, links) where links maps an entry id to the address of its post, for
    posts a reader may still see; other posts are named only by their kind.
    """
    stmt = select(LogEntry).order_by(LogEntry.id.desc()).limit(size)
    if before is not None:
        stmt = stmt.where(LogEntry.id < before)
    entries = db.session.scalars(stmt).all()
    return entries, _visible_links(entries)


def _visible_links(entries):
    """Entry id -> (question id, answer id or None) for posts still shown to readers."""
    question_ids = {e.question_id for e in entries if e.question_id}
    answer_ids = {e.answer_id for e in entries if e.answer_id}
    shown_questions = set(
        db.session.scalars(visible(select(Question.id), Question).where(
            Question.id.in_(question_ids)))
    ) if question_ids else set()  # fmt: skip
    shown_answers = dict(
        db.session.execute(visible(select(Answer.id, Answer.question_id), Answer).where(
            Answer.id.in_(answer_ids)))
    ) if answer_ids else {}  # fmt: skip
    links = {}
    for entry in entries:
        if entry.question_id in shown_questions:
            links[entry.id] = (entry.question_id, None)
        elif entry.answer_id in shown_answers:
            links[entry.id] = (shown_answers[entry.answer_id], entry.answer_id)
    return links


def post_of(entry):
    """The Question or Answer a log entry is about, or None when it no longer exists."""
    if entry.question_id is not None:
        return db.session.get(Question, entry.question_id)
    if entry.answer_id is not None:
        return db.session.get(Answer, entry.answer_id)
    return None
