"""The forms for asking, answering and editing."""

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from app.accounts.identity import ANONYMOUS, posting_choices
from app.core import text
from app.core.forms import (
    Chosen,
    HoneypotForm,
    MultiCheckboxField,
    Visible,
    clean_line,
    clean_text,
    options,
)
from app.questions import repeats
from app.questions.kinds import PERSPECTIVE_KINDS
from app.readers.shown import plural
from app.topics.queries import all_notes, all_topics

TITLE_MAX = 150
# A title shows in lists with nothing else, so it needs a few characters people can see.
TITLE_MIN_VISIBLE = 3
BODY_MAX = 20_000
NOTE_OTHER_MAX = 120


# Fields are made by these functions inside each form, so every form lists its fields
# (and its error summary) in the order the page shows them.


def _characters(n):
    return plural(n, "character")


class UpTo:
    """Refuse text over `limit` characters, saying how long it is and how much to cut.

    Unlike WTForms' Length it adds no `maxlength`, with which browsers silently cut a paste;
    the field carries `data-limit` instead, for the live counter in kettle.js.
    """

    def __init__(self, limit, message):
        self.limit = limit
        self.message = message  # with {size}, {limit} and {over}

    def __call__(self, form, field):
        size = len(field.data or "")
        if size > self.limit:
            over = _characters(size - self.limit)
            raise ValidationError(
                self.message.format(size=_characters(size), limit=f"{self.limit:,}", over=over)
            )


def limited(limit):
    """What a field needs to say its limit to the counter (never `maxlength`)."""
    return {"data-limit": str(limit)}


def body_field(label, missing):
    too_long = (
        "This is {size} long, and Kettle can take up to {limit} (about 3,000 words). "
        "Please shorten it by {over}."
    )
    return TextAreaField(
        label,
        validators=[
            DataRequired(missing),
            UpTo(BODY_MAX, too_long),
            Visible(1, missing, measure=text.seen),
        ],
        filters=[clean_text],
        render_kw=limited(BODY_MAX),
    )


def notes_field():
    return MultiCheckboxField(
        "Content notes",
        choices=[],
        validate_choice=False,
        validators=[Chosen("Please choose content notes from the list.")],
    )


def note_other_field():
    return StringField(
        "Another content note, in your own words",
        validators=[
            Optional(),
            UpTo(
                NOTE_OTHER_MAX,
                "Please keep your own content note to {limit} characters. It is {size} "
                "long now, so please shorten it by {over}.",
            ),
        ],
        filters=[clean_line],
        render_kw=limited(NOTE_OTHER_MAX),
    )


def as_field():
    return RadioField(
        "Post as",
        name="as",
        default=ANONYMOUS,
        choices=[],
        validate_choice=False,
        validators=[
            Chosen(
                "You can no longer post as that name: you may have signed out, or stopped "
                "using it. Choose \u201cAnonymously\u201d, or sign in again."
            )
        ],
    )


class PostForm(HoneypotForm):
    """What question and answer forms share: choices from the database, data for services."""

    as_ = None

    def offer(self, notes, posting_choices=None, topics=None):
        """Fill in the choices that come from the database before validating."""
        self.content_notes.choices = options((note.slug, note.label) for note in notes)
        self._notes = {note.slug: note for note in notes}
        if self.as_ is not None:
            self.as_.choices = options(posting_choices or [])
        if topics is not None:
            self.topic.choices = options(
                [("", "Choose a topic")] + [(t.slug, t.name) for t in topics]
            )
            self._topics = {topic.slug: topic for topic in topics}
        return self

    def fields_for_service(self):
        """What the services need, with slugs turned into rows."""
        data = {
            "body": self.body.data,
            "content_notes": [self._notes[slug] for slug in self.content_notes.data or []],
            "content_note_other": self.content_note_other.data or "",
        }
        if hasattr(self, "title"):
            data["title"] = self.title.data
            data["topic"] = self._topics[self.topic.data]
        if hasattr(self, "kind"):
            data["kind"] = self.kind.data or None
        return data


class AskForm(PostForm):
    title = StringField(
        "Your question, in a line",
        validators=[
            DataRequired("Please give your question a title."),
            Visible(
                TITLE_MIN_VISIBLE,
                "Please make the question line a little longer, so people know what it is about.",
            ),
            UpTo(
                TITLE_MAX,
                "Please keep the question line to {limit} characters. It is {size} long "
                "now, so please shorten it by {over}. You can say more in the box below.",
            ),
        ],
        filters=[clean_line],
        render_kw=limited(TITLE_MAX),
    )
    topic = SelectField(
        "Topic",
        choices=[],
        validate_choice=False,
        validators=[
            DataRequired("Please choose a topic."),
            Chosen("Please choose a topic from the list."),
        ],
    )
    body = body_field(
        "Your question, in more detail", "Please say a little more about your question."
    )
    content_notes = notes_field()
    content_note_other = note_other_field()
    as_ = as_field()


class AnswerForm(PostForm):
    body = body_field("Your perspective", "Please write your perspective.")
    content_notes = notes_field()
    content_note_other = note_other_field()
    kind = RadioField(
        "What kind of perspective is this? (optional)",
        choices=options([("", "No particular kind"), *PERSPECTIVE_KINDS.items()]),
        default="",
        validate_choice=False,
        validators=[Optional(), Chosen("Please choose a kind of perspective from the list.")],
    )
    as_ = as_field()


class ReplyForm(PostForm):
    """The asker adding to their own thread: labelled "the asker", so no kind and no `as`."""

    body = body_field("Your reply", "Please write your reply.")
    content_notes = notes_field()
    content_note_other = note_other_field()


class EditQuestionForm(AskForm):
    as_ = None


class EditAnswerForm(AnswerForm):
    as_ = None


def offered(form, topics=False):
    """A posting form with its topic, note and `as` choices loaded from the database."""
    topic_rows = all_topics() if topics else None
    choices = posting_choices() if form.as_ is not None else None
    repeats.prepare()  # so a double-click's two sends are known as one
    return form.offer(all_notes(), choices, topic_rows)
