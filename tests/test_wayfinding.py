"""Finding your way: help for where you are, and signing in without losing your place."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from config import UK_HELP_NOW
from tests.accounts_helpers import PASSWORD, join
from tests.html_tree import parse


def test_need_help_now_says_its_services_are_in_the_uk_and_where_to_look_elsewhere(client):
    html = client.get("/help-now").get_data(as_text=True)
    assert "These services are in the UK" in html
    elsewhere = re.search(r'<a href="https://findahelpline.com"[^>]*>([^<]+)</a>', html)
    assert elsewhere is not None, "no link to an international directory"
    assert "Find A Helpline" in elsewhere.group(1)


def test_a_deployment_with_its_own_services_is_not_called_uk(app, client):
    app.config["HELP_NOW"] = ({"name": "Local line", "how": "Call 0800 000", "href": "tel:0"},)
    html = client.get("/help-now").get_data(as_text=True)
    assert "UK" not in html
    assert 'href="https://findahelpline.com"' in html


def test_the_shout_link_fills_in_the_word_shout_on_iphones_and_android_phones(client):
    html = client.get("/help-now").get_data(as_text=True)
    shout = re.search(r'href="(sms:85258[^"]*)"', html).group(1)
    # "?&body=" is the form both iOS (which reads "&body") and Android (which reads "?body") take.
    assert shout.replace("&amp;", "&") == "sms:85258?&body=SHOUT"
    assert [s["href"] for s in UK_HELP_NOW if s["name"] == "Shout"] == ["sms:85258?&body=SHOUT"]


def _sign_in_from(client, page):
    """Follow the Sign in link on a page, sign in there, and say where Kettle went next."""
    html = client.get(page).get_data(as_text=True)
    href = next(
        a.attrs["href"] for a in parse(html).walk()
        if a.tag == "a" and a.text() == "Sign in" and a.attrs["href"].startswith("/login")
    )  # fmt: skip
    response = client.post(href.replace("&amp;", "&"), data={"handle": "quiet-fox",
                                                             "password": PASSWORD})  # fmt: skip
    assert response.status_code == 303
    return response.headers["Location"]


def test_signing_in_returns_you_to_the_page_you_were_on(app, client, make):
    join(app.test_client())
    question = make.question().post
    assert _sign_in_from(client, f"/q/{question.id}?order=shuffle") == (
        f"/q/{question.id}?order=shuffle"
    )


def test_signing_in_from_the_home_page_or_the_sign_in_page_itself(app, client):
    join(app.test_client())
    assert _sign_in_from(client, "/") == "/"
    client.post("/logout")
    assert _sign_in_from(client, "/login") == "/"


def test_a_keeper_link_is_never_copied_into_the_sign_in_address(client, make):
    posted = make.question()
    html = client.get(f"/keep/{posted.keeper_token}").get_data(as_text=True)
    assert posted.keeper_token in html
    assert re.findall(r'href="(/login[^"]*)"', html) == ["/login"]


def test_a_refused_perspective_signs_you_in_back_to_its_question(client, make):
    question = make.question().post
    page = f"http://localhost/q/{question.id}"
    refused = client.post(f"/q/{question.id}/answers", data={}, headers={"Referer": page})
    links = re.findall(r'href="(/login[^"]*)"', refused.get_data(as_text=True))
    assert links == [f"/login?next=/q/{question.id}"] * 2


def test_a_form_sent_from_a_keeper_page_never_puts_its_link_in_the_sign_in_address(client, make):
    posted = make.question()
    keeper_page = f"http://localhost/keep/{posted.keeper_token}"
    refused = client.post("/ask", data={}, headers={"Referer": keeper_page})
    html = refused.get_data(as_text=True)
    assert posted.keeper_token not in html
    assert set(re.findall(r'href="(/login[^"]*)"', html)) == {"/login"}


def test_a_page_that_needs_you_signed_in_brings_you_back_after(app, client):
    join(app.test_client())
    to_sign_in = client.get("/account/password").headers["Location"]
    response = client.post(to_sign_in, data={"handle": "quiet-fox", "password": PASSWORD})
    assert response.headers["Location"] == "/account/password"


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
        "/\\/evil.example", "javascript:alert(1)", "http:/evil.example", "evil.example",
        " //evil.example", "/\r\nLocation: https://evil.example", "\t//evil.example",
        "data:text/html,hi", "///evil.example", "/path\\with\\backslash",
    ],
)  # fmt: skip
def test_signing_in_never_sends_you_to_another_site(app, client, elsewhere):
    join(app.test_client())
    response = client.post(
        "/login", query_string={"next": elsewhere},
        data={"handle": "quiet-fox", "password": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_sign_in_to_post_under_a_pseudonym_is_a_link_that_comes_back(client, make):
    question = make.question().post
    for page in ("/ask", f"/q/{question.id}"):
        html = client.get(page).get_data(as_text=True)
        hint = re.search(r'<p class="hint" id="as-hint">(.*?)</p>', html, re.S).group(1)
        link = re.search(r'<a href="(/login\?next=[^"]+)">Sign in</a> to post under a', hint)
        assert link is not None, f"no Sign in link on {page}: {hint}"
        assert parse_qs(urlsplit(link.group(1)).query)["next"] == [page]


def test_adding_a_pseudonym_that_is_refused_shows_an_error_summary_at_the_top(client):
    join(client)
    refused = client.post("/account/pseudonyms", data={"name": "Kettle"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    main = html.split('<main id="main"', 1)[1]
    summary = re.search(r'class="error-summary"[^>]*id="error-summary">(.*?)</div>', main, re.S)
    assert summary is not None, "no error summary"
    assert main.index('id="error-summary"') < main.index('id="posts-heading"')
    assert '<a href="#new-pseudonym">' in summary.group(1)
    assert 'id="new-pseudonym"' in html
    assert "<title>Error: " in html


def test_the_moderation_log_is_one_click_from_every_page(client, make):
    question = make.question().post
    for path in ("/", "/topics", f"/q/{question.id}", "/help-now"):
        html = client.get(path).get_data(as_text=True)
        assert 'href="/moderation-log">Moderation log</a>' in html, path


def test_only_people_on_the_rota_see_the_rota_in_the_menu(app):
    from tests.moderation_helpers import People

    people = People(app)
    assert 'href="/rota"' not in people.member().get("/").get_data(as_text=True)
    assert 'href="/rota"' in people.moderator(on_shift=False).get("/").get_data(as_text=True)
    assert 'href="/rota"' in people.coordinator().get("/").get_data(as_text=True)
