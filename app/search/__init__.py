"""Full-text search over questions and perspectives, through the readers' one visibility
rule (app.questions.visibility): FTS5 on SQLite, tsvector with GIN on PostgreSQL."""
