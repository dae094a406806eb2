"""Asking, answering, editing and deleting.

A public function here either commits once, as its docstring says, or works "in the
caller's transaction" for a service above it to commit. What a request adds around a post
(its keeper link sealed for the author's next page) goes in through `along`, so the post
and the author's only way back are stored together or not at all.
"""

from dataclasses import dataclass

from sqlalchemy import inspect, select

from app.core import text
from app.core.refused import Refused
from app.core.time import now
from app.questions import counts, gates, pace, repeats
from app.questions import keeper_links as keeper
from app.questions.gates import Locked, LockedByModerators, RepliesClosed  # noqa: F401
from app.questions.models import Answer, Question, VisibilityChange
from app.web.extensions import db


class AlreadyDeleted(Refused):
    def __init__(self):
        super().__init__("This was deleted, so it cannot be changed.")


class AlreadyHidden(Refused):
    def __init__(self):
        super().__init__("A moderator has already hidden this.")


class NotHidden(Refused):
    def __init__(self):
        super().__init__("This is not hidden, so there is nothing to restore.")


class NoReason(Refused):
    def __init__(self):
        super().__init__("Please give a reason for hiding this.", field="reason")


@dataclass
class Posted:
    """A stored post, and its keeper link when one was made (shown once, then forgotten)."""

    post: Question | Answer
    keeper_token: str | None = None
    # True when this sending repeated an earlier one, so nothing new was stored.
    repeat: bool = False


def _write(post, fields):
    """Copy the shared written fields onto a question or answer."""
    post.body_source = fields["body"]
    post.body_html = text.render(fields["body"])
    post.content_notes = list(fields["content_notes"])
    post.content_note_other = text.plain(fields.get("content_note_other", ""))


def _gate(check, *args):
    """Run one of the posting gates; on a refusal keep nothing of this sending."""
    try:
        check(*args)
    except Refused:
        db.session.rollback()
        raise


def _done(posted, along, question=None):
    """Run `along(posted)` inside the transaction, then commit it once.

    Everything is expired after the commit, as a commit does, but the ids of the post and
    its `question`: the page the author is sent to next needs only those, which would
    otherwise be read again. Anything else read of them later is read afresh."""
    if along is not None:
        along(posted)
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
    if expire_on_commit:
        kept = (posted.post, question)
        for loaded in list(session.identity_map.values()):
            if any(loaded is one for one in kept):
                session.expire(loaded, _all_but_ids(loaded))
            else:
                session.expire(loaded)
    return posted


def _all_but_ids(loaded):
    mapper = inspect(loaded).mapper
    ids = {mapper.get_property_by_column(column).key for column in mapper.primary_key}
    return [prop.key for prop in mapper.attrs if prop.key not in ids]


def ask(topic, author, fields, once=None, along=None):
    """Store a new question in a topic and commit, once; returns Posted.

    A repeat of the same sending (see repeats) stores nothing and returns the first
    question again, with the same keeper link. `along(posted)` runs inside the same
    transaction just before its commit; if anything fails (gates.check_ask refuses a
    paused topic or a suspended author), nothing is kept.
    """
    sending = repeats.begin(once, "ask", author, {**fields, "topic": topic})
    if sending and sending.earlier:
        return _done(Posted(sending.earlier, sending.earlier_token, repeat=True), along)
    _gate(gates.check_ask, author, topic)
    question = Question(
        topic=topic,
        title=text.plain(fields["title"]),
        account_id=author.account_id,
        pseudonym_id=author.pseudonym_id,
    )
    _write(question, fields)
    db.session.add(question)
    # The question and its keeper link go to the database in one flush.
    token = keeper.issue(question=question) if author.needs_keeper_link else None
    db.session.flush()
    if sending:
        sending.record(question, token)
    return _done(Posted(question, token), along)


def answer(question, author, fields, by_asker=False, once=None, along=None):
    """Add one perspective (or the asker's reply) to a question and commit, once.

    A repeat of the same sending stores nothing and returns the first answer again, with
    the same keeper link. `along(posted)` runs inside the same transaction just before its
    commit. Refuses, keeping nothing: RepliesClosed when the asker closed the question to
    new replies (Locked when moderators locked it), Suspended while the author's pseudonym
    or account (for the asker's replies, the question's) is suspended, and SlowMode when
    the thread is slowed and this person posted there too recently.
    """
    where = f"{'reply' if by_asker else 'answer'}:{question.id}"
    # Counted up from the stored count: a copy merged in may hold an older one to write back.
    db.session.expire(question, ["perspective_count"])
    sending = repeats.find(once, where, author, fields)
    if not (sending and sending.earlier):
        # Built and rendered before the first write: SQLite takes one writer at a time,
        # and every other one waits until this transaction commits.
        posted = _new_answer(question, author, fields, by_asker)
        sending = sending and sending.store()
    if sending and sending.earlier:
        repeat = Posted(sending.earlier, sending.earlier_token, repeat=True)
        return _done(repeat, along, question)
    _gate(gates.check_answer, question, author, by_asker)  # nothing of this sending is kept
    pace.record(question, author, by_asker)
    db.session.add(posted)
    needs_link = author.needs_keeper_link and not by_asker
    token = keeper.issue(answer=posted) if needs_link else None
    if not by_asker:
        # Shown from its first moment (check_answer refuses a suspended author): one more,
        # in SQL, so that two people answering together are both counted.
        question.perspective_count = counts.ONE_MORE
    db.session.flush()  # the answer, its keeper link and the count, in one go
    if sending:
        sending.record(posted, token)
    return _done(Posted(posted, token), along, question)


