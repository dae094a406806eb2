"""Text that only looks like text: invisible posts, characters feeds refuse, piled-up marks."""

import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from app.core import cleaning
from app.questions.models import Answer, Question
from app.web.extensions import db
from tests.builders import keeper_link
from tests.test_asking import GOOD, count_questions

# Each draws nothing: format characters, fillers, blanks of several scripts, marks alone.
INVISIBLE = [
    "\u200b",  # zero width space
    "\u200e\u200f",  # left-to-right and right-to-left marks
    "\u2060\ufeff\u00ad",  # word joiner, byte order mark, soft hyphen
    "\u3164\u3164",  # Hangul filler
    "\u115f\u1160\uffa0",  # Hangul choseong, jungseong and halfwidth fillers
    "\u2800\u2800\u2800",  # braille blank
    "\u00a0\u2003\u3000\u205f",  # no-break, em, ideographic and mathematical spaces
    "\ufe0f\ufe0e",  # variation selectors
    "\u0301\u0308",  # combining marks with nothing to sit on
    "\U000e0041\U000e0042",  # tag characters
    "\u17b4\u180e\u034f",  # Khmer inherent vowel, Mongolian separator, grapheme joiner
]


def feed_of(client, keeper):
    page = client.get(keeper).get_data(as_text=True)
    return re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', page).group(1)


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_a_title_i_cannot_see_is_refused_as_if_it_were_blank(client, app, invisible):
    response = client.post("/ask", data={**GOOD, "title": invisible})
    assert response.status_code == 400
    assert "Please give your question a title." in response.get_data(as_text=True)
    assert count_questions(app) == 0


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_a_question_body_i_cannot_see_is_refused_as_if_it_were_blank(client, app, invisible):
    response = client.post("/ask", data={**GOOD, "body": f"\n{invisible} \n"})
    assert response.status_code == 400
    assert "Please say a little more about your question." in response.get_data(as_text=True)
    assert count_questions(app) == 0


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_a_perspective_i_cannot_see_is_refused_as_if_it_were_blank(client, app, make, invisible):
    question = make.question()
    response = client.post(f"/q/{question.post.id}/answers", data={"body": invisible})
    assert response.status_code == 400
    assert "Please write your perspective." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Answer)).all() == []


@pytest.mark.parametrize(
    "markup", ["**\u200b**", "[](https://example.org)", "` `", "_\u3164_", "> \u2800\n>"]
)
def test_a_perspective_of_markup_that_shows_nothing_is_refused_as_blank(client, app, make, markup):
    question = make.question()
    response = client.post(f"/q/{question.post.id}/answers", data={"body": markup})
    assert response.status_code == 400
    assert "Please write your perspective." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Answer)).all() == []


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_an_own_words_note_i_cannot_see_folds_nothing(client, app, invisible):
    data = {**GOOD, "content_notes": [], "content_note_other": invisible}
    response = client.post("/ask", data=data)
    assert response.status_code == 303
    with app.app_context():
        question = db.session.scalars(select(Question)).one()
        assert question.content_note_other == ""
        question_id = question.id
    page = client.get(f"/q/{question_id}").get_data(as_text=True)
    assert "Content notes:" not in page
    assert 'class="content-note"' not in page


@pytest.mark.parametrize("title", ["Hi\u200b", "\u200ba\u200bb\u200b", "x\u0301\u0301y"])
def test_a_title_needs_a_few_characters_people_can_see(client, app, title):
    response = client.post("/ask", data={**GOOD, "title": title})
    assert response.status_code == 400
    assert "a little longer" in response.get_data(as_text=True)
    assert count_questions(app) == 0


@pytest.mark.parametrize("title", ["Why me?", "辞めるべき", "होगा?", "❤️‍🩹 now?"])
def test_short_titles_in_any_script_are_welcome(client, app, title):
    assert client.post("/ask", data={**GOOD, "title": title}).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Question.title)).one() == title


@pytest.mark.parametrize(
    "unsafe", ["\uffff", "\ufffe", "\x01", "\x0b", "\x1b[31m", "\x85", "\ufdd0", "\U0010ffff"]
)
def test_a_perspective_with_characters_xml_refuses_keeps_my_feed_readable(client, unsafe):
    asked = client.post("/ask", data={**GOOD, "content_notes": [], "content_note_other": ""})
    question_page = client.get(asked.headers["Location"]).get_data(as_text=True)
    keeper = keeper_link(question_page)
    question_id = re.search(r"/q/(\d+)", asked.headers["Location"]).group(1)
    stranger = client.application.test_client()
    body = f"x {unsafe} y"
    assert stranger.post(f"/q/{question_id}/answers", data={"body": body}).status_code == 303
    feed = client.get(feed_of(client, keeper))
    entries = ET.fromstring(feed.data).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    assert "x" in feed.get_data(as_text=True)
    assert unsafe not in feed.get_data(as_text=True)
    assert unsafe not in client.get(f"/q/{question_id}").get_data(as_text=True)
    assert unsafe not in client.get(f"/api/v1/questions/{question_id}").get_data(as_text=True)


def test_lone_surrogates_and_stray_controls_never_reach_stored_text():
    cleaned = cleaning.clean_text("a\ud800b\udfffc\x00d\x7fe\u202ef\u2066g\x0ch\r\ni")
    assert cleaned == "abcdefgh\ni"


@pytest.mark.parametrize(
    "kept",
    [
        "Tiê\u0301ng Vie\u0323\u0302t",  # Vietnamese, decomposed: two marks on a letter
        "בְּרֵאשִׁ֖ית",  # Hebrew with points and a cantillation mark
        "क्षत्रिय",  # Devanagari with viramas and vowel signs
        "ພາສາລາວ",  # Lao
        "👩🏽‍🦱 ❤️",  # emoji with skin tone, joiner and variation selector
        "مهسا\u200cجان",  # Persian with a zero width non-joiner
        "tab\tand\nnewline",
    ],
)
def test_real_writing_in_any_script_is_kept_as_written(kept):
    assert cleaning.clean_text(kept) == unicodedata.normalize("NFC", kept)


def test_marks_piled_on_one_letter_are_cut_to_a_few(client, app, make):
    zalgo = "Z" + "".join(chr(0x0300 + n) for n in range(40)) + "ed" + "\u0489" * 30
    question = make.question()
    client.post(f"/q/{question.post.id}/answers", data={"body": f"Hello {zalgo}"})
    with app.app_context():
        stored = db.session.scalars(select(Answer.body_source)).one()
    runs = re.findall(r"[\u0300-\u036f\u0489]+", stored)
    assert max(len(run) for run in runs) == cleaning.MARKS_PER_CHARACTER
    assert stored.startswith("Hello Z")
    assert "ed" in stored


def test_marks_that_still_spill_are_clipped_on_every_post_and_title():
    with open("static/css/kettle.css", encoding="utf-8") as css:
        sheet = css.read()
    rules = sheet[sheet.index("/* Text that only looks like text") :]
    clipped = rules[: rules.index("}")]
    for selector in (".prose", "#question-title", ".question-title", ".answer-by"):
        assert selector in clipped
    assert "overflow-y: clip" in clipped
