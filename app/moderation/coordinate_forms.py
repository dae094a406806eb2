"""The forms a coordinator uses: roles, the curated lists, and measures during a raid.

Lengths are checked by the services (app.moderation.coordinating), which say so in words;
the forms here only refuse what is missing or not one of the choices offered.
"""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import Chosen, clean_line, fold_spaces, options
from app.moderation import raids
from app.topics.queries import all_topics

CHANGES = [("give", "Give the moderator role"), ("take", "Take the moderator role away")]
HOUR_LABELS = [(str(hours), "1 hour" if hours == 1 else f"{hours} hours") for hours in raids.HOURS]
FACTOR_LABELS = [("2", "Halve them: each post counts twice"),
                 ("4", "Divide them by 4: each post counts four times")]  # fmt: skip
MUCH_TIGHTER = "Please choose how much tighter."
CHOOSE_HOURS = "Please choose how long it lasts: 1, 6 or 24 hours."


def _hours():
    return RadioField(
        "How long it lasts",
        choices=options(HOUR_LABELS),
        validate_choice=False,
        validators=[DataRequired(CHOOSE_HOURS), Chosen(CHOOSE_HOURS)],
    )


class RoleForm(FlaskForm):
    handle = StringField(
        "Their login name",
        validators=[
            DataRequired("Please give the login name of the person's account."),
            Length(max=200, message="A login name has up to 40 characters."),
        ],
        filters=[fold_spaces],
    )
    change = RadioField(
        "What to do",
        choices=options(CHANGES),
        default="give",
        validate_choice=False,
        validators=[DataRequired("Please choose what to do."), Chosen("Please choose what to do.")],
    )


class TopicForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Please give the topic a name.")],
        filters=[clean_line],
    )
    description = TextAreaField("Description", filters=[clean_line])


class NoteForm(FlaskForm):
    label = StringField(
        "Name of the note",
        validators=[DataRequired("Please give the content note a name.")],
        filters=[clean_line],
    )


class PauseForm(FlaskForm):
    topic = SelectField(
        "Topic",
        validate_choice=False,
        validators=[DataRequired("Please choose a topic."), Chosen("Please choose a topic.")],
    )
    hours = _hours()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="pause", **kwargs)
        self.topic.choices = options([("", "Choose a topic")] +
                                     [(t.slug, t.name) for t in all_topics()])  # fmt: skip


class TightenForm(FlaskForm):
    factor = RadioField(
        "How much tighter",
        choices=options(FACTOR_LABELS),
        validate_choice=False,
        validators=[DataRequired(MUCH_TIGHTER), Chosen(MUCH_TIGHTER)],
    )
    hours = _hours()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="tighten", **kwargs)


class CollapseForm(FlaskForm):
    threshold = RadioField(
        "Fold a post away once this many different people have reported it",
        validate_choice=False,
        validators=[DataRequired("Please choose a number."), Chosen("Please choose a number.")],
    )
    hours = _hours()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="collapse", **kwargs)
        self.threshold.choices = options(
            (str(n), "1 person" if n == 1 else f"{n} people") for n in raids.collapse_choices()
        )
