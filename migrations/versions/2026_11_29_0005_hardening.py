"""hardening: credentials of deactivated accounts revoked for good

Revision ID: 0005_hardening
Revises: 0004_meetings
Create Date: 2026-11-29 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_hardening'
down_revision = '0004_meetings'
branch_labels = None
depends_on = None


def upgrade():
    # Deactivation now revokes credentials; those of accounts deactivated before would
    # otherwise come back to life when the account is re-activated.
    op.execute(sa.text(
        "UPDATE credentials SET revoked_at = CURRENT_TIMESTAMP WHERE revoked_at IS NULL "
        "AND user_id IN (SELECT id FROM users WHERE is_active = :inactive)"
    ).bindparams(inactive=False))


def downgrade():
    pass  # revoked credentials stay revoked
