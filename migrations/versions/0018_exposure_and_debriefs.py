"""Looking after moderators on shift: hard cases opened, breaks taken, debrief notes

Revision ID: a7b8c9d0e1f3
Revises: f6a7b8c9d0e2
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7b8c9d0e1f3'
down_revision = 'f6a7b8c9d0e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shift_exposure',
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_shift_exposure_shift_id_shift'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('shift_id', 'case_id', name=op.f('pk_shift_exposure'))
    )
    op.create_table('shift_break',
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_shift_break_shift_id_shift'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('shift_id', name=op.f('pk_shift_break'))
    )
    op.create_table('debrief_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sent', sa.Boolean(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_debrief_note_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debrief_note')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('debrief_note', schema=None) as batch_op:
        batch_op.create_index('ix_debrief_note_account_id_id', ['account_id', 'id'], unique=False)
        batch_op.create_index('ix_debrief_note_sent_id', ['sent', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('debrief_note', schema=None) as batch_op:
        batch_op.drop_index('ix_debrief_note_sent_id')
        batch_op.drop_index('ix_debrief_note_account_id_id')

    op.drop_table('debrief_note')
    op.drop_table('shift_break')
    op.drop_table('shift_exposure')
