"""Kettle's own flask commands: init-db, serve, roles, rota and search; and `flask db`.

Flask-Migrate loads Alembic, Mako and Pygments: about 25 MB that every server process
would hold for commands it never runs. So app.extensions["migrate"] and `flask db` stand in
for Flask-Migrate's own, and load it the first time a command or migration needs it.
"""

import click
from flask import current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

from app.accounts import services as accounts
from app.accounts.models import ROLES
from app.core.refused import Refused
from app.rota import plan
from app.rota.calendar import clock, hours_text, when
from app.search import schema as search_index
from app.topics.seed import seed_defaults
from app.web.extensions import db
from app.web.privacy import PrivateRequestHandler, keep_own_address


@click.command("init-db")
def init_db():
    """Migrate the database to the newest schema, add default topics and notes, and rebuild
    the search index if Kettle now reads words another way (an upgrade)."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)
    added = seed_defaults()
    if search_index.keep_folding(db.engine):
        click.echo("Search index rebuilt: Kettle now reads words another way.")
    click.echo(f"Database is up to date; {added} default rows added.")


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve(host, port):
    """Serve Kettle for one person's machine, logging no addresses or secret links."""
    click.echo(f"Kettle is at http://{host}:{port}/ (press Ctrl+C to stop)")
    app = current_app._get_current_object()
    keep_own_address(host)
    run_simple(host, port, app, request_handler=PrivateRequestHandler, threaded=True)


@click.group("roles", cls=AppGroup)
def roles():
    """Grant or revoke the moderator and coordinator roles."""


@roles.command("grant")
@click.argument("handle")
@click.argument("role", type=click.Choice(ROLES))
def grant(handle, role):
    """Give the account with this login name a role."""
    _change_role(accounts.grant, handle, role, f"Granted {role}.")


@roles.command("revoke")
@click.argument("handle")
@click.argument("role", type=click.Choice(ROLES))
def revoke(handle, role):
    """Take a role away; the account's sessions end so it takes effect at once."""
    _change_role(accounts.revoke, handle, role, f"Revoked {role}.")


def _change_role(change, handle, role, done):
    try:
        change(handle, role)
    except Refused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    click.echo(done)


@click.group("rota", cls=AppGroup)
def rota():
    """Plan the rota."""


@rota.command("shift")
@click.option(
    "--starts",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M"]),
    help="When it starts, YYYY-MM-DDTHH:MM in the rota's time zone.",
)
@click.option("--hours", required=True, type=float, help="How many real hours it lasts.")
@click.option("--moderator", "handle", help="Sign this moderator (a login name) up to it.")
@click.option("--places", default=2, show_default=True, type=int,
              help="How many moderators it needs.")  # fmt: skip
def plan_shift(starts, hours, handle, places):
    """Plan one shift in ROTA_TIMEZONE, and sign a moderator up to it; all or nothing."""
    account = None
    if handle is not None:
        account = accounts.find_by_handle(handle)
        if account is None:
            raise click.ClickException("No account has that login name. Nothing was planned.")
    try:
        planned = plan.plan_one(starts, hours, places)
        if account is not None:
            plan.sign_up(account, planned)  # commits, or rolls the plan back with it
        else:
            db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        raise click.ClickException(f"{refusal} Nothing was planned.") from refusal
    signed = f", with {handle} signed up" if account is not None else ""
    click.echo(f"Planned shift {planned.id}: {when(planned.starts_at)} to "
               f"{clock(planned.ends_at)} ({hours_text(planned.hours)}){signed}.")  # fmt: skip


@click.group("search", cls=AppGroup)
def search():
    """Look after the search index."""


@search.command("tidy")
def tidy():
    """Rewrite the search indexes so no trace of erased words stays in them (run daily)."""
    search_index.keep_folding(db.engine)
    tidied = search_index.tidy(db.engine)
    click.echo(f"Search index tidied: {', '.join(tidied)}.")


class Migrations:
    """app.extensions["migrate"] until Flask-Migrate is needed: `directory` is at hand, and
    reading anything else (what Flask-Migrate and migrations/env.py read) sets Flask-Migrate
    up for the app, which puts its own settings (and its `flask db`) in this one's place."""

    def __init__(self, app, directory):
        self.app, self.db, self.directory = app, db, str(directory)

    def __getattr__(self, name):
        from flask_migrate import Migrate

        if self.app.extensions.get("migrate") is self:
            Migrate(self.app, self.db, directory=self.directory, render_as_batch=True)
        return getattr(self.app.extensions["migrate"], name)


class MigrationCommands(click.Command):
    """`flask db ...`: Flask-Migrate's command group, loaded when the command line reaches it."""

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        return ctx.command.invoke(ctx)


def register(app, migrations):
    """Add Kettle's commands and `flask db` to the app; `migrations` is Alembic's folder."""
    app.extensions["migrate"] = Migrations(app, migrations)
    app.cli.add_command(MigrationCommands("db", help="Perform database migrations."))
    app.cli.add_command(init_db)
    app.cli.add_command(serve)
    app.cli.add_command(roles)
    app.cli.add_command(rota)
    app.cli.add_command(search)
