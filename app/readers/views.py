"""Settings any reader can change without an account."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.core.forms import ConfirmForm
from app.readers.prefs import CHOICES, OWN_WORDS, ReaderPrefs, save
from app.topics.models import ContentNote
from app.web.extensions import db
from app.web.headers import private
from app.web.ratelimit import limit, limiter

bp = private(Blueprint("readers", __name__))  # a reader's own choices

OWN_WORDS_LABEL = "Notes in the author's own words"


def _note_rows():
    notes = db.session.scalars(select(ContentNote).order_by(ContentNote.position)).all()
    return [(note.slug, note.label) for note in notes] + [(OWN_WORDS, OWN_WORDS_LABEL)]


@bp.route("/settings/content-notes", methods=["GET", "POST"])
@limiter.limit(limit("SETTINGS_RATE_LIMIT"), methods=["POST"])
def content_notes():
    """Choose, per content note, to show, collapse or hide; and discreet page titles."""
    form = ConfirmForm()
    rows = _note_rows()
    if request.method == "GET":
        return render_template("readers/content_notes.html", form=form, rows=rows)
    if not form.validate_on_submit():
        abort(400)
    notes = {}
    for slug, _label in rows:
        choice = request.form.get(f"note-{slug}", "collapse")
        if choice not in CHOICES:
            abort(400)
        notes[slug] = choice
    prefs = ReaderPrefs(notes=notes, discreet_titles=request.form.get("discreet_titles") == "on")
    flash("Your choices are saved.")
    return save(redirect(url_for(".content_notes"), code=303), prefs)
