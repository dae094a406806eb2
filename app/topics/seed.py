"""Default topics and content notes, added only when a list is empty."""

from sqlalchemy import func, select

from app.topics.models import ContentNote, Topic
from app.web.extensions import db

DEFAULT_TOPICS = (
    ("disclosure-and-identity", "Disclosure and identity",
     "Who to tell, what to say, and what to keep to yourself."),
    ("work-and-lived-experience-roles", "Work and lived-experience roles",
     "Peer work, lived-experience jobs, boundaries and being paid fairly."),
    ("services-treatment-and-rights", "Services, treatment and rights",
     "Getting help, saying no, appointments, sections and your rights."),
    ("relationships-family-and-friends", "Relationships, family and friends",
     "The people close to you, and the ones who are not any more."),
    ("money-benefits-and-housing", "Money, benefits and housing",
     "Assessments, forms, debt, rent and a safe place to live."),
    ("peer-support-and-groups", "Peer support and groups",
     "Running, joining or leaving groups, and supporting each other."),
    ("getting-through-today", "Getting through today",
     "Small questions about hard days."),
    ("different-people-in-different-places", "Being different people in different places",
     "Keeping parts of your life apart, and when they meet."),
    ("faith-culture-and-community", "Faith, culture and community",
     "Belief, tradition and belonging alongside your experience."),
)  # fmt: skip

DEFAULT_CONTENT_NOTES = (
    ("suicide", "Suicide"),
    ("self-harm", "Self-harm"),
    ("sexual-violence", "Sexual violence"),
    ("abuse", "Abuse"),
    ("eating-and-food", "Eating and food"),
    ("substances", "Alcohol and drugs"),
    ("detention-and-restraint", "Detention and restraint"),
    ("racism-and-discrimination", "Racism and discrimination"),
    ("death-and-grief", "Death and grief"),
    ("medication", "Medication"),
    ("police", "Police"),
    ("violence", "Violence"),
    ("pregnancy-and-baby-loss", "Pregnancy and baby loss"),
)


def seed_defaults():
    """Add the default topics and content notes where none exist yet, and commit.

    Returns how many rows were added, so running it twice adds nothing the second time.
    """
    added = 0
    if not db.session.scalar(select(func.count()).select_from(Topic)):
        for position, (slug, name, description) in enumerate(DEFAULT_TOPICS):
            db.session.add(Topic(slug=slug, name=name, description=description, position=position))
            added += 1
    if not db.session.scalar(select(func.count()).select_from(ContentNote)):
        for position, (slug, label) in enumerate(DEFAULT_CONTENT_NOTES):
            db.session.add(ContentNote(slug=slug, label=label, position=position))
            added += 1
    db.session.commit()
    return added
