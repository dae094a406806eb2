"""/keep/<token>: everything an author without an account can do with their post."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from app.accounts.identity import Author
from app.core.errors import refuse
from app.core.forms import ConfirmForm
from app.core.ratelimit import limit
from app.extensions import limiter
from app.keeper import services
from app.questions import queries
from app.questions import services as posts
from app.questions.forms import EditAnswerForm, EditQuestionForm, offered
from app.questions.views import reading_view

bp = Blueprint("keeper", __name__)

UNKNOWN_LINK = (
    "This keeper link does not match any post on Kettle. Please check it was copied whole. "
    "Nobody, not even the people who run Kettle, can look a keeper link up for you."
)
keeper_limit = limiter.limit(limit("KEEPER_RATE_LIMIT"), methods=["POST"])


def _keeper(token):
    keeper = services.find(token)
    if keeper is None:
        refuse(404, UNKNOWN_LINK)
    return keeper


def _home(token):
    return redirect(url_for(".show", token=token), code=303)


@bp.get("/keep/<token>")
def show(token):
    """The author's own page for one question or answer."""
    keeper = _keeper(token)
    previous_visit = services.mark_seen(keeper)
    if keeper.answer is not None:
        return render_template("keeper/answer.html", keeper=keeper, token=token, form=ConfirmForm())
    question = keeper.question
    return render_template(
        "keeper/question.html",
        keeper=keeper,
        token=token,
        question=question,
        form=offered(EditAnswerForm()),
        confirm=ConfirmForm(),
        feed_url=url_for(".feed", feed=services.feed_token(token), _external=True),
        **reading_view(question, keeper_seen=previous_visit),
    )


def _edit_form(post):
    if post is None or post.is_deleted:
        refuse(409, "This was removed, so there is nothing left to edit.")
    notes = [note.slug for note in post.content_notes]
    data = {"body": post.body_source, "content_notes": notes,
            "content_note_other": post.content_note_other}  # fmt: skip
    if hasattr(post, "title"):
        data.update(title=post.title, topic=post.topic.slug)
        return offered(EditQuestionForm(data=data), topics=True)
    data["kind"] = post.kind
    return offered(EditAnswerForm(data=data))


@bp.route("/keep/<token>/edit", methods=["GET", "POST"])
@keeper_limit
def edit(token):
    """Change the words, notes (and for a question, title and topic) of one post."""
    keeper = _keeper(token)
    post = keeper.question or keeper.answer
    form = _edit_form(post)
    if request.method == "GET":
        return render_template("keeper/edit.html", form=form, token=token, post=post)
    if not form.validate_on_submit():
        return render_template("keeper/edit.html", form=form, token=token, post=post), 400
    if keeper.question is not None:
        posts.edit_question(post, form.fields_for_service())
    else:
        posts.edit_answer(post, form.fields_for_service())
    flash("Your changes are saved. The post now says it was edited.")
    return _home(token)


@bp.post("/keep/<token>/replies")
@keeper_limit
def reply(token):
    """The asker adds to their own thread, labelled "the asker"."""
    keeper = _keeper(token)
    if keeper.question is None:
        abort(404)
    form = offered(EditAnswerForm())
    if not form.validate_on_submit():
        flash("Your reply was not posted: please write something (and check its length).")
        return _home(token)
    try:
        posts.answer(keeper.question, Author(), form.fields_for_service(), by_asker=True)
    except posts.Refused as refusal:
        refuse(409, str(refusal))
    flash("Your reply is posted, labelled \u201cthe asker\u201d.")
    return _home(token)


@bp.post("/keep/<token>/replies/<int:answer_id>/delete")
@keeper_limit
def delete_reply(token, answer_id):
    """The asker removes one of their own replies."""
    keeper = _keeper(token)
    replies = (
        [a for a in queries.answers_for(keeper.question) if a.by_asker] if keeper.question else []
    )
    reply = next((a for a in replies if a.id == answer_id), None)
    if reply is None or not ConfirmForm().validate_on_submit():
        abort(404 if reply is None else 400)
    posts.delete_answer(reply)
    flash("Your reply is removed.")
    return _home(token)


@bp.post("/keep/<token>/replies-closed")
@keeper_limit
def close(token):
    """Close the question to new perspectives, or open it again."""
    keeper = _keeper(token)
    if keeper.question is None or not ConfirmForm().validate_on_submit():
        abort(400)
    closed = request.form.get("closed") == "yes"
    try:
        posts.set_replies_closed(keeper.question, closed)
    except posts.Refused as refusal:
        refuse(409, str(refusal))
    flash("Replies are closed." if closed else "Replies are open again.")
    return _home(token)


@bp.route("/keep/<token>/delete", methods=["GET", "POST"])
@keeper_limit
def delete(token):
    """Remove the post's words for good, after a confirmation step."""
    keeper = _keeper(token)
    post = keeper.question or keeper.answer
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template("keeper/delete.html", form=form, token=token, post=post), status
    if keeper.question is not None:
        posts.delete_question(post)
    else:
        posts.delete_answer(post)
    flash("It is removed. Nothing of what you wrote is kept.")
    return _home(token)


@bp.get("/keep/<token>/kettle-link.txt")
def note(token):
    """A small text file holding the keeper link, for keeping without JavaScript."""
    _keeper(token)
    link = url_for(".show", token=token, _external=True)
    body = (
        "Your Kettle keeper link\n\n"
        f"{link}\n\n"
        "Anyone with this link can edit or delete your post. Keep it private.\n"
    )
    return Response(
        body,
        mimetype="text/plain",
        headers={"Content-Disposition": 'attachment; filename="kettle-link.txt"'},
    )


@bp.get("/feed/<feed>")
def feed(feed):
    """A private Atom feed of new perspectives on one question."""
    keeper = services.find_by_feed(feed)
    if keeper is None or keeper.question is None:
        abort(404)
    question = keeper.question
    answers = queries.answers_for(question)[-50:]
    xml = render_template("keeper/feed.xml", question=question, answers=answers, feed=feed)
    return Response(xml, mimetype="application/atom+xml")
