"""What a post's author is told about moderators' decisions on it, on its keeper pages.

Moderation sits above the keeper pages, so they cannot ask it directly: create_app
registers a provider here (app.moderation.statements.for_keeper), and the pages include
the partial it names. Without one, nothing is shown.
"""

_providers = []


def provide(provider):
    """Have `provider(steward, sent)` give what a keeper page shows about moderators'
    decisions on the steward's post: None for nothing, or an object whose `template` the
    page includes (the template reads the object as `told`). `sent` is a form the person
    sent that could not be taken, shown again with its words and errors, or None. A later
    provider replaces an earlier one."""
    _providers[:] = [provider]


def told(steward, sent=None):
    """What the registered provider gives for this steward's post, or None."""
    return _providers[0](steward, sent) if _providers else None
