"""Two heads for hard calls: a moderator asks the others for a second opinion on a case; it
comes first in the queue for everyone else (with approvals waiting, in one group) until
someone replies or the case is decided, and the reply shows in the case. A moderator whose
decision an appeal overturned is told, privately and kindly."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.moderation.approvals import ApprovalRequest
from app.moderation.notices import ModeratorNotice
from app.moderation.opinions import SecondOpinion, SecondOpinionReply
from app.web.extensions import db
from tests.moderation_helpers import People, case_row, open_case
from tests.test_appeals import act as claim_and_act
from tests.test_appeals import appeal_from, decide, reported_and_hidden, the_appeal

QUESTION = "Is this a pile-on or a heated disagreement? I keep going back and forth."
REPLY = "It reads as a pile-on to me: three replies in a minute, all at one person."


@pytest.fixture
def people(app):
    return People(app)


def ask(client, case_id, question=QUESTION):
    return client.post(f"/moderate/cases/{case_id}/second-opinion", data={"question": question})


def reply(client, case_id, opinion_id, text=REPLY):
    return client.post(
        f"/moderate/cases/{case_id}/second-opinion/{opinion_id}/reply", data={"text": text}
    )


def the_opinion(app):
    with app.app_context():
        return db.session.scalar(select(SecondOpinion.id).order_by(SecondOpinion.id.desc()))


def counted(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def queue_of(client):
    """(case ids asked a second look at, every case id in order) in `client`'s queue."""
    html = client.get("/moderate").get_data(as_text=True)
    group = re.search(r'<section id="second-looks".*?</section>', html, re.S)
    ids = [int(i) for i in re.findall(r'class="case" data-case-id="(\d+)"', html)]
    asking = [int(i) for i in re.findall(r'data-case-id="(\d+)"', group[0])] if group else []
    return asking, ids


def page(client, path):
    return client.get(path).get_data(as_text=True)


@pytest.fixture
def two_cases(app, make):
    """An older case and a newer one, neither claimed."""
    older = open_case(app, make.question(title="Older").post)
    newer = open_case(app, make.question(title="Newer").post)
    return older, newer


def test_asking_needs_no_claim_and_another_moderators_reply_shows_to_the_asker(app, people,
                                                                            two_cases):  # fmt: skip
    _, case_id = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    version = case_row(app, case_id).version
    assert ask(kestrel, case_id).status_code == 303
    assert case_row(app, case_id).claimed_by_id is None
    seen = page(heron, f"/moderate/cases/{case_id}")
    assert "Kestrel</bdi> asked" in seen and QUESTION in seen
    assert "Nobody has replied yet" in seen
    assert reply(heron, case_id, the_opinion(app)).status_code == 303
    case = case_row(app, case_id)
    assert (case.claimed_by_id, case.version) == (None, version)  # replying takes nothing
    own = page(kestrel, f"/moderate/cases/{case_id}")
    assert REPLY in own and "Heron</bdi> replied" in own
    assert 'data-state="replied"' in own and "Replied." in own


def test_a_question_comes_first_for_others_but_not_for_the_asker(app, people, two_cases):
    older, newer = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    ask(kestrel, newer)
    assert queue_of(heron) == ([newer], [newer, older])
    assert "A moderator asks for a second opinion" in page(heron, "/moderate")
    assert queue_of(kestrel) == ([], [older, newer])
    assert "You asked for a second opinion; waiting for a reply" in page(kestrel, "/moderate")


def test_approvals_waiting_share_the_group_longest_waiting_first(app, people, make, two_cases):
    older, newer = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    plover = people.moderator(rota_name="Plover")
    oldest = open_case(app, make.question(title="Oldest").post,
                       opened_at=datetime(2020, 1, 1))  # fmt: skip
    with app.app_context():
        db.session.add(ApprovalRequest(
            case_id=newer, action="suspend-account", rule="within-the-law",
            public_note="Threats.", days=3, requested_by_id=heron.account_id,
            requested_by_name="Heron",
        ))  # fmt: skip
        db.session.commit()
    ask(kestrel, older)
    assert queue_of(plover) == ([newer, older], [newer, older, oldest])
    queue = page(plover, "/moderate")
    assert "Asking for a second look" in queue and "Second moderator needed" in queue
    # Each asker's own request stays in its place; the other's comes first.
    assert queue_of(heron) == ([older], [older, oldest, newer])
    assert queue_of(kestrel) == ([newer], [newer, oldest, older])


def test_an_answered_question_drops_back_and_the_asker_sees_it_replied(app, people, two_cases):
    older, newer = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    plover = people.moderator(rota_name="Plover")
    ask(kestrel, newer)
    reply(heron, newer, the_opinion(app))
    assert queue_of(plover) == ([], [older, newer])
    assert 'class="case-my-opinion" data-state="replied"' in page(kestrel, "/moderate")


