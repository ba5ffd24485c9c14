"""bilingual: Spanish translations of clauses, a comment's language, Spanish rationales

Revision ID: 0013_bilingual
Revises: 0010_notifications
Create Date: 2026-11-29 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_bilingual'
down_revision = '0010_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'clause_translations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('clause_text_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('heading', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('is_machine_translated', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('translated_by_id', sa.Integer(), nullable=False),
        sa.Column('translated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['clause_text_id'], ['clause_texts.id'], ),
        sa.ForeignKeyConstraint(['translated_by_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('clause_text_id', 'language'),
    )
    with op.batch_alter_table('clause_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clause_translations_clause_text_id'), ['clause_text_id'], unique=False)
    # Comments written before this knew no language; the interface was English only.
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en', nullable=False))
    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rationale_es', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('rationale_es_salt', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.drop_column('rationale_es_salt')
        batch_op.drop_column('rationale_es')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('clause_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clause_translations_clause_text_id'))
    op.drop_table('clause_translations')
