"""A reader's choices: in a signed cookie for anyone, or on the account when signed in.

Every rule about who sees a noted post, and how, is decided here.
"""

import json
from dataclasses import dataclass, field

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from app.accounts.identity import current_account, current_member
from app.web.extensions import db

COOKIE = "kettle_reader"
CHOICES = ("show", "collapse", "hide")
DEFAULT = "collapse"
# A note in the author's own words cannot be known in advance; readers choose for all of them.
OWN_WORDS = "own-words"
ONE_YEAR = 365 * 24 * 3600


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="reader-prefs")


def _valid(notes):
    return {str(k)[:60]: v for k, v in dict(notes or {}).items() if v in CHOICES and v != DEFAULT}


def _post_key(post):
    return ("question" if hasattr(post, "title") else "answer", post.id)


@dataclass
class ReaderPrefs:
    notes: dict[str, str] = field(default_factory=dict)
    discreet_titles: bool = False
    # Whose reading this is: the signed-in account, and posts this request knows are theirs.
    account_id: int | None = None
    claimed: set = field(default_factory=set)

    def claim(self, kind, post_id):
        """Mark one post as the reader's own for this request (a keeper link they hold)."""
        self.claimed.add((kind, post_id))

    def owns(self, post):
        """True when the reader wrote the post: by their account, or by a claimed keeper link."""
        if self.account_id is not None and getattr(post, "account_id", None) == self.account_id:
            return True
        if getattr(post, "by_asker", False) and ("question", post.question_id) in self.claimed:
            return True  # whoever keeps a question wrote its asker's replies
        return _post_key(post) in self.claimed

    def choice(self, slug):
        return self.notes.get(slug, DEFAULT)

    def _choices_for(self, post):
        choices = [self.choice(note.slug) for note in post.content_notes]
        if post.content_note_other:
            choices.append(self.choice(OWN_WORDS))
        return choices

    def opens(self, post):
        """True when every note on the post is one the reader chose to show."""
        return all(choice == "show" for choice in self._choices_for(post))

    def hides(self, post):
        """True when the reader asked to leave out posts with any of these notes.

        Never for the reader's own posts: those are folded at most, never hidden from them."""
        return not self.owns(post) and "hide" in self._choices_for(post)

    def leave_out(self, posts):
        """The posts this reader has not hidden, and how many were left out."""
        kept = [post for post in posts if not self.hides(post)]
        return kept, len(posts) - len(kept)

    @property
    def is_default(self):
        return not self.notes and not self.discreet_titles

    def to_cookie(self):
        return _serializer().dumps(self._choices())

    def key(self):
        """The choices as one plain string, the same for everyone with the same choices
        (for a kept page's key; unsigned, so never for a cookie)."""
        return json.dumps(self._choices(), sort_keys=True, separators=(",", ":"))

    def _choices(self):
        return {"n": _valid(self.notes), "d": int(self.discreet_titles)}

    @classmethod
    def from_cookie(cls, raw):
        try:
            data = _serializer().loads(raw or "")
            return cls(notes=_valid(data.get("n")), discreet_titles=bool(data.get("d")))
        except (BadSignature, TypeError, ValueError, AttributeError):
            return cls()

    @classmethod
    def from_account(cls, account):
        """The choices saved on a signed-in `Account` (or its `Member` facts)."""
        return cls(
            notes=_valid(account.note_choices),
            discreet_titles=account.discreet_titles,
            account_id=account.id,
        )


def current_prefs():
    """This request's reader choices: the account's when signed in, else the cookie's."""
    if "reader_prefs" not in g:
        member = current_member()
        if member is not None:
            g.reader_prefs = ReaderPrefs.from_account(member)
        else:
            g.reader_prefs = ReaderPrefs.from_cookie(request.cookies.get(COOKIE))
    return g.reader_prefs


def save(response, prefs):
    """Keep the choices in this device's cookie and, when signed in, on the account (and commit).

    The device keeps them too, so discreet titles stay on after signing out of a shared phone."""
    account = current_account()
    if account is not None:
        account.note_choices = _valid(prefs.notes)
        account.discreet_titles = prefs.discreet_titles
        db.session.commit()
    response.set_cookie(
        COOKIE,
        prefs.to_cookie(),
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def adopt_into_account(account):
    """At sign-in, choices made on this device move onto the account, in the caller's
    transaction (the sign-in's own)."""
    cookie = ReaderPrefs.from_cookie(request.cookies.get(COOKIE))
    if cookie.is_default:
        return
    account.note_choices = {**_valid(account.note_choices), **cookie.notes}
    account.discreet_titles = account.discreet_titles or cookie.discreet_titles
    g.pop("reader_prefs", None)
