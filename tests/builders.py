"""Small builders that store posts through Kettle's own services."""

import re

from sqlalchemy import select

from app.accounts.identity import Author
from app.questions import services
from app.topics.models import ContentNote, Topic
from app.web.extensions import db

KEEPER_LINK = re.compile(r'id="keeper-link"[^>]*href="(/keep/[^"]+)"')


def notes(*slugs):
    if not slugs:
        return []
    found = db.session.scalars(select(ContentNote).where(ContentNote.slug.in_(slugs))).all()
    assert len(found) == len(slugs), f"unknown note in {slugs}"
    return list(found)


def keeper_link(html):
    """The keeper link a page shows, or None."""
    match = KEEPER_LINK.search(html)
    return match.group(1) if match else None


class Builders:
    """Each build commits in its own app context and hands back a detached, loaded post."""

    def __init__(self, app):
        self.app = app

    def _detached(self, posted):
        db.session.refresh(posted.post)
        db.session.expunge(posted.post)
        return posted

    def question(self, title="Should I tell my new manager?", body="I start on Monday.",
                 topic="work-and-lived-experience-roles", content_notes=(), other=""):  # fmt: skip
        with self.app.app_context():
            topic_row = db.session.scalar(select(Topic).where(Topic.slug == topic))
            fields = {"title": title, "body": body, "content_notes": notes(*content_notes),
                      "content_note_other": other}  # fmt: skip
            return self._detached(services.ask(topic_row, Author(), fields))

    def answer(self, question, body="What helped me was waiting a month.", kind=None,
               content_notes=(), other="", by_asker=False):  # fmt: skip
        with self.app.app_context():
            fields = {"body": body, "content_notes": notes(*content_notes),
                      "content_note_other": other, "kind": kind}  # fmt: skip
            live = db.session.merge(question, load=True)
            return self._detached(services.answer(live, Author(), fields, by_asker=by_asker))
