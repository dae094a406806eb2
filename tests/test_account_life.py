"""The whole life of an account: posting as several people, owning the data, and leaving."""

import json
import re

from sqlalchemy import select, text

from app.accounts.models import Account
from app.questions.models import Answer, Question
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, add_pseudonym, join, pseudonym_ids
from tests.builders import keeper_link

HANDLE = "night-owl-42"


def ask(client, title, as_, topic="getting-through-today"):
    response = client.post(
        "/ask", data={"title": title, "body": f"body of {title}", "topic": topic, "as": as_}
    )
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def public_pages(app, question_ids):
    """Every page and API response a signed-out visitor could read about these posts."""
    visitor = app.test_client()
    urls = ["/", "/topics", "/t/getting-through-today", "/t/peer-support-and-groups"]
    for qid in question_ids:
        urls += [f"/q/{qid}", f"/api/v1/questions/{qid}", f"/q/{qid}?order=shuffle"]
    pages = {url: visitor.get(url).get_data(as_text=True) for url in urls}
    for html in list(pages.values()):
        for public_id in set(re.findall(r'href="(/p/[^"]+)"', html)):
            pages[public_id] = visitor.get(public_id).get_data(as_text=True)
    return pages


def test_two_pseudonyms_and_anonymous_posts_are_never_linked_in_public(app):
    client = app.test_client()
    join(client, handle=HANDLE, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]
    wren = add_pseudonym(client, "Wren Mwangi")
    by_robin = ask(client, "A question about sleep", robin)
    by_wren = ask(client, "A question about groups", wren, topic="peer-support-and-groups")
    anonymous = ask(client, "A question about work", "anonymous")
    client.post(f"/q/{anonymous}/answers", data={"body": "Robin answers", "as": robin})
    client.post(f"/q/{by_robin}/answers", data={"body": "Wren answers", "as": wren})
    assert keeper_link(client.get(f"/q/{anonymous}").get_data(as_text=True)) is None

    pages = public_pages(app, [by_robin, by_wren, anonymous])
    robin_page = next(
        html
        for url, html in pages.items()
        if url.startswith("/p/") and '<h1 dir="auto">Robin</h1>' in html
    )
    wren_page = next(
        html
        for url, html in pages.items()
        if url.startswith("/p/") and '<h1 dir="auto">Wren Mwangi</h1>' in html
    )
    assert "A question about sleep" in robin_page
    assert "Wren" not in robin_page
    assert "Robin" not in wren_page
    # A perspective names the (public) question it answers; the questions asked are only
    # those asked under the pseudonym, never the account's anonymous ones.
    for page in (robin_page, wren_page):
        assert "A question about work" not in page.split('id="offered-heading"')[0]
    for url, html in pages.items():
        assert HANDLE not in html, url
    anonymous_page = pages[f"/q/{anonymous}"]
    question_part = anonymous_page.split('id="answers-heading"')[0]
    assert "Robin" not in question_part
    assert "Wren" not in question_part
    api = json.loads(pages[f"/api/v1/questions/{anonymous}"])
    assert api["by"] == "anonymous"
    assert "account" not in json.dumps(api)
    public_ids = [url for url in pages if url.startswith("/p/")]
    assert len(public_ids) == 2
    assert all(not re.fullmatch(r"/p/\d+", url) for url in public_ids)


def test_the_ask_form_offers_each_pseudonym_and_remembers_the_last_per_topic(client):
    join(client, pseudonym="Robin")
    wren = add_pseudonym(client, "Wren")
    ask(client, "As Wren in peer support", wren, topic="peer-support-and-groups")
    html = client.get("/ask?topic=peer-support-and-groups").get_data(as_text=True)
    assert re.search(rf'value="{wren}" checked', html)
    html = client.get("/ask?topic=getting-through-today").get_data(as_text=True)
    assert re.search(r'value="anonymous" checked', html)


def test_someone_cannot_post_as_another_accounts_pseudonym(app):
    first, second = app.test_client(), app.test_client()
    join(first, handle="first-one", pseudonym="Robin")
    robin = pseudonym_ids(first)["Robin"]
    join(second, handle="second-one", pseudonym="Wren")
    response = second.post(
        "/ask",
        data={"title": "Not mine", "body": "x", "topic": "getting-through-today", "as": robin},
    )
    assert response.status_code == 400


def test_account_page_lists_posts_and_manages_them_without_keeper_links(app, client):
    join(client)
    robin = pseudonym_ids(client)["Robin"]
    qid = ask(client, "My own question", robin)
    client.post(f"/q/{qid}/answers", data={"body": "my own answer", "as": "anonymous"})
    html = client.get("/account").get_data(as_text=True)
    assert "My own question" in html
    assert "my own answer" in html
    assert (
        client.post(
            f"/mine/question/{qid}/edit",
            data={"title": "Edited title", "body": "new", "topic": "getting-through-today"},
        ).status_code
        == 303
    )
    assert "Edited title" in client.get(f"/q/{qid}").get_data(as_text=True)
    stranger = app.test_client()
    join(stranger, handle="stranger", pseudonym="Stranger")
    assert stranger.get(f"/mine/question/{qid}/edit").status_code == 404
    assert stranger.post(f"/mine/question/{qid}/delete").status_code == 404
    assert app.test_client().get(f"/mine/question/{qid}").status_code == 404
    assert client.post(f"/mine/question/{qid}/delete").status_code == 303
    assert "The asker removed their question" in client.get(f"/q/{qid}").get_data(as_text=True)


