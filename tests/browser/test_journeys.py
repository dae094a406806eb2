"""Journeys a person takes through Kettle in a real browser, with JavaScript on and off.

Each journey starts from nothing and makes what it needs through the pages themselves,
so any one test can run alone. Screenshots land in test-artifacts/screenshots/.
"""

import re

import pytest

from tests.browser.pages import QUESTION_PATH, unique
from tests.browser.support import expect

pytestmark = pytest.mark.browser

KEEPER_HREF = re.compile(r"^/keep/[A-Za-z0-9_-]{40,}$")


def mode(js):
    return "js" if js else "nojs"


def ask_question(page, title, body, shoot=None, shot=None):
    """From the home page: follow "Ask a question", fill it in with a Self-harm note, post it.

    Returns (question path, keeper href) from the page the asker lands on.
    """
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Ask a question").click()
    expect(page).to_have_url(re.compile(r"/ask$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a question")
    page.get_by_label("Your question, in a line").fill(title)
    page.get_by_label("Your question, in more detail").fill(body)
    page.get_by_label("Topic", exact=True).select_option(label="Getting through today")
    page.get_by_label("Self-harm", exact=True).check()
    expect(page.get_by_label("Self-harm", exact=True)).to_be_checked()
    if shoot:
        shoot(page, f"{shot}-1-ask-filled")
    page.get_by_role("button", name="Post my question").click()
    expect(page).to_have_url(QUESTION_PATH)
    # Folded means the title too: the h1 names the note, the title opens with the body.
    expect(page.get_by_role("heading", level=1)).to_have_text(NOTED_H1)
    expect(page.locator("#question-body-title")).to_have_text(title)
    keeper = page.locator("#keeper-link")
    expect(keeper).to_have_attribute("href", KEEPER_HREF)
    href = keeper.get_attribute("href")
    path = "/q/" + QUESTION_PATH.search(page.url).group(1)
    return path, href


NOTED_H1 = "A question with content notes: Self-harm"


def offer_perspective(page, question_path, words, kind="From my own experience"):
    """Open a question and post a perspective; returns the answerer's keeper href."""
    page.goto(question_path)
    page.get_by_label("Your perspective").fill(words)
    page.get_by_label(kind).check()
    page.get_by_role("button", name="Post my perspective").click()
    # An anonymous answerer lands on their new keeper link, so it cannot be scrolled past.
    expect(page).to_have_url(re.compile(re.escape(question_path) + r"#keeper-heading$"))
    expect(page.locator("#keeper-heading")).to_be_in_viewport()
    expect(page.locator(".answer[data-answer-id]").filter(has_text=words)).to_have_count(1)
    keeper = page.locator("#keeper-link")
    expect(keeper).to_have_attribute("href", KEEPER_HREF)
    return keeper.get_attribute("href")


# 1. Ask a question ---------------------------------------------------------------------------


def test_ask_a_question_and_get_a_keeper_link(page, js, shoot, live_server):
    title = unique("Should I tell my GP about the scars")
    body = "I have an appointment on Thursday and I keep going back and forth."
    page.goto("/")
    shoot(page, f"ask-{mode(js)}-0-home")

    path, href = ask_question(page, title, body, shoot, f"ask-{mode(js)}")
    shoot(page, f"ask-{mode(js)}-2-keeper-link")

    fresh = page.locator("section.keeper-fresh")
    expect(fresh).to_contain_text("Keep this link")
    expect(page.locator("#keeper-link")).to_have_text(live_server + href)
    copy = fresh.locator("button[data-copy]")
    download = fresh.get_by_role("link", name="Download it as a small text file")
    expect(download).to_be_visible()
    expect(download).to_have_attribute("href", href + "/kettle-link.txt")
    with page.expect_download() as caught:
        download.click()
    assert caught.value.suggested_filename == "kettle-link.txt"
    with open(caught.value.path(), encoding="utf-8") as note:
        assert (live_server + href) in note.read()

    # The link is shown once: reading the page again, even in the same session, does not show it.
    again = page.context.new_page()
    again.goto(path)
    expect(again.get_by_role("heading", level=1)).to_have_text(NOTED_H1)
    expect(again.locator("#question-body-title")).to_have_text(title)
    expect(again.locator("#keeper-link")).to_have_count(0)
    again.close()

    if js:
        expect(copy).to_be_visible()
        expect(copy).to_have_text("Copy the link")
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        copy.click()
        expect(copy).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == live_server + href
    else:
        # Without JavaScript nothing can copy, so the button must not be offered.
        expect(
            copy, "'Copy the link' is offered with JavaScript off, where it cannot work"
        ).to_be_hidden()


# 2. Keep the link ----------------------------------------------------------------------------


def test_keeper_link_opens_the_askers_page_another_day(page, js, new_page, shoot):
    title = unique("How do I say no to a second assessment")
    _path, href = ask_question(page, title, "They want to see me again next month.")

    later = new_page(js=js)  # a new context: no cookies from the day the question was asked
    response = later.goto(href)
    assert response.status == 200
    assert response.headers.get("cache-control") == "no-store"
    expect(later.get_by_role("heading", level=1)).to_have_text("Your question")
    expect(later.locator("#question-body-title")).to_have_text(title)
    expect(later.get_by_role("link", name="Edit", exact=True)).to_be_visible()
    expect(later.get_by_role("button", name="Close replies")).to_be_visible()
    expect(later.get_by_role("link", name="Delete", exact=True)).to_be_visible()
    expect(later.locator("#feed-url")).to_have_value(re.compile(r"/feed/"))
    shoot(later, f"keep-{mode(js)}-keeper-page")


# 3. Answer it --------------------------------------------------------------------------------


def test_reader_opens_a_noted_question_and_offers_a_perspective(page, js, new_page, shoot):
    title = unique("Is it all right to skip group this week")
    body = "Last week was a lot and I am not sure I can face it."
    path, asker_href = ask_question(page, title, body)

    reader = new_page(js=js)
    reader.goto(path)
    # The tab title, kept in history, does not give away a noted question either.
    expect(reader).to_have_title("A question with content notes – Kettle")
    details = reader.locator("article.question details.content-note")
    expect(details).to_have_count(1)
    expect(details).to_have_js_property("open", False)
    expect(details.locator("summary")).to_contain_text("Self-harm")
    question_body = details.locator(".question-body")
    expect(question_body).to_be_hidden()
    shoot(reader, f"answer-{mode(js)}-1-collapsed")

    summary = details.locator("summary")
    if js:
        summary.click()
    else:
        summary.focus()
        expect(summary).to_be_focused()
        reader.keyboard.press("Enter")
    expect(details).to_have_js_property("open", True)
    expect(question_body).to_be_visible()
    expect(question_body).to_contain_text(body)
    shoot(reader, f"answer-{mode(js)}-2-opened")

    words = "Skipping one week is allowed. I told the facilitator and it was fine."
    answer_href = offer_perspective(reader, path, words)
    answer = reader.locator(".answer[data-answer-id]")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text(words)
    expect(answer.locator(".answer-by")).to_contain_text("From my own experience")
    expect(reader.locator("#answers-heading")).to_have_text("1 perspective")
    expect(reader.locator("section.keeper-fresh")).to_contain_text("your perspective")
    assert answer_href != asker_href
    shoot(reader, f"answer-{mode(js)}-3-answered")

    # The answerer's link leads to their own perspective, not the question.
    later = new_page(js=js)
    later.goto(answer_href)
    expect(later.get_by_role("heading", level=1)).to_have_text("Your perspective")
    expect(later.locator(".answer[data-answer-id]")).to_contain_text(words)


# 4. The asker comes back, replies, and closes replies -----------------------------------------


def test_asker_reads_replies_and_closes_the_thread(page, js, new_page, shoot):
    title = unique("Should I go back to the same ward")
    path, href = ask_question(page, title, "They offered me a bed where I was before.")
    asker = new_page(js=js)
    asker.goto(href)  # a first visit, so later perspectives are marked as new
    expect(asker.locator("#answers-heading")).to_have_text("No perspectives yet")

    words = "I went back once. Knowing the layout helped more than I expected."
    offer_perspective(new_page(js=js), path, words)

    asker.goto(href)
    theirs = asker.locator(".answer[data-answer-id]").filter(has_text=words)
    expect(theirs).to_be_visible()
    expect(theirs).to_contain_text("new since your last visit")
    expect(asker.locator("#answers-heading")).to_have_text("1 perspective")

    reply = "Thank you, that is really useful to hear."
    asker.get_by_label("Your reply").fill(reply)
    asker.get_by_role("button", name="Post my reply").click()
    expect(asker.locator(".notice")).to_contain_text("Your reply is posted")
    mine = asker.locator(".answer.by-asker[data-answer-id]")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(reply)
    expect(mine.locator(".answer-by")).to_have_text("The asker")
    # The page has loaded (above), so this count is settled; it is checked at the end.
    own_reply_marked_new = mine.locator(".new").count()
    shoot(asker, f"asker-{mode(js)}-1-replied")

    asker.get_by_role("button", name="Close replies").click()
    expect(asker.locator(".notice").first).to_contain_text("Replies are closed")
    expect(asker.get_by_role("button", name="Open replies again")).to_be_visible()
    expect(asker.get_by_role("button", name="Post my reply")).to_have_count(0)
    shoot(asker, f"asker-{mode(js)}-2-closed")

    reader = new_page(js=js)
    reader.goto(path)
    expect(reader.locator("#answer-heading")).to_have_text("Replies are closed")
    expect(reader.locator(f"form[action*='{path}/answers']")).to_have_count(0)
    expect(reader.get_by_role("button", name="Post my perspective")).to_have_count(0)
    expect(reader.locator(".answer[data-answer-id]")).to_have_count(2)
    expect(reader.locator("#answers-heading")).to_have_text("1 perspective")  # not the reply
    shoot(reader, f"asker-{mode(js)}-3-public-closed")

    # The asker wrote that reply a moment ago; it is not "new since your last visit" to them.
    assert own_reply_marked_new == 0, "the asker's own reply is marked 'new since your last visit'"


# 5. Leave quickly ----------------------------------------------------------------------------


def test_leave_quickly(page, js, live_server, shoot):
    page.goto("/topics")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ask a question").click()
    expect(page).to_have_url(live_server + "/ask")
    draft = page.get_by_label("Your question, in more detail")
    draft.fill("Words I would not want anyone to find.")
    leave = page.get_by_role("link", name="Leave quickly")
    expect(leave).to_have_attribute("href", "/leave")  # on to QUICK_EXIT_URL, with no referrer
    shoot(page, f"leave-{mode(js)}-1-before")

    leave.click()
    expect(page).to_have_url(live_server + "/how-it-works")
    if js:
        # The page left was replaced in history: Back skips it.
        page.go_back()
        expect(page).to_have_url(live_server + "/topics")
        # ...and the tab's saved draft went with it.
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Ask a question"
        ).click()
        expect(page).to_have_url(live_server + "/ask")
        expect(page.get_by_label("Your question, in more detail")).to_have_value("")
    shoot(page, f"leave-{mode(js)}-2-after")


