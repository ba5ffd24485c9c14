"""scale: indexes for keyset paging and counts; full-text search of comments
(PostgreSQL: English and Spanish tsvector expression indexes; SQLite: an FTS5 table kept
in step by triggers, which leave redacted text out)

Revision ID: 0014_scale
Revises: 0005_hardening
Create Date: 2026-11-29 12:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014_scale'
down_revision = '0008_public_reading'
branch_labels = None
depends_on = None

# Must stay identical to collab/reads/search.py (PG_DOCUMENT): PostgreSQL uses an
# expression index only for the very same expression.
PG_DOCUMENT = ("coalesce(comments.body, '') || ' ' || coalesce(comments.quote, '') || ' ' "
               "|| coalesce(comments.suggested_text, '')")
INDEXES = {
    'ix_comments_document_id_id': ['document_id', 'id'],
    'ix_comments_document_clause_parent_id': ['document_id', 'clause_id', 'parent_id', 'id'],
    'ix_comments_document_status_id': ['document_id', 'status', 'id'],
    'ix_comments_author_id_id': ['author_id', 'id'],
    'ix_comments_parent_id_id': ['parent_id', 'id'],
}
FTS_COLUMNS = "body, quote, suggested_text"
# An external-content FTS5 table must be told the old values of a row it forgets; rows
# that were never indexed (redacted ones) must not be "deleted" or the index breaks.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments WHEN new.redacted_at IS NULL BEGIN
          INSERT INTO comments_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.body, new.quote, new.suggested_text);
        END""",
    f"""CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments WHEN old.redacted_at IS NULL BEGIN
          INSERT INTO comments_fts(comments_fts, rowid, {FTS_COLUMNS})
          VALUES ('delete', old.id, old.body, old.quote, old.suggested_text);
        END""",
    f"""CREATE TRIGGER comments_fts_update_old AFTER UPDATE OF body, quote, suggested_text, redacted_at ON comments
        WHEN old.redacted_at IS NULL BEGIN
          INSERT INTO comments_fts(comments_fts, rowid, {FTS_COLUMNS})
          VALUES ('delete', old.id, old.body, old.quote, old.suggested_text);
        END""",
    f"""CREATE TRIGGER comments_fts_update_new AFTER UPDATE OF body, quote, suggested_text, redacted_at ON comments
        WHEN new.redacted_at IS NULL BEGIN
          INSERT INTO comments_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.body, new.quote, new.suggested_text);
        END""",
]


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'comments', columns)
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for config in ('english', 'spanish'):
            op.execute(f"CREATE INDEX ix_comments_fts_{config} ON comments "
                       f"USING gin (to_tsvector('{config}'::regconfig, {PG_DOCUMENT}))")
    elif dialect == 'sqlite':
        op.execute(f"CREATE VIRTUAL TABLE comments_fts USING fts5({FTS_COLUMNS}, content='comments', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        op.execute(f"INSERT INTO comments_fts(rowid, {FTS_COLUMNS}) "
                   "SELECT id, body, quote, suggested_text FROM comments WHERE redacted_at IS NULL")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for config in ('english', 'spanish'):
            op.execute(f"DROP INDEX ix_comments_fts_{config}")
    elif dialect == 'sqlite':
        for name in ('insert', 'delete', 'update_old', 'update_new'):
            op.execute(f"DROP TRIGGER comments_fts_{name}")
        op.execute("DROP TABLE comments_fts")
    for name in INDEXES:
        op.drop_index(name, 'comments')
