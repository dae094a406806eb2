"""Odd requests get a kind 4xx page and change nothing, on every form: fields sent twice,
files where words belong, absurd values, hosts the deployment does not serve."""

import io
import logging
import re

import pytest
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids

NEW_PASSWORD = "a different kettle on the hob"

# What each form's page sends: enough that, were it not refused, it would change something.
FIELDS = {
    "questions.ask": {"title": "A question worth asking", "body": "Words.",
                      "topic": "getting-through-today", "content_note_other": "my own note",
                      "content_notes": "police", "as": "anonymous"},
    "questions.answer": {"body": "A perspective.", "kind": "own-experience",
                         "content_notes": "police", "as": "anonymous"},
    "keeper.edit": {"title": "An edited title here", "body": "Edited words.",
                    "topic": "getting-through-today", "content_notes": "police"},
    "keeper.reply": {"body": "More detail from the asker.", "content_notes": "police"},
    "keeper.delete_reply": {"csrf_token": "x"},
    "keeper.close": {"closed": "yes"},
    "keeper.delete": {"csrf_token": "x"},
    "readers.content_notes": {"note-self-harm": "hide", "discreet_titles": "on"},
    "accounts.join": {"handle": "new-person", "password": PASSWORD,
                      "password_confirm": PASSWORD, "pseudonym": "Wren"},
    "accounts.recovery_codes": {"csrf_token": "x"},
    "accounts.sign_in": {"handle": "quiet-fox", "password": PASSWORD},
    "accounts.sign_out": {"csrf_token": "x"},
    "accounts.recover": {"handle": "quiet-fox", "code": "{code}", "password": NEW_PASSWORD,
                         "password_confirm": NEW_PASSWORD},
    "account.add_pseudonym": {"name": "Wren"},
    "account.rename_pseudonym": {"name": "Wren"},
    "account.retire_pseudonym": {"csrf_token": "x"},
    "account.sign_out_everywhere": {"csrf_token": "x"},
    "account.change_password": {"current": PASSWORD, "password": NEW_PASSWORD,
                                "password_confirm": NEW_PASSWORD},
    "account.new_recovery_codes": {"password": PASSWORD},
    "account.attach_keeper": {"link": "{keeper}"},
    "account.delete": {"password": PASSWORD, "choice": "remove-everything"},
    "moderate.act": {"action": "hide", "reason": "be-kind", "public_note": "A public note.",
                     "author_message": "Words for the author.", "content_notes": "police",
                     "minutes": "5", "version": "1"},
    "rota.name": {"rota_name": "Lapwing"},
    "rota_plan.plan_pattern": {"first_day": "2030-01-07", "days": "7", "from_hour": "8",
                               "to_hour": "22", "slot_hours": "2", "places": "2"},
    "rota_plan.cover": {"allow_cover": "no"},
    "appeals.by_author": {"text": "Please look again.", "entry": "1"},
    "appeals.by_reporter": {"text": "Please look again."},
    "appeals.decide": {"decision": "overturn", "message": "Words for the person."},
}  # fmt: skip
TEXT_FIELDS = {"title", "body", "content_note_other", "handle", "pseudonym", "name", "link",
               "code", "password", "password_confirm", "current", "public_note",
               "author_message", "rota_name", "text", "message"}  # fmt: skip


class World:
    """A signed-in person with a pseudonym, a question of their own with a reply, and an
    anonymous question with its keeper link: every form has something real to change."""

    def __init__(self, app, make):
        self.app, self.client = app, app.test_client()
        self.codes = join(self.client)
        self.pseudonym = pseudonym_ids(self.client)["Robin"]
        asked = {**FIELDS["questions.ask"], "as": self.pseudonym}
        self.mine = int(self.client.post("/ask", data=asked).headers["Location"].rsplit("/")[-1])
        self.client.post(f"/mine/question/{self.mine}/replies", data={"body": "Asker reply."})
        with app.app_context():
            self.reply = db.session.execute(text("SELECT max(id) FROM answer")).scalar()
        self.keeper = make.question().keeper_token

    def url(self, rule):
        values = {"token": self.keeper, "kind": "question", "post_id": self.mine,
                  "question_id": self.mine, "answer_id": self.reply,
                  "pseudonym_id": self.pseudonym, "case_id": 1, "appeal_id": 1,
                  "planned_id": 1, "topic_id": 1, "note_id": 1, "measure_id": 1, "opinion_id": 1,
                  "notice_id": 1,
                  "account_id": 1}  # fmt: skip
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)

    def fields(self, endpoint):
        sample = FIELDS.get(endpoint, {"csrf_token": "x"})
        filled = {"code": self.codes[0], "keeper": f"/keep/{self.keeper}"}
        return {name: value.format(**filled) for name, value in sample.items()}

    def forms(self):
        """(url, fields) for every form in the app that takes a POST."""
        for rule in self.app.url_map.iter_rules():
            if "POST" in rule.methods:
                yield self.url(rule), self.fields(rule.endpoint)

    def snapshot(self):
        """Everything Kettle stores, and whether the person is still signed in."""
        with self.app.app_context():
            tables = [table.name for table in db.metadata.sorted_tables]
            rows = {t: sorted(map(repr, db.session.execute(text(f'SELECT * FROM "{t}"'))))
                    for t in tables}  # fmt: skip
        return rows, self.client.get("/account").status_code