def test_the_askers_own_words_add_to_it_but_do_not_answer_it(app, people, two_cases):
    older, newer = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    ask(kestrel, newer)
    added = reply(kestrel, newer, the_opinion(app), "Also: the asker thanked them.")
    assert added.status_code == 303
    assert queue_of(heron) == ([newer], [newer, older])
    own = page(kestrel, f"/moderate/cases/{newer}")
    assert "You added" in own and "You asked; waiting for a reply." in own


def test_a_question_waits_for_the_next_shift(app, people, two_cases, time_machine):
    time_machine.move_to(datetime(2026, 12, 1, 9, 0), tick=False)
    older, newer = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    ask(kestrel, newer)
    assert kestrel.post("/rota/step-out").status_code == 303
    time_machine.shift(timedelta(days=2))
    heron = people.moderator(rota_name="Heron")  # the next shift, two days on
    assert queue_of(heron) == ([newer], [newer, older])


def test_a_decided_case_leaves_the_group_and_cannot_be_asked_about(app, people, two_cases):
    older, newer = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    plover = people.moderator(rota_name="Plover")
    ask(kestrel, newer)
    assert claim_and_act(heron, newer, action="dismiss").status_code == 303
    assert queue_of(plover) == ([], [older])
    refused = ask(plover, newer, "Was this right? Words kept.")
    assert refused.status_code == 409
    assert "already decided" in refused.get_data(as_text=True)
    assert "Was this right? Words kept." in refused.get_data(as_text=True)
    assert counted(app, SecondOpinion) == 1


def test_empty_or_too_long_words_come_back_and_nothing_is_sent(app, people, two_cases):
    _, case_id = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    empty = ask(kestrel, case_id, "   ")
    assert empty.status_code == 400
    assert "Please write your question for the other moderators" in empty.get_data(as_text=True)
    long = "Long words kept. " + "x" * 1000
    too_long = ask(kestrel, case_id, long)
    assert too_long.status_code == 400
    assert long in too_long.get_data(as_text=True)
    assert "shorten it by" in too_long.get_data(as_text=True)
    assert counted(app, SecondOpinion) == 0
    ask(kestrel, case_id)
    heron = people.moderator(rota_name="Heron")
    sent_back = reply(heron, case_id, the_opinion(app), "Reply kept. " + "y" * 1000)
    assert sent_back.status_code == 400
    assert "Reply kept. " + "y" * 1000 in sent_back.get_data(as_text=True)
    assert 'id="reply-' in sent_back.get_data(as_text=True)
    assert reply(heron, case_id, the_opinion(app), "").status_code == 400
    assert counted(app, SecondOpinionReply) == 0


def test_asking_again_while_waiting_is_refused_kindly_with_the_words(app, people, two_cases):
    _, case_id = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    ask(kestrel, case_id)
    again = ask(kestrel, case_id, "A second thought, kept.")
    assert again.status_code == 409
    html = again.get_data(as_text=True)
    assert "already asked about this case" in html and "A second thought, kept." in html
    assert counted(app, SecondOpinion) == 1


def test_off_shift_moderators_members_and_visitors_are_refused(app, people, two_cases):
    _, case_id = two_cases
    ask(people.moderator(rota_name="Kestrel"), case_id)
    opinion_id = the_opinion(app)
    for client in (people.moderator(on_shift=False), people.member(), people.visitor()):
        refused = ask(client, case_id, "Words from someone off shift.")
        assert refused.status_code == 403
        assert "Words from someone off shift." in refused.get_data(as_text=True)
        assert reply(client, case_id, opinion_id).status_code == 403
    assert (counted(app, SecondOpinion), counted(app, SecondOpinionReply)) == (1, 0)


def test_a_reply_to_a_question_on_another_case_is_not_found(app, people, two_cases):
    older, newer = two_cases
    ask(people.moderator(rota_name="Kestrel"), newer)
    assert reply(people.moderator(), older, the_opinion(app)).status_code == 404
    assert counted(app, SecondOpinionReply) == 0


def test_the_moderator_who_wrote_the_post_cannot_ask_or_reply_about_it(app, people):
    kestrel = people.moderator(rota_name="Kestrel")
    asked = kestrel.post("/ask", data={"title": "Mine", "body": "My own words.",
                                       "topic": "getting-through-today"})  # fmt: skip
    with app.app_context():
        from app.questions.models import Question

        own = db.session.get(Question, int(asked.headers["Location"].rsplit("/", 1)[1]))
        db.session.expunge(own)
    case_id = open_case(app, own)
    assert ask(kestrel, case_id).status_code == 403
    ask(people.moderator(rota_name="Heron"), case_id)
    assert reply(kestrel, case_id, the_opinion(app)).status_code == 403
    assert (counted(app, SecondOpinion), counted(app, SecondOpinionReply)) == (1, 0)


