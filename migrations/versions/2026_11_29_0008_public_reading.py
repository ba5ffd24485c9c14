"""public reading: documents.visibility

Existing documents become `public`, the default for new ones (issue 9: a comment period is
public by default); signed-in people keep reading them as before, and an administrator can
make any of them `invited` again on its admin page. Whether a person shows their name or only
their group (`users.show_name`) comes from 0009_accounts.

Revision ID: 0008_public_reading
Revises: 0012_equity_adoption
Create Date: 2026-11-29 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_public_reading'
down_revision = '0012_equity_adoption'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visibility', sa.String(length=10), server_default='public', nullable=False))


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('visibility')