@pytest.fixture
def world(app, make):
    return World(app, make)


def refused_kindly(response, words):
    page = response.get_data(as_text=True)
    assert response.status_code == 400, (response.status_code, page[:300])
    assert words in page, re.findall(r"<p class=\"intro\">(.*?)</p>", page, re.S)
    assert "Go to the home page" in page


def test_a_field_sent_twice_is_refused_on_every_form_and_changes_nothing(world):
    before = world.snapshot()
    for url, fields in world.forms():
        for name, value in fields.items():
            if name == "content_notes":  # ticking two different notes is what it is for
                continue
            twice = MultiDict([*fields.items(), (name, value + " again")])
            refused_kindly(world.client.post(url, data=twice), "arrived twice")
    assert world.snapshot() == before


def test_the_same_content_note_ticked_twice_is_refused_and_changes_nothing(world):
    before = world.snapshot()
    for url, fields in world.forms():
        if "content_notes" in fields:
            twice = MultiDict([*fields.items(), ("content_notes", "police")])
            refused_kindly(world.client.post(url, data=twice), "arrived twice")
    assert world.snapshot() == before


def test_words_sent_as_a_file_are_refused_on_every_form_and_change_nothing(world):
    before = world.snapshot()
    for url, fields in world.forms():
        for name in set(fields) & TEXT_FIELDS or {"csrf_token"}:
            sent = {**fields, name: (io.BytesIO(b"words in a file"), "words.txt")}
            response = world.client.post(url, data=sent, content_type="multipart/form-data")
            refused_kindly(response, "does not take files")
    assert world.snapshot() == before


ABSURD = ["", " ", "\u200b", "0", "-1", "99999999999999999999", "1e309", "NaN", "null",
          "[]", "../../etc/passwd", "%00", "\x00", "a\x00b", "x" * 5000,
          "<script>alert(1)</script>", "' OR 1=1 --", "\ufffd", "\U0001f600" * 50]  # fmt: skip


@pytest.mark.parametrize("endpoint", sorted(FIELDS))
def test_absurd_values_in_any_field_never_break_a_form(app, make, endpoint):
    world = World(app, make)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    fields = world.fields(endpoint)
    # Every password check is deliberately slow, so those forms try a sample of the values.
    values = ABSURD[::3] if {"password", "current"} & set(fields) else ABSURD
    for name in fields:
        for value in values:
            response = world.client.post(world.url(rule), data={**fields, name: value})
            assert response.status_code < 500, (name, value)


@pytest.mark.settings(TRUSTED_HOSTS=["kettle.example"], TESTING=False)
def test_an_unknown_host_gets_a_kind_page_and_no_traceback(app, caplog):
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        page = client.get("/", headers={"Host": "evil.example"})
        posted = client.post("/ask", data=FIELDS["questions.ask"], headers={"Host": "evil.example"})
    refused_kindly(page, "not served at the address")
    refused_kindly(posted, "not served at the address")
    assert "evil.example" not in page.get_data(as_text=True)
    assert caplog.records == []
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM question")).scalar() == 0
    assert client.get("/", headers={"Host": "kettle.example"}).status_code == 200


@pytest.mark.settings(PROXY_COUNT=1)
def test_a_proxy_is_not_trusted_to_name_the_host_unless_the_deployment_says_so(client, make):
    keeper = f"/keep/{make.question().keeper_token}"
    page = client.get(keeper, headers={"X-Forwarded-Host": "evil.example"})
    assert "evil.example" not in page.get_data(as_text=True)
    assert "http://localhost/feed/" in page.get_data(as_text=True)


@pytest.mark.settings(PROXY_COUNT=1, PROXY_TRUSTS_HOST=True)
def test_a_deployment_can_trust_its_proxy_to_name_the_host(client, make):
    keeper = f"/keep/{make.question().keeper_token}"
    page = client.get(keeper, headers={"X-Forwarded-Host": "kettle.example"})
    assert "http://kettle.example/feed/" in page.get_data(as_text=True)


@pytest.mark.settings(TRUSTED_HOSTS=["kettle.example"])
def test_the_deployments_own_host_in_capitals_or_with_a_final_dot_is_served(app):
    client = app.test_client()
    for host in ("KETTLE.EXAMPLE", "kettle.example.", "Kettle.Example:443"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
