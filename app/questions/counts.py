"""How many perspectives a question shows, kept on the question for lists and pages.

Only other people's perspectives count (the asker's own replies are not answers), and
only those readers can see: a hidden, collapsed or suspended author's perspective is not
counted while it is away. A new perspective adds one in SQL (`ONE_MORE`), so two people
answering together are both counted; anything that changes what readers see recounts.
"""

from sqlalchemy import func, select, update

from app.questions.models import Answer, Question
from app.questions.visibility import visible
from app.web.extensions import db

# A question's count, one more, in SQL (built once: every perspective posted assigns it).
ONE_MORE = Question.perspective_count + 1


def recount_question(question_id):
    """Set a question's count to what readers can see now, in the caller's transaction."""
    counted = select(func.count(Answer.id)).where(Answer.by_asker.is_(False))
    counted = visible(counted, Answer, within=question_id).scalar_subquery()
    db.session.execute(
        update(Question).where(Question.id == question_id).values(perspective_count=counted)
    )


def recount(post):
    """Keep the perspective count of an answer's question true to what readers see, in the
    caller's transaction, after something changed whether the answer is shown (hiding,
    restoring, moderation collapsing it pending review, or ending that). Nothing for a
    question."""
    if isinstance(post, Answer):
        recount_question(post.question_id)


def recount_posts_of(pseudonym_id):
    """Recount every thread the pseudonym's perspectives are in, in the caller's
    transaction (a suspension starting or lifted changes what readers see)."""
    holder = Answer.pseudonym_id == pseudonym_id
    for question_id in db.session.scalars(select(Answer.question_id).where(holder).distinct()):
        recount_question(question_id)
