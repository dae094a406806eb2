"""Coordinators' tools: raid measures for a set time, and log rows about no post

Revision ID: b8c9d0e1f2a4
Revises: a7b8c9d0e1f3
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c9d0e1f2a4'
down_revision = 'a7b8c9d0e1f3'
branch_labels = None
depends_on = None

POST_KINDS = "post_kind IN ('question', 'answer')"
ANY_KIND = "post_kind IN ('question', 'answer', 'none')"


def upgrade():
    op.create_table('raid_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('pause-questions', 'tighten-limits', 'lower-collapse')", name=op.f('ck_raid_measure_known_kind')),
    sa.CheckConstraint("(kind = 'pause-questions') = (topic_id IS NOT NULL)", name=op.f('ck_raid_measure_topic_only_for_pause')),
    sa.CheckConstraint('ends_at > started_at', name=op.f('ck_raid_measure_ends_after_start')),
    sa.ForeignKeyConstraint(['set_by_id'], ['account.id'], name=op.f('fk_raid_measure_set_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_raid_measure_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raid_measure'))
    )
    with op.batch_alter_table('raid_measure', schema=None) as batch_op:
        batch_op.create_index('ix_raid_measure_ends_at', ['ends_at'], unique=False)

    # A coordinator's change is about no post. SQLite rebuilds the table for the new check
    # (env.py turns foreign keys off meanwhile): keep AUTOINCREMENT, so ids are never reused.
    with op.batch_alter_table('moderation_log', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_moderation_log_known_post_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_moderation_log_known_post_kind'), ANY_KIND)


def downgrade():
    # Coordinators' rows cannot be told as being about a post: they go with the check.
    op.execute("DELETE FROM moderation_log WHERE post_kind = 'none'")
    with op.batch_alter_table('moderation_log', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_moderation_log_known_post_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_moderation_log_known_post_kind'), POST_KINDS)

    with op.batch_alter_table('raid_measure', schema=None) as batch_op:
        batch_op.drop_index('ix_raid_measure_ends_at')

    op.drop_table('raid_measure')
