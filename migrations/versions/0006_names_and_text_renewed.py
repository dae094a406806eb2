"""Names and text renewed: deleted accounts' names kept, look-alike keys and stored HTML remade

Revision ID: c6f2d1b3e8a5
Revises: e2b8d4f1a6c3
Create Date: 2026-11-29 20:40:00

Adds `reserved_name` (SHA-256 of the comparison keys of deleted accounts' pseudonyms), then
brings existing rows up to today's rules, using Kettle's own functions so old and
new rows agree: every pseudonym's `name_key` is recomputed with the UTS #39 key
(app.accounts.names.fold), and every post is cleaned and rendered again
(app.core.cleaning, app.core.text), so old posts keep their line breaks and lose
characters feeds cannot carry. Both steps are idempotent.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c6f2d1b3e8a5'
down_revision = 'e2b8d4f1a6c3'
branch_labels = None
depends_on = None

BATCH = 500
KEY_MAX = 120

pseudonym = sa.table(
    'pseudonym',
    sa.column('id', sa.Integer),
    sa.column('display_name', sa.String),
    sa.column('name_key', sa.String),
)
POSTS = [
    sa.table(
        name,
        sa.column('id', sa.Integer),
        sa.column('body_source', sa.Text),
        sa.column('body_html', sa.Text),
        sa.column('content_note_other', sa.String),
        *([sa.column('title', sa.String)] if name == 'question' else []),
    )
    for name in ('question', 'answer')
]


def _batches(connection, table, *columns):
    """Rows in id order, a batch at a time, so a large table never sits in memory."""
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, *columns).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def renew_name_keys(connection):
    """Recompute every pseudonym's key. Where two older names now collide, the older
    keeps the key (so look-alikes of it stay refused) and the newer one a key of its own."""
    from app.accounts.names import fold

    taken, keys = set(), {}
    for rows in _batches(connection, pseudonym, pseudonym.c.display_name):
        for row in rows:
            key = fold(row.display_name)[:KEY_MAX]
            if key in taken:
                key = f"{key[: KEY_MAX - 12]}#{row.id}"
            taken.add(key)
            keys[row.id] = key
    # Two passes, so no key is ever held twice for a moment (the column is unique).
    for new_keys in ({i: f"#renewing#{i}" for i in keys}, keys):
        for row_id, key in new_keys.items():
            connection.execute(
                pseudonym.update().where(pseudonym.c.id == row_id).values(name_key=key)
            )


def renew_posts(connection):
    """Clean every post's words and render its HTML again with today's rules."""
    from app.core.cleaning import clean_line, clean_text
    from app.core.text import render

    for table in POSTS:
        text_columns = [c for c in table.c if c.name != 'id']
        for rows in _batches(connection, table, *text_columns):
            for row in rows:
                values = {
                    'body_source': clean_text(row.body_source or ''),
                    'body_html': render(row.body_source or ''),
                    'content_note_other': clean_line(row.content_note_other or ''),
                }
                if 'title' in table.c:
                    values['title'] = clean_line(row.title or '')
                changed = {k: v for k, v in values.items() if getattr(row, k) != v}
                if changed:
                    connection.execute(table.update().where(table.c.id == row.id).values(**changed))


def upgrade():
    op.create_table('reserved_name',
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('name_key', name=op.f('pk_reserved_name'))
    )
    connection = op.get_bind()
    renew_name_keys(connection)
    renew_posts(connection)


def downgrade():
    # The renewed keys and HTML stay: the older rules would only make them worse.
    op.drop_table('reserved_name')
