"""A person's own reading choices never hide what they wrote from them; titles fold with notes."""

import re

from tests.accounts_helpers import join, pseudonym_ids
from tests.builders import keeper_link
from tests.test_answering import answer_ids
from tests.test_content_notes import choose

HEAVY = {
    "title": "How do I stop when the urge comes at night?",
    "body": "It is worst after midnight.",
    "topic": "work-and-lived-experience-roles",
    "content_notes": ["self-harm"],
    "as": "anonymous",
}


def h1(html):
    return " ".join(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).split())


def folded(html):
    """The words inside the first closed content-note fold, or None."""
    found = re.search(r'<details class="content-note">(.*?)</details>', html, re.S)
    return found and found.group(1)


def test_asking_under_a_note_you_hide_still_shows_you_your_question_and_its_link(client):
    choose(client, self_harm="hide")
    response = client.post("/ask", data=HEAVY)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "you chose to hide" not in page
    link = keeper_link(page)
    assert link
    assert client.get(link).status_code == 200
    assert "You wrote this" in page
    assert "It is worst after midnight." in folded(page)


def test_a_peer_who_opened_a_hidden_question_sees_their_own_answer_and_its_link(client, make):
    asked = make.question(title="Heavy", content_notes=["suicide"]).post
    choose(client, suicide="hide", self_harm="hide")
    assert "you chose to hide" in client.get(f"/q/{asked.id}").get_data(as_text=True)
    client.get(f"/q/{asked.id}?notes=all")
    response = client.post(
        f"/q/{asked.id}/answers",
        data={"body": "I keep ice nearby.", "content_notes": ["self-harm"]},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "you chose to hide" not in page
    assert keeper_link(page)
    mine = re.search(r'<article class="answer[^"]*".*?</article>', page, re.S).group(0)
    assert "I keep ice nearby." in mine
    assert "You wrote this" in mine


def test_someone_elses_post_is_still_left_out_beside_your_own(client, make):
    asked = make.question(title="Heavy", content_notes=["suicide"]).post
    theirs = make.answer(asked, body="someone else's heavy words", content_notes=["self-harm"])
    choose(client, self_harm="hide")
    response = client.post(f"/q/{asked.id}/answers", data={"body": "my words"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert theirs.post.id not in answer_ids(page)
    assert "my words" in page
    assert "You wrote this" in page
    assert page.count("You wrote this") == 1


def test_signed_in_people_always_find_their_own_noted_posts(client):
    join(client)
    choose(client, self_harm="hide")
    robin = pseudonym_ids(client)["Robin"]
    location = client.post("/ask", data={**HEAVY, "as": robin}).headers["Location"]
    for _visit in range(2):
        page = client.get(location).get_data(as_text=True)
        assert "you chose to hide" not in page
        assert "You wrote this" in page
        assert "It is worst after midnight." in folded(page)
    home = client.get("/").get_data(as_text=True)
    assert "left out because of your" not in home
    assert "See this question" in home  # listed, its title still folded behind its note


def test_the_asker_sees_their_own_noted_replies_on_their_keeper_page(client, make):
    asked = make.question()
    make.answer(
        asked.post, body="my own heavy follow-up", content_notes=["self-harm"], by_asker=True
    )
    make.answer(asked.post, body="a stranger's heavy view", content_notes=["self-harm"])
    choose(client, self_harm="hide")
    page = client.get(f"/keep/{asked.keeper_token}").get_data(as_text=True)
    assert "my own heavy follow-up" in page
    assert "a stranger's heavy view" not in page


def test_a_noted_title_sits_behind_its_note_on_its_own_page(client, make):
    asked = make.question(title="A title about the worst night", content_notes=["suicide"]).post
    page = client.get(f"/q/{asked.id}").get_data(as_text=True)
    assert h1(page) == "A question with content notes: Suicide"
    assert "A title about the worst night" not in page.split("<details")[0]
    assert "A title about the worst night" in folded(page)
    assert 'class="question-body' in folded(page)


def test_show_it_anyway_folded_folds_the_title_too(client, make):
    asked = make.question(title="A title about the worst night", content_notes=["suicide"]).post
    choose(client, suicide="hide")
    page = client.get(f"/q/{asked.id}?notes=all").get_data(as_text=True)
    assert "worst night" not in h1(page)
    assert "A title about the worst night" in folded(page)


def test_a_title_is_open_when_the_reader_shows_every_note(client, make):
    asked = make.question(title="A title about the worst night", content_notes=["suicide"]).post
    choose(client, suicide="show")
    page = client.get(f"/q/{asked.id}").get_data(as_text=True)
    assert h1(page) == "A title about the worst night"


def test_your_own_new_question_folds_its_title_but_not_its_keeper_link(client):
    location = client.post("/ask", data=HEAVY).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert HEAVY["title"] not in h1(page)
    assert HEAVY["title"] in folded(page)
    assert keeper_link(page.split("<details")[0])


def test_my_own_question_in_a_list_says_i_wrote_it_even_under_a_note_i_hide(client, make):
    from tests.accounts_helpers import join as join_kettle

    join_kettle(client, handle="list-reader", pseudonym="List Reader")
    client.post("/settings/content-notes", data={"note-police": "hide"})
    mine = {"title": "A question of my own, noted", "body": "Words.",
            "topic": "getting-through-today", "content_notes": ["police"]}  # fmt: skip
    asked = client.post("/ask", data=mine)
    assert asked.status_code == 303
    make.question(title="Someone else's question")
    home = client.get("/").get_data(as_text=True)
    assert home.count("You wrote this") == 2  # in the latest list and the waiting list
    assert "left out" not in home
