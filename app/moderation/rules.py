"""Kettle's community rules: short, published on /how-it-works, and the only reasons a
moderator may give for an action (each log entry names one by its slug)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    slug: str
    title: str
    summary: str


RULES = (
    Rule("be-kind", "Be kind to each other",
         "No attacks, mockery or pile-ons; disagree with an idea, never with a person."),
    Rule("no-identifying", "Keep people unidentifiable",
         "No names, places, photos or details that could lead to a real person, you included."),
    Rule("use-content-notes", "Use content notes",
         "Put a note on hard subject matter, so readers can choose whether to open it."),
    Rule("plural-perspectives", "Offer perspectives, not orders",
         "Share what you know or lived; nobody is told what they must do."),
    Rule("no-selling", "No selling or spam",
         "No advertising, recruiting, fundraising or links posted again and again."),
    Rule("within-the-law", "Stay within the law",
         "Nothing that encourages or assists suicide or self-harm, and no intimate images "
         "shared without consent."),
    Rule("on-topic", "Keep it to Kettle's purpose",
         "Questions and perspectives about living with mental ill-health, distress or trauma."),
)  # fmt: skip
BY_SLUG = {rule.slug: rule for rule in RULES}


def title(slug):
    """The rule's title, or the slug itself for a rule since retired (old log entries)."""
    rule = BY_SLUG.get(slug)
    return rule.title if rule else slug
