"""/coordinate: a coordinator's tools. Who holds the moderator role, the topics and
content notes on the curated lists, and measures for a while during a raid.

Coordinators only (`requires("coordinator")`): anyone else signed in gets the kind 403
page, and a signed-out visitor is asked to sign in. Every change is a POST with a CSRF
token, writes its line in the public moderation log in the same transaction (the
services in app.moderation.coordinating and app.moderation.raids), and words a form
could not take come back on it, with nothing changed. No response here is stored.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from app.accounts.access import requires
from app.core.forms import ConfirmForm, refusal_on
from app.core.refused import Refused
from app.moderation import coordinating, raids
from app.moderation.coordinate_forms import (
    CollapseForm,
    NoteForm,
    PauseForm,
    RoleForm,
    TightenForm,
    TopicForm,
)
from app.moderation.moderate_forms import whole_or_none
from app.topics import measures
from app.topics.models import ContentNote, Topic
from app.topics.queries import all_notes, all_topics
from app.web.errors import refuse
from app.web.extensions import db
from app.web.headers import private

bp = private(Blueprint("coordinate", __name__, url_prefix="/coordinate"))


def _tried(form, change, status=409):
    """Run `change()` (a service call that commits); on Refused, roll back and put its words
    on the form. Returns (result, None) when done, or (None, status) when refused."""
    try:
        return change(), None
    except Refused as refusal:
        db.session.rollback()
        form.refusal = refusal_on(form, refusal)
        return None, status


def _page(template, status=200, **context):
    return render_template(f"coordinate/{template}", **context), status


@bp.get("")
@requires("coordinator")
def index(account):
    """The overview: each tool, and every raid measure running now with a button to lift it."""
    return _page("index.html", running=measures.running())


# People -------------------------------------------------------------------------------


def _people(form, status=200):
    return _page("people.html", status, form=form, moderators=coordinating.moderators())


@bp.route("/people", methods=["GET", "POST"])
@requires("coordinator")
def people(account):
    """Give or take away the moderator role by login name; each change is logged without
    naming whose role it was. Taking it away ends their shift and sessions at once."""
    form = RoleForm()
    if not form.validate_on_submit():
        return _people(form, 400 if form.is_submitted() else 200)
    give = form.change.data == "give"
    change = coordinating.give_moderator_role if give else coordinating.take_moderator_role
    changed, status = _tried(form, lambda: change(form.handle.data, account))
    if status:
        return _people(form, status)
    if give:
        flash("They now hold the moderator role." if changed else
              "They already held the moderator role, so nothing changed.")  # fmt: skip
    else:
        flash("The moderator role is taken away; their shift and sessions have ended." if changed
              else "They did not hold the moderator role, so nothing changed.")  # fmt: skip
    return redirect(url_for(".people"), code=303)


@bp.post("/people/<id:account_id>/take")
@requires("coordinator")
def take_role(account, account_id):
    """Take the moderator role from someone on the list (by account, never login name);
    logged without naming whose role it was; their shift and sessions end at once."""
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    if coordinating.take_moderator_role_from(account_id, account):
        flash("The moderator role is taken away; their shift and sessions have ended.")
    else:
        flash("They did not hold the moderator role, so nothing changed.")
    return redirect(url_for(".people"), code=303)


# Topics and content notes -------------------------------------------------------------


@bp.route("/topics", methods=["GET", "POST"])
@requires("coordinator")
def topics(account):
    """Every topic, each with a link to edit it, and a form to add one; adding is logged."""
    form = TopicForm()
    if form.validate_on_submit():
        topic, status = _tried(form, lambda: coordinating.add_topic(
            form.name.data, form.description.data, account))  # fmt: skip
        if topic is not None:
            flash(f"\u201c{topic.name}\u201d is added at the end of the list of topics.")
            return redirect(url_for(".topics"), code=303)
    else:
        status = 400 if form.is_submitted() else 200
    return _page("topics.html", status, form=form, topics=all_topics())


@bp.route("/topics/<id:topic_id>", methods=["GET", "POST"])
@requires("coordinator")
def topic(account, topic_id):
    """Rename a topic or change its description; its address stays the same. Logged."""
    topic = db.session.get(Topic, topic_id) or abort(404)
    form = TopicForm(data={"name": topic.name, "description": topic.description})
    if form.validate_on_submit():
        changed, status = _tried(form, lambda: coordinating.edit_topic(
            topic, form.name.data, form.description.data, account))  # fmt: skip
        if changed is not None:
            flash("The topic is saved." if changed else "It was the same, so nothing changed.")
            return redirect(url_for(".topics"), code=303)
    else:
        status = 400 if form.is_submitted() else 200
    return _page("topic.html", status, form=form, topic=topic)


@bp.route("/content-notes", methods=["GET", "POST"])
@requires("coordinator")
def notes(account):
    """Every content note, each with a link to rename it, and a form to add one. Logged."""
    form = NoteForm()
    if form.validate_on_submit():
        note, status = _tried(form, lambda: coordinating.add_note(form.label.data, account))
        if note is not None:
            flash(f"\u201c{note.label}\u201d is added at the end of the content notes.")
            return redirect(url_for(".notes"), code=303)
    else:
        status = 400 if form.is_submitted() else 200
    return _page("notes.html", status, form=form, notes=all_notes())


@bp.route("/content-notes/<id:note_id>", methods=["GET", "POST"])
@requires("coordinator")
def note(account, note_id):
    """Rename a content note; readers' choices and noted posts keep it. Logged."""
    note = db.session.get(ContentNote, note_id) or abort(404)
    form = NoteForm(data={"label": note.label})
    if form.validate_on_submit():
        changed, status = _tried(form, lambda: coordinating.rename_note(
            note, form.label.data, account))  # fmt: skip
        if changed is not None:
            flash("The content note is renamed." if changed else
                  "That is its name already, so nothing changed.")  # fmt: skip
            return redirect(url_for(".notes"), code=303)
    else:
        status = 400 if form.is_submitted() else 200
    return _page("note.html", status, form=form, note=note)