def test_a_keeper_link_can_be_attached_to_an_account(app, client, make):
    posted = make.question(title="Asked before joining")
    join(client)
    response = client.post(
        "/account/keeper-links", data={"link": f"http://localhost/keep/{posted.keeper_token}"}
    )
    assert response.status_code == 303
    assert "Asked before joining" in client.get("/account").get_data(as_text=True)
    bad = client.post("/account/keeper-links", data={"link": "http://localhost/keep/nonsense"})
    assert bad.status_code == 400
    assert "does not match" in bad.get_data(as_text=True)


def test_cookie_choices_move_to_the_account_at_sign_in(app, client, make):
    make.question(title="A heavy title", content_notes=["suicide"])
    join(client)
    client.post("/logout")
    client.post("/settings/content-notes", data={"note-suicide": "show"})
    client.post("/login", data={"handle": "quiet-fox", "password": PASSWORD})
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"handle": "quiet-fox", "password": PASSWORD})
    assert "A heavy title" in elsewhere.get("/").get_data(as_text=True)


def test_export_holds_everything_about_the_account_and_not_the_handle(client):
    join(client, handle=HANDLE, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]
    qid = ask(client, "Exported question", robin)
    client.post(f"/q/{qid}/answers", data={"body": "exported *answer*", "as": "anonymous"})
    client.post("/settings/content-notes", data={"note-police": "hide"})
    response = client.get("/account/export.json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert [p["name"] for p in data["pseudonyms"]] == ["Robin"]
    assert data["questions"][0]["title"] == "Exported question"
    assert data["questions"][0]["posted_as"] == "Robin"
    assert data["answers"][0]["body_markdown"] == "exported *answer*"
    assert data["answers"][0]["posted_as"] == "anonymous"
    assert data["preferences"]["content_notes"] == {"police": "hide"}
    assert data["reports"] == []
    raw = response.get_data(as_text=True)
    assert HANDLE not in raw
    assert "argon2" not in raw


def all_text(app):
    """Every text value in the database, for checking what a deletion left behind."""
    with app.app_context():
        values = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):
                values += [str(value) for value in row if value is not None]
        return " ".join(values)


def test_deleting_with_remove_everything_leaves_nothing(app, client, make):
    join(client, handle=HANDLE, pseudonym="Robin Hollow")
    robin = pseudonym_ids(client)["Robin Hollow"]
    qid = ask(client, "Words to remove", robin)
    other = make.question(title="Someone else's question").post
    client.post(f"/q/{other.id}/answers", data={"body": "answer to remove", "as": robin})
    wrong = client.post(
        "/account/delete", data={"password": "wrong password!", "choice": "remove-everything"}
    )
    assert wrong.status_code == 400
    unchosen = client.post("/account/delete", data={"password": PASSWORD}).get_data(as_text=True)
    # The error summary's link lands on the group of choices it names.
    assert 'href="#choice"' in unchosen
    assert re.search(r'<fieldset [^>]*id="choice"', unchosen)
    assert unchosen.count('aria-invalid="true"') == 2  # each of the two choices
    response = client.post(
        "/account/delete", data={"password": PASSWORD, "choice": "remove-everything"}
    )
    assert response.status_code == 303
    assert client.get("/account").status_code == 303
    leftovers = all_text(app)
    for gone in (HANDLE, "Robin Hollow", "Words to remove", "answer to remove", "$argon2"):
        assert gone not in leftovers, gone
    assert "Someone else's question" in leftovers
    with app.app_context():
        assert db.session.scalar(select(Account)) is None
        assert db.session.get(Question, qid).deleted_at is not None


def test_deleting_with_keep_answers_leaves_them_with_no_name(app, client, make):
    join(client, handle=HANDLE, pseudonym="Robin Hollow")
    robin = pseudonym_ids(client)["Robin Hollow"]
    ask(client, "Question to remove", robin)
    other = make.question().post
    client.post(f"/q/{other.id}/answers", data={"body": "answer to keep", "as": robin})
    client.post("/account/delete", data={"password": PASSWORD, "choice": "keep-answers"})
    page = client.get(f"/q/{other.id}").get_data(as_text=True)
    assert "answer to keep" in page
    assert "Robin Hollow" not in page
    leftovers = all_text(app)
    assert "Question to remove" not in leftovers
    assert HANDLE not in leftovers
    with app.app_context():
        kept = db.session.scalar(select(Answer).where(Answer.body_source == "answer to keep"))
        assert kept.account_id is None
        assert kept.pseudonym_id is None


def test_the_askers_own_replies_go_with_the_account(app, client):
    join(client, handle=HANDLE, pseudonym="Robin Hollow")
    qid = ask(client, "Asked signed in", "anonymous")
    client.post(f"/mine/question/{qid}/replies", data={"body": "my reply as the asker"})
    data = json.loads(client.get("/account/export.json").get_data(as_text=True))
    assert [a["body_markdown"] for a in data["answers"]] == ["my reply as the asker"]
    client.post("/account/delete", data={"password": PASSWORD, "choice": "remove-everything"})
    assert "my reply as the asker" not in all_text(app)


def test_attaching_a_keeper_link_brings_the_askers_replies(app, client, make):
    posted = make.question(title="Asked signed out")
    app.test_client().post(f"/keep/{posted.keeper_token}/replies", data={"body": "reply by link"})
    join(client)
    client.post("/account/keeper-links", data={"link": posted.keeper_token})
    client.post("/account/delete", data={"password": PASSWORD, "choice": "remove-everything"})
    assert "reply by link" not in all_text(app)


def test_keep_answers_still_removes_the_askers_own_replies(app, client):
    join(client, handle=HANDLE, pseudonym="Robin Hollow")
    qid = ask(client, "Question going away", "anonymous")
    client.post(f"/mine/question/{qid}/replies", data={"body": "my reply goes too"})
    client.post("/account/delete", data={"password": PASSWORD, "choice": "keep-answers"})
    assert "my reply goes too" not in all_text(app)
