"""Form pieces every posting form shares: cleaning filters, the honeypot, confirm buttons."""

import re

from flask import render_template
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

# C0 controls (but tab and newline), DEL, C1 controls, and bidirectional overrides and isolates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value):
    """Normalise newlines and drop characters that only ever cause harm."""
    if value is None:
        return value
    return _UNSAFE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(value):
    """One line of text: cleaned, with runs of whitespace folded."""
    return " ".join(clean_text(value).split()) if value is not None else value


def fold_spaces(value):
    """Fold runs of whitespace, keeping every other character so names can be checked whole."""
    return " ".join(value.split()) if value is not None else value


def options(pairs):
    """(value, label) pairs as the choices WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def _must_be_empty(form, field):
    if field.data:
        raise ValidationError(
            "Something filled in a hidden box on this form (sometimes a browser's autofill "
            "does this), so nothing was posted. Please try again."
        )


class Chosen:
    """Every value sent is one the field offered; else a plain-words message.

    Used with `validate_choice=False`, in place of WTForms' own "Not a valid choice"."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        offered = {choice.value for choice in field.choices}
        sent = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in offered for value in sent):
            raise ValidationError(self.message)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HoneypotForm(FlaskForm):
    """A field people never see; automated posters fill it in and are refused."""

    website = StringField("Leave this empty", validators=[_must_be_empty])


class ConfirmForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""


def form_page(template, form, **context):
    """A page showing a form: 400 when a submitted form was refused, 200 when first shown."""
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status
