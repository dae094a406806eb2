"""What a post's author is told about moderators' decisions on it, on its keeper pages.

Moderation sits above the keeper pages, so they cannot ask it directly: create_app
registers a provider here (app.moderation.statements.for_keeper), and the pages include
the partial it names. Without one, nothing is shown.
"""

_providers = []


def provide(provider):
    """Have `provider(steward)` give what a keeper page shows about moderators' decisions on
    the steward's post: None for nothing, or an object whose `template` the page includes
    (the template reads the object as `told`). A later provider replaces an earlier one."""
    _providers[:] = [provider]


def told(steward):
    """What the registered provider gives for this steward's post, or None."""
    return _providers[0](steward) if _providers else None
