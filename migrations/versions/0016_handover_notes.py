"""Handover notes between moderators' shifts, and who has read each one

Revision ID: e5f6a7b8c9d1
Revises: d4e5f6a7b8c0
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d1'
down_revision = 'd4e5f6a7b8c0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('handover_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['account.id'], name=op.f('fk_handover_note_author_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_note')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('handover_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_note_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_note_written_at'), ['written_at'], unique=False)

    op.create_table('handover_read',
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_handover_read_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['note_id'], ['handover_note.id'], name=op.f('fk_handover_read_note_id_handover_note'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('note_id', 'account_id', name=op.f('pk_handover_read'))
    )
    with op.batch_alter_table('handover_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_read_account_id'), ['account_id'], unique=False)


def downgrade():
    with op.batch_alter_table('handover_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handover_read_account_id'))

    op.drop_table('handover_read')
    with op.batch_alter_table('handover_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handover_note_written_at'))
        batch_op.drop_index(batch_op.f('ix_handover_note_author_id'))

    op.drop_table('handover_note')
