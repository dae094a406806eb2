"""Two Kettle servers behind HAProxy, sharing one PostgreSQL database and one Redis, act
as one Kettle: sessions, signing out everywhere, rate limits, the rota and claims, search,
and what a moderator hides.

Run by `.ci/run` as `pytest -m cluster tests/test_two_servers.py`; every other run leaves
these tests out (tests/conftest.py). Skipped where PostgreSQL, Redis or HAProxy is missing,
unless KETTLE_REQUIRE_SERVICES=1, which makes a missing one fail.
"""

import json
import secrets
import string
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from limits import parse_many

from config import Config
from tests import cluster as servers
from tests.cluster_client import Browser

pytestmark = [pytest.mark.slow, pytest.mark.cluster]
SERVERS = ("a", "b")
# Enough requests to each server that both of its workers are likely to answer one.
TRIES = 4


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with servers.running(tmp_path_factory.mktemp("cluster")) as running:
        yield running


def unique_word():
    """A made-up word no other post holds, letters only."""
    return "kettle" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def signed_in(browser, where):
    """Whether `browser`'s cookies sign it in on `where` (its account page opens)."""
    page = browser.get(where, "/account")
    assert page.status in (200, 303), page.status
    return page.status == 200


def make_moderator(cluster, handle, pseudonym, rota_name, where="a"):
    """A signed-in moderator, with a rota name and a one-hour shift planned from now, who
    has started it through `where`."""
    browser = Browser(cluster)
    browser.join(where, handle, pseudonym)
    cluster.flask("roles", "grant", handle, "moderator")
    named = browser.send(where, "/rota", {"rota_name": rota_name}, action="/rota/name")
    assert named.status == 303, named.text[:2000]
    starts = datetime.now(ZoneInfo(Config.ROTA_TIMEZONE)).strftime("%Y-%m-%dT%H:%M")
    cluster.flask("rota", "shift", "--starts", starts, "--hours", "1", "--moderator", handle)
    started = browser.send(where, "/rota", {}, action="/rota/start")
    assert started.status == 303 and started.location.endswith("/moderate"), started.location
    return browser


def case_for(moderator, where, question_id):
    """The id of the open case on the question, read from the queue on `where`."""
    queue = moderator.get(where, "/moderate")
    assert queue.status == 200
    case_ids = [int(node.attrs["data-case-id"]) for node in queue.elements("case")]
    assert case_ids, "the queue shows no case"
    for case_id in case_ids:
        if f'href="/q/{question_id}"' in moderator.get(where, f"/moderate/cases/{case_id}").text:
            return case_id
    raise AssertionError(f"no case in the queue is about question {question_id}")


def api_says_hidden(browser, where, question_id):
    page = browser.get(where, f"/api/v1/questions/{question_id}")
    assert page.status == 200, (where, page.status)
    return json.loads(page.text)["hidden_by_moderator"]


def act(moderator, where, case_id, **fields):
    """Send the case page's action form on `where` with `fields`, its version included."""
    page_path = f"/moderate/cases/{case_id}"
    version = moderator.get(where, page_path).field("version")
    return moderator.send(where, page_path, {"version": version, **fields},
                          action=f"{page_path}/act")  # fmt: skip


def reported_question(cluster, title):
    """A question asked through "a" and reported through "b" by two other people."""
    question_id = Browser(cluster).ask_id("a", title)
    Browser(cluster).report("b", question_id)
    return question_id


@pytest.fixture(scope="module")
def moderator(cluster):
    return make_moderator(cluster, "cluster-hider", "Alder", "Plover")


def test_a_session_from_one_server_works_on_the_other_and_through_the_balancer(cluster):
    person = Browser(cluster)
    person.join("a", "cluster-member", "Rowan")
    for where in ("b", "a", "b"):
        page = person.get(where, "/account")
        assert page.status == 200 and "Rowan" in page.text, where
    served = {person.get("lb", "/account").server for _ in range(4)}
    assert served == {"a", "b"}, "the balancer did not use both servers"
    # A form fetched from one server is accepted by the other: the CSRF token and the
    # session are signed with the one shared SECRET_KEY.
    token = person.get("a", "/account").field("csrf_token")
    added = person.post("b", "/account/pseudonyms", {"name": "Hazel", "csrf_token": token})
    assert added.status == 303, added.text[:2000]
    through = person.get("lb", "/account")
    assert through.status == 200 and "Hazel" in through.text
    assert not signed_in(Browser(cluster), "b")  # a stranger's cookies sign nobody in


