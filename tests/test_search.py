"""Someone searching "has anyone been here before?" finds it, and nothing they should not.

Each test is a complaint a person could make: a word they know is there is not found, the
words around it are missing or unsafe, a topic does not narrow, paging repeats or skips,
or search shows something moderation, its author or their own choices took away.
"""

import re

import pytest
from sqlalchemy import update

from app.accounts.models import Pseudonym
from app.core.time import now
from app.questions import services
from app.questions.models import Answer, Question
from app.search import terms
from app.web.extensions import db
from tests.accounts_helpers import join, pseudonym_ids
from tests.test_account_life import ask

TOPIC = "getting-through-today"
OTHER_TOPIC = "work-and-lived-experience-roles"
RESULT = re.compile(r'class="question-item search-result" data-question-id="(\d+)"')


def found(client, query, **params):
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.status_code
    return [int(n) for n in RESULT.findall(response.get_data(as_text=True))]


def page(client, query, **params):
    return client.get("/search", query_string={"q": query, **params}).get_data(as_text=True)


def test_a_word_in_a_title_a_body_or_a_perspective_finds_the_question(client, make):
    in_title = make.question(title="Lanternfish at night", body="Nothing else").post
    in_body = make.question(title="Sleep", body="I count lanternfish until morning").post
    asked = make.question(title="Another night", body="Just tired").post
    make.answer(asked, body="A lanternfish poster by my bed helped")
    make.question(title="Unrelated", body="Completely different words")
    assert sorted(found(client, "lanternfish")) == sorted([in_title.id, in_body.id, asked.id])


def test_every_word_must_match_and_endings_do_not_matter(client, make):
    both = make.question(title="Panic attacks on the bus", body="Every morning").post
    make.question(title="Panic in the shop", body="Sometimes")
    assert found(client, "panic attack bus") == [both.id]
    assert found(client, "attacking mornings") == [both.id]  # stemmed, on both databases


def test_has_anyone_been_here_before_finds_the_words_that_matter(client, make):
    asked = make.question(title="Voices after a hospital stay", body="Has anyone else?").post
    assert found(client, "has anyone been here before with voices") == [asked.id]


def test_a_title_match_ranks_above_a_body_match_and_ties_go_newest_first(client, make):
    body_only = make.question(title="A question", body="Something about kintsugi here").post
    first = make.question(title="Kintsugi and me", body="Mending").post
    second = make.question(title="Kintsugi and me", body="Mending").post
    assert found(client, "kintsugi") == [second.id, first.id, body_only.id]


def test_the_excerpt_marks_the_words_and_lets_no_html_through(client, make):
    make.question(
        title="Tell work?",
        body="<script>alert(1)</script> <img src=x onerror=alert(2)> my **ombudsman** said no",
    )
    html = page(client, "ombudsman")
    assert "<mark>ombudsman</mark>" in html
    excerpt = re.search(r'<p class="excerpt"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "<script" not in excerpt and "<img" not in excerpt
    assert "**" not in excerpt  # the words as read, not their Markdown


def test_the_excerpt_marks_a_word_whose_ending_differs_from_the_search(client, make):
    make.question(title="Dread", body="Every morning I lie awake, wondering")
    html = page(client, "mornings wonders")
    assert "<mark>morning</mark>" in html and "<mark>wondering</mark>" in html


def test_a_match_in_a_perspective_shows_those_words(client, make):
    asked = make.question(title="Benefits review", body="Any tips?").post
    make.answer(asked, body="Bring a caseworker you trust to the assessment")
    html = page(client, "caseworker")
    assert "From a perspective:" in html and "<mark>caseworker</mark>" in html


def test_a_topic_narrows_the_search(client, make):
    here = make.question(title="Quillwort thoughts", topic=TOPIC).post
    there = make.question(title="Quillwort at work", topic=OTHER_TOPIC).post
    assert found(client, "quillwort", topic=TOPIC) == [here.id]
    assert found(client, "quillwort", topic=OTHER_TOPIC) == [there.id]
    assert (
        client.get("/search", query_string={"q": "quillwort", "topic": "nope"}).status_code == 404
    )


@pytest.mark.settings(PAGE_SIZE=3)
def test_more_results_pages_through_every_match_once(client, make):
    ids = [make.question(title=f"Tamarind {n}", body="tamarind " * (n % 3 + 1)).post.id
           for n in range(8)]  # fmt: skip
    make.question(title="Nothing to do with it")
    seen, url = [], "/search?q=tamarind"
    for _ in range(10):  # three pages hold them all; more would mean paging went round
        if url is None:
            break
        html = client.get(url).get_data(as_text=True)
        seen += [int(n) for n in RESULT.findall(html)]
        more = re.search(r'<a href="(/search\?[^"]+)">More results</a>', html)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids)