# 6. Content-note settings --------------------------------------------------------------------


def test_showing_a_content_note_opens_it_and_shows_titles(page, js, new_page, shoot):
    title = unique("Can I ask the nurse to change my dressings differently")
    body = "The way they do it now brings a lot back."
    path, _href = ask_question(page, title, body)

    reader = new_page(js=js)
    reader.goto("/")
    expect(reader.get_by_text(title)).to_have_count(0)
    noted = reader.locator(".noted-title").filter(has_text="Self-harm")
    expect(noted.first).to_be_visible()

    reader.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Content-note settings"
    ).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Content-note settings")
    show = reader.get_by_role("radio", name="Self-harm Show")
    expect(reader.get_by_role("radio", name="Self-harm Collapse")).to_be_checked()
    show.check()
    reader.get_by_role("button", name="Save my choices").click()
    expect(reader.locator(".notice")).to_contain_text("Your choices are saved")
    expect(reader.get_by_role("radio", name="Self-harm Show")).to_be_checked()
    shoot(reader, f"notes-{mode(js)}-1-saved")

    reader.goto(path)
    details = reader.locator("article.question details.content-note")
    expect(details).to_have_js_property("open", True)
    expect(details.locator(".question-body")).to_be_visible()
    expect(details.locator(".question-body")).to_contain_text(body)
    expect(reader).to_have_title(f"{title} – Kettle")

    reader.goto("/")
    link = reader.get_by_role("link", name=title, exact=True)
    expect(link.first).to_be_visible()
    expect(link.first).to_have_attribute("href", path)
    shoot(reader, f"notes-{mode(js)}-2-home-titles")


# Pages at 320px and 1280px, light and dark ---------------------------------------------------


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
def test_ask_and_question_pages_fit_the_screen(new_page, shoot, width, color_scheme):
    """WCAG reflow: nothing scrolls sideways at 320px; screenshots for people to look at."""
    page = new_page(js=True, width=width, color_scheme=color_scheme)
    name = f"{width}-{color_scheme}"

    def no_sideways_scroll():
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{page.url} is {wide}px wide in a {width}px window"

    page.goto("/ask")
    expect(page.get_by_role("button", name="Post my question")).to_be_visible()
    shoot(page, f"ask-page-{name}")
    no_sideways_scroll()

    title = unique("What do I say when a friend asks where I have been for three weeks")
    path, _href = ask_question(page, title, "I was in hospital and I am not ready to say so.")
    page.locator("article.question details.content-note summary").click()
    expect(page.locator(".question-body")).to_be_visible()
    shoot(page, f"question-page-{name}")
    no_sideways_scroll()

    offer_perspective(page, path, "I said I had been unwell and left it there. Nobody pushed.")
    page.goto(path)
    expect(page.locator("#answers-heading")).to_have_text("1 perspective")
    shoot(page, f"question-answered-{name}")
    no_sideways_scroll()
