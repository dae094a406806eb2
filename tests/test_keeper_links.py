"""Keeper links can be swapped for a new one, and retired once a post is in an account."""

import re

from tests.accounts_helpers import join
from tests.builders import keeper_link
from tests.test_asking import GOOD


def feed_path(page):
    return re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', page).group(1)


def test_a_keeper_page_swaps_its_link_for_a_new_one_shown_once(client, make):
    asked = make.question(title="Swapping my link")
    old = f"/keep/{asked.keeper_token}"
    old_feed = feed_path(client.get(old).get_data(as_text=True))
    response = client.post(old + "/new-link")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    new = keeper_link(page)
    assert new
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(old_feed).status_code == 404
    kept = client.get(new).get_data(as_text=True)
    assert "Swapping my link" in kept
    assert client.get(feed_path(kept)).status_code == 200
    assert keeper_link(client.get(response.headers["Location"]).get_data(as_text=True)) is None


def test_a_perspectives_keeper_link_can_be_swapped_too(client, make):
    answered = make.answer(make.question().post, body="my view")
    old = f"/keep/{answered.keeper_token}"
    assert "Make a new link" in client.get(old).get_data(as_text=True)
    response = client.post(old + "/new-link")
    new = keeper_link(client.get(response.headers["Location"]).get_data(as_text=True))
    assert new
    assert client.get(new).status_code == 200
    assert client.get(old).status_code == 404


def test_a_post_moved_into_an_account_offers_to_retire_its_old_link(client, make):
    asked = make.question(title="Mine now")
    old = f"/keep/{asked.keeper_token}"
    join(client)
    response = client.post("/account/keeper-links", data={"link": "http://localhost" + old})
    assert response.status_code == 303
    mine = response.headers["Location"]
    page = client.get(mine).get_data(as_text=True)
    assert "Retire the old keeper link" in page
    assert client.get(old).status_code == 200  # nothing is retired until the person says so
    retired = client.post(mine + "/retire-link")
    assert retired.status_code == 303
    assert client.get(old).status_code == 404
    page = client.get(mine).get_data(as_text=True)
    assert "Mine now" in page
    assert "Retire the old keeper link" not in page


def test_a_keeper_link_alone_cannot_retire_itself(client, make):
    asked = make.question()
    response = client.post(f"/keep/{asked.keeper_token}/retire-link")
    assert response.status_code in (404, 405)
    assert client.get(f"/keep/{asked.keeper_token}").status_code == 200


def test_a_repeat_after_a_swap_never_shows_the_retired_link(client):
    from tests.test_asking import GOOD

    first = client.post("/ask", data=GOOD)
    old = keeper_link(client.get(first.headers["Location"]).get_data(as_text=True))
    client.post(old + "/new-link")
    again = client.post("/ask", data=GOOD)
    assert keeper_link(client.get(again.headers["Location"]).get_data(as_text=True)) != old


def test_drafts_on_keeper_pages_are_not_keyed_by_the_link(client, make):
    asked = make.question()
    keep = f"/keep/{asked.keeper_token}"
    for url in (keep, keep + "/edit"):
        page = client.get(url).get_data(as_text=True)
        drafts = re.findall(r'data-draft="([^"]*)"', page)
        assert drafts, url
        assert not [d for d in drafts if asked.keeper_token in d], url


def test_the_page_showing_a_new_keeper_link_is_never_cached(client):
    location = client.post("/ask", data=GOOD).headers["Location"]
    assert client.head(location).status_code == 200  # a HEAD must not use up the link
    page = client.get(location)
    assert 'id="keeper-link"' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