def test_asking_or_replying_without_a_token_is_refused_and_keeps_the_words(
    app, people, two_cases, monkeypatch
):
    _, case_id = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # once both have signed in
    refused = ask(kestrel, case_id, "Sent without a token.")
    assert refused.status_code == 400
    assert "Sent without a token." in refused.get_data(as_text=True)
    assert counted(app, SecondOpinion) == 0
    with app.app_context():
        db.session.add(SecondOpinion(case_id=case_id, asked_by_id=kestrel.account_id,
                                     question=QUESTION))  # fmt: skip
        db.session.commit()
    assert reply(heron, case_id, the_opinion(app)).status_code == 400
    assert counted(app, SecondOpinionReply) == 0


def test_the_conversation_names_rota_names_never_login_names_or_pseudonyms(app, people,
                                                                           two_cases):  # fmt: skip
    _, case_id = two_cases
    kestrel = people.moderator(handle="kestrel-signs-in", rota_name="Kestrel", pseudonym="Finch")
    heron = people.moderator(handle="heron-signs-in", rota_name="Heron", pseudonym="Linnet")
    ask(kestrel, case_id)
    reply(heron, case_id, the_opinion(app))
    for client in (kestrel, heron, people.moderator()):
        html = page(client, f"/moderate/cases/{case_id}")
        assert "signs-in" not in html and "Finch" not in html and "Linnet" not in html
    assert "Kestrel</bdi> asked" in page(heron, f"/moderate/cases/{case_id}")


def test_a_moderators_questions_and_replies_go_with_their_account(app, people, two_cases):
    from app.accounts.models import Account
    from app.your_account.data import REMOVE_EVERYTHING, delete_account
    from tests.accounts_helpers import PASSWORD

    _, case_id = two_cases
    kestrel = people.moderator(rota_name="Kestrel")
    heron = people.moderator(rota_name="Heron")
    ask(kestrel, case_id)
    reply(heron, case_id, the_opinion(app))
    ask(heron, case_id, "Heron's own question.")
    with app.app_context():
        delete_account(db.session.get(Account, heron.account_id), PASSWORD, REMOVE_EVERYTHING)
    assert (counted(app, SecondOpinion), counted(app, SecondOpinionReply)) == (1, 0)


# Overturned on appeal: the moderator who decided is told, privately and kindly.

APPEAL_WORDS = "Private appeal words only the hearing moderator reads."


def _appealed(app, people):
    """Kestrel hid an anonymous question; its author appealed. (Kestrel, the appeal id.)"""
    _, keeper, kestrel, _ = reported_and_hidden(app, people)
    assert appeal_from(app.test_client(), keeper, APPEAL_WORDS).status_code == 303
    return kestrel, the_appeal(app).id


def test_an_overturned_decision_is_told_only_to_the_moderator_who_made_it(app, people):
    kestrel, appeal_id = _appealed(app, people)
    heron = people.moderator(rota_name="Heron")
    assert decide(heron, appeal_id, "overturn").status_code == 303
    for where in ("/rota", "/moderate"):
        told = page(kestrel, where)
        assert "another moderator reversed it" in told
        assert "Nothing is recorded against you" in told
        assert APPEAL_WORDS not in told and "Heron" not in told
    for other in (heron, people.moderator(rota_name="Plover")):
        assert 'id="moderator-notices"' not in page(other, "/rota")
        assert 'id="moderator-notices"' not in page(other, "/moderate")


def test_the_moderator_can_dismiss_their_notice_and_nobody_else_can(app, people):
    kestrel, appeal_id = _appealed(app, people)
    heron = people.moderator(rota_name="Heron")
    decide(heron, appeal_id, "overturn")
    with app.app_context():
        notice_id = db.session.scalar(select(ModeratorNotice.id))
    assert heron.post(f"/moderate/notices/{notice_id}/dismiss").status_code == 404
    assert "another moderator reversed it" in page(kestrel, "/rota")
    kestrel.post("/rota/step-out")  # a notice can be dismissed off shift too
    dismissed = kestrel.post(f"/moderate/notices/{notice_id}/dismiss", data={"back": "rota"})
    assert dismissed.status_code == 303 and dismissed.headers["Location"].endswith("/rota")
    assert 'id="moderator-notices"' not in page(kestrel, "/rota")


def test_an_upheld_appeal_tells_nobody_anything(app, people):
    kestrel, appeal_id = _appealed(app, people)
    assert decide(people.moderator(rota_name="Heron"), appeal_id, "uphold").status_code == 303
    assert counted(app, ModeratorNotice) == 0
    assert 'id="moderator-notices"' not in page(kestrel, "/rota")
