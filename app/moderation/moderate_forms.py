"""The forms a moderator on shift uses on a case."""

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from app.core.forms import Chosen, MultiCheckboxField, clean_line, clean_text, options
from app.core.urls import whole_number
from app.moderation import actions, rules
from app.topics.models import ContentNote
from app.web.extensions import db

ACTION_LABELS = {
    "dismiss": "Dismiss: leave the post as it is",
    "hide": "Hide it from readers (reversible). Hiding never waits for anyone",
    "restore": "Restore it for readers",
    "add-note": "Add a content note (choose it below)",
    "lock": "Lock the question: no new perspectives, and the asker cannot reopen it",
    "slow-mode": "Slow mode: each person can add one perspective per the minutes given below",
    "suspend-pseudonym": "Suspend the pseudonym for the days chosen below: it cannot post, and "
                         "its posts are held back from readers meanwhile (over 7 days needs a "
                         "second moderator)",
    "suspend-account": "Suspend the whole account for the days chosen below: none of its "
                       "pseudonyms can post, and this pseudonym's posts are held back; its "
                       "other names' posts stay, so nobody can tell they belong together "
                       "(always needs a second moderator)",
}  # fmt: skip
DAY_LABELS = [("1", "1 day"), ("3", "3 days"), ("7", "7 days"), ("30", "30 days")]


def _few_digits(form, field):
    """Stop at once on a number too long to be minutes, before any arithmetic on it."""
    if field.raw_data and len(str(field.raw_data[0])) > 4:
        raise StopValidation("Please give a number of minutes from 1 to 1440.")


def whole_or_none(value):
    """A form value as a whole number, or None for anything else (the service refuses it)."""
    return whole_number(str(value)) if value not in (None, "") else None


def version_seen(value):
    """The case version a moderator's page was showing, or None when absent or malformed."""
    return whole_number(str(value) if value is not None else "")


class ActForm(FlaskForm):
    action = RadioField(
        "What to do",
        choices=options(ACTION_LABELS.items()),
        validators=[DataRequired("Please choose what to do.")],
        validate_choice=False,  # the service refuses, in words, an action it does not know
    )
    reason = SelectField(
        "The community rule it rests on",
        validators=[DataRequired("Please choose the community rule this action rests on.")],
        validate_choice=False,
    )
    public_note = StringField(
        "A short public note for the log",
        validators=[
            DataRequired("Please write a short public note for the log."),
            Length(
                max=actions.PUBLIC_NOTE_MAX,
                message=f"Please keep the public note to {actions.PUBLIC_NOTE_MAX} characters.",
            ),
        ],
        filters=[clean_line],
    )
    author_message = TextAreaField(
        "A message to the author",
        validators=[
            Optional(),
            Length(
                max=actions.AUTHOR_MESSAGE_MAX,
                message=f"A message to the author can be up to {actions.AUTHOR_MESSAGE_MAX} "
                "characters.",
            ),
        ],
        filters=[clean_text],
    )
    content_notes = MultiCheckboxField(
        "Content notes to add", validate_choice=False,
        validators=[Chosen("Please choose notes from the list.")],
    )  # fmt: skip
    minutes = IntegerField(
        "Minutes between replies", validators=[Optional(), _few_digits, NumberRange(1, 1440)]
    )
    days = RadioField(
        "How long a suspension lasts", choices=options(DAY_LABELS), validate_choice=False
    )
    version = HiddenField(filters=[version_seen])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rule_choices = [(rule.slug, rule.title) for rule in rules.RULES]
        self.reason.choices = options([("", "Choose a rule"), *rule_choices])
        notes = db.session.scalars(select(ContentNote).order_by(ContentNote.position))
        self.content_notes.choices = options((n.slug, n.label) for n in notes)

    def validate_reason(self, field):
        if field.data not in rules.BY_SLUG:
            raise ValidationError("Please choose the community rule this action rests on.")

    def request(self):
        """What the moderator asked for, as the actions service takes it."""
        return actions.Request(
            action=self.action.data,
            reason=self.reason.data,
            public_note=self.public_note.data,
            author_message=(self.author_message.data or "").strip(),
            content_notes=tuple(self.content_notes.data or ()),
            minutes=self.minutes.data,
            days=whole_or_none(self.days.data),
            version=self.version.data,
        )
