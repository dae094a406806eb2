"""The rota page's forms."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.core.forms import fold_spaces


class RotaNameForm(FlaskForm):
    rota_name = StringField(
        "Your rota name",
        validators=[
            DataRequired("Please choose a rota name."),
            Length(max=200, message="A rota name needs 2 to 40 characters."),
        ],
        filters=[fold_spaces],
    )
