"""notifications: follows, notifications (one per event and recipient), mail preferences, the notifier's cursor

Revision ID: 0010_notifications
Revises: 0011_coverage
Create Date: 2026-11-29 12:14:18.098279

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_notifications'
down_revision = '0011_coverage'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_cursor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('partial_seq', sa.Integer(), nullable=True),
    sa.Column('partial_after_user_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email_frequency', sa.String(length=10), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('answers_immediately', sa.Boolean(), nullable=False),
    sa.Column('last_digest_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('document_follows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('is_following', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'document_id')
    )
    with op.batch_alter_table('document_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_follows_document_id'), ['document_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('clause_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('email_state', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['event_seq'], ['events.seq'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_seq', 'user_id', name='uq_notifications_event_user')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_email_state', ['email_state', 'user_id'], unique=False)
        batch_op.create_index('ix_notifications_user_id_id', ['user_id', 'id'], unique=False)

    op.create_table('clause_follows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('is_following', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'clause_id')
    )
    with op.batch_alter_table('clause_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clause_follows_clause_id'), ['clause_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('event_seq', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subject', 'hours', name='uq_reminders_subject_hours')
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(), nullable=True))
    # The notifier starts at the log's present: history before this release is not announced.
    op.execute("INSERT INTO notification_cursor (id, last_seq, updated_at) "
               "SELECT 1, seq, CURRENT_TIMESTAMP FROM chain_head WHERE id = 1")


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('starts_at')
    op.drop_table('reminders')
    with op.batch_alter_table('clause_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clause_follows_clause_id'))

    op.drop_table('clause_follows')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id_id')
        batch_op.drop_index('ix_notifications_email_state')

    op.drop_table('notifications')
    with op.batch_alter_table('document_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_follows_document_id'))

    op.drop_table('document_follows')
    op.drop_table('notification_preferences')
    op.drop_table('notification_cursor')
