"""The two databases' full-text indexes behind one pair of queries.

SQLite reads FTS5 (migration 0020's `question_search` and `answer_search`, ranked by
bm25); PostgreSQL reads each table's generated `search_vector` through its GIN index
(ranked by ts_rank_cd). Both give a score where lower is better, so the service above
orders and pages the same way on either.
"""

from sqlalchemy import column, func, literal, literal_column, select, table, union_all

from app.questions.models import Answer, Question
from app.questions.visibility import visible

# A match in a question's title counts this many times one in its body (bm25's column
# weights; PostgreSQL weighs the title as 'A' and the body as 'B' in its own way).
TITLE_WEIGHT = 4.0

_question_fts = table("question_search", column("rowid"))
_answer_fts = table("answer_search", column("rowid"))


def _sqlite_hits(terms):
    match = literal(terms.fts5)
    in_questions = select(
        _question_fts.c.rowid.label("question_id"),
        func.bm25(literal_column("question_search"), TITLE_WEIGHT, 1.0).label("score"),
        literal(1).label("in_question"),
    ).where(literal_column("question_search").op("MATCH")(match))
    in_answers = visible(
        select(
            Answer.question_id.label("question_id"),
            func.bm25(literal_column("answer_search")).label("score"),
            literal(0).label("in_question"),
        )
        .select_from(_answer_fts)
        .join(Answer, Answer.id == _answer_fts.c.rowid)
        .where(literal_column("answer_search").op("MATCH")(match)),
        Answer,
    )
    return in_questions, in_answers


def _query(terms):
    return func.plainto_tsquery(literal_column("'english'::regconfig"), literal(terms.text))


def _vector(model):
    return literal_column(f"{model.__tablename__}.search_vector")


def _postgresql_hits(terms):
    query = _query(terms)
    in_questions = select(
        Question.id.label("question_id"),
        (-func.ts_rank_cd(_vector(Question), query)).label("score"),
        literal(1).label("in_question"),
    ).where(_vector(Question).op("@@")(query))
    in_answers = visible(
        select(
            Answer.question_id.label("question_id"),
            (-func.ts_rank_cd(_vector(Answer), query)).label("score"),
            literal(0).label("in_question"),
        ).where(_vector(Answer).op("@@")(query)),
        Answer,
    )
    return in_questions, in_answers


def scores(terms, dialect):
    """A subquery of (question_id, score, in_question): each question whose own words, or
    the words of a perspective on it any reader may see, hold every one of `terms`; its
    best score (lower is better); and 1 when the question's own words match, else 0.

    Says nothing about the question's own visibility: the caller narrows by it.
    """
    hits = _sqlite_hits if dialect == "sqlite" else _postgresql_hits
    both = union_all(*hits(terms)).subquery("hits")
    return (
        select(
            both.c.question_id,
            func.min(both.c.score).label("score"),
            func.max(both.c.in_question).label("in_question"),
        )
        .group_by(both.c.question_id)
        .subquery("scores")
    )


def matching_answers(terms, dialect, question_ids):
    """A select of the visible Answers on `question_ids` that hold every one of `terms`,
    best match first: where an excerpt for a question matched only in its thread comes from."""
    if dialect == "sqlite":
        stmt = (
            select(Answer)
            .join(_answer_fts, _answer_fts.c.rowid == Answer.id)
            .where(literal_column("answer_search").op("MATCH")(literal(terms.fts5)))
            .order_by(func.bm25(literal_column("answer_search")), Answer.id)
        )
    else:
        query = _query(terms)
        stmt = (
            select(Answer)
            .where(_vector(Answer).op("@@")(query))
            .order_by(func.ts_rank_cd(_vector(Answer), query).desc(), Answer.id)
        )
    return visible(stmt.where(Answer.question_id.in_(question_ids)), Answer)
