"""Asking, reading a question, and answering it."""

import secrets
from datetime import UTC, datetime

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from app.accounts.identity import current_author, remember_choice, remembered_choice
from app.core.forms import refusal_on
from app.core.refused import Refused
from app.questions import fresh, member_copy, queries, repeats, services, thread
from app.questions.forms import AnswerForm, AskForm, offered
from app.questions.kinds import PERSPECTIVE_KINDS
from app.questions.pace import SlowMode
from app.readers.prefs import current_prefs
from app.web.headers import no_store
from app.web.intake import long_form
from app.web.pagecache import cached
from app.web.ratelimit import limit, limiter, posted, posting_cost, stored_nothing

bp = Blueprint("questions", __name__)


@bp.route("/ask", methods=["GET", "POST"])
@limiter.limit(limit("ASK_RATE_LIMIT"), methods=["POST"], deduct_when=posted,
               cost=posting_cost("ASK_RATE_LIMIT"))  # fmt: skip
@long_form
def ask():
    """Ask a question, with no account needed."""
    form = offered(AskForm(), topics=True)
    if request.method == "GET":
        form.topic.data = request.args.get("topic", "")
        form.as_.data = remembered_choice(form.topic.data)
        return render_template("questions/ask.html", form=form)
    if not form.validate_on_submit():
        return render_template("questions/ask.html", form=form), 400
    fields = form.fields_for_service()
    topic = fields.pop("topic")
    once = repeats.this_sending()
    author = current_author(form.as_.data)
    remember_choice(topic.slug, form.as_.data)
    try:
        posted = services.ask(topic, author, fields, once=once, along=fresh.hand_over)
    except Refused as refusal:
        refused = refusal_on(form, refusal)
        return render_template("questions/ask.html", form=form, refusal=refused), 409
    if posted.repeat:
        stored_nothing()
    flash("Your question is posted.", "posted")
    return redirect(url_for(".show", question_id=posted.post.id), code=303)


# The reading choices a question page offers; any other value is rendered, never kept.
_READS = {"kind": ("", *PERSPECTIVE_KINDS), "order": queries.ORDERS, "notes": ("all",)}


@bp.get("/q/<id:question_id>")
@cached(reads=_READS, members=member_copy.member_copy)
def show(question_id):
    """A question and its perspectives."""
    question = queries.question_or_404(question_id)
    form = offered(AnswerForm())
    form.as_.data = remembered_choice(question.topic.slug)
    return render_question(question, form)


@bp.post("/q/<id:question_id>/answers")
@limiter.limit(limit("ANSWER_RATE_LIMIT"), deduct_when=posted,
               cost=posting_cost("ANSWER_RATE_LIMIT"))  # fmt: skip
@long_form
def answer(question_id):
    """Add one perspective to a question."""
    question = queries.question_or_404(question_id)
    form = offered(AnswerForm())
    if not form.validate_on_submit():
        return render_question(question, form), 400
    try:
        author, once = current_author(form.as_.data), repeats.this_sending()
        remember_choice(question.topic.slug, form.as_.data)
        fields = form.fields_for_service()
        posted = services.answer(question, author, fields, once=once, along=fresh.hand_over)
        if posted.repeat:
            stored_nothing()
    except SlowMode as refusal:
        page = render_question(question, form, refusal=str(refusal))
        return page, 429, {"Retry-After": str(refusal.seconds)}
    except Refused as refusal:
        return render_question(question, form, refusal=refusal_on(form, refusal)), 409
    flash("Your perspective is posted.", "posted")
    # A new keeper link is the one thing that must not be scrolled past.
    anchor = "keeper-heading" if posted.keeper_token else f"answer-{posted.post.id}"
    return redirect(url_for(".show", question_id=question.id, _anchor=anchor), code=303)


@bp.get("/q/<id:question_id>/answers")
def back_to_question(question_id):
    """Reloading after a refused perspective leads back to the question, not to a 405."""
    return redirect(url_for(".show", question_id=question_id), code=303)


def _shuffle_seed(question):
    """Stable for one reader for a day, so a refresh does not reshuffle."""
    seed = session.setdefault("reader_seed", secrets.token_hex(8))
    return f"{seed}:{question.id}:{datetime.now(UTC).date()}"


def _reads_anyway():
    """Someone who wrote in a thread, or is sending words to it now, has already chosen to
    read it: a refused perspective comes back with its words, never behind the hide screen.
    This is the part of that rule that needs no post loaded."""
    return request.method == "POST" or request.args.get("notes") == "all"


def reading_view(question, keeper_seen=None):
    """What a reader sees of a question's answers: chosen kind, order, and what prefs leave out."""
    kind = request.args.get("kind", "")
    kind = kind if kind in PERSPECTIVE_KINDS else ""
    order = request.args.get("order", "oldest")
    order = order if order in queries.ORDERS else "oldest"
    answers = queries.answers_for(question, kind=kind or None)
    if order == "shuffle":
        answers = queries.shuffled(answers, _shuffle_seed(question))
    prefs = current_prefs()
    shown_anyway = _reads_anyway() or any(prefs.owns(a) for a in answers)
    left_out = 0
    if request.args.get("notes") != "all":
        answers, left_out = prefs.leave_out(answers)
    return {
        "answers": answers,
        "kind": kind,
        "order": order,
        "left_out": left_out,
        "kinds": PERSPECTIVE_KINDS,
        "keeper_seen": keeper_seen,
        "shown_anyway": shown_anyway,
    }


def render_question(question, form, refusal=None):
    """The question page; a keeper link just made here is shown once, with its post."""
    keeper_link = fresh.take(question.id)
    if keeper_link:
        current_prefs().claim(keeper_link["kind"], keeper_link["id"])
    if thread.is_shared(question):  # nothing in it is this reader's own
        perspectives = thread.kept(question, lambda: reading_view(question))
        shown_anyway = _reads_anyway()
    else:
        view = reading_view(question)
        perspectives, shown_anyway = thread.rendered(question, view), view["shown_anyway"]
    response = make_response(
        render_template(
            "questions/show.html",
            question=question,
            form=form,
            refusal=refusal,
            fresh_keeper=keeper_link,
            thread=perspectives,
            shown_anyway=shown_anyway,
        )
    )
    if keeper_link:
        no_store(response)  # a shared device keeps no copy of the keeper link
    return response
