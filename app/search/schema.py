"""What the search index adds to the schema outside the models (migration 0020).

The models do not map it: on SQLite it is FTS5 virtual tables with their shadow tables and
triggers, on PostgreSQL a generated `search_vector` column and its GIN index per table.
Alembic's comparison of models and database skips exactly these names.
"""

SEARCH_TABLES = ("question_search", "answer_search")
SEARCH_COLUMN = "search_vector"
SEARCH_INDEXES = ("ix_question_search_vector", "ix_answer_search_vector")


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic's `include_object`: False for the search index's own tables, columns and
    indexes, which migration 0020 writes by hand; True for everything else."""
    if type_ == "table" and any(name.startswith(table) for table in SEARCH_TABLES):
        return False
    if type_ == "column" and name == SEARCH_COLUMN:
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)
