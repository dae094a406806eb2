"""GET-only JSON. Nothing here is more than a signed-out visitor can read on the site."""

from flask import Blueprint, jsonify, url_for

from app.questions import queries
from app.questions.records import post_record
from app.readers.shown import shown_name
from app.readers.titles import title_for
from app.topics.queries import all_topics
from app.web.pagecache import cached

bp = Blueprint("api", __name__)


def _as_read(post):
    """The shared record, with the name and words any reader sees: no words of a post
    whose page opens only to say they are gone or away, and no name for one moderators
    took away (hidden, or collapsed pending review)."""
    record = {**post_record(post), "by": shown_name(post), "body_html": post.body_html}
    if not post.is_visible:
        record.update(body_html="", content_note_other=None)
    if post.is_hidden or post.is_collapsed:  # nor whose words moderators took away
        record["by"] = None
    return record


@bp.get("/topics")
def topics():
    return jsonify(
        topics=[
            {
                "slug": topic.slug,
                "name": topic.name,
                "description": topic.description,
                "url": url_for("topics.show", slug=topic.slug, _external=True),
            }
            for topic in all_topics()
        ]
    )


@bp.get("/questions/<id:question_id>")
@cached
def question(question_id):
    q = queries.question_or_404(question_id)
    answers = queries.answers_for(q)
    return jsonify(
        **_as_read(q),
        url=url_for("questions.show", question_id=q.id, _external=True),
        title=title_for(q).text,
        removed_by_author=q.is_deleted,
        collapsed_pending_review=q.is_collapsed,
        hidden_by_moderator=q.is_hidden,
        replies_closed=q.replies_closed,
        perspective_count=q.perspective_count,  # the asker's replies are not perspectives
        perspectives=[_as_read(a) for a in answers],
    )
