"""campaigns: copies of one text grouped (exact and near copies), their members with what
each adds of its own, the comments' signatures the grouping job keeps, and its lock row

Revision ID: 0015_campaigns
Revises: 0014_scale
Create Date: 2026-11-29 15:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_campaigns'
down_revision = '0014_scale'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('representative_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name='fk_campaigns_document_id_documents'),
    sa.ForeignKeyConstraint(['representative_id'], ['comments.id'], name='fk_campaigns_representative_id_comments'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name='fk_campaigns_confirmed_by_id_users'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_campaigns_document_id', 'campaigns', ['document_id'], unique=False)
    op.create_table('campaign_members',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('personal_text', sa.Text(), nullable=True),
    sa.Column('is_unique', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name='fk_campaign_members_comment_id_comments'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name='fk_campaign_members_campaign_id_campaigns'),
    sa.PrimaryKeyConstraint('comment_id')
    )
    op.create_index('ix_campaign_members_campaign_comment', 'campaign_members', ['campaign_id', 'comment_id'],
                    unique=False)
    op.create_table('comment_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('exact_hash', sa.String(length=64), nullable=True),
    sa.Column('minhash', sa.LargeBinary(), nullable=True),
    sa.Column('shingle_count', sa.Integer(), nullable=False),
    sa.Column('is_key', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_split', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name='fk_comment_signatures_comment_id_comments'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name='fk_comment_signatures_document_id_documents'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('comment_id', name='uq_comment_signatures_comment_id')
    )
    op.create_index('ix_comment_signatures_document_generation', 'comment_signatures', ['document_id', 'generation'],
                    unique=False)
    op.create_table('campaign_grouper',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO campaign_grouper (id, generation, updated_at) VALUES (1, 0, CURRENT_TIMESTAMP)")


def downgrade():
    op.drop_table('campaign_grouper')
    op.drop_index('ix_comment_signatures_document_generation', table_name='comment_signatures')
    op.drop_table('comment_signatures')
    op.drop_index('ix_campaign_members_campaign_comment', table_name='campaign_members')
    op.drop_table('campaign_members')
    op.drop_index('ix_campaigns_document_id', table_name='campaigns')
    op.drop_table('campaigns')
