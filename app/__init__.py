"""Kettle: ask hard questions, hear plural perspectives."""

from pathlib import Path

from flask import Flask, session

from app import cli
from app.accounts import identity
from app.core import urls
from app.questions import member_copy, repeats
from app.web import (
    assets,
    database,
    errors,
    generation,
    headers,
    intake,
    pagecache,
    privacy,
    ratelimit,
    secret,
)
from app.web.extensions import csrf, db
from app.web.ratelimit import limiter
from config import Config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=Config, overrides=None):
    """Build one configured Kettle application."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.from_object(config)
    app.config.update(overrides or {})
    app.instance_path = app.config.get("INSTANCE_PATH") or app.instance_path
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret.load_or_create(app.instance_path)
    privacy.guard_logs(app)
    intake.register(app)
    urls.register(app)
    assets.register(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_templates(app)
    errors.register(app)
    cli.register(app, ROOT / "migrations")
    return app


def _register_extensions(app):
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    db.init_app(app)
    with app.app_context():
        database.keep_files_private(app.instance_path, database.sqlite_path(db.engine))
    csrf.init_app(app)
    limiter.init_app(app)
    pagecache.init_app(app)
    # Tables whose rows readers see: writing one drops every kept page (app.web.pagecache).
    generation.register_shown("question", "answer", "pseudonym", "topic", "content_note")
    # Session keys that change no page, so their holders still get kept pages.
    pagecache.register_shareable(ratelimit.BROWSER_KEY, give=ratelimit.remember_browser)
    pagecache.register_shareable(repeats.SESSION_KEY, give=repeats.prepare)
    # A signed-in reader's question page is a member copy with their own names filled in.
    pagecache.register_member_key(identity.SESSION_KEY)
    pagecache.register_part(member_copy.PART, member_copy.posting_as)
    if app.config["RATELIMIT_ENABLED"] and not ratelimit.supported(limiter.storage):
        raise RuntimeError("RATELIMIT_STORAGE_URI must be memory:// or a Redis URI")

    @app.after_request
    def _headers(response):
        signed_in = "account" in session
        return headers.apply(response, app.config["ALLOW_INDEXING"], signed_in)


def _register_blueprints(app):
    from app.api import views as api
    from app.keeper import told
    from app.keeper import views as keeper
    from app.moderation import (
        appeal_views,
        coordinate_views,
        debrief_views,
        log_views,
        moderate_views,
        reports,
        statements,
    )
    from app.moderation import report_views as report
    from app.pages import topics
    from app.pages import views as pages
    from app.questions import services as posts
    from app.questions import views as questions
    from app.readers import views as readers
    from app.rota import handover_views as handover
    from app.rota import plan_views as rota_plan
    from app.rota import views as rota
    from app.search import views as search
    from app.your_account import sign_in as accounts
    from app.your_account import views as account

    for views in (pages, topics, questions, keeper, readers, accounts, account, report, rota,
                  handover, rota_plan, moderate_views, appeal_views, log_views,
                  debrief_views, coordinate_views, search):  # fmt: skip
        app.register_blueprint(views.bp)
    # An author's keeper page tells them what moderators decided, and how to appeal.
    told.provide(statements.for_keeper)
    # Reported words go with a post its author erases (unless held as may be illegal).
    posts.on_erase(reports.erase_snapshots)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    _register_rota()
    _register_raids()


def _register_raids():
    """A coordinator's raid measures (app.topics.measures) reach the rate limiter, which
    sits below every domain, through its one hook."""
    from app.topics import measures

    ratelimit.register_tightening(measures.limit_factor)


def _register_rota():
    """The rota answers "who is on shift?"; stepping out, or losing the moderator role,
    ends the shift and hands back that person's claims."""
    from app.accounts import access
    from app.accounts import services as accounts
    from app.moderation import cases
    from app.rota import shifts

    access.register_on_shift(shifts.on_shift, shifts.anyone_on_shift)
    shifts.when_ending(cases.release_claims)
    accounts.when_revoked(shifts.end_with_role)


def _register_templates(app):
    from app.accounts.identity import current_account
    from app.core.time import iso, local_clock, local_day, zone
    from app.moderation.rules import RULES
    from app.questions.kinds import label as kind_label
    from app.readers import shown
    from app.readers.prefs import current_prefs
    from app.readers.titles import REMOVED_QUESTION, title_for

    app.jinja_env.globals.update(
        asset_url=assets.asset_url,
        REMOVED_QUESTION=REMOVED_QUESTION,
        shown_name=shown.shown_name,
        named_by=shown.named_by,
        note_names=shown.note_names,
        note_labels=shown.note_labels,
        perspectives=shown.perspectives,
        reader_prefs=current_prefs,
        current_account=current_account,
        here=urls.here,
        personal=pagecache.personal,
        shown_title=lambda question: title_for(question, current_prefs()),
        community_rules=RULES,
    )
    app.jinja_env.filters["plural"] = shown.plural
    app.jinja_env.filters["one_or_many"] = shown.one_or_many
    app.jinja_env.filters["clock"] = lambda moment: local_clock(moment, app.config["TIMEZONE"])
    app.jinja_env.filters["kind_label"] = kind_label
    app.jinja_env.filters["iso"] = iso
    zone(app.config["TIMEZONE"])  # an unknown zone stops start-up, not a page later
    zone(app.config["ROTA_TIMEZONE"])
    app.jinja_env.filters["day"] = lambda moment: local_day(moment, app.config["TIMEZONE"])

    @app.context_processor
    def _reader():
        return {"prefs": current_prefs()}
