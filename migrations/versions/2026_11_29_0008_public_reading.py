"""public reading: documents.visibility, users.show_name

Existing documents become `public`, the default for new ones (issue 9: a comment period is
public by default); signed-in people keep reading them as before, and an administrator can
make any of them `invited` again on its admin page. Existing people in the students group
show only their group to the public (their default); everyone else shows their name.

Revision ID: 0008_public_reading
Revises: 0004_meetings
Create Date: 2026-11-29 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_public_reading'
down_revision = '0004_meetings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visibility', sa.String(length=10), server_default='public', nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_name', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.execute(
        "UPDATE users SET show_name = false "
        "WHERE group_id IN (SELECT id FROM groups WHERE slug = 'students')"
    )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('show_name')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('visibility')
