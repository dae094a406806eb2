"""Planned shifts and sign-ups, moderators' own limits, and the rota's settings

Revision ID: d4e5f6a7b8c0
Revises: c3d4e5f6a7b9
Create Date: 2026-11-30 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e5f6a7b8c0'
down_revision = 'c3d4e5f6a7b9'
branch_labels = None
depends_on = None

OPEN = sa.text('ended_at IS NULL')


def upgrade():
    op.create_table('planned_shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_planned_shift_ends_after_start')),
    sa.CheckConstraint('places BETWEEN 1 AND 20', name=op.f('ck_planned_shift_sensible_places')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_shift'))
    )
    with op.batch_alter_table('planned_shift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_shift_starts_at'), ['starts_at'], unique=False)

    op.create_table('sign_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('planned_shift_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('signed_up_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_sign_up_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['planned_shift_id'], ['planned_shift.id'], name=op.f('fk_sign_up_planned_shift_id_planned_shift'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_up')),
    sa.UniqueConstraint('planned_shift_id', 'account_id', name='uq_sign_up_one_place_each')
    )
    with op.batch_alter_table('sign_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_up_account_id'), ['account_id'], unique=False)

    op.create_table('rota_limits',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('shifts_per_week', sa.Integer(), nullable=True),
    sa.Column('night_from', sa.Integer(), nullable=True),
    sa.CheckConstraint('night_from BETWEEN 0 AND 23', name=op.f('ck_rota_limits_an_hour')),
    sa.CheckConstraint('shifts_per_week BETWEEN 1 AND 14', name=op.f('ck_rota_limits_sensible_week')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_rota_limits_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_rota_limits'))
    )
    op.create_table('rota_opt_out',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('content_note_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['rota_limits.account_id'], name=op.f('fk_rota_opt_out_account_id_rota_limits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['content_note_id'], ['content_note.id'], name=op.f('fk_rota_opt_out_content_note_id_content_note'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'content_note_id', name=op.f('pk_rota_opt_out'))
    )
    op.create_table('rota_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('allow_cover', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rota_settings'))
    )
    # Time already on shift stays; it was all cover, as there was no plan before.
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_shift_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_shift_planned_shift_id_planned_shift'), 'planned_shift', ['planned_shift_id'], ['id'], ondelete='SET NULL')
    _keep_one_open_shift_each()


def _keep_one_open_shift_each():
    """Rebuilding `shift` on SQLite may lose the partial unique index: make sure it is there."""
    inspector = sa.inspect(op.get_bind())
    if 'uq_shift_open_account' not in {i['name'] for i in inspector.get_indexes('shift')}:
        op.create_index('uq_shift_open_account', 'shift', ['account_id'], unique=True,
                        sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_shift_planned_shift_id_planned_shift'), type_='foreignkey')
        batch_op.drop_column('planned_shift_id')
    _keep_one_open_shift_each()
    op.drop_table('rota_settings')
    op.drop_table('rota_opt_out')
    op.drop_table('rota_limits')
    with op.batch_alter_table('sign_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_up_account_id'))
    op.drop_table('sign_up')
    with op.batch_alter_table('planned_shift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_shift_starts_at'))
    op.drop_table('planned_shift')
