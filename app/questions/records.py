"""One post as plain data: the part the API and a person's export share, built once."""

from app.core.time import iso
from app.questions.models import Question


def post_record(post):
    """A question or answer as plain data: its id, notes, times, and its topic or kind.

    Words, titles and names are added by each caller: the API adds what any reader sees, the
    export adds what is the author's own. A note in the author's own words is None when
    there is none."""
    record = {
        "id": post.id,
        "content_notes": [note.slug for note in post.content_notes],
        "content_note_other": post.content_note_other or None,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
    }
    if isinstance(post, Question):
        record["topic"] = post.topic.slug
    else:
        record["kind"] = post.kind
    return record
