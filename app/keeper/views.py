"""Managing one post: by keeper link (/keep/<token>) or, signed in, as its author (/mine/...)."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from app.accounts.identity import Author
from app.core.forms import ConfirmForm
from app.core.time import local_day
from app.core.urls import is_preview
from app.keeper.steward import steward_or_404
from app.keeper.told import told
from app.questions import fresh, keeper_links, queries, repeats
from app.questions import services as posts
from app.questions.forms import EditAnswerForm, EditQuestionForm, ReplyForm, offered
from app.questions.views import reading_view
from app.web.errors import refuse
from app.web.headers import private
from app.web.intake import long_form
from app.web.ratelimit import limit, limiter, posted, stored_nothing

bp = private(Blueprint("keeper", __name__))  # keeper links, feeds and /mine pages
keeper_limit = limiter.limit(limit("KEEPER_RATE_LIMIT"), methods=["POST"], deduct_when=posted)
BY_LINK = "/keep/<token>"
BY_ACCOUNT = "/mine/<kind>/<id:post_id>"


def managed(rule, **options):
    """Register a view at the same path under a keeper link and under the author's account."""

    def register(view):
        bp.add_url_rule(BY_LINK + rule, view_func=view, **options)
        bp.add_url_rule(BY_ACCOUNT + rule, view_func=view, **options)
        return view

    return register


def _home(steward):
    return redirect(steward.url(".show"), code=303)


@managed("", methods=["GET"])
def show(**where):
    """The author's own page for one question or answer."""
    steward = steward_or_404(**where)
    previous_visit = steward.keeper.last_seen_at if steward.keeper else None
    if steward.keeper and not is_preview():
        keeper_links.mark_seen(steward.keeper)
    return page(steward, keeper_seen=previous_visit)


def page(steward, sent=None, keeper_seen=None):
    """The author's page for the steward's post; `sent`, a form about a moderator's
    decision that could not be taken, is shown again with its words and errors."""
    if steward.answer is not None:
        return render_template(
            "keeper/answer.html",
            steward=steward,
            form=ConfirmForm(),
            links=_links(steward),
            told=told(steward, sent),
        )
    return _question_page(steward, offered(ReplyForm()), keeper_seen=keeper_seen, sent=sent)


def _question_page(steward, reply_form, keeper_seen=None, sent=None):
    question = steward.question
    feed = steward.token and keeper_links.feed_token(steward.token)
    return render_template(
        "keeper/question.html",
        steward=steward,
        question=question,
        form=reply_form,
        confirm=ConfirmForm(),
        feed_url=feed and url_for("keeper.feed", feed=feed, _external=True),
        links=_links(steward),
        told=told(steward, sent),
        **reading_view(question, keeper_seen=keeper_seen),
    )


def _links(steward):
    """What the page offers for keeper links: swap this one, or retire an old one."""
    if steward.token:
        return "swap"
    return "retire" if keeper_links.has_link(steward.post) else None


def _edit_form(post):
    if post.is_deleted:
        refuse(409, str(posts.AlreadyDeleted()))  # one wording, the service's
    notes = [note.slug for note in post.content_notes]
    data = {"body": post.body_source, "content_notes": notes,
            "content_note_other": post.content_note_other}  # fmt: skip
    if hasattr(post, "title"):
        data.update(title=post.title, topic=post.topic.slug)
        return offered(EditQuestionForm(data=data), topics=True)
    data["kind"] = post.kind or ""
    return offered(EditAnswerForm(data=data))


@managed("/edit", methods=["GET", "POST"])
@keeper_limit
@long_form
def edit(**where):
    """Change the words, notes (and for a question, title and topic) of one post."""
    steward = steward_or_404(**where)
    form = _edit_form(steward.post)
    if request.method == "POST" and form.validate_on_submit():
        if steward.question is not None:
            posts.edit_question(steward.post, form.fields_for_service())
        else:
            posts.edit_answer(steward.post, form.fields_for_service())
        flash("Your changes are saved. The post now says it was edited.", "posted")
        return _home(steward)
    status = 400 if request.method == "POST" else 200
    return render_template("keeper/edit.html", form=form, steward=steward), status