def test_a_cursor_kettle_did_not_make_gets_a_kind_page(client, make):
    make.question(title="Tamarind")
    for bad in ("nope", "nan_3", "inf_2", "1_", "_1", "1e999_3", "1" * 40):
        response = client.get("/search", query_string={"q": "tamarind", "after": bad})
        assert response.status_code == 400
        assert "not one Kettle made" in response.get_data(as_text=True)


def _hide(app, model, post_id):
    with app.app_context():
        services.hide(db.session.get(model, post_id), None, "Breaks the house rules")
        db.session.commit()


def _set(app, model, post_id, **values):
    with app.app_context():
        db.session.execute(update(model).where(model.id == post_id).values(**values))
        db.session.commit()


def test_hidden_collapsed_and_deleted_posts_are_never_found(app, client, make):
    hidden = make.question(title="Marzipan hidden").post
    collapsed = make.question(title="Marzipan collapsed").post
    deleted = make.question(title="Marzipan deleted").post
    shown = make.question(title="Marzipan shown").post
    _hide(app, Question, hidden.id)
    _set(app, Question, collapsed.id, collapsed_at=now())
    with app.app_context():
        services.delete_question(db.session.get(Question, deleted.id))
    assert found(client, "marzipan") == [shown.id]


def test_a_hidden_or_collapsed_perspective_does_not_make_its_question_found(app, client, make):
    asked = make.question(title="Plain title", body="plain").post
    hidden = make.answer(asked, body="Saying pumpernickel here").post
    other = make.question(title="Other", body="plain").post
    collapsed = make.answer(other, body="Also pumpernickel").post
    assert sorted(found(client, "pumpernickel")) == sorted([asked.id, other.id])
    _hide(app, Answer, hidden.id)
    _set(app, Answer, collapsed.id, collapsed_at=now())
    assert found(client, "pumpernickel") == []


def test_a_suspended_pseudonym_s_posts_are_held_back_until_it_ends(app, client):
    robin = app.test_client()
    join(robin, pseudonym="Robin")
    question_id = ask(robin, "Samphire worries", pseudonym_ids(robin)["Robin"], topic=TOPIC)
    assert found(client, "samphire") == [question_id]
    with app.app_context():
        pseudonym_id = db.session.get(Question, question_id).pseudonym_id
    _set(app, Pseudonym, pseudonym_id, suspended_until=now().replace(year=now().year + 1))
    assert found(client, "samphire") == []


def _choose(client, slug, choice):
    response = client.post("/settings/content-notes", data={f"note-{slug}": choice})
    assert response.status_code in (302, 303)


def test_noted_titles_and_excerpts_stay_behind_their_notes(client, make):
    noted = make.question(title="Quetzal secret title", body="quetzal words",
                          content_notes=("self-harm",)).post  # fmt: skip
    html = page(client, "quetzal")
    assert f'data-question-id="{noted.id}"' in html
    assert "secret title" not in html and "<mark>quetzal</mark>" not in html  # nor marked
    assert "Self-harm" in html
    _choose(client, "self-harm", "show")
    html = page(client, "quetzal")
    assert "<mark>Quetzal</mark> secret title" in html and "<mark>quetzal</mark>" in html


def test_a_noted_perspective_s_words_stay_behind_its_notes(client, make):
    asked = make.question(title="Plain question", body="plain").post
    make.answer(asked, body="The zither words", content_notes=("self-harm",))
    html = page(client, "zither")
    assert f'data-question-id="{asked.id}"' in html
    assert "<mark>zither</mark>" not in html and "perspective with content notes" in html


def test_a_hide_choice_leaves_those_posts_out_and_says_how_many(client, make):
    make.question(title="Yarrow one", content_notes=("self-harm",))
    asked = make.question(title="Plain", body="plain").post
    make.answer(asked, body="yarrow in a perspective", content_notes=("self-harm",))
    kept = make.question(title="Yarrow kept").post
    _choose(client, "self-harm", "hide")
    html = page(client, "yarrow")
    assert [int(n) for n in RESULT.findall(html)] == [kept.id]
    assert "2 questions were left out" in html


