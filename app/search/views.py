"""GET /search: what someone typed, the questions it found, and more by keyset."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

from app.core.refused import Refused
from app.readers.prefs import current_prefs
from app.search import service, terms
from app.topics.models import Topic
from app.topics.queries import all_topics
from app.web.extensions import db
from app.web.pagecache import cached
from app.web.ratelimit import limit, limiter

bp = Blueprint("search", __name__)


def _topic(slug):
    if not slug:
        return None
    return db.first_or_404(select(Topic).where(Topic.slug == slug))


@bp.get("/search")
@limiter.limit(limit("SEARCH_RATE_LIMIT"))
@cached(reads=("q", "topic", "after"))
def search():
    """Search questions and perspectives; `q` is the words, `topic` (a slug) narrows, and
    `after` (a cursor from the page before) pages on. Bad words or cursors get this page
    again, saying what went wrong, with status 400; nothing is stored or logged."""
    typed = request.args.get("q", "")
    topic = _topic(request.args.get("topic", ""))
    page = {"typed": typed, "topic": topic, "topics": all_topics(), "results": None}
    try:
        wanted = terms.parse(typed)
        after = service.cursor(request.args.get("after"))
    except Refused as refusal:
        return render_template("search/results.html", refusal=str(refusal), **page), 400
    if wanted:
        size = current_app.config["PAGE_SIZE"]
        page["results"] = service.search(wanted, current_prefs(), topic, after, size)
        page["paged"] = after is not None
    return render_template("search/results.html", **page)
