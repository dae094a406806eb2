"""What the rota holds about one person, for their export: their rota name and own limits,
the shifts they signed up for and their time on shift, their words in second opinions,
and their private notices. Coordinators' views never show most of this; the person does."""

from sqlalchemy import select

from app.core.time import iso
from app.moderation.notices import ModeratorNotice
from app.moderation.opinions import SecondOpinion, SecondOpinionReply
from app.rota import limits
from app.rota.models import PlannedShift, Shift, SignUp
from app.web.extensions import db


def rota_record(account):
    """The person's rota data as plain JSON-ready values (times RFC 3339, to the minute)."""
    own = limits.of(account.id)
    planned = db.session.scalars(
        select(PlannedShift).join(SignUp).where(SignUp.account_id == account.id)
        .order_by(PlannedShift.starts_at)
    )  # fmt: skip
    shifts = db.session.scalars(
        select(Shift).where(Shift.account_id == account.id).order_by(Shift.started_at)
    )
    asked = db.session.scalars(
        select(SecondOpinion).where(SecondOpinion.asked_by_id == account.id)
        .order_by(SecondOpinion.id)
    )  # fmt: skip
    replied = db.session.scalars(
        select(SecondOpinionReply).where(SecondOpinionReply.by_id == account.id)
        .order_by(SecondOpinionReply.id)
    )  # fmt: skip
    notices = db.session.scalars(
        select(ModeratorNotice).where(ModeratorNotice.account_id == account.id)
        .order_by(ModeratorNotice.id)
    )  # fmt: skip
    return {
        "rota_name": account.rota_name,
        "own_limits": {
            "shifts_per_week": own.shifts_per_week,
            "no_shifts_after_hour": own.night_from,
            "content_notes_not_reviewed": [note.slug for note in own.opted_out],
        },
        "signed_up_for": [
            {"starts_at": iso(p.starts_at), "ends_at": iso(p.ends_at)} for p in planned
        ],
        "time_on_shift": [
            {
                "started_at": iso(s.started_at),
                "ended_at": iso(s.ended_at or s.ends_at),
                "how_it_ended": s.ended_how or "ended",
            }
            for s in shifts
        ],
        "second_opinions_asked": [
            {"case_id": o.case_id, "question": o.question, "asked_at": iso(o.asked_at)}
            for o in asked
        ],
        "second_opinion_replies": [
            {"conversation_id": r.opinion_id, "text": r.text, "at": iso(r.at)} for r in replied
        ],
        "private_notices": [
            {"kind": n.kind, "at": iso(n.created_at), "dismissed": n.seen_at is not None}
            for n in notices
        ],
    }
