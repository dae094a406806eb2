"""/moderation-log and its Atom feed: every moderator action, for anyone to read.

Both show what was done, to what kind of post, under which rule, the public note, when
(to the minute) and the moderator's rota name; never the post's words or title, never who
reported. A post is linked only while readers may still see it.
"""

from flask import Blueprint, Response, current_app, render_template, request

from app.core.urls import whole_number
from app.moderation import log, rules

bp = Blueprint("log", __name__)


def _before():
    return whole_number(request.args.get("before", ""))


@bp.get("/moderation-log")
def index():
    """A page of the log, newest first, older entries behind a "before" link."""
    size = current_app.config["MODERATION_LOG_PAGE_SIZE"]
    entries, links = log.page(_before(), size)
    older = entries[-1].id if len(entries) == size else None
    return render_template(
        "log/index.html", entries=entries, links=links, older=older, rule_title=rules.title
    )


@bp.get("/moderation-log.atom")
def feed():
    """The newest entries of the log as an Atom feed."""
    entries, links = log.page(None, current_app.config["MODERATION_LOG_PAGE_SIZE"])
    xml = render_template("log/feed.xml", entries=entries, links=links, rule_title=rules.title)
    return Response(xml, mimetype="application/atom+xml")
