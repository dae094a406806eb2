"""Who may manage a post: whoever holds its keeper link, or its signed-in author."""

from dataclasses import dataclass

from flask import url_for

from app.accounts.identity import current_account
from app.questions import keeper_links as services
from app.questions.keeper_links import KeeperToken
from app.questions.models import Answer, Question
from app.readers.prefs import current_prefs
from app.web.errors import refuse
from app.web.extensions import db

UNKNOWN_LINK = (
    "This keeper link does not match any post on Kettle. Please check it was copied whole. "
    "Nobody, not even the people who run Kettle, can look a keeper link up for you."
)
KINDS = {"question": Question, "answer": Answer}


@dataclass
class Steward:
    question: Question | None
    answer: Answer | None
    url_args: dict
    keeper: KeeperToken | None = None

    @property
    def post(self):
        return self.question or self.answer

    @property
    def token(self):
        return self.url_args.get("token")

    def url(self, endpoint, **values):
        """A URL on this post's management pages, by keeper link or by account."""
        return url_for(endpoint, **self.url_args, **values)


def steward_or_404(token=None, kind=None, post_id=None):
    """The steward for a keeper link, or for a post the signed-in person wrote.

    The post is the reader's own for this request, so their reading choices never hide it."""
    steward = _steward(token, kind, post_id)
    current_prefs().claim("question" if steward.question else "answer", steward.post.id)
    return steward


def _steward(token, kind, post_id):
    if token is not None:
        keeper = services.find(token)
        if keeper is None:
            refuse(404, UNKNOWN_LINK)
        return Steward(keeper.question, keeper.answer, {"token": token}, keeper)
    account = current_account()
    post = db.session.get(KINDS[kind], post_id) if kind in KINDS else None
    if account is None or post is None or post.account_id != account.id:
        refuse(404, "We could not find that post among the ones you wrote.")
    question, answer = (post, None) if kind == "question" else (None, post)
    return Steward(question, answer, {"kind": kind, "post_id": post_id})
