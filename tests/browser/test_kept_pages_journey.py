"""Kept pages in a real browser: strangers reading one busy thread get the same copy, and
each can still post from it, and someone who wrote in it still sees their own words as
theirs. With JavaScript on and off.
"""

import pytest

from tests.browser.pages import answer, ask, join, name, unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser


def test_strangers_post_from_a_kept_question_page(page, js, new_page, shoot):
    path, _ = ask(page, unique("Does anyone else dread Sunday evenings"), "Every week.")
    words = [unique("Planning Monday's breakfast helps me."),
             unique("I go for a walk before it gets dark.")]  # fmt: skip
    for n, said in enumerate(words):
        stranger = new_page(js=js)
        stranger.goto(path)  # the second stranger is served the first one's kept copy
        answer(stranger, path, said)
        expect(stranger.get_by_text("Your perspective is posted.")).to_be_visible()
        shoot(stranger, f"kept-{'js' if js else 'nojs'}-{n + 1}-posted")
    reader = new_page(js=js)
    reader.goto(path)
    for said in words:
        expect(reader.locator(".answer[data-answer-id]").filter(has_text=said)).to_have_count(1)
    expect(reader.locator("#answers-heading")).to_have_text("2 perspectives")
    expect(reader.locator(".yours")).to_have_count(0)


def test_a_member_who_wrote_in_a_thread_sees_their_words_as_theirs(page, js, new_page, shoot):
    path, _ = ask(page, unique("How do you rest when your mind will not"), "Any ideas.")
    answer(new_page(js=js), path, unique("Audiobooks at low volume."))
    reader = new_page(js=js)
    join(reader, name("reader"), name("Reader"))
    reader.goto(path)  # the thread is kept as every member without a post there sees it
    writer = new_page(js=js)
    join(writer, name("writer"), name("Writer"))
    mine = unique("Counting breaths to ten, then again.")
    answer(writer, path, mine, as_pseudonym=True)
    own = writer.locator(".answer[data-answer-id]").filter(has_text=mine)
    expect(own.locator(".yours")).to_have_text("You wrote this")
    expect(own.locator(".report-link")).to_have_count(0)
    shoot(writer, f"kept-{'js' if js else 'nojs'}-3-own-words")
    reader.goto(path)
    theirs = reader.locator(".answer[data-answer-id]").filter(has_text=mine)
    expect(theirs).to_have_count(1)
    expect(theirs.locator(".yours")).to_have_count(0)
    expect(theirs.locator(".report-link")).to_have_count(1)


def test_members_post_under_their_own_names_from_a_kept_member_copy(page, js, new_page, shoot):
    path, _ = ask(page, unique("What gets you out of bed on grey days"), "Asking for me.")
    members = []
    for word in ("Heron", "Plover"):
        member = new_page(js=js)
        pseudonym = name(word)
        join(member, name(word.lower()), pseudonym)
        member.goto(path)  # the second is served the member copy the first one's visit kept
        choices = member.locator("form.post-form input[name=as]")
        expect(choices).to_have_count(2)  # anonymously, or their own pseudonym
        expect(member.locator("form.post-form").get_by_label(pseudonym)).to_have_count(1)
        members.append((member, pseudonym))
    (heron, heron_name), (plover, plover_name) = members
    shoot(plover, f"kept-{'js' if js else 'nojs'}-3-member-copy")
    expect(plover.get_by_text(heron_name)).to_have_count(0)
    said = unique("A cup of tea before anything else.")
    answer(plover, path, said, as_pseudonym=True)
    shoot(plover, f"kept-{'js' if js else 'nojs'}-4-member-posted")
    posted = plover.locator(".answer[data-answer-id]").filter(has_text=said)
    expect(posted).to_contain_text(plover_name)
    heron.goto(path)
    expect(heron.locator(".answer[data-answer-id]").filter(has_text=said)).to_have_count(1)
    expect(heron.locator("form.post-form").get_by_label(plover_name)).to_have_count(0)
    expect(heron.locator("form.post-form").get_by_label(heron_name)).to_have_count(1)
