"""People on the rota, and cases made directly (the reporting side builds them through
/report; these tests need only the rows)."""

import itertools
from datetime import timedelta

from sqlalchemy import func, select, update

from app.accounts import services as accounts
from app.accounts.models import Account
from app.core.time import now
from app.core.tokens import new_token, token_hash
from app.moderation.log import LogEntry
from app.moderation.models import Case, Report
from app.questions.models import Answer, Question
from app.rota import names, shifts
from app.rota.models import Shift
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, sign_in

_numbers = itertools.count(1)


class People:
    """Signed-in test clients for each kind of person the moderation pages meet."""

    def __init__(self, app):
        self.app = app

    def _account(self, handle, pseudonym, roles=(), rota_name=None, on_shift=False):
        with self.app.app_context():
            joined = accounts.join(handle, PASSWORD, pseudonym)
            for role in roles:
                accounts.grant(handle, role)
            account = db.session.get(Account, joined.account.id)
            if rota_name:
                names.choose(account, rota_name)
                db.session.commit()
            if on_shift:
                shifts.start(account)
            return account.id

    def _client(self, handle):
        client = self.app.test_client()
        assert sign_in(client, handle).status_code == 303
        return client

    def visitor(self):
        return self.app.test_client()

    def member(self, handle="quiet-fox", pseudonym="Robin"):
        self._account(handle, pseudonym)
        return self._client(handle)

    def moderator(self, handle=None, rota_name=None, on_shift=True, pseudonym=None):
        """A moderator's signed-in client; its account id is `client.account_id`."""
        n = next(_numbers)
        handle = handle or f"moderator-{n}"
        rota_name = rota_name or f"Kestrel{n}"
        account_id = self._account(
            handle, pseudonym or f"Wren{n}", ("moderator",), rota_name, on_shift
        )
        client = self._client(handle)
        client.account_id = account_id
        return client

    def coordinator(self, handle="calm-otter"):
        pseudonym = "Otter" if handle == "calm-otter" else f"Otter{next(_numbers)}"
        self._account(handle, pseudonym, ("coordinator",))
        return self._client(handle)


def open_case(app, post, reasons=("abuse",), details="", title=None, body=None, notes=(),
              note_other="", opened_at=None):  # fmt: skip
    """A case on `post` (a Question or Answer) with one report per reason, each from a
    different reporter, snapshotting the words as they are (or `title`/`body`)."""
    with app.app_context():
        is_answer = isinstance(post, Answer)
        live = db.session.get(Answer if is_answer else Question, post.id)
        case = Case(**{"answer_id" if is_answer else "question_id": live.id})
        if opened_at is not None:
            case.opened_at = opened_at
        for reason in reasons:
            case.reports.append(Report(
                reason=reason, details=details, reporter_key=new_token(),
                receipt_hash=token_hash(new_token()),
                snapshot_title=title if title is not None else getattr(live, "title", ""),
                snapshot_body=body if body is not None else live.body_source,
                snapshot_notes=list(notes) or [n.slug for n in live.content_notes],
                snapshot_note_other=note_other or live.content_note_other,
            ))  # fmt: skip
        db.session.add(case)
        db.session.commit()
        return case.id


def case_row(app, case_id):
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def log_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LogEntry))


def end_shift_in_the_past(app, account_id):
    """Move the moderator's running shift back so that its end has passed."""
    with app.app_context():
        earlier = now() - timedelta(hours=4)
        db.session.execute(
            update(Shift)
            .where(Shift.account_id == account_id, Shift.ended_at.is_(None))
            .values(started_at=earlier, ends_at=earlier + timedelta(hours=3))
        )
        db.session.commit()


ACT = {"action": "hide", "reason": "be-kind", "public_note": "A pile-on, hidden for now."}


def acting(app, case_id, data=ACT):
    """An action form's fields with the case's version as its page would show it now
    (fields in `data` win, so a test can still send an old version)."""
    return {"version": str(case_row(app, case_id).version), **data}
