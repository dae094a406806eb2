"""Refusals name the field they are about, and land beside it on the page."""

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField

from app.accounts import pseudonyms, services
from app.accounts.models import Account
from app.core.forms import refusal_on
from app.core.refused import Refused
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids
from tests.html_tree import parse


def _by_id(html, element_id):
    return next(node for node in parse(html).walk() if node.attrs.get("id") == element_id)


class NameForm(FlaskForm):
    name = StringField("Name")
    note = StringField("Note")


@pytest.fixture
def form(app):
    with app.test_request_context(method="POST", data={"name": "Heron"}):
        yield NameForm()


def test_a_taken_name_shows_beside_the_new_pseudonym_field(app, client):
    join(app.test_client(), handle="someone-else", pseudonym="Heron")
    join(client, pseudonym="Robin")
    response = client.post("/account/pseudonyms", data={"name": "HER\u041eN"})  # a Cyrillic O
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _by_id(html, "new-pseudonym").attrs.get("aria-invalid") == "true"
    assert "looks just like it" in _by_id(html, "new-pseudonym-error").text()


def test_a_taken_name_shows_beside_the_rename_field(app, client):
    join(app.test_client(), handle="someone-else", pseudonym="Heron")
    join(client, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]
    response = client.post(f"/account/pseudonyms/{robin}/rename", data={"name": "heron"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _by_id(html, "name").attrs.get("aria-invalid") == "true"
    assert "looks just like it" in _by_id(html, "name-error").text()


def test_joining_with_a_taken_pseudonym_marks_the_pseudonym_not_the_login_name(app, client):
    join(app.test_client(), handle="someone-else", pseudonym="Heron")
    response = client.post(
        "/join",
        data={"handle": "quiet-fox", "password": PASSWORD, "password_confirm": PASSWORD,
              "pseudonym": "Heron"},
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _by_id(html, "pseudonym").attrs.get("aria-invalid") == "true"
    assert "looks just like it" in _by_id(html, "pseudonym-error").text()
    assert "aria-invalid" not in _by_id(html, "handle").attrs


def test_a_wrong_current_password_is_marked_on_the_current_password(client):
    join(client)
    new = "a different kettle entirely"
    response = client.post(
        "/account/password",
        data={"current": "not my password at all", "password": new, "password_confirm": new},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _by_id(html, "current").attrs.get("aria-invalid") == "true"
    assert "aria-invalid" not in _by_id(html, "password").attrs


def test_a_wrong_password_for_new_codes_is_marked_on_the_password(client):
    join(client)
    response = client.post("/account/recovery-codes/new", data={"password": "not mine at all"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _by_id(html, "password").attrs.get("aria-invalid") == "true"
    assert "codes were not changed" in _by_id(html, "password-error").text()


def test_a_wrong_password_when_leaving_is_marked_on_the_password(client):
    join(client)
    response = client.post(
        "/account/delete", data={"password": "not mine at all", "choice": "remove-everything"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nothing was deleted" in _by_id(html, "password-error").text()


def test_a_link_kept_by_another_account_is_marked_on_the_link(app, client, make):
    posted = make.question(title="Kept already")
    link = f"http://localhost/keep/{posted.keeper_token}"
    keeper = app.test_client()
    join(keeper, handle="first-keeper", pseudonym="Heron")
    assert keeper.post("/account/keeper-links", data={"link": link}).status_code == 303
    join(client)
    response = client.post("/account/keeper-links", data={"link": link})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _by_id(html, "link").attrs.get("aria-invalid") == "true"
    assert "kept by another account" in _by_id(html, "link-error").text()


def test_a_taken_pseudonym_name_is_refused_naming_the_pseudonym(app, client):
    join(app.test_client(), handle="someone-else", pseudonym="Heron")
    join(client, pseudonym="Robin")
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.handle_key == "quiet-fox"))
        with pytest.raises(Refused) as refused:
            pseudonyms.create(account, "heron")
    assert refused.value.field == "pseudonym"


def test_a_taken_login_name_is_refused_naming_the_handle(app, client):
    join(client)
    with app.app_context(), pytest.raises(services.HandleTaken) as refused:
        services.join("Quiet-Fox", PASSWORD, "Wren")
    assert refused.value.field == "handle"


def test_a_failed_sign_in_names_no_field_so_it_tells_nothing_about_either(app, client):
    join(client)
    with app.app_context(), pytest.raises(Refused) as refused:
        services.authenticate("quiet-fox", "not my password at all")
    assert refused.value.field is None


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
