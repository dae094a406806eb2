"""GET-only JSON. Nothing here is more than a signed-out visitor can read on the site."""

from flask import Blueprint, jsonify, url_for
from sqlalchemy import select

from app.accounts.identity import shown_as
from app.core.time import iso
from app.questions import queries
from app.readers.titles import title_for
from app.topics.models import Topic
from app.web.extensions import db

bp = Blueprint("api", __name__)


def _notes(post):
    return {
        "content_notes": [note.slug for note in post.content_notes],
        "content_note_other": post.content_note_other or None,
    }


@bp.get("/topics")
def topics():
    rows = db.session.scalars(select(Topic).order_by(Topic.position)).all()
    return jsonify(
        topics=[
            {
                "slug": topic.slug,
                "name": topic.name,
                "description": topic.description,
                "url": url_for("topics.show", slug=topic.slug, _external=True),
            }
            for topic in rows
        ]
    )


@bp.get("/questions/<id:question_id>")
def question(question_id):
    q = queries.question_or_404(question_id)
    answers = queries.answers_for(q)
    return jsonify(
        id=q.id,
        url=url_for("questions.show", question_id=q.id, _external=True),
        topic=q.topic.slug,
        title=title_for(q).text,
        by="anonymous" if q.is_deleted else shown_as(q),
        body_html=q.body_html,
        removed_by_author=q.is_deleted,
        replies_closed=q.replies_closed,
        created_at=iso(q.created_at),
        edited_at=iso(q.edited_at),
        perspective_count=q.perspective_count,  # the asker's replies are not perspectives
        **_notes(q),
        perspectives=[
            {
                "id": a.id,
                "kind": a.kind,
                "by": shown_as(a),
                "body_html": a.body_html,
                "created_at": iso(a.created_at),
                "edited_at": iso(a.edited_at),
                **_notes(a),
            }
            for a in answers
        ],
    )