def _new_answer(question, author, fields, by_asker):
    posted = Answer(
        question_id=question.id,
        kind=fields.get("kind") or None,
        by_asker=by_asker,
        # The asker's replies belong to whoever holds the question, so deleting or
        # exporting the account finds them too.
        account_id=question.account_id if by_asker else author.account_id,
        pseudonym_id=None if by_asker else author.pseudonym_id,
    )
    _write(posted, fields)
    return posted


def edit_question(question, fields):
    """Change a question's words, topic or notes, mark it edited, and commit.

    Raises AlreadyDeleted when the question was deleted.
    """
    if question.is_deleted:
        raise AlreadyDeleted()
    question.title = text.plain(fields["title"])
    question.topic = fields["topic"]
    _write(question, fields)
    question.edited_at = now()
    db.session.commit()


def edit_answer(posted, fields):
    """Change an answer's words, notes or kind, mark it edited, and commit.

    Raises AlreadyDeleted when the answer was deleted.
    """
    if posted.is_deleted:
        raise AlreadyDeleted()
    _write(posted, fields)
    posted.kind = fields.get("kind") or None
    posted.edited_at = now()
    db.session.commit()


def set_replies_closed(question, closed):
    """Close or reopen a question to new perspectives (the asker's switch), and commit.

    Raises AlreadyDeleted when the question was deleted, and LockedByModerators when asked
    to reopen a question the moderators locked (only they can unlock it).
    """
    if question.is_deleted:
        raise AlreadyDeleted()
    if not closed and question.is_locked:
        raise LockedByModerators()
    question.replies_closed_at = now() if closed else None
    db.session.commit()


def hide(post, by, reason):
    """Hide a question or answer from every reader, keeping its words, in the caller's
    transaction (moderation commits it with its log row).

    Records who (`by`, an Account or None for the system) and why (`reason`, up to 200
    characters) on the post and in a VisibilityChange; an answer stops counting as a
    perspective. Its author still reaches it. Raises NoReason (naming "reason") without a
    reason, and AlreadyHidden when it is already hidden (so two moderators cannot both act).
    """
    reason = text.plain(reason or "")[:200]
    if not reason:
        raise NoReason()
    if post.is_hidden:
        raise AlreadyHidden()
    post.hidden_at = now()
    post.hidden_reason = reason
    db.session.add(VisibilityChange.of(post, "hidden", by, reason))
    counts.recount(post)


def restore(post, by):
    """Show a hidden question or answer to readers again, as it was, in the caller's
    transaction; records who restored it in a VisibilityChange.

    An answer counts as a perspective again. Raises NotHidden when it is not hidden, and
    AlreadyDeleted when its author has since deleted it (there are no words to restore).
    """
    if not post.is_hidden:
        raise NotHidden()
    if post.is_deleted:
        raise AlreadyDeleted()
    post.hidden_at = None
    post.hidden_reason = None
    db.session.add(VisibilityChange.of(post, "restored", by))
    counts.recount(post)


def delete_question(question):
    """Erase the asker's words for good, replies included; other people's stay. Commits."""
    erase_question(question)
    db.session.commit()


def delete_answer(posted):
    """Erase an answer's words for good, and commit."""
    erase_answer(posted)
    db.session.commit()


def erase_question(question):
    """Erase a question's words, and the asker's replies in its thread, in the caller's
    transaction: deleting a question leaves nothing the asker wrote behind."""
    _erase(question)
    question.title = ""
    question.replies_closed_at = question.replies_closed_at or now()
    replies = select(Answer).where(Answer.question_id == question.id, Answer.by_asker.is_(True))
    for reply in db.session.scalars(replies):
        _erase(reply)
    counts.recount_question(question.id)


def erase_answer(posted):
    """Erase an answer's words in the caller's transaction."""
    _erase(posted)
    counts.recount_question(posted.question_id)


# Called with each post whose words are erased, inside the erasing transaction; a layer
# above (moderation, which keeps reported words) registers here, as questions may not
# import it.
_erase_hooks = []


def on_erase(callback):
    """Have `callback(post)` run inside the caller's transaction whenever a question's or
    answer's words are erased (by its author, or with their account). A callback given
    twice runs once; an exception it raises stops the erasure and nothing is kept."""
    if callback not in _erase_hooks:
        _erase_hooks.append(callback)


def _erase(post):
    post.body_source = ""
    post.body_html = ""
    post.content_notes = []
    post.content_note_other = ""
    post.deleted_at = post.deleted_at or now()
    for callback in _erase_hooks:
        callback(post)
