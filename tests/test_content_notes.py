"""Content notes protect readers: collapsed bodies, hidden titles, per-note choices."""

import re

from app.readers.prefs import COOKIE
from tests.accounts_helpers import join


def choose(client, **choices):
    """Save content-note choices the way a reader does, through the settings form."""
    data = {f"note-{slug.replace('_', '-')}": choice for slug, choice in choices.items()}
    return client.post("/settings/content-notes", data=data)


def test_a_noted_body_is_collapsed_with_its_notes_named(client, make):
    question = make.question(
        body="the hard part", content_notes=["self-harm"], other="hospital"
    ).post
    html = client.get(f"/q/{question.id}").get_data(as_text=True)
    details = re.search(r"<details class=\"content-note\"( open)?>(.*?)</details>", html, re.S)
    assert details.group(1) is None
    assert "Self-harm, <bdi>hospital</bdi>" in details.group(2)
    assert 'class="question-body prose"' in details.group(2)
    assert "the hard part" in details.group(2)


def test_an_unnoted_body_is_not_behind_a_note(client, make):
    question = make.question(body="plain words").post
    html = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "content-note" not in html.split('id="answers-heading"')[0].split("<main")[1]


def test_noted_titles_stay_out_of_lists(client, make):
    make.question(title="A heavy title", content_notes=["suicide"])
    make.question(title="A light title")
    for url in ("/", "/t/work-and-lived-experience-roles"):
        html = client.get(url).get_data(as_text=True)
        assert "A light title" in html
        assert "A heavy title" not in html
        assert "A question with content notes:" in html
        assert "Suicide" in html


def test_choosing_show_opens_bodies_and_titles(client, make):
    question = make.question(title="A heavy title", content_notes=["suicide"]).post
    response = choose(client, suicide="show")
    assert response.status_code == 303
    assert COOKIE in response.headers["Set-Cookie"]
    assert "A heavy title" in client.get("/").get_data(as_text=True)
    html = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert '<details class="content-note" open>' in html


def test_show_must_cover_every_note_on_the_post(client, make):
    question = make.question(title="Two notes", content_notes=["suicide", "police"]).post
    choose(client, suicide="show")
    assert "Two notes" not in client.get("/").get_data(as_text=True)
    assert '<details class="content-note">' in client.get(f"/q/{question.id}").get_data(
        as_text=True
    )


def test_own_words_notes_follow_their_own_choice(client, make):
    make.question(title="Own words only", other="court")
    assert "Own words only" not in client.get("/").get_data(as_text=True)
    choose(client, own_words="show")
    assert "Own words only" in client.get("/").get_data(as_text=True)


def test_hide_leaves_posts_out_and_says_how_many(client, make):
    question = make.question(title="Kept", content_notes=[]).post
    make.question(title="Gone", content_notes=["police"])
    make.answer(question, body="a police story", content_notes=["police"])
    make.answer(question, body="another view")
    choose(client, police="hide")
    home = client.get("/").get_data(as_text=True)
    assert "1 question was left out" in home
    page = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "a police story" not in page
    assert "another view" in page
    assert "1 perspective was left out" in page
    shown = client.get(f"/q/{question.id}?notes=all").get_data(as_text=True)
    assert "a police story" in shown


def test_settings_page_remembers_choices_without_an_account(client):
    choose(client, suicide="hide", police="show")
    html = client.get("/settings/content-notes").get_data(as_text=True)
    assert re.search(r'name="note-suicide"[^>]*value="hide" checked', html)
    assert re.search(r'name="note-police"[^>]*value="show" checked', html)
    assert re.search(r'name="note-abuse"[^>]*value="collapse" checked', html)


def test_a_bad_choice_is_refused_and_changes_nothing(client):
    choose(client, suicide="hide")
    response = client.post("/settings/content-notes", data={"note-suicide": "explode"})
    assert response.status_code == 400
    assert not any(COOKIE in cookie for cookie in response.headers.getlist("Set-Cookie"))
    html = client.get("/settings/content-notes").get_data(as_text=True)
    assert re.search(r'name="note-suicide"[^>]*value="hide" checked', html)


def test_a_tampered_cookie_is_ignored(client, make):
    make.question(title="A heavy title", content_notes=["suicide"])
    client.set_cookie(COOKIE, '{"n":{"suicide":"show"}}')
    assert "A heavy title" not in client.get("/").get_data(as_text=True)


def test_discreet_titles_make_every_tab_say_kettle(client, make):
    question = make.question(title="Tell my mum?").post
    assert "<title>Tell my mum? – Kettle</title>" in client.get(f"/q/{question.id}").get_data(
        as_text=True
    )
    client.post("/settings/content-notes", data={"discreet_titles": "on"})
    assert "<title>Kettle</title>" in client.get(f"/q/{question.id}").get_data(as_text=True)


def test_discreet_titles_chosen_while_signed_in_stay_on_after_signing_out(client, make):
    question = make.question(title="Tell my dad?").post
    join(client)
    client.post("/settings/content-notes", data={"discreet_titles": "on"})
    client.post("/logout")
    assert "<title>Kettle</title>" in client.get(f"/q/{question.id}").get_data(as_text=True)


def test_opening_a_hidden_question_asks_first(client, make):
    question = make.question(title="A title behind a gate", content_notes=["police"]).post
    choose(client, police="hide")
    gate = client.get(f"/q/{question.id}").get_data(as_text=True)
    assert "A title behind a gate" not in gate
    assert "you chose to hide" in gate
    assert "Police" in gate
    assert "notes=all" in gate
    shown = client.get(f"/q/{question.id}?notes=all").get_data(as_text=True)
    assert "A title behind a gate" in shown
    assert '<details class="content-note">' in shown


def test_when_every_question_is_left_out_the_home_page_does_not_say_nobody_asked(client, make):
    make.question(title="Only one", content_notes=["police"])
    choose(client, police="hide")
    home = client.get("/").get_data(as_text=True)
    assert "Nobody has asked anything yet" not in home
    assert "Every question has at least one perspective" not in home
    assert home.count("1 question was left out") == 2
