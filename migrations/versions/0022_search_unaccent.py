"""Search on PostgreSQL ignores accents, as SQLite's index does: "cafe" finds "café"

Revision ID: e1f2a3b4c5d7
Revises: d0e1f2a3b4c6
Create Date: 2026-11-30 22:30:00.000000

PostgreSQL's `english` configuration keeps diacritics, while SQLite's FTS5 index removes
them (`remove_diacritics 2`), so the same search found different posts on the two
databases. `kettle_english` is `english` with the `unaccent` dictionary (a trusted contrib
extension: the database's owner may create it) before the stemmer; both generated
`search_vector` columns are remade with it, and their GIN indexes with them.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1f2a3b4c5d7'
down_revision = 'd0e1f2a3b4c6'
branch_labels = None
depends_on = None


def _vectors(config):
    return [
        "DROP INDEX IF EXISTS ix_question_search_vector",
        "DROP INDEX IF EXISTS ix_answer_search_vector",
        "ALTER TABLE question DROP COLUMN search_vector",
        "ALTER TABLE answer DROP COLUMN search_vector",
        f"""ALTER TABLE question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{config}', coalesce(title, '')), 'A')
            || setweight(to_tsvector('{config}', coalesce(body_source, '')), 'B')) STORED""",
        f"""ALTER TABLE answer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            to_tsvector('{config}', coalesce(body_source, ''))) STORED""",
        "CREATE INDEX ix_question_search_vector ON question USING GIN (search_vector)",
        "CREATE INDEX ix_answer_search_vector ON answer USING GIN (search_vector)",
    ]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE TEXT SEARCH CONFIGURATION kettle_english (COPY = english)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION kettle_english "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
    )
    for statement in _vectors("kettle_english"):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _vectors("english"):
        op.execute(statement)
    op.execute("DROP TEXT SEARCH CONFIGURATION kettle_english")
