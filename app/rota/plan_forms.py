"""The coordinators' forms: a pattern of shifts to plan, and whether the rota is open to cover.

The forms only read what was sent; what a pattern may be is app.rota.pattern's to say.
"""

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, RadioField, SelectField, widgets
from wtforms.validators import InputRequired

from app.core.forms import Chosen, options

HOURS_FROM = [(str(h), f"{h:02d}:00") for h in range(24)]
HOURS_TO = [(str(h), f"{h:02d}:00") for h in range(1, 24)] + [("24", "24:00 (midnight)")]
COVER = [
    ("yes", "Open to cover: a moderator may start a shift when nobody signed up for that "
            "hour is on shift"),
    ("no", "Only planned shifts: moderators start only within shifts they signed up for"),
]  # fmt: skip


class HoursField(DecimalField):
    """A number of hours; "NaN" and "Infinity", which Decimal reads, count as no number.
    Its page gives the step (half hours), so the widget adds none of its own."""

    widget = widgets.NumberInput()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if valuelist and self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid_value_message)


class PatternForm(FlaskForm):
    first_day = DateField(
        "First day",
        validators=[InputRequired("Please choose the first day to plan.")],
        invalid_value_message="Please give the first day as a date, such as 2027-03-29.",
    )
    days = IntegerField(
        "Number of days",
        validators=[InputRequired("Please say how many days to plan.")],
        invalid_value_message="Please give the number of days as a whole number, such as 7.",
    )
    from_hour = SelectField(
        "First slot starts at", choices=options(HOURS_FROM), validate_choice=False,
        validators=[Chosen("Please choose an hour from the list.")],
    )  # fmt: skip
    to_hour = SelectField(
        "Last slot ends by", choices=options(HOURS_TO), validate_choice=False,
        validators=[Chosen("Please choose an hour from the list.")],
    )  # fmt: skip
    slot_hours = HoursField(
        "Each slot lasts (hours)",
        places=None,
        validators=[InputRequired("Please say how long each slot lasts.")],
        invalid_value_message="Please give the hours as a number, such as 2 or 1.5.",
    )
    places = IntegerField(
        "Moderators needed for each slot",
        validators=[InputRequired("Please say how many moderators each slot needs.")],
        invalid_value_message="Please give the number of moderators as a whole number, such as 2.",
    )

    def pattern(self):
        """What was asked for, as app.rota.pattern.plan_pattern takes it."""
        return {
            "first_day": self.first_day.data,
            "days": self.days.data,
            "from_hour": int(self.from_hour.data),
            "to_hour": int(self.to_hour.data),
            "slot_hours": float(self.slot_hours.data),
            "places": self.places.data,
        }


class CoverForm(FlaskForm):
    allow_cover = RadioField(
        "When nobody is signed up", choices=options(COVER), validate_choice=False,
        validators=[Chosen("Please choose one of the two.")],
    )  # fmt: skip