@managed("/replies", methods=["POST"])
@keeper_limit
@long_form
def reply(**where):
    """The asker adds to their own thread, labelled "the asker"."""
    steward = steward_or_404(**where)
    if steward.question is None:
        abort(404)
    form = offered(ReplyForm())
    if not form.validate_on_submit():
        return _question_page(steward, form), 400
    try:
        once = repeats.this_sending()
        fields = form.fields_for_service()
        if posts.answer(steward.question, Author(), fields, by_asker=True, once=once).repeat:
            stored_nothing()
    except posts.Refused as refusal:
        refuse(409, str(refusal))
    flash("Your reply is posted, labelled \u201cthe asker\u201d.", "posted")
    return _home(steward)


@managed("/replies", methods=["GET"], endpoint="reply_again")
@managed("/replies-closed", methods=["GET"], endpoint="close_again")
def back_to_page(**where):
    """Reloading the address a form posted to leads back to the keeper page."""
    return _home(steward_or_404(**where))


@managed("/replies/<id:answer_id>/delete", methods=["POST"])
@keeper_limit
def delete_reply(answer_id, **where):
    """The asker removes one of their own replies."""
    steward = steward_or_404(**where)
    thread = queries.answers_for(steward.question) if steward.question else []
    reply = next((a for a in thread if a.by_asker and a.id == answer_id), None)
    if reply is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    posts.delete_answer(reply)
    flash("Your reply is deleted.")
    return _home(steward)


@managed("/replies-closed", methods=["POST"])
@keeper_limit
def close(**where):
    """Close the question to new perspectives, or open it again."""
    steward = steward_or_404(**where)
    if steward.question is None or not ConfirmForm().validate_on_submit():
        abort(400)
    closed = request.form.get("closed") == "yes"
    try:
        posts.set_replies_closed(steward.question, closed)
    except posts.Refused as refusal:
        refuse(409, str(refusal))
    flash("Replies are closed." if closed else "Replies are open again.")
    return _home(steward)


@managed("/delete", methods=["GET", "POST"])
@keeper_limit
def delete(**where):
    """Remove the post's words for good, after a confirmation step."""
    steward = steward_or_404(**where)
    form = ConfirmForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template("keeper/delete.html", form=form, steward=steward), status
    if steward.question is not None:
        posts.delete_question(steward.post)
        flash("Your question is deleted, with any replies you added. Kettle keeps no copy.")
    else:
        posts.delete_answer(steward.post)
        flash("Your perspective is deleted. Kettle keeps no copy.")
    return _home(steward)


@bp.post("/keep/<token>/new-link")
@keeper_limit
def new_link(token):
    """Swap this keeper link for a new one, shown once on the question's page like the first."""
    steward = steward_or_404(token=token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    keeper_links.replace(
        steward.keeper, along=lambda new: fresh.hand_over(posts.Posted(steward.post, new))
    )
    question_id = steward.question.id if steward.question else steward.answer.question_id
    flash("Your old keeper link no longer works. Here is the new one.", "posted")
    return redirect(
        url_for("questions.show", question_id=question_id, _anchor="keeper-heading"), 303
    )


@bp.post(BY_ACCOUNT + "/retire-link")
@keeper_limit
def retire_link(kind, post_id):
    """Retire the keeper link of a post now kept in the signed-in person's account."""
    steward = steward_or_404(kind=kind, post_id=post_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    keeper_links.retire(steward.post)
    flash("The old keeper link no longer works. You manage this post from your account.")
    return _home(steward)


@bp.get("/keep/<token>/kettle-link.txt")
def note(token):
    """A small text file holding the keeper link, for keeping without JavaScript."""
    steward = steward_or_404(token=token)
    post = steward.post
    what = f"question in {post.topic.name}" if steward.question else "perspective"
    link = url_for(".show", token=token, _external=True)
    posted_on = local_day(post.created_at, current_app.config["TIMEZONE"])
    body = (
        f"Your Kettle keeper link for your {what}, posted {posted_on}\n\n"
        f"{link}\n\n"
        "Anyone with this link can edit or delete your post. Keep it private.\n"
    )
    disposition = 'attachment; filename="kettle-link.txt"'
    return Response(body, mimetype="text/plain", headers={"Content-Disposition": disposition})


@bp.get("/feed/<feed>")
def feed(feed):
    """A private Atom feed of new perspectives on one question."""
    keeper = keeper_links.find_by_feed(feed)
    if keeper is None or keeper.question is None:
        abort(404)
    question = keeper.question
    answers = [a for a in queries.answers_for(question) if not a.by_asker][-50:]
    xml = render_template("keeper/feed.xml", question=question, answers=answers, feed=feed)
    return Response(xml, mimetype="application/atom+xml")
