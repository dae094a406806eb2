"""Search reads words without their optional marks: "المربى" finds "المُرَبَّى"

Revision ID: f2a3b4c5d6e8
Revises: e1f2a3b4c5d7
Create Date: 2026-12-01 01:40:00.000000

Arabic and Hebrew are mostly written without their vowel marks (harakat, niqqud), so a
post that has them was never found by the word as most people type it. Both indexes now
read each post without the marks that carry a canonical combining class (the set
`app.core.cleaning.OPTIONAL_MARKS` names), and search strips the same from what is typed.

SQLite: FTS5's unicode61 tokenizer split words at every mark, so "कुल" was indexed as
"क" and "ल"; marks are now word characters (`categories`), and each table reads its
words through a view that calls `kettle_unmarked`, a function every Kettle connection
registers (app.web.database). The triggers call it too, so 'delete' is given exactly the
words that were indexed, and FTS5's own 'rebuild' and 'integrity-check' read the same.
PostgreSQL: both generated `search_vector` columns strip the same marks by a regular
expression before `kettle_english` reads them (the set is written out here, from ICU, as
this migration ran).
"""
import icu
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f2a3b4c5d6e8'
down_revision = 'e1f2a3b4c5d7'
branch_labels = None
depends_on = None

OPTIONAL_MARKS = "[:^ccc=0:]"  # app.core.cleaning.OPTIONAL_MARKS when this was written
TOKENIZE = "porter unicode61 remove_diacritics 2"
TABLES = {"question": ("title", "body_source"), "answer": ("body_source",)}


def _sqlite(tokenize, unmarked):
    """Statements making both FTS5 tables, their content views and triggers; `unmarked`
    wraps a column's SQL in whatever the index should read of it."""
    statements = []
    for table, columns in TABLES.items():
        index, content = f"{table}_search", f"{table}_search_words"
        names = ", ".join(columns)

        def values(row, columns=columns):
            return ", ".join(unmarked(f"{row}.{c}") for c in columns)

        if unmarked("x") != "x":
            words = ", ".join(f"{unmarked(c)} AS {c}" for c in columns)
            statements.append(f"CREATE VIEW {content} AS SELECT id, {words} FROM {table}")
        else:
            content = table
        statements += [
            f"""CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{content}',
                content_rowid='id', tokenize='{tokenize}')""",
            f"INSERT INTO {index}({index}, rank) VALUES ('secure-delete', 1)",
            f"INSERT INTO {index}({index}) VALUES ('rebuild')",
            f"""CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN
                INSERT INTO {index}(rowid, {names}) VALUES (new.id, {values("new")});
            END""",
            f"""CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN
                INSERT INTO {index}({index}, rowid, {names})
                VALUES ('delete', old.id, {values("old")});
            END""",
            f"""CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} BEGIN
                INSERT INTO {index}({index}, rowid, {names})
                VALUES ('delete', old.id, {values("old")});
                INSERT INTO {index}(rowid, {names}) VALUES (new.id, {values("new")});
            END""",
        ]
    return statements


def _drop_sqlite():
    for table in TABLES:
        for change in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{change}")
        op.execute(f"DROP TABLE IF EXISTS {table}_search")
        op.execute(f"DROP VIEW IF EXISTS {table}_search_words")


def _marks_pattern():
    """A PostgreSQL regular expression bracket matching every OPTIONAL_MARKS character."""

    def escape(char):
        code = ord(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    ranges = icu.UnicodeSet(OPTIONAL_MARKS).ranges()
    return "[" + "".join(escape(a) + ("" if a == b else "-" + escape(b)) for a, b in ranges) + "]"


def _vectors(config, unmarked):
    def vector(column):
        return f"to_tsvector('{config}', {unmarked(f'coalesce({column}, {chr(39) * 2})')})"

    return [
        "DROP INDEX IF EXISTS ix_question_search_vector",
        "DROP INDEX IF EXISTS ix_answer_search_vector",
        "ALTER TABLE question DROP COLUMN search_vector",
        "ALTER TABLE answer DROP COLUMN search_vector",
        f"""ALTER TABLE question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight({vector("title")}, 'A') || setweight({vector("body_source")}, 'B'))
            STORED""",
        f"""ALTER TABLE answer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            {vector("body_source")}) STORED""",
        "CREATE INDEX ix_question_search_vector ON question USING GIN (search_vector)",
        "CREATE INDEX ix_answer_search_vector ON answer USING GIN (search_vector)",
    ]


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _drop_sqlite()
        tokenize = f"{TOKENIZE} categories ''L* N* Co M*''"
        for statement in _sqlite(tokenize, lambda sql: f"kettle_unmarked({sql})"):
            op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        pattern = _marks_pattern()
        for statement in _vectors(
            "kettle_english", lambda sql: f"regexp_replace({sql}, '{pattern}', '', 'g')"
        ):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _drop_sqlite()
        for statement in _sqlite(TOKENIZE, lambda sql: sql):
            op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        for statement in _vectors("kettle_english", lambda sql: sql):
            op.execute(statement)
