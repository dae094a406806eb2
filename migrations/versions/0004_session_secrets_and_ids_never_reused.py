"""Sessions bound to a random per-account secret; ids never handed out twice

Revision ID: 9f4c2a7e1d30
Revises: a18125c150c6
Create Date: 2026-11-29 20:40:00

A session used to carry an epoch that started at 0 for every account, and SQLite
reused the id of a deleted account, so an old cookie could open the next person's
account. Each account now has a random session secret, and on SQLite the tables
whose ids reach people (accounts, pseudonyms, questions, answers, keeper links) use
AUTOINCREMENT, so an id is never given to anyone else. PostgreSQL sequences never
hand an id out twice already. Every session from before this migration ends.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "9f4c2a7e1d30"
down_revision = "a18125c150c6"
branch_labels = None
depends_on = None

NEVER_REUSED = ("account", "pseudonym", "question", "answer", "keeper_token")


def upgrade():
    with op.batch_alter_table("account") as batch_op:
        batch_op.add_column(sa.Column("session_secret", sa.String(length=64), nullable=True))
    account = sa.table("account", sa.column("id", sa.Integer), sa.column("session_secret"))
    bind = op.get_bind()
    for (account_id,) in bind.execute(sa.select(account.c.id)).all():
        bind.execute(
            account.update()
            .where(account.c.id == account_id)
            .values(session_secret=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table("account") as batch_op:
        batch_op.alter_column("session_secret", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("session_epoch")
    if bind.dialect.name == "sqlite":
        for name in NEVER_REUSED:
            with op.batch_alter_table(
                name, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass


def downgrade():
    with op.batch_alter_table("account") as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.drop_column("session_secret")
