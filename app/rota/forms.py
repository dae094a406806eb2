"""The rota page's forms: a rota name, and a moderator's own limits."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.core.forms import Chosen, MultiCheckboxField, fold_spaces, options


class RotaNameForm(FlaskForm):
    rota_name = StringField(
        "Your rota name",
        validators=[
            DataRequired("Please choose a rota name."),
            Length(max=200, message="A rota name needs 2 to 40 characters."),
        ],
        filters=[fold_spaces],
    )


NO_LIMIT = ""
NIGHT_HOURS = (18, 19, 20, 21, 22, 23, 0, 1, 2)


class LimitsForm(FlaskForm):
    """A moderator's own limits: shifts a week, no shifts after an hour, notes not reviewed."""

    shifts_per_week = SelectField(
        "At most this many shifts a week",
        choices=options(
            [(NO_LIMIT, "No limit of my own")] + [(str(n), str(n)) for n in range(1, 8)]
        ),
        validators=[Chosen("Please choose a number of shifts from the list.")],
        validate_choice=False,
    )
    night_from = SelectField(
        "No shifts after",
        choices=options(
            [(NO_LIMIT, "No limit of my own")] + [(str(h), f"{h:02d}:00") for h in NIGHT_HOURS]
        ),
        validators=[Chosen("Please choose an hour from the list.")],
        validate_choice=False,
    )
    opted_out = MultiCheckboxField(
        "Content notes I do not want to review",
        validators=[Chosen("Please choose content notes from the list.")],
        validate_choice=False,
    )

    def number(self, field):
        """The chosen number, or None for no limit."""
        return int(field.data) if field.data not in (None, NO_LIMIT) else None
