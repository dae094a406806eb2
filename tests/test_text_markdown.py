"""How what people write reads back: line breaks kept, bare links that stop at the sentence."""

import re

import pytest

from app.core.text import render


def links(html):
    """(href, text) of every link in some rendered HTML."""
    return re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', html)


@pytest.mark.parametrize(
    ("written", "href", "after"),
    [
        ("Visit www.example.com!", "http://www.example.com", "!"),
        ("It is at www.example.com.", "http://www.example.com", "."),
        ("See https://example.org/help, then rest", "https://example.org/help", ","),
        ("Try https://example.org/a; it helped", "https://example.org/a", ";"),
        ("Read https://example.org/a: it helped", "https://example.org/a", ":"),
        ("Have you seen https://example.org/faq?", "https://example.org/faq", "?"),
        ("(it was https://example.org/a)", "https://example.org/a", ")"),
        ("“https://example.org/quoted”", "https://example.org/quoted", "\u201d"),
        ("‘https://example.org/single’ it said", "https://example.org/single", "\u2019"),
        ("«https://example.org/fr»", "https://example.org/fr", "\u00bb"),
        ("*https://example.org/em*", "https://example.org/em", None),
        ("Wow https://example.org/a!!!", "https://example.org/a", "!!!"),
        ("見て https://example.org/ja。", "https://example.org/ja", "\u3002"),
        ("at https://example.org/a?b=1.", "https://example.org/a?b=1", "."),
    ],
)
def test_a_bare_link_leaves_the_sentences_punctuation_out(written, href, after):
    html = render(written)
    shown = href.removeprefix("http://") if href.startswith("http://www.") else href
    assert links(html) == [(href, shown)]
    if after:
        assert f"</a>{after}" in html.replace("&amp;", "&")


@pytest.mark.parametrize(
    ("written", "href"),
    [
        (
            "https://en.wikipedia.org/wiki/Mind_(charity)",
            "https://en.wikipedia.org/wiki/Mind_(charity)",
        ),
        ("https://example.org/a.b,c:d!e?f=1", "https://example.org/a.b,c:d!e?f=1"),
        (
            "www.example.com/path_with_underscores_x",
            "http://www.example.com/path_with_underscores_x",
        ),
    ],
)
def test_punctuation_inside_a_link_stays_part_of_it(written, href):
    assert [found for found, _ in links(render(written))] == [href]


@pytest.mark.parametrize("written", ["https://!!!", "www.?", "`https://example.org`"])
def test_nothing_that_is_not_a_whole_link_becomes_one(written):
    assert links(render(written)) == []


def test_one_idea_per_line_stays_one_idea_per_line():
    html = render("I said no.\nThen I left.\nThen I slept.")
    assert html.count("<br>") == 2
    assert "I said no.<br>" in html


def test_a_blank_line_still_starts_a_new_paragraph():
    assert render("One.\n\nTwo.").count("<p>") == 2


def test_a_flood_of_brackets_is_taken_literally():
    html = render("[" * 600 + "x](https://example.org)")
    assert "[[[" in html
    assert not re.search(r"<a [^>]*>x</a>", html)
    assert '<a href="https://example.org"' in render("[x](https://example.org)")
