"""Managing pseudonyms, and sessions that end on their own."""

import re
import time

from app.accounts import identity
from tests.accounts_helpers import add_pseudonym, join, pseudonym_ids
from tests.test_account_life import ask


def test_renaming_shows_the_new_name_on_everything_it_posted(client):
    join(client, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]
    qid = ask(client, "Renamed later", robin)
    response = client.post(f"/account/pseudonyms/{robin}/rename", data={"name": "Kestrel"})
    assert response.status_code == 303
    page = client.get(f"/q/{qid}").get_data(as_text=True)
    assert "Kestrel" in page
    assert "Robin" not in page


def test_renaming_to_a_look_alike_of_another_name_is_refused(app, client):
    join(app.test_client(), handle="someone-else", pseudonym="Heron")
    join(client, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]
    response = client.post(f"/account/pseudonyms/{robin}/rename", data={"name": "HERОN"})
    assert response.status_code == 400
    assert "looks just like it" in response.get_data(as_text=True)


def test_retiring_stops_posting_as_it_but_keeps_its_posts(client):
    join(client, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]
    wren = add_pseudonym(client, "Wren")
    qid = ask(client, "Before retiring", robin)
    assert client.post(f"/account/pseudonyms/{robin}/retire").status_code == 303
    assert "Robin" not in pseudonym_ids(client)
    assert "Robin" in client.get(f"/q/{qid}").get_data(as_text=True)
    refused = client.post(
        "/ask", data={"title": "x", "body": "y", "topic": "getting-through-today", "as": robin}
    )
    assert refused.status_code == 400
    client.post(f"/account/pseudonyms/{wren}/retire", follow_redirects=True)
    assert "Wren" in pseudonym_ids(client)  # the last one cannot be retired


def test_another_accounts_pseudonym_cannot_be_managed(app, client):
    join(client, pseudonym="Robin")
    robin = pseudonym_ids(client)["Robin"]
    stranger = app.test_client()
    join(stranger, handle="stranger", pseudonym="Stranger")
    assert (
        stranger.post(f"/account/pseudonyms/{robin}/rename", data={"name": "Mine"}).status_code
        == 404
    )
    assert stranger.post(f"/account/pseudonyms/{robin}/retire").status_code == 404


def test_an_idle_session_ends(client, monkeypatch):
    join(client)
    later = time.time() + 3 * 24 * 3600
    monkeypatch.setattr(identity.time, "time", lambda: later)
    response = client.get("/account")
    assert response.status_code == 303
    assert "/login" in response.headers["Location"]


def test_a_busy_session_still_ends_after_its_absolute_lifetime(client, monkeypatch):
    join(client)
    start = time.time()
    for day in range(1, 32):
        monkeypatch.setattr(identity.time, "time", lambda day=day: start + day * 24 * 3600)
        if client.get("/account").status_code != 200:
            break
    assert day == 30


def test_retiring_and_new_codes_each_explain_themselves_first(client):
    join(client, pseudonym="Robin")
    add_pseudonym(client, "Wren")
    robin = pseudonym_ids(client)["Robin"]
    page = client.get(f"/account/pseudonyms/{robin}/retire").get_data(as_text=True)
    assert "no longer be able to post as <bdi>Robin</bdi>" in page
    assert "Robin" in pseudonym_ids(client)
    codes = client.get("/account/recovery-codes/new").get_data(as_text=True)
    assert "current codes will stop working" in codes
    assert "10 you have not used" in codes


def test_retired_pseudonyms_count_towards_a_total(client):
    join(client)
    refused = None
    for n in range(25):
        created = client.post("/account/pseudonyms", data={"name": f"Name {n:02d}x"})
        if created.status_code != 303:
            refused = created
            break
        ids = re.findall(
            r"/account/pseudonyms/(\d+)/retire", client.get("/account").get_data(as_text=True)
        )
        client.post(f"/account/pseudonyms/{ids[0]}/retire")
    assert refused is not None
    assert "in all" in refused.get_data(as_text=True)
