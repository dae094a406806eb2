"""Kettle's own flask commands: init-db and serve."""

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from app.accounts import services as accounts
from app.accounts.models import ROLES
from app.core.refused import Refused
from app.topics.seed import seed_defaults
from app.web.privacy import PrivateRequestHandler, keep_own_address


@click.command("init-db")
def init_db():
    """Migrate the database to the newest schema and add default topics and notes."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    added = seed_defaults()
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


def register(app):
    app.cli.add_command(init_db)
    app.cli.add_command(serve)
    app.cli.add_command(roles)
