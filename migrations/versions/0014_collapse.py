"""Posts collapsed pending review when reported out of hours, and the case that did it

Revision ID: c3d4e5f6a7b9
Revises: b2c3d4e5f6a8
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a7b9'
down_revision = 'b2c3d4e5f6a8'
branch_labels = None
depends_on = None

TABLES = ('question', 'answer', 'moderation_case')


def upgrade():
    # Adding a nullable column needs no rebuild, so SQLite's AUTOINCREMENT stays.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('collapsed_at', sa.DateTime(), nullable=True))
    # Who counts as a different person for the collapse: by network (or account), so one
    # person with fresh cookies is still one.
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('network_key', sa.String(length=64), nullable=False, server_default='')
        )


def downgrade():
    op.drop_column('report', 'network_key')
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): no rebuild, so the partial
    # unique indexes on moderation_case stay as they are.
    for table in reversed(TABLES):
        op.drop_column(table, 'collapsed_at')
