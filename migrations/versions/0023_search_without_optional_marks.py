"""Search reads the words a reader sees, however they were typed

Revision ID: f2a3b4c5d6e8
Revises: e1f2a3b4c5d7
Create Date: 2026-12-01 01:40:00.000000

Both indexes now read a post's shown text (its HTML without tags: never a link's address
or Markdown's markup) the way app.core.folding says, so the same words are found on either
database:
- without optional marks and invisible characters (folding.LEFT_OUT): "المربى" finds
  "المُرَبَّى", and "panic" finds a "pan\u00adic" pasted with a soft hyphen;
- SQLite: compatibility-normalised, Latin letters as ASCII ("lodz" finds "Łódź", "panic"
  finds full-width letters), Greek without accents, as PostgreSQL's `unaccent` already
  read them, and symbols as spaces ("tired" finds "so tired🥺": FTS5's older Unicode
  tables read newer emoji as letters);
- PostgreSQL: compatibility-normalised too (`normalize`, so a UTF-8 database), and split
  at every ASCII punctuation mark, as FTS5 splits ("depressed" finds "anxious/depressed",
  "anxiety" finds "sleep.Anxiety"): its parser read those as one file name, host or email
  address. Words joined to digits ("Café2") are read through `unaccent` too.

SQLite: FTS5's unicode61 tokenizer split words at every mark, so "कुल" was indexed as "क"
and "ल"; marks are now word characters (`categories`). Each table reads its words through a
view calling `kettle_searchable` and `kettle_searchable_html`, functions every Kettle
connection registers (app.web.database); the triggers call them too, so 'delete' is given
exactly the words that were indexed, and FTS5's 'rebuild' and 'integrity-check' read the
same, for as long as the reading stays the same: `search_folding` records the one the index
was built with, and `init-db` rebuilds it when Kettle reads words another way
(app.search.schema.keep_folding). PostgreSQL: the generated `search_vector` columns do the same in SQL (LEFT_OUT is
written out here from ICU as this migration ran).
"""
import icu
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f2a3b4c5d6e8'
down_revision = 'e1f2a3b4c5d7'
branch_labels = None
depends_on = None

LEFT_OUT = "[[:^ccc=0:][:Default_Ignorable_Code_Point:]]"  # app.core.folding.LEFT_OUT
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
TOKENIZE = "porter unicode61 remove_diacritics 2"


# --- SQLite ------------------------------------------------------------------------------

def _sqlite(columns, tokenize, view):
    """Statements making both FTS5 tables and their triggers. `columns` maps each table to
    its index's columns, each (name, the table's column it reads, the function it reads
    it through or None); `view` says whether the index reads them through a view."""
    statements = []
    for table, read in columns.items():
        index = f"{table}_search"
        names = ", ".join(name for name, _, _ in read)
        sources = ", ".join(source for _, source, _ in read)

        def reads(row, read=read):
            """Each column's SQL as read from `row`."""
            return [f"{function}({row}.{source})" if function else f"{row}.{source}"
                    for _, source, function in read]

        def values(row):
            return ", ".join(reads(row))

        content = table
        if view:
            content = f"{table}_search_words"
            words = ", ".join(f"{sql} AS {name}"
                              for sql, (name, _, _) in zip(reads(table), read, strict=True))
            statements.append(f"CREATE VIEW {content} AS SELECT id, {words} FROM {table}")
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
            f"""CREATE TRIGGER {index}_update AFTER UPDATE OF {sources} ON {table} BEGIN
                INSERT INTO {index}({index}, rowid, {names})
                VALUES ('delete', old.id, {values("old")});
                INSERT INTO {index}(rowid, {names}) VALUES (new.id, {values("new")});
            END""",
        ]
    return statements


SHOWN = {
    "question": [
        ("title", "title", "kettle_searchable"),
        ("body", "body_html", "kettle_searchable_html"),
    ],
    "answer": [("body", "body_html", "kettle_searchable_html")],
}
TYPED = {  # migration 0020's
    "question": [("title", "title", None), ("body_source", "body_source", None)],
    "answer": [("body_source", "body_source", None)],
}


def _drop_sqlite():
    for table in ("question", "answer"):
        for change in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_{change}")
        op.execute(f"DROP TABLE IF EXISTS {table}_search")
        op.execute(f"DROP VIEW IF EXISTS {table}_search_words")


# --- PostgreSQL --------------------------------------------------------------------------

def _left_out():
    """A PostgreSQL regular expression bracket matching every LEFT_OUT character."""

    def escape(char):
        code = ord(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    ranges = icu.UnicodeSet(LEFT_OUT).ranges()
    return "[" + "".join(escape(a) + ("" if a == b else "-" + escape(b)) for a, b in ranges) + "]"


def _searchable(sql):
    """SQL reading text as app.core.folding.searchable does: NFKC (PostgreSQL 13+, in a
    UTF-8 database), LEFT_OUT left out, ASCII punctuation as spaces; `unaccent` in
    kettle_english folds accents where Latin-ASCII does."""
    spaces = " " * len(PUNCTUATION)
    punctuation = PUNCTUATION.replace("'", "''")
    stripped = f"regexp_replace(normalize({sql}, NFKC), '{_left_out()}', '', 'g')"
    return f"translate({stripped}, '{punctuation}', '{spaces}')"


def _shown(sql):
    """What a reader sees of Kettle's sanitised HTML: tags dropped, as markupsafe's
    striptags drops them; its only entities (&amp; &lt; &gt; &quot;) are punctuation, which
    separates words either way."""
    return f"regexp_replace(regexp_replace({sql}, '<[^>]*>', '', 'g'), '&[#a-z0-9]+;', ' ', 'gi')"


def _vectors(title, body):
    """Statements remaking both generated columns: `title` and `body` give the SQL a
    question's title and a post's body are read through."""

    def vector(sql):
        return f"to_tsvector('kettle_english', {sql})"

    return [
        "DROP INDEX IF EXISTS ix_question_search_vector",
        "DROP INDEX IF EXISTS ix_answer_search_vector",
        "ALTER TABLE question DROP COLUMN search_vector",
        "ALTER TABLE answer DROP COLUMN search_vector",
        f"""ALTER TABLE question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight({vector(title)}, 'A') || setweight({vector(body)}, 'B')) STORED""",
        f"""ALTER TABLE answer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            {vector(body)}) STORED""",
        "CREATE INDEX ix_question_search_vector ON question USING GIN (search_vector)",
        "CREATE INDEX ix_answer_search_vector ON answer USING GIN (search_vector)",
    ]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite()
        for statement in _sqlite(SHOWN, f"{TOKENIZE} categories ''L* N* Co M*''", view=True):
            op.execute(statement)
        # Which way of reading words the index was built with: app.search.schema.keep_folding
        # fills it, and rebuilds the index when Kettle reads words another way.
        op.execute("CREATE TABLE search_folding (folding VARCHAR(200) NOT NULL)")
    elif dialect == "postgresql":
        title = _searchable("coalesce(title, '')")
        body = _searchable(_shown("coalesce(body_html, '')"))
        for statement in _vectors(title, body):
            op.execute(statement)
        # Words joined to digits ("Café2") were read without unaccent.
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION kettle_english "
            "ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite()
        op.execute("DROP TABLE IF EXISTS search_folding")
        for statement in _sqlite(TYPED, TOKENIZE, view=False):
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION kettle_english "
            "ALTER MAPPING FOR numword, numhword, hword_numpart WITH simple"
        )
        for statement in _vectors("coalesce(title, '')", "coalesce(body_source, '')"):
            op.execute(statement)
