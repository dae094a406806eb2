"""Right-to-left words people write stay in their place: every piece of user text is isolated."""

import re

from tests.accounts_helpers import join, pseudonym_ids
from tests.builders import keeper_link
from tests.html_tree import parse

# Each piece of user text is different, so a page shows which one escaped its isolation.
NAME = "שלום"
OTHER_NAME = "سلام"
TITLE = "מה אני אומר בעבודה"
BODY = "אני מתחיל ביום שני"
NOTED_TITLE = "שאלה עם הערה"
NOTED_BODY = "גוף שאלה עם הערה"
OWN_NOTE = "ימים קשים"
ANSWER = "מה שעזר לי היה לחכות"
ANONYMOUS_ANSWER = "דיברתי עם חבר"
ANSWER_NOTE = "זיכרונות ישנים"
REPLY = "תודה לכולם"
WORDS = (NAME, OTHER_NAME, TITLE, BODY, NOTED_TITLE, NOTED_BODY, OWN_NOTE, ANSWER, ANSWER_NOTE,
         REPLY, ANONYMOUS_ANSWER)  # fmt: skip
# A tab title cannot hold markup; it is its own line of text.
CANNOT_ISOLATE = {"title"}


def isolates(node):
    return node.tag == "bdi" or "dir" in node.attrs


def escaped_words(html):
    """Descriptions of user text on the page that is not in an isolate of its own."""
    problems = []
    root = parse(html)
    for text, holder in root.texts():
        for word in (w for w in WORDS if w in text):
            if holder.tag in CANNOT_ISOLATE:
                continue
            isolate = next((n for n in holder.ancestors() if isolates(n)), None)
            if isolate is None:
                problems.append(f"{word!r} is not isolated, in <{holder.tag}>: {text.strip()!r}")
            elif isolate.text() not in WORDS:
                problems.append(f"{word!r} shares <{isolate.tag} dir> with: {isolate.text()!r}")
    for node in root.walk():
        value = node.attrs.get("value") or ""
        if node.tag == "input" and any(w in value for w in WORDS) and "dir" not in node.attrs:
            problems.append(f"a field holding {value!r} does not follow its direction")
    return problems


def _post_everything(app, client):
    """A signed-in person posts under a Hebrew pseudonym; a stranger posts anonymously."""
    join(client, pseudonym=NAME)
    named = pseudonym_ids(client)[NAME]
    asked = client.post("/ask", data={"title": TITLE, "body": BODY,
                                      "topic": "getting-through-today", "as": named})  # fmt: skip
    plain = asked.headers["Location"]
    client.post(f"{plain}/answers", data={"body": ANSWER, "as": named, "kind": "own-experience",
                                          "content_note_other": ANSWER_NOTE})  # fmt: skip
    stranger = app.test_client()
    asked = stranger.post("/ask", data={"title": NOTED_TITLE, "body": NOTED_BODY,
                                        "topic": "getting-through-today",
                                        "content_notes": ["self-harm"],
                                        "content_note_other": OWN_NOTE})  # fmt: skip
    noted = asked.headers["Location"]
    keeper = keeper_link(stranger.get(noted).get_data(as_text=True))
    stranger.post(f"{keeper}/replies", data={"body": REPLY})
    answered = stranger.post(f"{plain}/answers", data={"body": ANONYMOUS_ANSWER})
    answer_keeper = keeper_link(stranger.get(answered.headers["Location"]).get_data(as_text=True))
    return plain, noted, keeper, answer_keeper, named


def test_right_to_left_words_never_move_the_words_around_them(app, client):
    plain, noted, keeper, answer_keeper, named = _post_everything(app, client)
    account = client.get("/account").get_data(as_text=True)
    own_pages = set(re.findall(r'href="(/mine/(?:question|answer)/\d+(?:/edit)?)"', account))
    public_id = re.search(r'href="(/p/[^"]+)"', account).group(1)
    pages = [
        "/", "/topics", "/t/getting-through-today", plain, noted, f"{noted}?notes=all",
        keeper, f"{keeper}/edit", f"{keeper}/delete", answer_keeper, f"{answer_keeper}/edit",
        "/account", public_id, f"/account/pseudonyms/{named}/rename",
        f"/account/pseudonyms/{named}/retire", "/ask", *sorted(own_pages),
    ]  # fmt: skip
    assert len(own_pages) >= 3, own_pages
    problems = {}
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        problems.update({f"{path}: {p}": None for p in escaped_words(page)})
    assert list(problems) == []


def test_a_name_in_a_message_is_isolated_too(client):
    join(client, pseudonym=NAME)
    added = client.post("/account/pseudonyms", data={"name": OTHER_NAME}, follow_redirects=True)
    page = added.get_data(as_text=True)
    assert f"You can now post as <bdi>{OTHER_NAME}</bdi>." in page
    assert escaped_words(page) == []


def test_a_refused_post_gives_its_words_back_in_their_own_direction(client):
    page = client.post("/ask", data={"title": TITLE, "body": BODY}).get_data(as_text=True)
    assert escaped_words(page) == []
