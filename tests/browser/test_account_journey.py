"""Joining, posting as a chosen pseudonym and exporting, in Chromium with and without JS."""

import json

import pytest

from tests.browser.pages import name
from tests.browser.support import expect

pytestmark = pytest.mark.browser
PASSWORD = "slow tea on a rainy morning"


def test_join_switch_pseudonym_on_the_ask_form_and_export(page, js, shoot):
    handle, first, second = name("h"), name("Robin"), name("Wren")
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Join").click()
    page.get_by_label("Login name").fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("Your first pseudonym").fill(first)
    page.get_by_role("button", name="Join").click()

    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download them as a text file").click()
    saved = download.value.path().read_text()
    assert codes.first.inner_text() in saved
    shoot(page, f"account-{'js' if js else 'nojs'}-1-recovery-codes")
    page.get_by_role("button", name="I have kept my codes").click()

    expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
    page.locator("#new-pseudonym").fill(second)
    page.get_by_role("button", name="Add a pseudonym").click()
    expect(page.get_by_text(f"You can now post as {second}.")).to_be_visible()

    page.get_by_role("link", name="Ask a question").first.click()
    post_as = page.get_by_role("group", name="Post as")
    expect(post_as.get_by_role("radio")).to_have_count(3)
    expect(post_as.get_by_label("Anonymously")).to_be_checked()
    post_as.get_by_label(second).check()
    page.get_by_label("Your question, in a line").fill("How do I keep work and home apart?")
    page.get_by_label("Your question, in more detail").fill("Two lives, one phone.")
    page.get_by_label("Topic").select_option("different-people-in-different-places")
    shoot(page, f"account-{'js' if js else 'nojs'}-2-ask-as-pseudonym")
    page.get_by_role("button", name="Post my question").click()

    expect(page.locator("#keeper-link")).to_have_count(0)  # signed in: no keeper link needed
    meta = page.locator(".question .meta")
    expect(meta.get_by_role("link", name=second)).to_be_visible()
    expect(meta).not_to_contain_text(first)

    page.get_by_role("link", name="Your account").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything as a file (JSON)").click()
    exported = json.loads(download.value.path().read_text())
    assert sorted(p["name"] for p in exported["pseudonyms"]) == sorted([first, second])
    assert exported["questions"][0]["posted_as"] == second
    assert handle not in json.dumps(exported)
    shoot(page, f"account-{'js' if js else 'nojs'}-3-account")

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
