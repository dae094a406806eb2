"""Settings any reader can change without an account."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from app.core.forms import ConfirmForm
from app.readers.prefs import CHOICES, ReaderPrefs, save
from app.readers.shown import note_choices
from app.topics.queries import all_notes
from app.web.headers import private
from app.web.ratelimit import limit, limiter

bp = private(Blueprint("readers", __name__))  # a reader's own choices


@bp.route("/settings/content-notes", methods=["GET", "POST"])
@limiter.limit(limit("SETTINGS_RATE_LIMIT"), methods=["POST"])
def content_notes():
    """Choose, per content note, to show, collapse or hide; and discreet page titles."""
    form = ConfirmForm()
    rows = note_choices(all_notes())
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