def test_signing_out_everywhere_on_one_server_ends_the_session_on_both(cluster):
    person = Browser(cluster)
    person.join("a", "cluster-leaver", "Linden")
    old_device = person.copy()
    assert all(signed_in(old_device, where) for where in SERVERS)
    ended = person.send("a", "/account", {}, action="/account/sign-out-everywhere")
    assert ended.status == 303, ended.text[:2000]
    for where in (*SERVERS, "lb") * TRIES:
        assert not signed_in(old_device, where), f"the old cookie still signs in on {where}"
    # The browser that asked stays signed in, everywhere, with its new cookie.
    assert all(signed_in(person, where) for where in (*SERVERS, "lb"))


def test_rate_limits_are_counted_once_across_both_servers(cluster):
    allowed = min(item.amount for item in parse_many(Config.ASK_RATE_LIMIT))
    person = Browser(cluster)
    statuses = [
        person.ask(SERVERS[n % 2], f"Question {n} from the two-server test").status
        for n in range(allowed + 2)
    ]
    assert statuses == [303] * allowed + [429, 429], statuses
    # The refusal holds whichever server takes the next one.
    assert {person.ask(where, "One more question").status for where in SERVERS} == {429}


def test_a_moderators_shift_and_claims_are_the_same_on_both_servers(cluster):
    first = make_moderator(cluster, "cluster-first", "Birch", "Kingfisher", where="a")
    for where in ("b", "lb", "lb"):
        assert first.get(where, "/moderate").status == 200, where
    question_id = reported_question(cluster, "A question for the rota across two servers")
    case_id = case_for(first, "b", question_id)
    case_path = f"/moderate/cases/{case_id}"
    version = first.get("b", case_path).field("version")
    claimed = first.send("b", case_path, {"version": version}, action=f"{case_path}/claim")
    assert claimed.status == 303, claimed.text[:2000]
    assert "Claimed by you" in first.get("a", case_path).text

    second = make_moderator(cluster, "cluster-second", "Cedar", "Sandpiper", where="b")
    seen = second.get("a", case_path)
    assert "Claimed by <bdi>Kingfisher</bdi>" in seen.text
    refused = act(second, "a", case_id, action="dismiss", reason="be-kind",
                  public_note="Nothing against the rules.")  # fmt: skip
    assert refused.status == 409, refused.status
    assert second.get("b", case_path).field("version") == seen.field("version")  # kept nothing

    # Stepping out on one server ends the shift on the other, and hands the claim back.
    out = first.send("a", "/rota", {}, action="/rota/step-out")
    assert out.status == 303
    assert first.get("b", "/moderate").status == 403
    assert "Claimed by" not in second.get("a", case_path).text


def test_a_question_asked_through_one_server_is_found_through_the_other(cluster):
    word = unique_word()
    question_id = Browser(cluster).ask_id("a", f"Has anyone else felt {word} at night?")
    for where in ("b", "lb"):
        page = Browser(cluster).get(where, f"/search?q={word}")
        assert page.status == 200, (where, page.status)
        found = [node.attrs.get("data-question-id") for node in page.elements("search-result")]
        assert found == [str(question_id)], (where, found)


def test_a_hidden_question_leaves_every_list_on_both_servers_at_once(cluster, moderator):
    question_id = reported_question(cluster, "A question a moderator will hide")
    reader = Browser(cluster)
    lists = ("/", f"/t/{servers.TOPIC}")
    for where in SERVERS * TRIES:  # each server (and worker) has drawn the lists with it
        for path in lists:
            assert reader.get(where, path).links_to_question(question_id), (where, path)
        assert api_says_hidden(reader, where, question_id) is False
    case_id = case_for(moderator, "a", question_id)
    hidden = act(moderator, "a", case_id, action="hide", reason="be-kind",
                 public_note="Hidden in the two-server test.")  # fmt: skip
    assert hidden.status == 303, hidden.text[:2000]
    for where in SERVERS * TRIES:
        for path in lists:
            assert not reader.get(where, path).links_to_question(question_id), (where, path)
        assert api_says_hidden(reader, where, question_id) is True


def test_a_hidden_question_leaves_search_on_both_servers_at_once(cluster, moderator):
    word = unique_word()
    question_id = reported_question(cluster, f"Is {word} something others live with?")
    reader = Browser(cluster)

    def found(where):
        page = reader.get(where, f"/search?q={word}")
        assert page.status == 200, (where, page.status)
        return [node.attrs.get("data-question-id") for node in page.elements("search-result")]

    for where in SERVERS * TRIES:
        assert found(where) == [str(question_id)], where
    case_id = case_for(moderator, "a", question_id)
    hidden = act(moderator, "a", case_id, action="hide", reason="be-kind",
                 public_note="Hidden in the two-server test.")  # fmt: skip
    assert hidden.status == 303, hidden.text[:2000]
    for where in SERVERS * TRIES:
        assert found(where) == [], where
