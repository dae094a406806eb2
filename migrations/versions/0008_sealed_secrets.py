"""The handover table becomes sealed_secret: the rota needs "handover" for shifts

Rows move across as they are, so a keeper link or recovery codes waiting to be shown
across a redirect during the upgrade are still shown.

Revision ID: d3a9f6c1b2e7
Revises: b5e1c0a2d7f4
Create Date: 2026-11-29 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a9f6c1b2e7'
down_revision = 'b5e1c0a2d7f4'
branch_labels = None
depends_on = None


def _move(old, new):
    op.create_table(new,
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('sealed', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{new}'))
    )
    with op.batch_alter_table(new, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{new}_created_at'), ['created_at'], unique=False)
    op.execute(f'INSERT INTO {new} (id, sealed, created_at) SELECT id, sealed, created_at FROM {old}')
    with op.batch_alter_table(old, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f'ix_{old}_created_at'))
    op.drop_table(old)


def upgrade():
    _move('handover', 'sealed_secret')


def downgrade():
    _move('sealed_secret', 'handover')
