"""What a reader sees in words: the names of a post's notes, the name beside a post, counts.

Pages, the feed, the API and the export ask here, so each wording is decided once; which
title a reader sees is decided beside it, in app.readers.titles.
"""

from markupsafe import Markup

from app.readers.prefs import OWN_WORDS

ANONYMOUS = "anonymous"
THE_ASKER = "the asker"
# The one choice a reader makes for every note written in an author's own words.
OWN_WORDS_LABEL = "Notes in the author's own words"


def one_or_many(count, one, many=None):
    """`one` for a count of exactly one, else `many` (`one` with an s, unless given)."""
    return one if count == 1 else (many or f"{one}s")


def plural(count, one, many=None):
    """The count and the words that fit it: "1 question", "2 questions", "0 questions"."""
    return f"{count:,} {one_or_many(count, one, many)}"


def perspectives(count):
    """How many perspectives a question has, said the same way on every page and list."""
    return plural(count, "perspective") if count else "No perspectives yet"


def note_labels(post, own_words=str):
    """The names of a post's content notes: the curated ones in list order, then the
    author's own words (passed through `own_words`, so a page can isolate their direction)."""
    labels = [note.label for note in post.content_notes]
    if post.content_note_other:
        labels.append(own_words(post.content_note_other))
    return labels


def note_names(post):
    """The note names for a page, the author's own words in <bdi> since their direction is
    unknown; everything escaped."""
    return Markup(", ").join(note_labels(post, own_words=Markup("<bdi>{}</bdi>").format))


def note_choices(notes):
    """(slug, name) for each note a reader chooses for: the curated list, then own words."""
    return [(note.slug, note.label) for note in notes] + [(OWN_WORDS, OWN_WORDS_LABEL)]


def named_by(post):
    """The pseudonym shown beside a post, or None where a plain word stands instead.

    A removed post's name goes with its words; the asker's replies say "the asker"; a post
    whose account was deleted lost its pseudonym then, so it reads "anonymous"."""
    if post.is_deleted or getattr(post, "by_asker", False):
        return None
    return post.pseudonym


def shown_name(post, start=False):
    """The name beside a post: its pseudonym, "the asker" or "anonymous".

    `start` capitalises a plain word that begins a heading; a pseudonym is never changed."""
    pseudonym = named_by(post)
    if pseudonym is not None:
        return pseudonym.display_name
    by_asker = getattr(post, "by_asker", False) and not post.is_deleted
    word = THE_ASKER if by_asker else ANONYMOUS
    return word[0].upper() + word[1:] if start else word
