"""What Kettle counts as a perspective: only what other people offered, and says what it shows."""

import re
import xml.etree.ElementTree as ET

from tests.test_answering import answer_ids

ATOM = "{http://www.w3.org/2005/Atom}"


def answers_heading(html):
    return re.search(r'<h2 id="answers-heading">(.*?)</h2>', html, re.S).group(1)


def test_an_askers_reply_does_not_make_the_question_look_answered(client, make):
    asked = make.question(title="Does anyone else dread Sundays?")
    make.answer(asked.post, body="Adding: it is mostly the evenings.", by_asker=True)
    home = client.get("/").get_data(as_text=True)
    waiting = home.split('id="waiting-heading"')[1]
    assert "Does anyone else dread Sundays?" in waiting
    assert "1 perspective" not in home
    page = client.get(f"/q/{asked.post.id}").get_data(as_text=True)
    assert "No perspectives yet" in answers_heading(page)
    assert "Adding: it is mostly the evenings." in page


def test_only_other_peoples_perspectives_are_counted(client, make):
    asked = make.question(title="Counting title")
    make.answer(asked.post, body="a peer")
    make.answer(asked.post, body="the asker again", by_asker=True)
    make.answer(asked.post, body="another peer")
    page = client.get(f"/q/{asked.post.id}").get_data(as_text=True)
    assert answers_heading(page).strip() == "2 perspectives"
    topic = client.get("/t/work-and-lived-experience-roles").get_data(as_text=True)
    assert "2 perspectives" in topic
    assert "3 perspectives" not in topic


def test_the_askers_feed_does_not_call_their_own_reply_a_new_perspective(client, make):
    asked = make.question()
    make.answer(asked.post, body="my own follow-up", by_asker=True)
    make.answer(asked.post, body="a peer's view")
    page = client.get(f"/keep/{asked.keeper_token}").get_data(as_text=True)
    feed_url = re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', page).group(1)
    feed = ET.fromstring(client.get(feed_url).data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert "a peer's view" in entries[0].find(f"{ATOM}content").text


def test_filtering_by_kind_says_how_many_of_how_many_are_shown(client, make):
    asked = make.question()
    make.answer(asked.post, body="lived", kind="own-experience")
    for n in range(4):
        make.answer(asked.post, body=f"practical {n}", kind="practical")
    make.answer(asked.post, body="asker adds", by_asker=True)
    page = client.get(f"/q/{asked.post.id}?kind=own-experience").get_data(as_text=True)
    heading = " ".join(answers_heading(page).split())
    assert heading.startswith("Showing 1 of 5 perspectives")
    assert re.search(r'<a href="/q/\d+(\?order=oldest)?#answers-heading">show all</a>', heading)
    assert len(answer_ids(page)) == 1


def test_without_a_kind_filter_the_heading_is_the_plain_count(client, make):
    asked = make.question()
    make.answer(asked.post, body="one", kind="practical")
    page = client.get(f"/q/{asked.post.id}").get_data(as_text=True)
    assert answers_heading(page).strip() == "1 perspective"


def test_reloading_the_answer_address_leads_back_to_the_question(client, make):
    asked = make.question()
    response = client.get(f"/q/{asked.post.id}/answers")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/q/{asked.post.id}")


def test_reloading_a_keeper_form_address_leads_back_to_the_keeper_page(client, make):
    asked = make.question()
    keep = f"/keep/{asked.keeper_token}"
    for tail in ("/replies", "/replies-closed"):
        response = client.get(keep + tail)
        assert response.status_code == 303, tail
        assert response.headers["Location"].endswith(keep), tail


def test_the_api_counts_only_other_peoples_perspectives(client, make):
    asked = make.question()
    make.answer(asked.post, body="asker adds", by_asker=True)
    make.answer(asked.post, body="a peer")
    data = client.get(f"/api/v1/questions/{asked.post.id}").get_json()
    assert data["perspective_count"] == 1
    assert len(data["perspectives"]) == 2  # the asker's reply is still in the thread
