"""Recovery codes under a slow, salted hash

Revision ID: e2b8d4f1a6c3
Revises: 9f4c2a7e1d30
Create Date: 2026-11-29 21:00:00

Recovery codes were stored as unsalted SHA-256, so a leaked database gave them up in
seconds. Each stored SHA-256 is wrapped in place in argon2id (19 MiB, 2 passes, 1 lane,
the parameters in app/accounts/passwords.py at the time of writing), which is what new
codes are made from, so nobody's codes stop working.
"""

import sqlalchemy as sa
from alembic import op
from argon2 import PasswordHasher

revision = "e2b8d4f1a6c3"
down_revision = "9f4c2a7e1d30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("recovery_code") as batch_op:
        batch_op.alter_column(
            "code_hash", existing_type=sa.String(length=64), type_=sa.String(length=255)
        )
    hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    code = sa.table("recovery_code", sa.column("id", sa.Integer), sa.column("code_hash"))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(code.c.id, code.c.code_hash).where(code.c.code_hash.notlike("$argon2%"))
    )
    for code_id, fast in rows.all():
        bind.execute(code.update().where(code.c.id == code_id).values(code_hash=hasher.hash(fast)))


def downgrade():
    # A slow hash cannot be turned back into the fast one: old codes stop working.
    op.execute("DELETE FROM recovery_code")
    with op.batch_alter_table("recovery_code") as batch_op:
        batch_op.alter_column(
            "code_hash", existing_type=sa.String(length=255), type_=sa.String(length=64)
        )
