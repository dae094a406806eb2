"""Statements of reasons: what moderators did to a post, told to its author.

For each logged action on the post (and, for a question, on the asker's replies in its
thread) the author reads what was done, to which post, when, for how long, under which
rule, the public note, the moderator's message to them, whether it followed reports or a
moderator's own reading, whether it was automatic, and how to appeal or how their appeal
went. A dismissal changes nothing for the author, so it is not told; who reported, and
anything they wrote, never is.

The keeper pages sit below moderation, so they ask for these through the hook
app.keeper.told, which create_app points at `for_keeper`.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app.moderation import appeals, log, rules
from app.moderation.actions import AuthorMessage
from app.moderation.appeal_forms import AppealForm
from app.moderation.log import LogEntry
from app.moderation.models import Report
from app.moderation.outcomes import DISMISS
from app.questions.models import Answer
from app.web.extensions import db

# Log rows that are not about the author's post: a dismissal left it as it was, and an
# appeal's own row is told beside the decision it was about.
NOT_TOLD = frozenset({DISMISS, *appeals.LOGGED.values()})


@dataclass
class Statement:
    entry: LogEntry
    post_words: str  # which post, in the author's words: "your question", ...
    rule: rules.Rule | None
    message: str | None  # the moderator's message to the author, never public
    after_reports: bool  # False: on a moderator's own reading
    appeal: "appeals.Appeal | None"
    appealable: bool  # an action an author may appeal (a restoration is not)
    open_until: datetime

    @property
    def done(self):
        """What was done, in the log's words, after "A moderator" (or "Kettle")."""
        return log.DONE.get(self.entry.action, "made a decision on it")

    @property
    def until(self):
        return lasts_until(self.entry)

    @property
    def automatic(self):
        return self.entry.automatic

    @property
    def can_appeal(self):
        """True while the author may still send an appeal against this decision."""
        return self.appealable and self.appeal is None and appeals.still_open(self.entry)


def lasts_until(entry):
    """When what the entry did ends by itself (a suspension), or None."""
    return entry.until


def _where(post):
    """The log rows that speak of this post: a question's own, and its asker's replies'."""
    if isinstance(post, Answer):
        return LogEntry.answer_id == post.id
    replies = select(Answer.id).where(Answer.question_id == post.id, Answer.by_asker.is_(True))
    return or_(LogEntry.question_id == post.id, LogEntry.answer_id.in_(replies))


def _post_words(entry, post):
    if isinstance(post, Answer):
        return "your perspective"
    if entry.answer_id is not None:
        return "one of your replies in the thread, as \u201cthe asker\u201d"
    return "your question"


def statements_for(post):
    """The statements for every decision on `post` (a Question or Answer), newest first.

    Reads only, in four queries whatever the number of decisions."""
    entries = db.session.scalars(
        select(LogEntry)
        .where(_where(post), LogEntry.action.not_in(NOT_TOLD))
        .order_by(LogEntry.id.desc())
    ).all()
    if not entries:
        return []
    ids = [entry.id for entry in entries]
    messages = dict(
        db.session.execute(
            select(AuthorMessage.log_entry_id, AuthorMessage.text).where(
                AuthorMessage.log_entry_id.in_(ids)
            )
        ).all()
    )
    case_ids = {entry.case_id for entry in entries if entry.case_id is not None}
    reported = set(
        db.session.scalars(select(Report.case_id).where(Report.case_id.in_(case_ids)).distinct())
    ) if case_ids else set()  # fmt: skip
    appealed = appeals.by_author_of(ids)
    return [
        Statement(
            entry=entry,
            post_words=_post_words(entry, post),
            rule=rules.BY_SLUG.get(entry.rule),
            message=messages.get(entry.id),
            after_reports=entry.case_id in reported,
            appeal=appealed.get(entry.id),
            appealable=entry.action not in appeals.NOT_FOR_AUTHORS,
            open_until=appeals.open_until(entry),
        )
        for entry in entries
    ]


def decision_to_appeal(post, entry_id=None):
    """The LogEntry an author's appeal is against: the one with `entry_id` among the post's
    statements; without an id the newest they may still appeal, else the newest they could
    ever appeal (so the refusal says why: already appealed, or too late). None when there
    is none."""
    told = statements_for(post)
    if entry_id is not None:
        return next((s.entry for s in told if s.entry.id == entry_id), None)
    chosen = next((s for s in told if s.can_appeal), None)
    chosen = chosen or next((s for s in told if s.appealable), None)
    return chosen.entry if chosen else None


@dataclass(frozen=True)
class Told:
    """What a keeper page shows about moderators' decisions: `template`, a partial it
    includes, reads `told.statements` and `told.form_for(entry_id)` (and the page's own
    `steward`). `sent` is an appeal that could not be taken, shown again under its
    decision with the person's words."""

    statements: list
    sent: AppealForm | None = None
    template: str = "appeals/_statements.html"

    def form_for(self, entry_id):
        """The appeal form under one decision: the one sent back, or a blank one."""
        if self.sent is not None and self.sent.entry.data in (entry_id, None):
            return self.sent
        return AppealForm(formdata=None)


def for_keeper(steward, sent=None):
    """The statements a keeper page shows (Told), or None when no moderator has acted on
    the steward's post. Registered with app.keeper.told by create_app; reads only."""
    told = statements_for(steward.post)
    return Told(told, sent) if told else None
