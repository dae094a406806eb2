"""A long thread is rendered once for everyone who reads it the same way, and never shows
one reader another reader's view.

A signed-in member opening a busy thread gets its perspectives without Kettle rendering
all fifty again; someone who wrote in the thread still sees "You wrote this" on their own
words (and no report link there), a reader who hides a note still has those perspectives
left out, and a new or hidden perspective shows or goes at once.
"""

import re

from app.questions import services
from app.questions.models import Answer
from app.web.extensions import db
from tests.accounts_helpers import join, pseudonym_ids
from tests.test_page_cache_question import juniper_thread


def _member(app, handle, pseudonym):
    member = app.test_client()
    join(member, handle=handle, pseudonym=pseudonym)
    return member


def test_a_members_thread_is_not_rendered_again_for_the_next_member(app, make, queries):
    asked = juniper_thread(make, answers=4)
    path = f"/q/{asked.id}"
    first = _member(app, "quiet-fox", "Robin")
    second = _member(app, "still-heron", "Wren")
    assert "Perspective number 3" in first.get(path).get_data(as_text=True)
    with queries as seen:
        page = second.get(path).get_data(as_text=True)
    assert "Perspective number 3" in page and "Your account" in page
    loading_bodies = [s for s in seen.statements if "answer.body_html" in s]
    assert loading_bodies == []


def test_someone_who_wrote_in_the_thread_still_sees_their_own_words_as_theirs(app, make):
    asked = juniper_thread(make, answers=4)
    path = f"/q/{asked.id}"
    reader = _member(app, "still-heron", "Wren")
    reader.get(path)  # the thread is kept as every other member sees it
    writer = _member(app, "quiet-fox", "Robin")
    robin = pseudonym_ids(writer)["Robin"]
    words = {"body": "Robin's juniper perspective.", "as": robin}
    assert writer.post(f"{path}/answers", data=words).status_code == 303
    mine = writer.get(path).get_data(as_text=True)
    theirs = reader.get(path).get_data(as_text=True)
    assert "Robin's juniper perspective." in theirs
    assert mine.count("You wrote this") == 1
    assert "You wrote this" not in theirs
    assert mine.count('class="report-link"') == theirs.count('class="report-link"') - 1


def test_a_reader_who_hides_a_note_keeps_it_hidden_in_a_kept_thread(app, make):
    asked = juniper_thread(make, answers=4)
    make.answer(asked, body="A noted juniper perspective.", content_notes=("self-harm",))
    path = f"/q/{asked.id}"
    member = _member(app, "quiet-fox", "Robin")
    assert "A noted juniper perspective." in member.get(path).get_data(as_text=True)
    hider = _member(app, "still-heron", "Wren")
    hider.post("/settings/content-notes", data={"note-self-harm": "hide"})
    page = hider.get(path).get_data(as_text=True)
    assert "A noted juniper perspective." not in page
    assert "1 perspective was left out" in page
    assert "A noted juniper perspective." in member.get(path).get_data(as_text=True)


def test_a_new_or_hidden_perspective_changes_a_members_kept_thread_at_once(app, make):
    asked = juniper_thread(make, answers=4)
    path = f"/q/{asked.id}"
    member = _member(app, "quiet-fox", "Robin")
    member.get(path)
    added = make.answer(asked, body="A new juniper perspective arrives.").post
    assert "A new juniper perspective arrives." in member.get(path).get_data(as_text=True)
    with app.app_context():
        services.hide(db.session.get(Answer, added.id), None, "Breaks the house rules")
        db.session.commit()
    assert "A new juniper perspective arrives." not in member.get(path).get_data(as_text=True)


def test_each_member_shuffles_a_kept_thread_their_own_way(app, make):
    asked = juniper_thread(make, answers=8)
    path = f"/q/{asked.id}?order=shuffle"
    members = [_member(app, f"member-{n}", f"Name {n}") for n in range(3)]

    def order(member):
        return re.findall(r'data-answer-id="(\d+)"', member.get(path).get_data(as_text=True))

    orders = [order(member) for member in members]
    assert [order(member) for member in members] == orders
    assert len({tuple(o) for o in orders}) > 1
