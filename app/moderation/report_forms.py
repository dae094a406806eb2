"""The report form: which post, why, and anything else the reporter wants to say."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.core.forms import Chosen, clean_text, options
from app.moderation.reasons import REASONS
from app.moderation.reports import DETAILS_MAX
from app.questions.forms import UpTo, limited


class ReportForm(FlaskForm):
    """Fields exactly as the HTTP contract names them: target, reason, details (and csrf_token)."""

    target = HiddenField()
    reason = RadioField(
        "Why are you reporting it?",
        choices=options((reason.slug, reason.label) for reason in REASONS),
        validate_choice=False,
        validators=[
            DataRequired("Please choose a reason for your report."),
            Chosen("Please choose a reason from the list."),
        ],
    )
    details = TextAreaField(
        "Anything a moderator should know",
        validators=[
            Optional(),
            UpTo(
                DETAILS_MAX,
                "Please keep the details to {limit} characters. They are {size} "
                "long now, so please shorten them by {over}.",
            ),
        ],
        filters=[clean_text],
        render_kw=limited(DETAILS_MAX),
    )

    @property
    def hints(self):
        """Each reason's hint, by slug, for the page to show beside its choice."""
        return {reason.slug: reason.hint for reason in REASONS}
