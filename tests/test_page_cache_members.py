"""A signed-in member's question page is kept once for every member who reads it the same
way, and never shows one member another's names, token or view.

A member opening a busy thread gets the page without Kettle rendering it again; what is
theirs on it (the names they may post under, the one they last used in the topic, their
CSRF token) is their own, a moderator's links never reach a member, and someone who wrote
in the thread, under any name, still sees their own words as theirs.
"""

import re
import time

import pytest
from flask import g, session

from app.accounts import identity, pseudonyms
from app.accounts import services as accounts
from app.core.tokens import token_hash
from app.questions import member_copy, services
from app.questions.models import Answer
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, add_pseudonym, pseudonym_ids
from tests.moderation_helpers import People
from tests.test_page_cache_question import juniper_thread

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _names_offered(page):
    """{label: checked} for the `as` choices on a page."""
    found = re.findall(
        r'name="as" id="as-\d+" value="[^"]+"( checked)?>\s*<label for="as-\d+"[^>]*>([^<]+)<',
        page,
    )
    return {label: bool(checked) for checked, label in found}


def _token(client, path="/"):
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


class _People(People):
    """Signed-in clients that have seen the page saying they are signed in (a page with a
    message for one reader is never kept), so their next page may be a member copy."""

    def _client(self, handle):
        client = super()._client(handle)
        client.get("/")
        return client


def _robin_and_wren(app, make, answers):
    """A juniper thread with `answers` perspectives, its path, and two members' clients."""
    asked = juniper_thread(make, answers=answers)
    people = _People(app)
    robin, wren = people.member("quiet-fox", "Robin"), people.member("still-heron", "Wren")
    return asked, f"/q/{asked.id}", robin, wren


def _signed_in(app, handle, pseudonym):
    """A member's client, signed in through the form with its CSRF token."""
    with app.app_context():
        accounts.join(handle, PASSWORD, pseudonym)
    client = app.test_client()
    words = {"handle": handle, "password": PASSWORD, "csrf_token": _token(client, "/login")}
    assert client.post("/login", data=words).status_code == 303
    client.get("/")
    return client


def test_the_next_member_gets_the_page_without_it_being_rendered_again(app, make, queries):
    _, path, robin, wren = _robin_and_wren(app, make, answers=4)
    robin.get(path)
    with queries as seen:
        page = wren.get(path).get_data(as_text=True)
    assert "Perspective number 3" in page and "How do you get through them?" in page
    assert not [s for s in seen.statements if "body_html" in s]  # no post was loaded
    # Nor Wren's whole account: only what a member copy needs of it (never the hash).
    assert not [s for s in seen.statements if "password_hash" in s]
    assert _names_offered(page) == {"Anonymously": True, "Wren": False}


def test_each_member_sees_only_their_own_names_and_their_last_choice(app, make):
    asked = juniper_thread(make, answers=2)
    elsewhere = make.question(title="Another juniper question").post  # the same topic
    path = f"/q/{asked.id}"
    people = _People(app)
    robin, wren = people.member("quiet-fox", "Robin"), people.member("still-heron", "Wren")
    robin_page = robin.get(path).get_data(as_text=True)
    words = {"body": "Wren on another night.", "as": pseudonym_ids(wren)["Wren"]}
    assert wren.post(f"/q/{elsewhere.id}/answers", data=words).status_code == 303
    for _ in range(2):  # the member copy, kept, then served
        wren_page = wren.get(path).get_data(as_text=True)
        assert _names_offered(wren_page) == {"Anonymously": False, "Wren": True}
        assert "Robin" not in wren_page
    assert _names_offered(robin_page) == {"Anonymously": True, "Robin": False}
    again = robin.get(path).get_data(as_text=True)
    assert _names_offered(again) == {"Anonymously": True, "Robin": False}
    assert "Wren" not in again


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
def test_each_member_posts_and_signs_out_with_their_own_token(app, make):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    robin = _signed_in(app, "quiet-fox", "Robin")
    wren = _signed_in(app, "still-heron", "Wren")
    robin_tokens = set(TOKEN.findall(robin.get(path).get_data(as_text=True)))
    wren_tokens = set(TOKEN.findall(wren.get(path).get_data(as_text=True)))
    assert len(robin_tokens) == len(wren_tokens) == 1  # the answer form and Sign out
    assert robin_tokens != wren_tokens
    words = {"body": "Wren waits for the birds.", "as": "anonymous"}
    refused = wren.post(f"{path}/answers", data={**words, "csrf_token": robin_tokens.pop()})
    assert refused.status_code == 400
    posted = wren.post(f"{path}/answers", data={**words, "csrf_token": wren_tokens.pop()})
    assert posted.status_code == 303
    assert "Wren waits for the birds." in robin.get(path).get_data(as_text=True)


