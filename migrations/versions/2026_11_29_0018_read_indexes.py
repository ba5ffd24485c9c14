"""read indexes: the words of each comment stored as tsvector columns on PostgreSQL (English and
Spanish, generated from the texts by the database, GIN-indexed), in place of the expression
indexes of 0014_scale. With the expression alone, a search whose words are rare made the
planner walk the id index and compute to_tsvector for every comment it passed (4 s at 55,000
comments); a stored vector is read, not computed. SQLite keeps its FTS5 table.

Revision ID: 0018_read_indexes
Revises: 0014_scale
Create Date: 2026-11-29 15:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018_read_indexes'
down_revision = '0016_cosign_intake'
branch_labels = None
depends_on = None

# The text 0014_scale indexed, and collab/reads/search.py searches.
PG_DOCUMENT = ("coalesce(body, '') || ' ' || coalesce(quote, '') || ' ' || coalesce(suggested_text, '')")
CONFIGS = {'english': 'search_en', 'spanish': 'search_es'}


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for config, column in CONFIGS.items():
        op.execute(f"ALTER TABLE comments ADD COLUMN {column} tsvector "
                   f"GENERATED ALWAYS AS (to_tsvector('{config}'::regconfig, {PG_DOCUMENT})) STORED")
        op.execute(f"CREATE INDEX ix_comments_{column} ON comments USING gin ({column})")
        op.execute(f"DROP INDEX IF EXISTS ix_comments_fts_{config}")
    op.execute("ANALYZE comments")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for config, column in CONFIGS.items():
        op.execute(f"CREATE INDEX ix_comments_fts_{config} ON comments USING gin "
                   f"(to_tsvector('{config}'::regconfig, coalesce(comments.body, '') || ' ' || "
                   f"coalesce(comments.quote, '') || ' ' || coalesce(comments.suggested_text, '')))")
        op.execute(f"DROP INDEX ix_comments_{column}")
        op.execute(f"ALTER TABLE comments DROP COLUMN {column}")
