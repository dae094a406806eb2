# ruff: noqa: RUF002, RUF003 - the look-alike letters are what is being tested
"""Third review of search (app.search, app.core.folding, migration 0023), on both databases.

Tests marked "Defect" failed at review time: each docstring says what a person sees, why
that is wrong, and on which database. Fixed since: a modifier-letter apostrophe stays in
its word (folding.TRANSLITERATION reads only Latin letters as ASCII), a word normalising
splits is looked for as a phrase and one it changes is not also looked for as typed
(terms._forms), and SQLite passes over hidden perspectives before counting the window
(index._sqlite_hits). Still open, marked xfail: the two databases' English stemmers.
Tests marked "Held" passed and pin behaviour the review checked. Every test runs on
SQLite and, with TEST_DATABASE_URL, on PostgreSQL: the README promises the same posts are
found by the same search on either.
"""

import os
import re

import pytest

from app.questions.models import Answer
from app.search import terms
from tests.test_search import RESULT, _hide, found, page

EXCERPT = re.compile(r'<p class="excerpt"[^>]*>(.*?)</p>', re.S)


# --- Defects -------------------------------------------------------------------------------

# Still open (the note): each database's own stemmer reads these endings, Porter's
# on SQLite and Snowball English on PostgreSQL. Strict, so a fix is noticed.
_ON_POSTGRESQL = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
_OPEN_ON_SQLITE = pytest.mark.xfail(
    not _ON_POSTGRESQL, reason="Porter stems cried/lying apart from crying/lie", strict=True
)
_OPEN_ON_POSTGRESQL = pytest.mark.xfail(
    _ON_POSTGRESQL, reason="Snowball keeps gps whole", strict=True
)


@pytest.mark.parametrize(
    "body,typed",
    [
        pytest.param("I cried all night again", "crying", marks=_OPEN_ON_SQLITE),
        pytest.param("I keep lying awake until four", "lie", marks=_OPEN_ON_SQLITE),
        pytest.param("I have seen three different GPs", "gp", marks=_OPEN_ON_POSTGRESQL),
        pytest.param("My GP was kind about it", "gps", marks=_OPEN_ON_POSTGRESQL),
    ],
    ids=["cried-crying", "lying-lie", "GPs-gp", "GP-gps"],
)
def test_defect_english_endings_are_read_alike_on_both_databases(client, make, body, typed):
    """Defect (SQLite for the first two, PostgreSQL for the last two). Complaint: "I wrote
    'I cried all night' and searching 'crying' does not find it" on a SQLite Kettle, while
    a PostgreSQL Kettle finds it; and "I've seen three GPs" is not found by "gp" on
    PostgreSQL, while SQLite finds it. The README says English endings do not matter and
    words are read the same way on both databases.

    SQLite's FTS5 stems with the original Porter algorithm (tokenize 'porter'), PostgreSQL
    with Snowball English (kettle_english): Porter reads cry/crying as "cry" but
    cried/cries as "cri", lying as "ly", dying as "dy"; Snowball reads all of them alike
    but keeps "gps" and "ssris" (a vowel just before the s). Excerpts already mark by both
    stemmers (app.search.excerpts), but the indexes still match by one each."""
    asked = make.question(title="Plain", body=body).post
    assert found(client, typed) == [asked.id]


@pytest.mark.parametrize(
    "body,typed",
    [
        ("Не сплю вже пʼять ночей", "пʼять"),  # Ukrainian apostrophe, U+02BC (macOS layout)
        ("Мені допомагає чай з мʼятою", "мʼятою"),
        ("Missing Hawaiʻi so much tonight", "hawaiʻi"),  # ʻokina, U+02BB
    ],
    ids=["uk-pyat", "uk-myata", "okina"],
)
def test_defect_a_word_copied_from_a_post_finds_it_when_folding_splits_it(
    client, make, body, typed
):
    """Defect (SQLite). Complaint: "I copied 'пʼять' out of my own post into the search
    box and my post is not there" (a PostgreSQL Kettle finds it). The README: "a word
    copied out of a post ... finds it".

    Ukrainian is written with the modifier-letter apostrophe U+02BC (a letter, Lm), and
    Hawaiian with the ʻokina U+02BB. terms.WORD_CHARACTERS reads "пʼять" as one word,
    but folding.searchable's Latin-ASCII turns ʼ into "'" and then a space, so SQLite's
    index holds "п" and "ять". terms._forms keeps a folded form only when it is still one
    word (_one_word), so the only form searched is "пʼять", which the index never holds.
    PostgreSQL reads neither side through Latin-ASCII, so it finds it."""
    asked = make.question(title="Plain", body=body).post
    assert found(client, typed) == [asked.id]


