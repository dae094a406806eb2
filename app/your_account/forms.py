"""Forms for joining, signing in and managing an account."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.accounts import names, passwords
from app.accounts.services import handle_problem
from app.core.forms import HoneypotForm, clean_line, fold_spaces, options
from app.your_account.data import KEEP_ANSWERS, REMOVE_EVERYTHING

# Login names are checked in full on joining; signing in only needs a sane bound.
HANDLE_LENGTH = Length(max=100, message="A login name has at most 40 characters.")
# Long enough for any real password, short enough that nobody can make us hash a megabyte.
PASSWORD_FIELD_MAX = 1024


class _Policy:
    """Runs one of Kettle's plain-words policies as a WTForms validator."""

    def __init__(self, check):
        self.check = check

    def __call__(self, form, field):
        problem = self.check(field.data or "")
        if problem:
            raise ValidationError(problem)


def new_password(form, field):
    """Kettle's password policy, which also refuses the login name as a password."""
    handle = form.handle.data if "handle" in form else ""
    problem = passwords.problem(field.data or "", handle or "")
    if problem:
        raise ValidationError(problem)


def password_field(label, *checks):
    return PasswordField(
        label,
        validators=[
            DataRequired("Please enter a password."),
            Length(
                max=PASSWORD_FIELD_MAX,
                message=f"Please use at most {PASSWORD_FIELD_MAX} characters.",
            ),
            *checks,
        ],
    )


class JoinForm(HoneypotForm):
    handle = StringField(
        "Login name",
        validators=[
            DataRequired("Please choose a login name."),
            _Policy(handle_problem),
        ],
        filters=[fold_spaces],
    )
    password = password_field("Password", new_password)
    password_confirm = PasswordField(
        "Password again",
        validators=[EqualTo("password", "The two passwords are not the same.")],
    )
    pseudonym = StringField(
        "Your first pseudonym",
        validators=[
            DataRequired("Please choose a name to post as."),
            _Policy(names.problem),
        ],
        filters=[fold_spaces],
    )


class SignInForm(FlaskForm):
    handle = StringField(
        "Login name",
        validators=[DataRequired("Please enter your login name."), HANDLE_LENGTH],
        filters=[clean_line],
    )
    password = password_field("Password")


class RecoverForm(FlaskForm):
    handle = StringField(
        "Login name",
        validators=[DataRequired("Please enter your login name."), HANDLE_LENGTH],
        filters=[clean_line],
    )
    code = StringField(
        "One of your recovery codes",
        validators=[
            DataRequired("Please enter a recovery code."),
            Length(max=40, message="A recovery code is shorter: it looks like abcde-fghjk."),
        ],
    )
    password = password_field("New password", new_password)
    password_confirm = PasswordField(
        "New password again",
        validators=[EqualTo("password", "The two passwords are not the same.")],
    )


class ChangePasswordForm(FlaskForm):
    current = password_field("Current password")
    password = password_field("New password", new_password)
    password_confirm = PasswordField(
        "New password again",
        validators=[EqualTo("password", "The two passwords are not the same.")],
    )


class NewCodesForm(FlaskForm):
    password = password_field("Your password")


class PseudonymForm(FlaskForm):
    name = StringField(
        "Name of the pseudonym",
        validators=[DataRequired("Please enter a name."), _Policy(names.problem)],
        filters=[fold_spaces],
    )


class AttachKeeperForm(FlaskForm):
    link = StringField(
        "Keeper link",
        validators=[
            DataRequired("Please paste a keeper link."),
            Length(max=300, message="That is longer than any keeper link."),
        ],
        filters=[clean_line],
    )


class DeleteAccountForm(FlaskForm):
    password = password_field("Your password")
    choice = RadioField(
        "What happens to what you wrote",
        validators=[DataRequired("Please choose what happens to what you wrote.")],
        choices=options(
            [
                (REMOVE_EVERYTHING, "Remove everything I wrote"),
                (
                    KEEP_ANSWERS,
                    "Remove my questions, and leave my perspectives with no name on them",
                ),
            ]
        ),
    )
