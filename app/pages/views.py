"""Home, "Need help now?", how Kettle works, and robots.txt."""

from flask import Blueprint, Response, current_app, redirect, render_template

from app.questions import queries
from app.topics.queries import all_topics
from app.web.pagecache import cached
from config import UK_HELP_NOW

bp = Blueprint("pages", __name__)

HOME_LIST_SIZE = 10
# Crawlers named here are asked to stay away unless a deployment allows indexing.
AI_CRAWLERS = (
    "GPTBot", "ChatGPT-User", "CCBot", "ClaudeBot", "anthropic-ai", "Google-Extended",
    "PerplexityBot", "Bytespider", "Applebot-Extended", "meta-externalagent",
)  # fmt: skip


@bp.get("/")
@cached
def home():
    """Latest questions, those still waiting for a first perspective, and topics."""
    return render_template(
        "pages/home.html",
        latest=queries.latest(HOME_LIST_SIZE),
        waiting=queries.waiting(HOME_LIST_SIZE),
        topics=all_topics(),
    )


@bp.get("/help-now")
def help_now():
    """Services to contact now, where they are, and a directory for people elsewhere."""
    services = current_app.config["HELP_NOW"]
    where = current_app.config["HELP_NOW_WHERE"] or ("the UK" if services is UK_HELP_NOW else None)
    return render_template("pages/help_now.html", services=services, where=where)


@bp.get("/how-it-works")
def how_it_works():
    return render_template("pages/how_it_works.html")


@bp.get("/how-it-works/easy-read")
def easy_read():
    return render_template("pages/easy_read.html")


@bp.get("/leave")
def leave():
    """Leave quickly: on to a neutral page, telling it nothing about where the reader was."""
    return redirect(current_app.config["QUICK_EXIT_URL"], code=303)


@bp.get("/robots.txt")
def robots():
    if current_app.config["ALLOW_INDEXING"]:
        lines = [f"User-agent: {bot}\nDisallow: /\n" for bot in AI_CRAWLERS]
        lines.append("User-agent: *\nDisallow: /keep/\nDisallow: /feed/\n")
    else:
        lines = ["User-agent: *\nDisallow: /\n"]
    return Response("\n".join(lines), mimetype="text/plain")
