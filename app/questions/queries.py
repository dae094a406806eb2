"""Reading questions and answers the way a visitor may see them.

Every list here is keyset-paged by id and loads its notes in one extra query.
"""

import hashlib

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from app.questions.models import Answer, Question
from app.questions.visibility import is_visible, visible
from app.web.extensions import db

ORDERS = ("oldest", "shuffle")


def _listable():
    return visible(select(Question), Question)


def question_or_404(question_id):
    """A question any reader may open, or a 404.

    Questions removed by their author, hidden by a moderator or collapsed pending review
    still open, to say so (never its words) and to keep the rest of their thread; a
    suspended pseudonym's question does not (saying so would name the suspension).

    Its content notes are read when first used (one query, as loading them with it would
    be), so posting a perspective, which never shows them, does not read them."""
    question = db.session.get(Question, question_id, options=[lazyload(Question.content_notes)])
    if question is None or not is_visible(question, removed=True, collapsed=True, hidden=True):
        abort(404)
    return question


def latest(limit, before=None, topic=None):
    """Newest questions first, optionally in one topic and older than `before`."""
    query = _listable()
    if topic is not None:
        query = query.where(Question.topic_id == topic.id)
    if before:
        query = query.where(Question.id < before)
    return list(db.session.scalars(query.order_by(Question.id.desc()).limit(limit)))


def waiting(limit):
    """Questions still waiting for a first perspective, newest first."""
    query = _listable().where(Question.perspective_count == 0)
    return list(db.session.scalars(query.order_by(Question.id.desc()).limit(limit)))


def answers_for(question, kind=None):
    """The visible answers on a question, oldest first (as they came)."""
    query = visible(select(Answer), Answer, within=question.id)
    if kind:
        query = query.where(Answer.kind == kind)
    return list(db.session.scalars(query.order_by(Answer.id)))


def shuffled(answers, seed):
    """A shuffle that stays the same for one reader's seed, and differs between readers."""

    def key(answer):
        return hashlib.sha256(f"{seed}:{answer.id}".encode()).digest()

    return sorted(answers, key=key)


def by_pseudonym(model, pseudonym_id, limit=50):
    """The newest visible questions or answers posted under one pseudonym.

    An answer shows only while its question may be opened, so a hidden question's title
    never appears beside a perspective offered on it."""
    query = visible(select(model), model).where(model.pseudonym_id == pseudonym_id)
    if model is Answer:  # each perspective names the question it was offered on
        query = query.options(joinedload(Answer.question))
    return list(db.session.scalars(query.order_by(model.id.desc()).limit(limit)))


def question_counts():
    """How many questions any reader may see in each topic, by topic id."""
    query = visible(select(Question.topic_id, func.count(Question.id)), Question)
    return dict(db.session.execute(query.group_by(Question.topic_id)).all())
