"""coverage: clauses tagged with the checklist items they address; comments on a missing item

Revision ID: 0011_coverage
Revises: 0009_accounts
Create Date: 2026-11-29 12:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_coverage'
down_revision = '0009_accounts'
branch_labels = None
depends_on = None


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds `comments` to make clause_id nullable: the rows that refer to comments
    must survive the table's drop-and-rename, so foreign keys are off meanwhile (a PRAGMA that
    only works outside a transaction: the work of the migrations before this one is committed)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    raw = bind.connection.dbapi_connection
    if not on and raw.in_transaction:
        raw.commit()
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    if on:
        problems = raw.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign keys broken after rebuilding comments: {problems[:5]}")


def upgrade():
    op.create_table('clause_coverage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clause_text_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('strength', sa.String(length=10), nullable=False),
    sa.Column('tagged_by_id', sa.Integer(), nullable=False),
    sa.Column('tagged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], ),
    sa.ForeignKeyConstraint(['clause_text_id'], ['clause_texts.id'], ),
    sa.ForeignKeyConstraint(['tagged_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['versions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('clause_text_id', 'item_id')
    )
    with op.batch_alter_table('clause_coverage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clause_coverage_clause_id'), ['clause_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clause_coverage_clause_text_id'), ['clause_text_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clause_coverage_version_id'), ['version_id'], unique=False)

    _sqlite_foreign_keys(False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coverage_item_id', sa.String(length=40), nullable=True))
        batch_op.alter_column('clause_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_comments_coverage_item_id'), ['coverage_item_id'], unique=False)
    _sqlite_foreign_keys(True)


def downgrade():
    # Comments on a checklist item have no clause to go back to: they are refused, not dropped.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT COUNT(*) FROM comments WHERE clause_id IS NULL")).scalar():
        raise RuntimeError("comments on checklist items exist; they cannot be kept without a clause")
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_coverage_item_id'))
        batch_op.alter_column('clause_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('coverage_item_id')
    _sqlite_foreign_keys(True)

    with op.batch_alter_table('clause_coverage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clause_coverage_version_id'))
        batch_op.drop_index(batch_op.f('ix_clause_coverage_clause_text_id'))
        batch_op.drop_index(batch_op.f('ix_clause_coverage_clause_id'))

    op.drop_table('clause_coverage')
