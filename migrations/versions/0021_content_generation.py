"""The content generation: one number every kept page's key holds (app.web.pagecache)

Revision ID: d0e1f2a3b4c6
Revises: c9d0e1f2a3b5
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd0e1f2a3b4c6'
down_revision = 'c9d0e1f2a3b5'
branch_labels = None
depends_on = None


def upgrade():
    generation = op.create_table('content_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_generation'))
    )
    op.bulk_insert(generation, [{'id': 1, 'n': 0}])


def downgrade():
    op.drop_table('content_generation')
