"""The forms for second opinions on a case: asking the other moderators, and replying."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from app.core.forms import Visible, clean_text
from app.moderation import opinions
from app.questions.forms import UpTo, limited

TOO_LONG = (
    "Please keep it to {limit} characters. It is {size} long now, so please shorten it by {over}."
)
ASK = "Please write your question for the other moderators."
REPLY = "Please write your reply."


class AskForm(FlaskForm):
    question = TextAreaField(
        "Your question for the other moderators",
        validators=[DataRequired(ASK), UpTo(opinions.QUESTION_MAX, TOO_LONG), Visible(1, ASK)],
        filters=[clean_text],
        render_kw=limited(opinions.QUESTION_MAX),
    )


class ReplyForm(FlaskForm):
    text = TextAreaField(
        "Your reply",
        validators=[DataRequired(REPLY), UpTo(opinions.REPLY_MAX, TOO_LONG), Visible(1, REPLY)],
        filters=[clean_text],
        render_kw=limited(opinions.REPLY_MAX),
    )


def on_case_page(case, asking=None, replying=None):
    """What the case page needs for its second opinions: the conversations, the form to
    ask (`asking`, kept as sent when it was refused) and one reply form per conversation
    (`replying`: (opinion id, the form as sent) when one was refused)."""
    conversations = opinions.on_case(case)
    replies = {c.opinion.id: ReplyForm(formdata=None) for c in conversations}
    if replying is not None:
        replies[replying[0]] = replying[1]
    return {
        "conversations": conversations,
        "ask_form": asking or AskForm(formdata=None),
        "reply_forms": replies,
    }
