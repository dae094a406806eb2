"""Refusals name the field they are about, and land beside it on the page."""

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from app.core.forms import refusal_on
from app.core.refused import Refused


class NameForm(FlaskForm):
    name = StringField("Name")
    note = StringField("Note")


@pytest.fixture
def form(app):
    with app.test_request_context(method="POST", data={"name": "Heron"}):
        yield NameForm()


def test_a_refusal_reads_as_its_message():
    assert str(Refused("That name is taken.", field="name")) == "That name is taken."


def test_a_refusal_lands_on_the_field_it_names(form):
    assert refusal_on(form, Refused("That name is taken.", field="name")) is None
    assert form.name.errors == ["That name is taken."]


def test_a_refusal_keeps_the_errors_a_field_already_had(form):
    form.name.errors = ["Too long."]
    refusal_on(form, Refused("That name is taken.", field="name"))
    assert form.name.errors == ["Too long.", "That name is taken."]


def test_a_refusal_for_a_field_the_form_lacks_goes_to_the_default(form):
    refusal_on(form, Refused("That handle is taken.", field="handle"), default="note")
    assert form.note.errors == ["That handle is taken."]


def test_a_refusal_for_a_field_the_form_lacks_is_returned_for_the_page(form):
    message = refusal_on(form, Refused("That handle is taken.", field="handle"))
    assert message == "That handle is taken."


def test_a_refusal_for_a_field_the_form_lacks_marks_no_field(form):
    refusal_on(form, Refused("That handle is taken.", field="handle"))
    assert form.errors == {}


def test_a_refusal_about_no_field_is_returned_for_the_page(form):
    assert refusal_on(form, Refused("This account is suspended.")) == "This account is suspended."


def test_a_refusal_about_no_field_goes_to_the_default_when_given(form):
    assert refusal_on(form, Refused("Up to 10 pseudonyms."), default="name") is None
    assert form.name.errors == ["Up to 10 pseudonyms."]