def test_a_new_or_edited_post_is_found_by_its_words_at_once(app, client, make):
    asked = make.question(title="Before edit", body="old marmalade words").post
    assert found(client, "marmalade") == [asked.id]
    with app.app_context():
        question = db.session.get(Question, asked.id)
        services.edit_question(
            question,
            {
                "title": "After edit",
                "body": "new damson words",
                "content_notes": [],
                "content_note_other": "",
                "topic": question.topic,
            },
        )
        db.session.commit()
    assert found(client, "marmalade") == []
    assert found(client, "damson") == [asked.id]


@pytest.mark.settings(SEARCH_WINDOW=3)
def test_a_word_in_very_many_posts_is_looked_for_among_the_newest(client, make):
    ids = [make.question(title=f"Bramble {n}").post.id for n in range(5)]
    assert found(client, "bramble") == ids[:1:-1]  # the newest three, newest first
    older = make.question(title="Bramble and nettle", body="plain").post
    assert older.id in found(client, "bramble nettle")  # another word reaches it


def test_every_word_typed_counts_and_more_than_a_search_holds_is_refused_kindly(client, make):
    words = [f"word{chr(97 + n)}" for n in range(terms.MAX_TERMS + 1)]
    asked = make.question(title="Many words", body=" ".join(words)).post
    assert found(client, " ".join(words[: terms.MAX_TERMS])) == [asked.id]
    refused = client.get("/search", query_string={"q": " ".join(words)})
    assert refused.status_code == 400
    assert f"up to {terms.MAX_TERMS} words" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    "stored,typed",
    [("café", "cafe"), ("cafe", "café"), ("हिन्दी", "हिन्दी"), ("المُرَبَّى", "المُرَبَّى")],
    ids=["accent-left-off", "accent-added", "devanagari-marks", "arabic-marks"],
)
def test_the_excerpt_marks_the_word_found_with_its_accents_and_marks(client, make, stored, typed):
    make.question(title="Somewhere", body=f"Sitting with {stored} helped me")
    assert f"<mark>{stored}</mark>" in page(client, typed)


def test_a_refused_search_is_announced_and_boxes_follow_the_words_direction(client):
    html = page(client, "x" * (terms.MAX_QUERY_CHARS + 1))
    # kettle.js moves focus to #error-summary, so a screen reader reads why at once
    assert re.search(r'<div class="error-summary" role="alert"[^>]*id="error-summary"', html)
    for box in ("header-q", "search-q"):  # Arabic or Hebrew typed reads right to left
        assert re.search(rf'<input type="search" id="{box}"[^>]*dir="auto"', html)


def test_a_word_found_in_a_title_is_marked_there_and_a_noted_title_stays_folded(client, make):
    make.question(title="Allotment after a hospital stay", body="Digging helped")
    make.question(title="Hospital food", body="Bland", content_notes=("eating-and-food",))
    html = page(client, "hospital")
    assert "Allotment after a <mark>hospital</mark> stay" in html
    assert "A question with content notes" in html  # found, and folded
    assert "Hospital food" not in html and "<mark>Hospital</mark> food" not in html


@pytest.mark.parametrize(
    "stored,typed",
    [
        ("المُرَبَّى", "المربى"),
        ("المربى", "المُرَبَّى"),
        ("שָׁלוֹם", "שלום"),
        ("שלום", "שָׁלוֹם"),
        ("قُرْآن", "قرآن"),
    ],
    ids=["harakat-left-off", "harakat-typed", "niqqud-left-off", "niqqud-typed", "sukun-madda"],
)
def test_a_word_is_found_with_or_without_its_optional_vowel_marks(client, make, stored, typed):
    """Arabic and Hebrew are mostly written without their vowel marks (harakat, niqqud),
    and a post that has them must still be found by the word as most people type it, and
    the other way round; the word found is marked in the excerpt."""
    wanted = make.question(title="Somewhere", body=f"Sitting with {stored} helped me").post
    make.question(title="Elsewhere", body="Sitting with nothing helped me")
    response = page(client, typed)
    assert [int(n) for n in RESULT.findall(response)] == [wanted.id]
    assert f"<mark>{stored}</mark>" in response


def test_a_word_with_vowel_signs_is_one_word_not_its_letters(client, make):
    """Devanagari vowel signs sit inside a word: "कुल" (total) must not find a post that
    only has "कल" (tomorrow), nor "क" and "ल" on their own."""
    wanted = make.question(title="Somewhere", body="कुल मिलाकर ठीक हूँ").post
    make.question(title="Elsewhere", body="कल मिलेंगे, क और ल")
    assert found(client, "कुल") == [wanted.id]
