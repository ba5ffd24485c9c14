"""resolutions may promise a change in the next version, linked when it is published

Revision ID: 0006_district_traps
Revises: 0007_mail_outbox
Create Date: 2026-11-29 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_district_traps'
down_revision = '0007_mail_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_version_pending', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('version_linked_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.drop_column('version_linked_at')
        batch_op.drop_column('is_version_pending')
