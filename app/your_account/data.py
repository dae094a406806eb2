"""People owning their data: everything they wrote, an export, attaching keeper links, leaving.

Reports a person made are not in their export, because Kettle cannot tell which they are.
A report keeps no account id: only SHA-256 of its case id and an HMAC of the account id
under that day's random key (app.web.ratelimit.person_key), which counts one person once
per case. The day's key is thrown away when the day ends (it is never derived from
SECRET_KEY), after which nobody, Kettle included, can link a report to an account. For
the rest of that day Kettle could recompute the value and match it, and chooses not to:
an export that listed reports would be the one record tying a person to what they
reported, readable by anyone who gets into their account or the file. Reporters follow
their reports through their receipt links instead.
"""

from sqlalchemy import select, update

from app.accounts import passwords
from app.accounts.reserved import reserve
from app.core.refused import Refused
from app.core.time import iso
from app.moderation import appeals, wellbeing
from app.questions import keeper_links as keeper
from app.questions import services as posts
from app.questions.models import Answer, Question
from app.questions.records import post_record
from app.questions.visibility import own
from app.readers.shown import shown_name
from app.rota import handover
from app.web.extensions import db
from app.your_account.rota_record import rota_record

REMOVE_EVERYTHING = "remove-everything"
KEEP_ANSWERS = "keep-answers"


def posts_of(account):
    """The account's questions and answers that still have words, newest first.

    Posts a moderator hid are included: they are still the author's own words."""
    found = []
    for model in (Question, Answer):
        query = own(select(model), model).where(model.account_id == account.id)
        found.append(db.session.scalars(query.order_by(model.id.desc())).all())
    return tuple(found)


def attach_keeper(account, link):
    """Move a post made signed out into the account, so it can be managed from there; commits.

    Raises Refused naming "link" when the link matches no post, or its post is already
    kept by another account.
    """
    token = (link or "").strip().rstrip("/").rsplit("/", 1)[-1]
    found = keeper.find(token)
    if found is None:
        raise Refused(
            "That keeper link does not match any post. Please check it was copied whole.",
            field="link",
        )
    post = found.question or found.answer
    if post.account_id not in (None, account.id):
        raise Refused("That post is already kept by another account.", field="link")
    post.account_id = account.id
    if found.question is not None:
        db.session.execute(
            update(Answer)
            .where(Answer.question_id == post.id, Answer.by_asker.is_(True))
            .values(account_id=account.id)
        )
    db.session.commit()
    return post


def _post_record(post):
    """The shared record of a post, with what is the author's own: their words as written,
    their title, and where an answer was offered."""
    record = {**post_record(post), "posted_as": shown_name(post), "body_markdown": post.body_source}
    if isinstance(post, Question):
        record["title"] = post.title
    else:
        record.update(question_id=post.question_id, by_asker=post.by_asker)
    return record


def export(account):
    """Everything Kettle holds about an account, as plain data for a JSON file."""
    questions, answers = posts_of(account)
    return {
        "about": "Everything Kettle holds about your account. Your login name is not shown "
        "here: Kettle stores it only to sign you in.",
        "account": {
            "created_at": iso(account.created_at),
            "roles": sorted(granted.role for granted in account.roles),
            "unused_recovery_codes": sum(1 for c in account.recovery_codes if c.used_at is None),
        },
        "pseudonyms": [
            {"name": p.display_name, "public_id": p.public_id, "retired": p.retired_at is not None}
            for p in account.pseudonyms
        ],
        "questions": [_post_record(q) for q in questions],
        "answers": [_post_record(a) for a in answers],
        "preferences": {
            "content_notes": dict(account.note_choices or {}),
            "discreet_titles": account.discreet_titles,
            "last_posted_as": dict(account.last_posted_as or {}),
        },
        "reports": [],
        "about_reports": "Reports you made are not listed: Kettle keeps nothing that links "
        "a report to your account. Your receipt links show what became of them.",
        "appeals": [
            _appeal_record(appeal, entry)
            for appeal, entry in appeals.by_author_with_account(account)
        ],
        "handover_notes": [
            {"text": note.body, "written_at": iso(note.written_at)}
            for note in handover.written_by(account)
        ],
        "debrief_notes": wellbeing.export_notes(account),
        "rota": rota_record(account),
    }


def _appeal_record(appeal, entry):
    """One of the person's appeals: the decision it was about, their words, how it went."""
    return {
        "about": {
            "post_kind": entry.post_kind,
            "question_id": entry.question_id,
            "answer_id": entry.answer_id,
            "decision": entry.action,
            "decided_at": iso(entry.at),
        },
        "text": appeal.text,
        "sent_at": iso(appeal.created_at),
        "outcome": appeal.state,
        "heard_at": iso(appeal.decided_at),
        "message": appeal.message or None,
    }


def delete_account(account, password, choice):
    """Delete an account for good after checking the password, and commit.

    REMOVE_EVERYTHING erases every post's words; KEEP_ANSWERS erases the questions
    but leaves the answers, with no name on them. Handover notes the account left for
    other moderators are erased either way. The pseudonyms' comparison keys
    stay reserved (app.accounts.reserved), so nobody can take a name peers trusted.
    Raises Refused naming "password" when the password is not the account's, and naming
    "choice" for a choice that is neither.
    """
    if not passwords.verify(account.password_hash, password):
        raise Refused("That password was not right, so nothing was deleted.", field="password")
    if choice not in (REMOVE_EVERYTHING, KEEP_ANSWERS):
        raise Refused("Please choose what happens to what you wrote.", field="choice")
    questions, answers = posts_of(account)
    handover.erase_by(account)  # notes left for the next shift go with their author
    for question in questions:
        posts.erase_question(question)
    if choice == REMOVE_EVERYTHING:  # the asker's replies went with their questions
        for answer in answers:
            posts.erase_answer(answer)
    pseudonym_ids = [p.id for p in account.pseudonyms]
    keys = {p.name_key for p in account.pseudonyms}
    for model in (Question, Answer):
        db.session.execute(
            update(model)
            .where((model.account_id == account.id) | model.pseudonym_id.in_(pseudonym_ids))
            .values(account_id=None, pseudonym_id=None)
        )
    wellbeing.erase_for(account)  # the notes they wrote after hard cases, sent or kept
    db.session.delete(account)
    db.session.flush()  # the pseudonyms' rows go first, so their keys can be kept alone
    reserve(keys)
    db.session.commit()
