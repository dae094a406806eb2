"""The public moderation log and its feed: what was done, why, when and by which rota
name, and never the words acted on, a login name, a pseudonym or a reporter."""

import re
import xml.etree.ElementTree as ET

import pytest

from app.moderation import log, rules
from app.questions.models import Question
from app.web.extensions import db
from tests.moderation_helpers import ACT, People, open_case

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "A title naming my sister and her town"
BODY = "Words that were hidden for naming someone"


@pytest.fixture
def people(app):
    return People(app)


@pytest.fixture
def hidden(app, people, make):
    """A question hidden by the moderator with rota name Kestrel (login steady-kestrel,
    pseudonym Wren), after a report whose details name the reporter's worry."""
    question = make.question(title=TITLE, body=BODY).post
    case_id = open_case(app, question, reasons=("identifies",), details="Reported by Sam")
    moderator = people.moderator(handle="steady-kestrel", rota_name="Kestrel", pseudonym="Wren")
    note = "It could identify someone, so it is hidden while the author edits it."
    response = moderator.post(
        f"/moderate/cases/{case_id}/act",
        data={**ACT, "version": "1", "reason": "no-identifying", "public_note": note},
    )
    assert response.status_code == 303
    return question


def _entries(html):
    return re.findall(r'<li class="log-entry".*?</li>', html, flags=re.S)


def test_the_log_opens_with_a_content_note(client):
    html = client.get("/moderation-log").get_data(as_text=True)
    main = html.split('id="main"')[1]
    assert main.index('id="log-content-note"') < main.index('class="intro"')
    note = main.split('id="log-content-note"')[1].split("</p>")[0]
    assert "Content note:" in note


def test_the_log_shows_what_was_done_why_when_and_by_which_rota_name(client, hidden):
    (entry,) = _entries(client.get("/moderation-log").get_data(as_text=True))
    assert "<bdi>Kestrel</bdi>" in entry
    assert "hid it from readers" in entry
    assert 'href="/how-it-works#rule-no-identifying"' in entry
    assert rules.BY_SLUG["no-identifying"].title in entry
    assert "so it is hidden while the author edits it" in entry
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:00Z">', entry)


def test_the_log_never_repeats_hidden_words_names_or_reporters(client, hidden):
    for path in ("/moderation-log", "/moderation-log.atom"):
        page = client.get(path).get_data(as_text=True)
        assert TITLE not in page, path
        assert BODY not in page, path
        assert "steady-kestrel" not in page, path
        assert "Wren" not in page, path
        assert "Reported by Sam" not in page, path


def test_a_hidden_post_is_not_linked_from_the_log(client, hidden):
    (entry,) = _entries(client.get("/moderation-log").get_data(as_text=True))
    assert f"/q/{hidden.id}" not in entry
    assert "not shown to readers now" in entry


def test_a_post_still_visible_is_linked_from_the_log(app, client, people, make):
    question = make.question().post
    people.moderator().post(
        f"/moderate/cases/{open_case(app, question)}/act",
        data={**ACT, "version": "1", "action": "dismiss"},
    )
    (entry,) = _entries(client.get("/moderation-log").get_data(as_text=True))
    assert f'href="/q/{question.id}"' in entry


def test_the_how_it_works_page_has_an_anchor_for_every_rule(client):
    html = client.get("/how-it-works").get_data(as_text=True)
    for rule in rules.RULES:
        assert f'id="rule-{rule.slug}"' in html, rule.slug
        assert rule.summary in html


def test_the_feed_parses_and_matches_the_log(client, hidden, app, people, make):
    shown = make.question().post
    people.moderator(rota_name="Heron").post(
        f"/moderate/cases/{open_case(app, shown)}/act",
        data={**ACT, "version": "1", "action": "dismiss"},
    )
    response = client.get("/moderation-log.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == [
        "Heron looked at the reports and left it as it was: a question",
        "Kestrel hid it from readers: a question",
    ]
    links = [entry.find(f"{ATOM}link") for entry in entries]
    assert links[0].get("href") == f"http://localhost/q/{shown.id}"
    assert links[1] is None  # the hidden question is not linked
    assert entries[1].findtext(f"{ATOM}summary").startswith("Rule: Keep people unidentifiable.")
    page = client.get("/moderation-log").get_data(as_text=True)
    assert len(_entries(page)) == len(entries)


def test_an_empty_log_still_makes_a_valid_feed(client):
    feed = ET.fromstring(client.get("/moderation-log.atom").get_data())
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated")


@pytest.mark.settings(MODERATION_LOG_PAGE_SIZE=2)
def test_the_log_pages_by_id_newest_first(app, client, make):
    question = make.question().post
    with app.app_context():
        post = db.session.get(Question, question.id)
        for n in range(5):
            log.record("dismiss", post, rule="be-kind", public_note=f"Note {n}")
        db.session.commit()
    first = client.get("/moderation-log").get_data(as_text=True)
    assert re.findall(r"Note (\d)", first) == ["4", "3"]
    older = re.search(r'href="(/moderation-log\?before=\d+)"', first).group(1)
    second = client.get(older).get_data(as_text=True)
    assert re.findall(r"Note (\d)", second) == ["2", "1"]
    last = client.get(re.search(r'href="(/moderation-log\?before=\d+)"', second).group(1))
    assert re.findall(r"Note (\d)", last.get_data(as_text=True)) == ["0"]
    assert "Older entries" not in last.get_data(as_text=True)


def test_a_mangled_before_is_the_first_page(client):
    assert client.get("/moderation-log?before=nonsense").status_code == 200
