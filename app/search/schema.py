"""What the search index adds to the schema outside the models (migration 0020).

The models do not map it: on SQLite it is FTS5 virtual tables with their shadow tables and
triggers, on PostgreSQL a generated `search_vector` column and its GIN index per table.
Alembic's comparison of models and database skips exactly these names.
"""

import logging

from sqlalchemy import text

from app.core import folding

SEARCH_TABLES = ("question_search", "answer_search")
# SQLite: the folding.VERSION both FTS5 indexes were last built with (migration 0023).
FOLDING_TABLE = "search_folding"
log = logging.getLogger(__name__)
SEARCH_COLUMN = "search_vector"
SEARCH_INDEXES = ("ix_question_search_vector", "ix_answer_search_vector")


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic's `include_object`: False for the search index's own tables, columns and
    indexes, which migrations 0020 and 0023 write by hand; True for everything else."""
    if type_ == "table" and name == FOLDING_TABLE:
        return False
    if type_ == "table" and any(name.startswith(table) for table in SEARCH_TABLES):
        return False
    if type_ == "column" and name == SEARCH_COLUMN:
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)


def tidy(engine):
    """Rewrite both search indexes so nothing of an erased word outlives it there; returns
    the names of the indexes rewritten. Commits on its own connection; Kettle keeps serving.

    SQLite: FTS5's `optimize` merges each index into one segment, dropping the page
    directory entries (the first letters of a page's first word) that secure-delete leaves;
    the write-ahead log is then checkpointed into the file, where secure_delete zeroed what
    was freed. PostgreSQL: `REINDEX INDEX CONCURRENTLY`, since a GIN index keeps an entry
    for every word it ever held (VACUUM empties it, never removes it). Run daily (README).
    """
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            for table in SEARCH_TABLES:  # names from this module, never from input
                optimize = f"INSERT INTO {table}({table}) VALUES ('optimize')"  # noqa: S608
                connection.exec_driver_sql(optimize)
            connection.commit()
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return list(SEARCH_TABLES)
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        for index in SEARCH_INDEXES:
            connection.exec_driver_sql(f"REINDEX INDEX CONCURRENTLY {index}")
        return list(SEARCH_INDEXES)


def keep_folding(engine):
    """SQLite: rebuild both FTS5 indexes (FTS5's 'rebuild', reading every post again)
    unless they are recorded as built with this Kettle's way of reading words
    (folding.VERSION: it changes with an upgrade of Kettle, ICU or Python), and record it.
    True when the record named another way (an upgrade), False when it named this one or
    none (a new index, rebuilt to be sure).
    Without it, telling an index to forget a post's words (an edit, an erasure) would give
    it other words than it holds, which FTS5 refuses. Commits on its own connection.
    PostgreSQL recomputes its columns itself: False. Called by `init-db` and `search tidy`.
    """
    if engine.dialect.name != "sqlite":
        return False
    with engine.begin() as connection:
        built = connection.scalar(text(f"SELECT folding FROM {FOLDING_TABLE}"))  # noqa: S608
        if built == folding.VERSION:
            return False
        for table in SEARCH_TABLES:  # names from this module, never from input
            connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('rebuild')")  # noqa: S608
        connection.execute(text(f"DELETE FROM {FOLDING_TABLE}"))  # noqa: S608
        connection.execute(
            text(f"INSERT INTO {FOLDING_TABLE} (folding) VALUES (:version)"),  # noqa: S608
            {"version": folding.VERSION},
        )
    if built is None:
        return False
    log.info("Search index rebuilt: it was built with another way of reading words")
    return True
