"""The two databases' full-text indexes behind one pair of queries.

SQLite reads FTS5 (`question_search` and `answer_search`); PostgreSQL reads each table's
generated `search_vector` through its GIN index, made with migration 0022's
`kettle_english`: `english` without accents, as FTS5's `remove_diacritics` reads words.
Both read posts as app.core.folding says (migration 0023), and both rank in the same three
tiers, lower being better, so the service above orders and pages the same way on either.
"""

import functools

from sqlalchemy import (
    Double,
    Integer,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    null,
    select,
    table,
    union_all,
)

from app.questions.models import Answer, Question
from app.questions.visibility import visible

# The scores: every word in the title, every word in the question, or only in a
# perspective. bm25 would rank finer, but its figures move whenever anyone posts anything
# (they weigh each post against the whole index), so a "More results" cursor holding one
# would repeat or skip results; and any count of a word's repeats lets a post be lifted by
# repeating it. These tiers stay put, and ties go to the newest.
IN_TITLE, IN_QUESTION, IN_THREAD = 0, 1, 2

_NO_ANSWER = cast(null(), Integer)  # typed, so PostgreSQL can UNION it with answer ids
_question_fts = table("question_search", column("rowid"))
_answer_fts = table("answer_search", column("rowid"))


def _newest_fts(fts, match, window):
    """The rowids of the newest `window` rows of an FTS5 table matching `match`: FTS5 walks
    its doclists newest first for ORDER BY rowid DESC, so this stops early."""
    return (
        select(fts.c.rowid.label("id"))
        .where(literal_column(fts.name).op("MATCH")(literal(match)))
        .order_by(fts.c.rowid.desc())
        .limit(window)
        .subquery()
    )


def _sqlite_hits(terms, window):
    def tier(match, score):
        newest = _newest_fts(_question_fts, match, window)
        return select(newest.c.id, literal(score), literal(1), _NO_ANSWER)

    # Perspectives no reader may see are passed over before the window is counted (as on
    # PostgreSQL), so hidden ones cannot crowd a visible one out of it.
    in_answers = (
        visible(
            select(Answer.question_id, literal(IN_THREAD), literal(0), Answer.id)
            .join(_answer_fts, _answer_fts.c.rowid == Answer.id)
            .where(literal_column(_answer_fts.name).op("MATCH")(literal(terms.fts5))),
            Answer,
        )
        .order_by(_answer_fts.c.rowid.desc())
        .limit(window)
    )
    in_titles = tier(f"{{title}} : ({terms.fts5})", IN_TITLE)
    return in_titles, tier(terms.fts5, IN_QUESTION), in_answers


def _query(terms):
    """A tsquery for every word in any of its forms, built from plainto_tsquery of each
    form (which reads its argument as plain words), so nothing typed is tsquery syntax."""
    english = literal_column("'kettle_english'::regconfig")  # migration 0022

    def either(forms):
        queries = [func.plainto_tsquery(english, literal(form)) for form in forms]
        return functools.reduce(lambda one, other: one.op("||")(other), queries)

    return functools.reduce(lambda one, other: one.op("&&")(other), map(either, terms.forms))


def _tier(model, query):
    """The same tiers as SQLite's, as a double (the type SQLite's scores page by): a
    question whose title (weight 'A', migration 0023) holds every word, any other question,
    or a perspective. Counting how often a word appears (ts_rank_cd) would let anyone lift
    a post by repeating a word, and would order the two databases differently."""
    if model is Answer:
        return cast(literal(IN_THREAD), Double)
    in_title = func.ts_filter(_vector(model), literal_column("'{a}'::\"char\"[]")).op("@@")(query)
    return cast(case((in_title, IN_TITLE), else_=IN_QUESTION), Double)


def _vector(model):
    return literal_column(f"{model.__tablename__}.search_vector")


def _postgresql_hits(terms, window):
    query = _query(terms)

    def newest(model, id_column):
        matching = select(
            id_column.label("question_id"), _tier(model, query).label("score"), model.id
        ).where(_vector(model).op("@@")(query))
        if model is Answer:
            matching = visible(matching, Answer)
        return matching.order_by(model.id.desc()).limit(window).subquery()

    in_questions = newest(Question, Question.id)
    in_answers = newest(Answer, Answer.question_id)
    return (
        select(in_questions.c.question_id, in_questions.c.score, literal(1), _NO_ANSWER),
        select(in_answers.c.question_id, in_answers.c.score, literal(0), in_answers.c.id),
    )


def answers_matching(terms, dialect, question_ids):
    """A select of the perspectives on `question_ids` that any reader may see and whose
    words hold every one of `terms`, newest first (Answer rows)."""
    found = select(Answer).where(Answer.question_id.in_(question_ids))
    if dialect == "sqlite":
        # Each of these threads' perspectives is looked up in the index by its rowid, so
        # the work grows with the threads, never with every match on the site.
        match = literal_column(_answer_fts.name).op("MATCH")(literal(terms.fts5))
        found = found.where(
            select(_answer_fts.c.rowid).where(match, _answer_fts.c.rowid == Answer.id).exists()
        )
    else:
        found = found.where(_vector(Answer).op("@@")(_query(terms)))
    return visible(found, Answer).order_by(Answer.id.desc())


def scores(terms, dialect, window):
    """A subquery of (question_id, score, in_question, answer_id): each question whose own
    words, or the words of a perspective on it any reader may see, hold every one of
    `terms`; its best score (lower is better); 1 when the question's own words match, else
    0; and the newest matching perspective's id (None when none matched).

    Only the newest `window` matching questions, and the newest `window` matching
    perspectives, are looked at, so a word in nearly every post costs no more than a rare
    one (SEARCH_WINDOW). Says nothing about the question's own visibility: the caller
    narrows by it.
    """
    hits = _sqlite_hits if dialect == "sqlite" else _postgresql_hits
    names = ("question_id", "score", "in_question", "answer_id")
    arms = [arm.subquery() for arm in hits(terms, window)]
    both = union_all(
        *(select(*(c.label(n) for c, n in zip(arm.c, names, strict=True))) for arm in arms)
    ).subquery("hits")
    return (
        select(
            both.c.question_id,
            func.min(both.c.score).label("score"),
            func.max(both.c.in_question).label("in_question"),
            func.max(both.c.answer_id).label("answer_id"),
        )
        .group_by(both.c.question_id)
        .subquery("scores")
    )
