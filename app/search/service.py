"""Searching questions and perspectives the way any reader may see them.

One interface over both databases (app.search.index holds the two dialects). Results are
questions, best match first and then newest, never by popularity; they page by keyset on
(score, question id); each carries a short excerpt of the post that matched. Everything a
list obeys applies: the one visibility rule (app.questions.visibility) for deleted, hidden,
collapsed and suspended posts, and the reader's content-note choices (app.readers.prefs)
for noted titles and excerpts, and for posts they chose to hide.
"""

import math
import re
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup
from sqlalchemy import and_, or_, select

from app.core import folding
from app.core.refused import Refused
from app.core.urls import ID_MAX
from app.questions.models import Answer, Question
from app.questions.visibility import visible
from app.search import excerpts, index
from app.web.extensions import db

_CURSOR = re.compile(r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)_(\d{1,18})")
BAD_CURSOR = "That link to more results is not one Kettle made. Search again from the top."


@dataclass(frozen=True)
class Result:
    """One question found. `excerpt` is safe Markup from the post that matched, or None
    when that post's notes keep its words folded for this reader (`behind` is that post,
    whose notes a page names instead). `in_thread` is True when the match was in a
    perspective rather than the question itself. `title` is shown only where the reader
    may see the title (app.readers.titles decides)."""

    question: Question
    excerpt: Markup | None
    behind: object | None
    in_thread: bool
    # The question's title with the words found marked, for pages that show the title.
    title: Markup


@dataclass(frozen=True)
class Results:
    """A page of results, how many this reader's "hide" choices left out of it, and the
    cursor for the next page (None on the last)."""

    found: list[Result]
    left_out: int
    after: str | None


def cursor(raw):
    """The (score, question id) a "more results" link carries, or None for the first page.

    Raises Refused when `raw` is not a cursor Kettle made (or names an id no row can have)."""
    if not raw:
        return None
    match = _CURSOR.fullmatch(raw)
    score = float(match.group(1)) if match else math.nan
    if not math.isfinite(score) or int(match.group(2)) > ID_MAX:
        raise Refused(BAD_CURSOR)
    return score, int(match.group(2))


def _cursor_text(score, question_id):
    return f"{score!r}_{question_id}"


def _page(terms, dialect, topic, after, size):
    scores = index.scores(terms, dialect, current_app.config["SEARCH_WINDOW"])
    stmt = visible(
        select(Question, scores.c.score, scores.c.in_question, scores.c.answer_id).join(
            scores, scores.c.question_id == Question.id
        ),
        Question,
    )
    if topic is not None:
        stmt = stmt.where(Question.topic_id == topic.id)
    if after is not None:
        score, question_id = after
        stmt = stmt.where(
            or_(scores.c.score > score, and_(scores.c.score == score, Question.id < question_id))
        )
    stmt = stmt.order_by(scores.c.score, Question.id.desc()).limit(size + 1)
    return db.session.execute(stmt).all()


def _thread_matches(rows, terms, dialect, prefs):
    """For each question that matched only in its thread, the newest matching perspective
    this reader's choices do not hide (none, when they hide every one: then the question is
    left out, and counted)."""
    ids = [row.answer_id for row in rows if not row.in_question and row.answer_id]
    if not ids:
        return {}
    answers = db.session.scalars(select(Answer).where(Answer.id.in_(ids)))
    shown = {a.question_id: a for a in answers if not prefs.hides(a)}
    hidden = [row.Question.id for row in rows if row.answer_id in ids]
    hidden = [question_id for question_id in hidden if question_id not in shown]
    if hidden:  # an older matching perspective may be one they do not hide
        for answer in db.session.scalars(index.answers_matching(terms, dialect, hidden)):
            if answer.question_id not in shown and not prefs.hides(answer):
                shown[answer.question_id] = answer
    return shown


def _result(question, post, terms, prefs):
    title = excerpts.marked(question.title, terms.words)
    if post.is_noted and not prefs.opens(post):
        return Result(question, None, post, post is not question, title)
    text = excerpts.excerpt(folding.shown_text(post.body_html), terms.words)
    return Result(question, text, None, post is not question, title)


def search(terms, prefs, topic=None, after=None, size=20):
    """One page of up to `size` Results for `terms` (app.search.terms.Terms, not empty),
    optionally within `topic`, after the `cursor` given. Reads only; commits nothing.

    A question the reader's choices hide is left out and counted; so is one that matched
    only in its thread, when the reader's choices hide every matching perspective.
    """
    dialect = db.session.get_bind().dialect.name
    rows = _page(terms, dialect, topic, after, size)
    more = len(rows) > size
    rows = rows[:size]
    kept = [row for row in rows if not prefs.hides(row.Question)]
    in_threads = _thread_matches(kept, terms, dialect, prefs)
    found = []
    for row in kept:
        post = row.Question if row.in_question else in_threads.get(row.Question.id)
        if post is not None:
            found.append(_result(row.Question, post, terms, prefs))
    last = rows[-1] if more else None
    return Results(
        found, len(rows) - len(found), _cursor_text(last.score, last.Question.id) if last else None
    )
