"""Whether a post may go in now: the gates every asking and answering passes, in one place.

A thread takes no new perspective once the asker closed it, the moderators locked it or
hid it, or the asker removed it, nor from others while it is collapsed pending review;
nobody posts while their pseudonym or account is suspended; a slowed thread takes one
perspective per person per its minutes (app.questions.pace); and a topic where a
coordinator paused new questions during a raid takes none until the pause ends
(app.topics.measures).
"""

from flask import current_app

from app.accounts.models import Account
from app.accounts.suspension import check_can_post
from app.core.refused import Refused
from app.core.time import local_moment
from app.questions import pace
from app.topics import measures
from app.web.extensions import db


class RepliesClosed(Refused):
    def __init__(self, message="The asker has closed this question to new perspectives."):
        super().__init__(message)


class Locked(RepliesClosed):
    def __init__(self):
        super().__init__(
            "The moderators have locked this question, so it takes no new perspectives. "
            "What is here stays here. This is not about you or what you wrote."
        )


class Folded(RepliesClosed):
    def __init__(self, hidden=False):
        why = (
            "A moderator hid this question"
            if hidden
            else "This question is folded away until a moderator reads the reports about it"
        )
        super().__init__(
            f"{why}, so it takes no new perspectives for now. This is not about you or what "
            "you wrote."
        )


class LockedByModerators(Refused):
    def __init__(self):
        super().__init__(
            "The moderators have locked this question, so its replies cannot be opened "
            "again from here. Nothing was changed. If you think the lock is wrong, you can "
            "appeal from this page."
        )


class TopicPaused(Refused):
    def __init__(self, topic, until):
        when = local_moment(until, current_app.config["TIMEZONE"])
        super().__init__(
            f"New questions in \u201c{topic.name}\u201d are paused until {when}, while the "
            "moderators deal with a flood of posts. This is not about you or what you wrote. "
            "Your words are still here: you can ask in another topic, or come back then.",
            field="topic",
        )


def check_ask(author, topic):
    """Refuse a question: TopicPaused while a coordinator has paused new questions in the
    topic; Suspended while the author's pseudonym or account is suspended. Reads only."""
    until = measures.paused_until(topic.id)
    if until is not None:
        raise TopicPaused(topic, until)
    check_can_post(author.pseudonym, author.account)


def check_answer(question, author, by_asker=False):
    """Refuse a perspective (or the asker's reply): RepliesClosed or Locked for a closed
    thread; Folded for others while the question is hidden or collapsed pending review;
    Suspended while the poster is suspended (for the asker's replies, the question's own
    pseudonym or account); SlowMode when they posted there too recently. Reads only."""
    if question.replies_closed:
        raise Locked() if question.is_locked and not question.is_deleted else RepliesClosed()
    if (question.collapsed_at is not None or question.hidden_at is not None) and not by_asker:
        raise Folded(hidden=question.hidden_at is not None)
    if by_asker:
        account = db.session.get(Account, question.account_id) if question.account_id else None
        check_can_post(question.pseudonym, account)
    else:
        check_can_post(author.pseudonym, author.account)
    pace.check(question, author, by_asker)
