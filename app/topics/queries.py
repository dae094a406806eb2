"""The curated lists, in the order coordinators set: every page, form and the API read them here."""

from sqlalchemy import select

from app.topics.models import ContentNote, Topic
from app.web.extensions import db


def all_topics():
    """Every topic, in the order coordinators set."""
    return db.session.scalars(select(Topic).order_by(Topic.position)).all()


def all_notes():
    """Every content note on the curated list, in the order coordinators set."""
    return db.session.scalars(select(ContentNote).order_by(ContentNote.position)).all()
