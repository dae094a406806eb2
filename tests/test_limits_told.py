"""Limits on length are told in words, never enforced by silently cutting what people typed."""

import html as html_lib
import re

import pytest
from sqlalchemy import func, select

from app.questions.forms import BODY_MAX, NOTE_OTHER_MAX, TITLE_MAX
from app.questions.models import Answer, Question
from app.web.extensions import db
from tests.test_asking import GOOD


def stored(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def text_controls(page):
    """Every text box and text area a person can type into, as its opening tag."""
    tags = re.findall(r"<(?:textarea|input)\b[^>]*>", page)
    return [t for t in tags if "<textarea" in t or re.search(r'type="(text|url)"', t)]


def test_no_box_on_the_posting_pages_cuts_text_at_a_limit(client, make):
    asked = make.question()
    keep = f"/keep/{asked.keeper_token}"
    answered = make.answer(asked.post)
    pages = ["/ask", f"/q/{asked.post.id}", keep, keep + "/edit"]
    pages.append(f"/keep/{answered.keeper_token}/edit")
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        controls = [t for t in text_controls(page) if 'name="website"' not in t]
        assert controls, url
        for tag in controls:
            assert "maxlength" not in tag, (url, tag)
        limited = [t for t in controls if "data-limit=" in t]
        assert any('name="body"' in t and f'data-limit="{BODY_MAX}"' in t for t in limited), url


@pytest.mark.parametrize(
    ("field", "limit", "words"),
    [
        ("body", BODY_MAX, "My long story. " * 1400),
        ("title", TITLE_MAX, "Is it normal to feel this way " * 6),
        ("content_note_other", NOTE_OTHER_MAX, "family estrangement and a hospital stay " * 4),
    ],
)
def test_a_question_over_a_limit_is_refused_kindly_with_every_word_given_back(
    client, app, field, limit, words
):
    words = words.strip()
    over = len(words) - limit
    assert over > 0
    response = client.post("/ask", data={**GOOD, field: words})
    assert response.status_code == 400
    page = html_lib.unescape(response.get_data(as_text=True))
    message = re.search(r'class="field-error"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert f"{limit:,}" in message
    assert f"{over:,}" in message
    assert words in page  # nothing was cut: the whole of it is there to shorten
    assert stored(app, Question) == 0


def test_a_long_perspective_is_refused_with_its_words_and_how_much_to_cut(client, app, make):
    asked = make.question()
    words = "What helped me was time. " * 1000
    response = client.post(f"/q/{asked.post.id}/answers", data={"body": words})
    assert response.status_code == 400
    page = html_lib.unescape(response.get_data(as_text=True))
    assert f"{len(words) - BODY_MAX:,} characters" in page
    assert words in page
    assert stored(app, Answer) == 0


def test_text_just_at_the_limit_is_taken(client, app, make):
    asked = make.question()
    response = client.post(f"/q/{asked.post.id}/answers", data={"body": "é" * BODY_MAX})
    assert response.status_code == 303


def test_a_three_megabyte_paste_is_refused_in_words_with_every_word_given_back(client, app, make):
    question = make.question().post
    paste = ("One idea on each line, pasted from my notes app at 2am.\n" * 55_000)[:3_000_000]
    response = client.post(f"/q/{question.id}/answers", data={"body": paste})
    assert response.status_code == 400
    page = html_lib.unescape(response.get_data(as_text=True))
    assert f"{BODY_MAX:,}" in page
    assert paste.strip() in page
    assert stored(app, Answer) == 0


def test_a_long_paste_is_given_back_on_the_ask_form_too(client, app):
    paste = "ब" * 1_000_000  # three bytes each, nine once form-encoded
    response = client.post("/ask", data={**GOOD, "body": paste})
    assert response.status_code == 400
    assert paste in response.get_data(as_text=True)
    assert stored(app, Question) == 0


def test_other_forms_still_refuse_a_huge_request_before_reading_it(client):
    huge = "p" * 1_000_000
    response = client.post("/login", data={"handle": "someone", "password": huge})
    assert response.status_code == 413
