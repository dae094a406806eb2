"""Who hid or restored a post, when and why, kept with the change

Revision ID: a7c4e2f9d1b8
Revises: d3a9f6c1b2e7
Create Date: 2026-11-30 00:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c4e2f9d1b8'
down_revision = 'd3a9f6c1b2e7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visibility_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('change', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(question_id IS NULL) <> (answer_id IS NULL)', name=op.f('ck_visibility_change_records_exactly_one_post')),
    sa.CheckConstraint("change IN ('hidden', 'restored')", name=op.f('ck_visibility_change_known_change')),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_visibility_change_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['account.id'], name=op.f('fk_visibility_change_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_visibility_change_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visibility_change'))
    )
    with op.batch_alter_table('visibility_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visibility_change_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visibility_change_question_id'), ['question_id'], unique=False)


def downgrade():
    with op.batch_alter_table('visibility_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visibility_change_question_id'))
        batch_op.drop_index(batch_op.f('ix_visibility_change_answer_id'))
    op.drop_table('visibility_change')
