"""Full-text search: an FTS5 index on SQLite, tsvector columns with GIN on PostgreSQL

Revision ID: c9d0e1f2a3b5
Revises: b8c9d0e1f2a4
Create Date: 2026-11-30 09:30:00.000000

SQLite: two external-content FTS5 tables read the words from `question` and `answer`,
and triggers keep them in step inside the same transaction as every write, edit and
erasure. `secure-delete` (SQLite 3.42+, which Kettle's SQLite driver bundles) removes an
erased post's tokens from the index's stored segments instead of leaving them there.

PostgreSQL: a generated `search_vector` column on each table (title weighted above the
body), with a GIN index; PostgreSQL keeps it in step with every write by itself.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c9d0e1f2a3b5'
down_revision = 'b8c9d0e1f2a4'
branch_labels = None
depends_on = None

TOKENIZE = "porter unicode61 remove_diacritics 2"

SQLITE = [
    f"""CREATE VIRTUAL TABLE question_search USING fts5(
        title, body_source, content='question', content_rowid='id', tokenize='{TOKENIZE}')""",
    f"""CREATE VIRTUAL TABLE answer_search USING fts5(
        body_source, content='answer', content_rowid='id', tokenize='{TOKENIZE}')""",
    "INSERT INTO question_search(question_search, rank) VALUES ('secure-delete', 1)",
    "INSERT INTO answer_search(answer_search, rank) VALUES ('secure-delete', 1)",
    "INSERT INTO question_search(question_search) VALUES ('rebuild')",
    "INSERT INTO answer_search(answer_search) VALUES ('rebuild')",
    """CREATE TRIGGER question_search_insert AFTER INSERT ON question BEGIN
        INSERT INTO question_search(rowid, title, body_source)
        VALUES (new.id, new.title, new.body_source);
    END""",
    """CREATE TRIGGER question_search_delete AFTER DELETE ON question BEGIN
        INSERT INTO question_search(question_search, rowid, title, body_source)
        VALUES ('delete', old.id, old.title, old.body_source);
    END""",
    """CREATE TRIGGER question_search_update AFTER UPDATE OF title, body_source ON question
    BEGIN
        INSERT INTO question_search(question_search, rowid, title, body_source)
        VALUES ('delete', old.id, old.title, old.body_source);
        INSERT INTO question_search(rowid, title, body_source)
        VALUES (new.id, new.title, new.body_source);
    END""",
    """CREATE TRIGGER answer_search_insert AFTER INSERT ON answer BEGIN
        INSERT INTO answer_search(rowid, body_source) VALUES (new.id, new.body_source);
    END""",
    """CREATE TRIGGER answer_search_delete AFTER DELETE ON answer BEGIN
        INSERT INTO answer_search(answer_search, rowid, body_source)
        VALUES ('delete', old.id, old.body_source);
    END""",
    """CREATE TRIGGER answer_search_update AFTER UPDATE OF body_source ON answer BEGIN
        INSERT INTO answer_search(answer_search, rowid, body_source)
        VALUES ('delete', old.id, old.body_source);
        INSERT INTO answer_search(rowid, body_source) VALUES (new.id, new.body_source);
    END""",
]

POSTGRESQL = [
    """ALTER TABLE question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(body_source, '')), 'B')) STORED""",
    """ALTER TABLE answer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english', coalesce(body_source, ''))) STORED""",
    "CREATE INDEX ix_question_search_vector ON question USING GIN (search_vector)",
    "CREATE INDEX ix_answer_search_vector ON answer USING GIN (search_vector)",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(dialect, []):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for kind in ("question", "answer"):
            for change in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {kind}_search_{change}")
            op.execute(f"DROP TABLE IF EXISTS {kind}_search")
    else:
        for kind in ("question", "answer"):
            op.execute(f"DROP INDEX IF EXISTS ix_{kind}_search_vector")
            op.execute(f"ALTER TABLE {kind} DROP COLUMN IF EXISTS search_vector")
