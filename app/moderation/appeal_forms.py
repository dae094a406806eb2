"""The forms for appealing a decision, and for hearing an appeal."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired

from app.core.forms import Visible, clean_text, options
from app.core.urls import whole_number
from app.moderation.appeals import APPEAL_MAX
from app.moderation.deciding import MESSAGE_MAX
from app.questions.forms import UpTo, limited

TOO_LONG = (
    "Please keep it to {limit} characters. It is {size} long now, so please shorten it by {over}."
)


def _entry_id(value):
    """The log entry id sent, None when none was, 0 (which matches nothing) when malformed."""
    return (whole_number(str(value)) or 0) if value else None


class AppealForm(FlaskForm):
    """An appeal: `text` as DESIGN.md's contract names it, and which decision it is about
    (optional: without it, the newest decision the person may still appeal)."""

    text = TextAreaField(
        "Why should the decision change?",
        validators=[
            DataRequired("Please say in a few words why the decision should change."),
            UpTo(APPEAL_MAX, TOO_LONG),
            Visible(1, "Please say in a few words why the decision should change."),
        ],
        filters=[clean_text],
        render_kw=limited(APPEAL_MAX),
    )
    entry = HiddenField(filters=[_entry_id])


class DecideForm(FlaskForm):
    """Hearing an appeal: uphold or overturn, with a message to the person who appealed.

    The service (app.moderation.deciding) checks every field, in words; this form only
    cleans them and shows them again."""

    decision = RadioField(
        "Your decision",
        choices=options([("uphold", "Uphold: the decision stands"),
                         ("overturn", "Overturn: undo the decision")]),
        validate_choice=False,
        validators=[DataRequired("Please choose to uphold or to overturn the decision.")],
    )  # fmt: skip
    message = TextAreaField(
        "Your message to the person who appealed",
        validators=[
            DataRequired("Please write a message to the person who appealed."),
            UpTo(MESSAGE_MAX, TOO_LONG),
        ],
        filters=[clean_text],
        render_kw=limited(MESSAGE_MAX),
    )
