"""Sending a posting form twice stores once; asker's replies are not counted as perspectives

Revision ID: b5e1c0a2d7f4
Revises: c6f2d1b3e8a5
Create Date: 2026-11-29 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e1c0a2d7f4'
down_revision = 'c6f2d1b3e8a5'
branch_labels = None
depends_on = None

RECOUNT = """
UPDATE question SET perspective_count = (
    SELECT count(answer.id) FROM answer
    WHERE answer.question_id = question.id
      AND answer.by_asker = {by_asker}
      AND answer.deleted_at IS NULL AND answer.hidden_at IS NULL
)
"""


def _recount(by_asker_counted):
    # The asker's own replies are not perspectives; before this revision they were counted.
    if by_asker_counted:
        op.execute(RECOUNT.replace("AND answer.by_asker = {by_asker}", ""))
    else:
        op.execute(RECOUNT.format(by_asker=sa.false().compile(dialect=op.get_bind().dialect)))


def upgrade():
    op.create_table('submission',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('sealed', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_submission_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_submission_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_question_id'), ['question_id'], unique=False)
    _recount(by_asker_counted=False)


def downgrade():
    _recount(by_asker_counted=True)
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_question_id'))
        batch_op.drop_index(batch_op.f('ix_submission_created_at'))
        batch_op.drop_index(batch_op.f('ix_submission_answer_id'))
    op.drop_table('submission')
