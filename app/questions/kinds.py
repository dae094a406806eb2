"""The kinds of perspective an answerer may say they offer. Never ranked."""

PERSPECTIVE_KINDS = {
    "own-experience": "From my own experience",
    "helped-me": "Something that helped me",
    "different-view": "A different way of seeing it",
    "practical": "Practical information",
    "question-back": "A question back",
}


def label(slug):
    return PERSPECTIVE_KINDS.get(slug or "", "")
