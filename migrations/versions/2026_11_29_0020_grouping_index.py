"""grouping index: the grouping job finds a document's keys by an index on
comment_signatures(document_id, is_key), and keeps two marks on its lock row so one new
comment costs little: every comment up to `signed_through_id` has been signed (only newer ones
are looked for), and `edits_seen_seq` is the last event it looked at for edited comments (they
are grouped again with their new text). Backfilled from the rows already there.

Revision ID: 0020_grouping_index
Revises: 0019_report_order
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_grouping_index'
down_revision = '0019_report_order'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comment_signatures_document_key', 'comment_signatures', ['document_id', 'is_key'],
                    unique=False)
    with op.batch_alter_table('campaign_grouper') as batch:
        batch.add_column(sa.Column('signed_through_id', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('edits_seen_seq', sa.Integer(), server_default='0', nullable=False))
    # Signed through the comment before the first one without a signature (every comment when
    # none is missing); edits before this migration are not looked at again.
    op.execute("""
        UPDATE campaign_grouper SET
          signed_through_id = COALESCE(
            (SELECT MIN(c.id) - 1 FROM comments c
              WHERE NOT EXISTS (SELECT 1 FROM comment_signatures s WHERE s.comment_id = c.id)),
            (SELECT MAX(id) FROM comments), 0),
          edits_seen_seq = COALESCE((SELECT MAX(seq) FROM events), 0)
    """)


def downgrade():
    with op.batch_alter_table('campaign_grouper') as batch:
        batch.drop_column('edits_seen_seq')
        batch.drop_column('signed_through_id')
    op.drop_index('ix_comment_signatures_document_key', table_name='comment_signatures')
