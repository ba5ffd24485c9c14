"""versions: comments carried forward, suggested wording taken, scheduled period transitions

Revision ID: 0003_versions
Revises: 0002_resolutions
Create Date: 2026-11-27 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_versions'
down_revision = '0002_resolutions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comment_placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_clause_present', sa.Boolean(), nullable=False),
    sa.Column('is_clause_changed', sa.Boolean(), nullable=False),
    sa.Column('anchor_status', sa.String(length=10), nullable=True),
    sa.Column('anchor_start', sa.Integer(), nullable=True),
    sa.Column('anchor_end', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('author_says_resolved', sa.Boolean(), nullable=True),
    sa.Column('author_answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('comment_id', 'version')
    )
    with op.batch_alter_table('comment_placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_placements_comment_id'), ['comment_id'], unique=False)

    op.create_table('version_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], ),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version_id', 'comment_id')
    )
    with op.batch_alter_table('version_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_suggestions_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_version_suggestions_version_id'), ['version_id'], unique=False)

    with op.batch_alter_table('comment_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_recorded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_recorded_at', sa.DateTime(), nullable=True))

    # Transitions already in the log are not recorded a second time by the scheduler;
    # any others (a scheduled period that opened before this release) are recorded late.
    for action, column in (('period.opened', 'opened_recorded_at'), ('period.closed', 'closed_recorded_at')):
        op.execute(sa.text(
            f"UPDATE comment_periods SET {column} = "
            f"(SELECT MIN(events.at) FROM events WHERE events.action = :action "
            f"AND events.subject = 'period:' || comment_periods.id) "
            f"WHERE EXISTS (SELECT 1 FROM events WHERE events.action = :action "
            f"AND events.subject = 'period:' || comment_periods.id)").bindparams(action=action))


def downgrade():
    with op.batch_alter_table('comment_periods', schema=None) as batch_op:
        batch_op.drop_column('closed_recorded_at')
        batch_op.drop_column('opened_recorded_at')

    with op.batch_alter_table('version_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_suggestions_version_id'))
        batch_op.drop_index(batch_op.f('ix_version_suggestions_comment_id'))

    op.drop_table('version_suggestions')
    with op.batch_alter_table('comment_placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_placements_comment_id'))

    op.drop_table('comment_placements')
