"""Builders for the life of an account, driven through the real forms."""

import re

PASSWORD = "kettle on the hob at night"


def join(client, handle="quiet-fox", pseudonym="Robin", password=PASSWORD):
    response = client.post(
        "/join",
        data={
            "handle": handle,
            "password": password,
            "password_confirm": password,
            "pseudonym": pseudonym,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)
    client.post("/account/recovery-codes")
    return codes


def sign_in(client, handle="quiet-fox", password=PASSWORD):
    return client.post("/login", data={"handle": handle, "password": password})


def pseudonym_ids(client):
    html = client.get("/ask").get_data(as_text=True)
    return dict(
        (label, value)
        for value, label in re.findall(
            r'name="as" id="as-\d+" value="(\d+)"[^>]*>\s*<label for="as-\d+"[^>]*>([^<]+)</label>',
            html,
        )
    )


def add_pseudonym(client, name):
    assert client.post("/account/pseudonyms", data={"name": name}).status_code == 303
    return pseudonym_ids(client)[name]
