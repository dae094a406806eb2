"""Private notices to a moderator about their own decisions. For now there is one kind: an
appeal against a decision they made (or approved) was overturned. Disagreement is a
conversation, never a silent reversal, so they are told, kindly and only them.

A notice names the day of the decision and what was done, which the moderator knew
already; never the appeal's words, who appealed, or the message to them. It stays on the
moderator's rota page and queue until they dismiss it, and nothing about it is recorded
against anyone. It goes when their account is deleted (the foreign key cascades).
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import now
from app.moderation.log import LogEntry
from app.web.extensions import db

OVERTURNED = "overturned"


class ModeratorNotice(db.Model):
    """One private notice to one moderator, until they dismiss it."""

    __tablename__ = "moderator_notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    log_entry_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_log.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now)
    seen_at: Mapped[datetime | None]

    entry: Mapped[LogEntry] = relationship(lazy="joined")

    __table_args__ = ({"sqlite_autoincrement": True},)

    @property
    def approved(self):
        """True when the moderator approved the decision rather than making it."""
        return self.entry.moderator_id != self.account_id


def tell_overturned(entry):
    """Tell the moderator who made the decision `entry` logs, and the one who approved it,
    that an appeal reversed it; in the caller's transaction. An automatic decision tells
    nobody."""
    for account_id in dict.fromkeys((entry.moderator_id, entry.second_moderator_id)):
        if account_id is not None:
            db.session.add(
                ModeratorNotice(account_id=account_id, kind=OVERTURNED, log_entry_id=entry.id)
            )


def unseen_for(account):
    """The notices `account` has not dismissed, newest first. Reads only."""
    if account is None:
        return []
    return db.session.scalars(
        select(ModeratorNotice)
        .where(ModeratorNotice.account_id == account.id, ModeratorNotice.seen_at.is_(None))
        .order_by(ModeratorNotice.id.desc())
    ).all()


def dismiss(notice_id, account):
    """Mark `account`'s notice as seen, and commit. Returns False, changing nothing, when
    `account` has no unseen notice with this id (another person's is never touched)."""
    done = db.session.execute(
        update(ModeratorNotice)
        .where(
            ModeratorNotice.id == notice_id,
            ModeratorNotice.account_id == account.id,
            ModeratorNotice.seen_at.is_(None),
        )
        .values(seen_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return done.rowcount == 1
