"""Pages run a small, fixed number of SQL statements, whatever the amount of data."""

import re

from tests.accounts_helpers import join, pseudonym_ids


def statements_for(client, queries, url):
    with queries as seen:
        assert client.get(url).status_code == 200
    return seen.n


def test_question_page_does_not_grow_with_answers(client, make, queries):
    few, many = make.question().post, make.question().post
    for n in range(5):
        make.answer(few, body=f"few {n}", content_notes=["police"] if n % 2 else ())
    for n in range(50):
        make.answer(many, body=f"many {n}", content_notes=["police"] if n % 2 else ())
    small = statements_for(client, queries, f"/q/{few.id}")
    large = statements_for(client, queries, f"/q/{many.id}")
    assert small == large
    assert large <= 8


def test_topic_and_home_pages_do_not_grow_with_questions(client, make, queries):
    for n in range(3):
        make.question(title=f"q{n}", content_notes=["abuse"], topic="getting-through-today")
    small_topic = statements_for(client, queries, "/t/getting-through-today")
    small_home = statements_for(client, queries, "/")
    for n in range(30):
        make.question(
            title=f"more {n}", content_notes=["abuse", "police"], topic="getting-through-today"
        )
    assert statements_for(client, queries, "/t/getting-through-today") == small_topic
    assert statements_for(client, queries, "/") == small_home
    assert small_topic <= 5
    assert small_home <= 6


def test_keeper_page_does_not_grow_with_answers(client, make, queries):
    posted = make.question()
    make.answer(posted.post)
    small = statements_for(client, queries, f"/keep/{posted.keeper_token}")
    for n in range(20):
        make.answer(posted.post, body=f"n{n}", content_notes=["police"])
    assert statements_for(client, queries, f"/keep/{posted.keeper_token}") == small


def test_pseudonym_page_does_not_grow_with_perspectives(client, make, queries):
    join(client, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]

    def answer_as_robin(n):
        question = make.question(title=f"q{n}", content_notes=["police"] if n % 2 else ()).post
        data = {"body": f"view {n}", "as": robin}
        assert client.post(f"/q/{question.id}/answers", data=data).status_code == 303
        return question

    first = answer_as_robin(0)
    html = client.get(f"/q/{first.id}").get_data(as_text=True)
    page = re.search(r'href="(/p/[^"]+)"', html)[1]
    small = statements_for(client, queries, page)
    for n in range(1, 12):
        answer_as_robin(n)
    assert statements_for(client, queries, page) == small
