"""hardening: credentials of deactivated accounts revoked for good; salts of comment digests

Revision ID: 0005_hardening
Revises: 0006_district_traps
Create Date: 2026-11-29 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_hardening'
down_revision = '0006_district_traps'
branch_labels = None
depends_on = None


def upgrade():
    # Salts of the comments' keyed digests in the chain (NULL: written before, plain SHA-256).
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_salt', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('quote_salt', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('suggested_text_salt', sa.String(length=32), nullable=True))
    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_salt', sa.String(length=32), nullable=True))
    for table, column in (('flags', 'reason_salt'), ('comment_reopenings', 'reason_salt'), ('resolutions', 'rationale_salt')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.String(length=32), nullable=True))
    # Deactivation now revokes credentials; those of accounts deactivated before would
    # otherwise come back to life when the account is re-activated.
    op.execute(sa.text(
        "UPDATE credentials SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL "
        "AND user_id IN (SELECT id FROM users WHERE is_active = :inactive)"
    ).bindparams(inactive=False))


def downgrade():
    for table, column in (('flags', 'reason_salt'), ('comment_reopenings', 'reason_salt'), ('resolutions', 'rationale_salt')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.drop_column('body_salt')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('suggested_text_salt')
        batch_op.drop_column('quote_salt')
        batch_op.drop_column('body_salt')
    # Revoked credentials stay revoked.
