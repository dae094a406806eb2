"""Browsing topics and the questions in each, newest first, paged by id."""

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from app.core.urls import id_arg
from app.questions import queries
from app.readers.prefs import current_prefs
from app.topics.models import Topic
from app.topics.queries import all_topics
from app.web.extensions import db
from app.web.pagecache import cached

bp = Blueprint("topics", __name__)


@bp.get("/topics")
@cached
def index():
    """Every topic, with how many questions it holds."""
    counts = queries.question_counts()
    return render_template("topics/index.html", topics=all_topics(), counts=counts)


@bp.get("/t/<slug>")
@cached(reads=("before",))
def show(slug):
    """One topic's questions, newest first; `before` pages to older ones."""
    topic = db.first_or_404(select(Topic).where(Topic.slug == slug))
    before = id_arg("before")
    size = current_app.config["PAGE_SIZE"]
    page = queries.latest(size + 1, before=before, topic=topic)
    older = page[size - 1].id if len(page) > size else None
    questions, left_out = current_prefs().leave_out(page[:size])
    return render_template(
        "topics/show.html", topic=topic, questions=questions, left_out=left_out, older=older
    )
