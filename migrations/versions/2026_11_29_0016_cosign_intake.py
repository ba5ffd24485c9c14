"""cosign and intake: co-signatures with counts by group (and a total on comments for
sort=cosigned), comments entered by staff for someone (entered_by, source, a scan), and
accounts that cannot sign in for the people they were entered for

Revision ID: 0016_cosign_intake
Revises: 0014_scale
Create Date: 2026-11-29 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_cosign_intake'
down_revision = '0015_campaigns'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch rebuild of comments): SQLite keeps migration 0014's FTS5 triggers.
    op.add_column('comments', sa.Column('cosigner_count', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == 'sqlite':
        # Alembic adds no constraint to an SQLite table without a rebuild; SQLite itself can.
        op.execute("ALTER TABLE comments ADD COLUMN entered_by_id INTEGER REFERENCES users (id)")
    else:
        op.add_column('comments', sa.Column('entered_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_comments_entered_by_id_users', 'comments', 'users', ['entered_by_id'], ['id'])
    op.add_column('comments', sa.Column('source', sa.String(length=10), nullable=True))
    op.create_index('ix_comments_document_cosigners_id', 'comments', ['document_id', 'cosigner_count', 'id'])
    op.add_column('users', sa.Column('offline', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'cosignatures',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('comment_id', sa.Integer(), sa.ForeignKey('comments.id'), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('comment_id', 'user_id', name='uq_cosignatures_comment_user'),
    )
    op.create_index('ix_cosignatures_user_id', 'cosignatures', ['user_id'])
    op.create_table(
        'cosigner_counts',
        sa.Column('comment_id', sa.Integer(), sa.ForeignKey('comments.id'), primary_key=True),
        sa.Column('group_id', sa.Integer(), sa.ForeignKey('groups.id'), primary_key=True),
        sa.Column('count', sa.Integer(), nullable=False),
    )
    op.create_table(
        'comment_scans',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('comment_id', sa.Integer(), sa.ForeignKey('comments.id'), nullable=False, unique=True),
        sa.Column('stored_name', sa.String(length=80), nullable=False, unique=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    )


def downgrade():
    op.drop_table('comment_scans')
    op.drop_table('cosigner_counts')
    op.drop_index('ix_cosignatures_user_id', 'cosignatures')
    op.drop_table('cosignatures')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('offline')
    op.drop_index('ix_comments_document_cosigners_id', 'comments')
    # SQLite 3.35+ drops a column in place (no table rebuild, the FTS5 triggers stay).
    op.drop_column('comments', 'source')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_comments_entered_by_id_users', 'comments', type_='foreignkey')
    op.drop_column('comments', 'entered_by_id')
    op.drop_column('comments', 'cosigner_count')
