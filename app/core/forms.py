"""Form pieces every form shares: cleaning filters, the honeypot, confirm buttons, refusals."""

import unicodedata

from flask import render_template
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.cleaning import clean_line, clean_text, visible_length

__all__ = ["clean_line", "clean_text"]  # the filters every text field uses (app.core.cleaning)


def fold_spaces(value):
    """NFC with whitespace folded, keeping every other character, so names are checked whole."""
    return " ".join(unicodedata.normalize("NFC", value).split()) if value is not None else value


class Visible:
    """At least `minimum` characters a reader can see (see app.core.cleaning); else `message`.

    `measure` counts them: plain text by default, or `text.seen` for Markdown, where
    `**\u200b**` or `[](https://example.org)` show nothing at all.
    """

    def __init__(self, minimum, message, measure=visible_length):
        self.minimum = minimum
        self.message = message
        self.measure = measure

    def __call__(self, form, field):
        if field.errors:  # already refused (perhaps as far too long): one message is enough
            return
        if self.measure(field.data) < self.minimum:
            raise ValidationError(self.message)


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


def refusal_on(form, refusal, default=None):
    """Show a service's refusal on the form: beside the field it names, if the form has it.

    A refusal naming no field the form has goes beside `default` when the form has that
    field; otherwise it is returned, for the page to show above the form. Returns None
    when the refusal was placed on a field.
    """
    name = next((n for n in (refusal.field, default) if n is not None and n in form), None)
    if name is None:
        return str(refusal)
    form[name].errors = [*form[name].errors, str(refusal)]  # a tuple until validated
    return None
