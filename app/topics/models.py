"""Topics and content notes: small curated lists that coordinators edit."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.web.extensions import db


class Topic(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class ContentNote(db.Model):
    """A note from the curated list, such as "self-harm", that readers can choose to see or not."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
