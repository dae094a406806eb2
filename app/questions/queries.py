"""Reading questions and answers the way a visitor may see them.

Every list here is keyset-paged by id and loads its notes in one extra query.
"""

import hashlib

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.questions.models import Answer, Question

ORDERS = ("oldest", "shuffle")


def _listable():
    return select(Question).where(Question.hidden_at.is_(None), Question.deleted_at.is_(None))


def question_or_404(question_id):
    """A question anyone may open; removed-by-author questions still show their thread."""
    question = db.session.get(Question, question_id)
    if question is None or question.is_hidden:
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
    query = select(Answer).where(
        Answer.question_id == question.id,
        Answer.deleted_at.is_(None),
        Answer.hidden_at.is_(None),
    )
    if kind:
        query = query.where(Answer.kind == kind)
    return list(db.session.scalars(query.order_by(Answer.id)))


def shuffled(answers, seed):
    """A shuffle that stays the same for one reader's seed, and differs between readers."""

    def key(answer):
        return hashlib.sha256(f"{seed}:{answer.id}".encode()).digest()

    return sorted(answers, key=key)


def by_pseudonym(model, pseudonym_id, limit=50):
    """The newest visible questions or answers posted under one pseudonym."""
    query = select(model).where(
        model.pseudonym_id == pseudonym_id,
        model.hidden_at.is_(None),
        model.deleted_at.is_(None),
    )
    if model is Answer:  # each perspective names the question it was offered on
        query = query.options(joinedload(Answer.question))
    return list(db.session.scalars(query.order_by(model.id.desc()).limit(limit)))
