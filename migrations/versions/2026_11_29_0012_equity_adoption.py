"""plain-language summaries, adoptions with signatures and review dates, carried concerns

Revision ID: 0012_equity_adoption
Revises: 0013_bilingual
Create Date: 2026-11-29 12:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_equity_adoption'
down_revision = '0013_bilingual'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('clause_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('reading_ease', sa.Float(), nullable=False),
    sa.Column('grade_level', sa.Float(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name='fk_clause_summaries_clause_id_clauses'),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name='fk_clause_summaries_version_id_versions'),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name='fk_clause_summaries_written_by_id_users'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version_id', 'clause_id', name='uq_clause_summaries_version_id_clause_id')
    )
    with op.batch_alter_table('clause_summaries', schema=None) as batch_op:
        batch_op.create_index('ix_clause_summaries_version_id', ['version_id'], unique=False)
        batch_op.create_index('ix_clause_summaries_clause_id', ['clause_id'], unique=False)

    op.create_table('adoptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=False),
    sa.Column('adopted_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('review_reminded_at', sa.DateTime(), nullable=True),
    sa.Column('review_version_number', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name='fk_adoptions_document_id_documents'),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name='fk_adoptions_version_id_versions'),
    sa.ForeignKeyConstraint(['adopted_by_id'], ['users.id'], name='fk_adoptions_adopted_by_id_users'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version_id', name='uq_adoptions_version_id')
    )
    with op.batch_alter_table('adoptions', schema=None) as batch_op:
        batch_op.create_index('ix_adoptions_document_id', ['document_id'], unique=False)

    op.create_table('adoption_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adoption_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=30), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['adoption_id'], ['adoptions.id'], name='fk_adoption_signatures_adoption_id_adoptions'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name='fk_adoption_signatures_recorded_by_id_users'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('adoption_signatures', schema=None) as batch_op:
        batch_op.create_index('ix_adoption_signatures_adoption_id', ['adoption_id'], unique=False)

    op.create_table('carried_concerns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], name='fk_carried_concerns_version_id_versions'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name='fk_carried_concerns_comment_id_comments'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version_id', 'comment_id', name='uq_carried_concerns_version_id_comment_id')
    )
    with op.batch_alter_table('carried_concerns', schema=None) as batch_op:
        batch_op.create_index('ix_carried_concerns_version_id', ['version_id'], unique=False)
        batch_op.create_index('ix_carried_concerns_comment_id', ['comment_id'], unique=False)


def downgrade():
    op.drop_table('carried_concerns')
    op.drop_table('adoption_signatures')
    op.drop_table('adoptions')
    op.drop_table('clause_summaries')