def test_a_moderators_links_never_reach_a_member_nor_a_members_page_a_moderator(app, make):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    people = _People(app)
    moderator = people.moderator()
    assert ">Rota</a>" in moderator.get(path).get_data(as_text=True)
    member = people.member("quiet-fox", "Robin")
    assert ">Rota</a>" not in member.get(path).get_data(as_text=True)
    assert ">Rota</a>" in moderator.get(path).get_data(as_text=True)
    coordinator = people.coordinator()
    assert ">Coordinating</a>" in coordinator.get(path).get_data(as_text=True)
    assert ">Coordinating</a>" not in moderator.get(path).get_data(as_text=True)


def test_someone_who_asked_under_a_pseudonym_still_sees_the_question_as_theirs(app, make):
    people = _People(app)
    wren = people.member("still-heron", "Wren")
    reader = people.member("quiet-fox", "Robin")
    words = {
        "title": "Juniper mornings",
        "body": "How do you face them?",
        "topic": "work-and-lived-experience-roles",
        "as": pseudonym_ids(wren)["Wren"],
    }
    asked = wren.post("/ask", data=words)
    assert asked.status_code == 303
    path = asked.headers["Location"]
    wren.get(path)  # the flash of "posted" is shown once
    assert "You wrote this" not in reader.get(path).get_data(as_text=True)
    assert "You wrote this" in wren.get(path).get_data(as_text=True)
    assert "You wrote this" not in reader.get(path).get_data(as_text=True)


def test_a_member_copy_never_shows_a_slot_and_changes_with_the_thread(app, make):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    people = _People(app)
    robin, wren = people.member("quiet-fox", "Robin"), people.member("still-heron", "Wren")
    for member in (robin, wren, robin):
        assert "\x00" not in member.get(path).get_data(as_text=True)
    added = make.answer(asked, body="A new juniper perspective arrives.").post
    assert "A new juniper perspective arrives." in wren.get(path).get_data(as_text=True)
    with app.app_context():
        services.hide(db.session.get(Answer, added.id), None, "Breaks the house rules")
        db.session.commit()
    for member in (robin, wren):
        assert "A new juniper perspective arrives." not in member.get(path).get_data(as_text=True)


def test_a_page_holding_a_members_own_name_outside_its_slot_is_never_kept(app, make, monkeypatch):
    # As if a template forgot to mark the names as the reader's own part.
    monkeypatch.setitem(app.jinja_env.globals, "personal", lambda *_, caller: caller())
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    people = _People(app)
    robin, wren = people.member("quiet-fox", "Robin"), people.member("still-heron", "Wren")
    assert "Robin" in robin.get(path).get_data(as_text=True)
    wren_page = wren.get(path).get_data(as_text=True)
    assert "Robin" not in wren_page and "Wren" in wren_page


def test_a_nul_sent_in_an_address_is_refused_and_never_reaches_a_page(app, make):
    juniper_thread(make)
    people = _People(app)
    robin = people.member("quiet-fox", "Robin")
    for reader in (app.test_client(), robin):
        for sent in ("q=juniper\x00kettle-part:as:x\x00", "q=juniper\x00kettle-csrf-token\x00"):
            response = reader.get("/search", query_string=sent)
            assert response.status_code == 400
            assert "\x00" not in response.get_data(as_text=True)
            assert 'name="as"' not in response.get_data(as_text=True)


def test_a_name_retired_or_added_shows_on_the_very_next_kept_page(app, make):
    asked, path, robin, wren = _robin_and_wren(app, make, answers=2)
    add_pseudonym(wren, "Wren at Night")
    robin.get(path)
    assert _names_offered(wren.get(path).get_data(as_text=True)) == {
        "Anonymously": True, "Wren": False, "Wren at Night": False,
    }  # fmt: skip
    with app.app_context():
        account = accounts.find_by_handle("still-heron")
        retired = next(p for p in account.pseudonyms if p.display_name == "Wren")
        retired_id = str(retired.id)
        pseudonyms.retire(retired)
    robin.get(path)  # kept again, so Wren's next page is served from the member copy
    page = wren.get(path).get_data(as_text=True)
    assert _names_offered(page) == {"Anonymously": True, "Wren at Night": False}
    refused = wren.post(f"{path}/answers", data={"body": "As Wren again.", "as": retired_id})
    assert refused.status_code == 400
    assert "As Wren again." not in [a.body_source for a in _answers(app, asked.id)]