@pytest.mark.parametrize(
    "bodies,typed,wanted",
    [
        (["I take ½ a tablet of sertraline", "sertraline every morning"], "½ sertraline", [0]),
        (["Dose went up by ¾ this week", "the dose is the same"], "dose ¾", [0]),
        (["x marks the spot on my calendar"], "x²", []),
    ],
    ids=["half", "three-quarters", "superscript"],
)
def test_defect_every_word_typed_counts_for_fractions_and_superscripts(
    client, make, bodies, typed, wanted
):
    """Defect (both databases, differently). Complaint: "I searched '½ sertraline' for
    my post about half a tablet: one Kettle shows nothing at all, another shows every
    post mentioning sertraline". The README: every word typed counts, and a word copied
    out of a post finds it.

    terms reads "½" as a word (a digit, N), and its NFKC form "1⁄2" is not one word, so
    "½" is its only form. SQLite's index reads the post through NFKC and holds "1" and
    "2", never "½": nothing is found. PostgreSQL's parser reads "½" as no word at all, so
    plainto_tsquery gives an empty query, and `&&` with an empty query drops it: the
    search is "sertraline" alone. Likewise "x²" (forms "x²" | "x2") is 'x' | 'x2' on
    PostgreSQL and lists a post holding only the word "x"."""
    ids = [make.question(title="Plain", body=body).post.id for body in bodies]
    assert sorted(found(client, typed)) == sorted(ids[n] for n in wanted)


@pytest.mark.settings(SEARCH_WINDOW=3)
def test_defect_hidden_perspectives_do_not_crowd_a_visible_one_out_of_search(app, client, make):
    """Defect (SQLite), minor: a parity difference that grows with moderation. Complaint
    (a volunteer moderator): "after we hid a flood of spam perspectives saying
    'gorseword', the one real perspective with that word can no longer be found" on a
    SQLite Kettle; PostgreSQL finds it.

    SQLite's answer arm (index._sqlite_hits) takes the newest SEARCH_WINDOW matching
    rowids from FTS5 and only then applies the visibility rule, so hidden, collapsed and
    suspended perspectives use up the window; PostgreSQL's (_postgresql_hits.newest)
    applies `visible` before its LIMIT. (Questions use up the window while hidden on
    both databases, as the README's "newest 1,000 questions" allows.)"""
    real = make.question(title="Plain one", body="nothing here").post
    make.answer(real, body="gorseword is what helped me")
    spammed = make.question(title="Plain two", body="nothing here").post
    for n in range(3):
        _hide(app, Answer, make.answer(spammed, body=f"gorseword buy now {n}").post.id)
    assert found(client, "gorseword") == [real.id]


# --- Held ------------------------------------------------------------------------------------

ODD = [
    "🥺" * 300, "🥺" * 150 + " panic", "!!!???***", "¯\\_(ツ)_/¯", "ŉ", "ʺ", "½", "ǅ", "ﷺ",
    "㍿", "ﷺ" * 300, "ﷲ" * 300, "ﬃ" * 300, "ﬃ " * 150, "\u0301", "\u0301" * 300,
    "a\u0301\u0301\u0301", "\u200b\u00ad\u2060\ufe0f", "\u20e3", "שלום Привет 你好 panic",
    "ʼn ǆ ǈ ǋ ǲ", "𝐩𝐚𝐧𝐢𝐜 " * 20, "x² ₂ ① ⅳ", " ".join(f"ᾳ{n}" for n in range(20)),
    "\ufdfb\ufdfa \U0001f3fb\u200d", "İ" * 300, "ß" * 300, "ǰ" * 300,
]  # fmt: skip


@pytest.mark.parametrize("query", ODD, ids=range(len(ODD)))
def test_held_odd_typed_words_get_a_kind_page_never_an_error(client, make, query):
    """Held (both databases). Runs of emoji, symbols only, words that fold into several
    (ŉ, ﷺ), NFKC expanders (ﷲ, ﬃ) up to 300 characters, lone combining marks and
    ignorable-only words: a 200 page or a 400 that says why, never a 500."""
    make.question(title="Panic on the bus", body="every morning")
    response = client.get("/search", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert "We could not search for that" in html
    assert 'id="search-q"' in html


def test_held_refusals_are_kind_and_400(client):
    """Held (both). Too long, too many words, only common words: 400 with the message."""
    for query, message in (
        ("x" * (terms.MAX_QUERY_CHARS + 1), terms.TOO_LONG),
        (" ".join(f"word{chr(97 + n)}" for n in range(terms.MAX_TERMS + 1)), terms.TOO_MANY),
        ("why is it that I can't", terms.ONLY_COMMON),
    ):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "body,typed,marked",
    [
        ("Φοβάμαι να βγω από το σπίτι", "φοβαμαι", "Φοβάμαι"),
        ("Мой ёжик всегда со мной", "ежик", "ёжик"),
        ("so tired🥺 of all of it", "tired", "tired"),
        ("I pasted pan\u00adic from a PDF", "panic", "pan\u00adic"),
        ("أحب المُرَبَّى كثيرا", "المربى", "المُرَبَّى"),
        ("We met in Łódź last year", "lodz", "Łódź"),
        ("I feel anxious/depressed most days", "depressed", "depressed"),
        ("Straße ohne Ende", "strasse", "Straße"),
    ],
    ids=["greek", "yo", "emoji", "soft-hyphen", "harakat", "lodz", "slash", "eszett"],
)
def test_held_readme_examples_are_found_and_marked_in_title_and_excerpt(
    client, make, body, typed, marked
):
    """Held (both). The README's examples find the post on either database, and the word
    as written is marked in both the title and the excerpt, escaped, nothing else marked."""
    asked = make.question(title=body, body=body).post
    html = page(client, typed)
    assert [int(n) for n in RESULT.findall(html)] == [asked.id]
    assert html.count(f"<mark>{marked}</mark>") >= 2  # title and excerpt
    excerpt = EXCERPT.search(html).group(1)
    assert re.sub(r"</?mark>", "", excerpt).count("<") == 0