# Raid measures ------------------------------------------------------------------------


def _raid(status=200, **forms):
    forms = {"pause": PauseForm(formdata=None), "tighten": TightenForm(formdata=None),
             "collapse": CollapseForm(formdata=None), **forms}  # fmt: skip
    # `refusal` marks the page title as an error when one of its forms was sent back.
    return _page("raid.html", status, running=measures.running(), refusal=status >= 400,
                 **forms)  # fmt: skip


@bp.get("/raid")
@requires("coordinator")
def raid(account):
    """The three measures a coordinator can set for a while during a raid."""
    return _raid()


def _setting(name, form, change, said):
    """Set one measure from `form`; the raid page with the form's words when refused."""
    if not form.validate_on_submit():
        return _raid(400, **{name: form})
    measure, status = _tried(form, change)
    if status:
        return _raid(status, **{name: form})
    flash(f"{said} It is in the public moderation log, and ends by itself at its time.")
    return redirect(url_for(".index", _anchor=f"measure-{measure.id}"), code=303)


@bp.post("/raid/pause")
@requires("coordinator")
def pause(account):
    """Pause new questions in one topic for 1, 6 or 24 hours; logged."""
    form = PauseForm()
    topic = next((t for t in all_topics() if t.slug == form.topic.data), None)
    hours = whole_or_none(form.hours.data)
    return _setting("pause", form, lambda: raids.pause_questions(topic, hours, account),
                    "New questions in that topic are paused.")  # fmt: skip


@bp.post("/raid/tighten")
@requires("coordinator")
def tighten(account):
    """Divide the limits on asking and answering by 2 or 4 for a while; logged."""
    form = TightenForm()
    factor, hours = whole_or_none(form.factor.data), whole_or_none(form.hours.data)
    return _setting("tighten", form, lambda: raids.tighten_limits(factor, hours, account),
                    "The limits on asking and answering are tightened.")  # fmt: skip


@bp.post("/raid/collapse")
@requires("coordinator")
def collapse(account):
    """Lower how many reports fold a post away out of hours, for a while; logged."""
    form = CollapseForm()
    threshold, hours = whole_or_none(form.threshold.data), whole_or_none(form.hours.data)
    return _setting("collapse", form, lambda: raids.lower_collapse(threshold, hours, account),
                    "Fewer reports now fold a post away while nobody is on shift.")  # fmt: skip


@bp.post("/raid/<id:measure_id>/lift")
@requires("coordinator")
def lift(account, measure_id):
    """End a running measure now, earlier than planned; logged."""
    if not ConfirmForm().validate_on_submit():
        refuse(400, "Nothing was changed.")
    try:
        raids.lift(measure_id, account)
    except Refused as refusal:
        db.session.rollback()
        flash(str(refusal))
    else:
        flash("The measure is lifted. It is in the public moderation log.")
    return redirect(url_for(".index"), code=303)