@pytest.mark.parametrize("ended", ["everywhere", "suspended"])
def test_a_member_whose_sessions_were_ended_gets_no_member_copy(app, make, ended):
    asked, path, robin, wren = _robin_and_wren(app, make, answers=2)
    robin.get(path)
    wren.get(path)  # the member copy, kept and served to Wren
    with app.app_context():
        account = accounts.find_by_handle("still-heron")
        (accounts.end_every_session if ended == "everywhere" else accounts.suspend)(account)
    page = wren.get(path).get_data(as_text=True)
    assert "Wren" not in page and "Robin" not in page
    assert "Sign in" in page and "Sign out" not in page
    # What they post now is nobody's: never their account's, nor a name of theirs.
    assert wren.post(f"{path}/answers", data={"body": "Still here?"}).status_code == 303
    (stored,) = [a for a in _answers(app, asked.id) if a.body_source == "Still here?"]
    assert stored.account_id is None and stored.pseudonym_id is None


def _answers(app, question_id):
    with app.app_context():
        return db.session.scalars(db.select(Answer).where(Answer.question_id == question_id)).all()


def _between_facts_and_render(monkeypatch, app, change):
    """Run `change()` (another request's committed write, in its own session) once, after
    the member's key was read and before their page is rendered."""
    original = member_copy.nothing_of_theirs
    done = []

    def wrapped(question_id):
        if not done:
            done.append(True)
            with app.app_context():
                change()
        return original(question_id)

    monkeypatch.setattr(member_copy, "nothing_of_theirs", wrapped)


def test_a_role_granted_while_a_page_is_made_never_reaches_another_members_copy(
    app, make, monkeypatch
):
    _, path, robin, wren = _robin_and_wren(app, make, answers=2)
    _between_facts_and_render(
        monkeypatch, app, lambda: accounts.grant("still-heron", "coordinator")
    )
    assert "Coordinating" in wren.get(path).get_data(as_text=True)  # Wren's own page
    monkeypatch.undo()
    page = robin.get(path).get_data(as_text=True)  # Robin holds no role at all
    assert "Coordinating" not in page and "/rota" not in page


def test_a_session_ended_while_a_page_is_made_reads_as_signed_out_throughout(
    app, make, monkeypatch
):
    asked = juniper_thread(make, answers=2)
    path = f"/q/{asked.id}"
    wren = _People(app).member("still-heron", "Wren")

    def end():
        accounts.end_every_session(accounts.find_by_handle("still-heron"))

    _between_facts_and_render(monkeypatch, app, end)
    page = wren.get(path).get_data(as_text=True)
    assert "Sign out" not in page and "Wren" not in page
    assert "to post under a pseudonym" in page  # the signed-out hint, with its Sign in link
    assert f"next={path}" in page or "next=%2Fq%2F" in page


def test_a_members_facts_read_alone_are_those_of_their_loaded_account(app):
    people = _People(app)
    client = people.member("still-heron", "Wren")
    for name in ("Zed", "Alder", "Moss"):
        add_pseudonym(client, name)
    with app.app_context():
        accounts.grant("still-heron", "moderator")
        accounts.grant("still-heron", "coordinator")
        account = accounts.find_by_handle("still-heron")
        pseudonyms.retire(next(p for p in account.pseudonyms if p.display_name == "Zed"))
        account.last_posted_as = {"juniper": "anonymous"}
        db.session.commit()
        held = {"id": account.id, "key": token_hash(account.session_secret),
                "since": int(time.time()), "seen": int(time.time())}  # fmt: skip
    with app.test_request_context():
        session[identity.SESSION_KEY] = held
        read_alone = identity.member_facts()
        del g.current_member
        assert read_alone == identity.current_member()  # now from the loaded account
    assert [name for _, name in read_alone.names] == ["Wren", "Alder", "Moss"]
    assert read_alone.roles == ("coordinator", "moderator")
    assert read_alone.last_posted_as == {"juniper": "anonymous"}
