"""A reader's choices, kept in a signed cookie so no account is needed.

Every rule about who sees a noted post, and how, is decided here.
"""

from dataclasses import dataclass, field

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "kettle_reader"
CHOICES = ("show", "collapse", "hide")
DEFAULT = "collapse"
# A note in the author's own words cannot be known in advance; readers choose for all of them.
OWN_WORDS = "own-words"
ONE_YEAR = 365 * 24 * 3600


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="reader-prefs")


@dataclass
class ReaderPrefs:
    notes: dict[str, str] = field(default_factory=dict)
    discreet_titles: bool = False

    def choice(self, slug):
        return self.notes.get(slug, DEFAULT)

    def _choices_for(self, post):
        choices = [self.choice(note.slug) for note in post.content_notes]
        if post.content_note_other:
            choices.append(self.choice(OWN_WORDS))
        return choices

    def opens(self, post):
        """True when every note on the post is one the reader chose to show."""
        choices = self._choices_for(post)
        return all(choice == "show" for choice in choices)

    def hides(self, post):
        """True when the reader asked to leave out posts with any of these notes."""
        return "hide" in self._choices_for(post)

    def leave_out(self, posts):
        """The posts this reader has not hidden, and how many were left out."""
        kept = [post for post in posts if not self.hides(post)]
        return kept, len(posts) - len(kept)

    def to_cookie(self):
        notes = {slug: choice for slug, choice in self.notes.items() if choice != DEFAULT}
        return _serializer().dumps({"n": notes, "d": int(self.discreet_titles)})

    @classmethod
    def from_cookie(cls, raw):
        try:
            data = _serializer().loads(raw or "")
            notes = {str(k)[:60]: v for k, v in dict(data.get("n", {})).items() if v in CHOICES}
            return cls(notes=notes, discreet_titles=bool(data.get("d")))
        except (BadSignature, TypeError, ValueError, AttributeError):
            return cls()


def current_prefs():
    """This request's reader choices, read once."""
    if "reader_prefs" not in g:
        g.reader_prefs = ReaderPrefs.from_cookie(request.cookies.get(COOKIE))
    return g.reader_prefs


def save(response, prefs):
    response.set_cookie(
        COOKIE,
        prefs.to_cookie(),
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
