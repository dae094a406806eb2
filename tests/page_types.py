"""Which endpoints a GET can reach that show a person a page: axe and the HTML checker
must each visit every one of them (report.form and report.receipt among them; the page a
sent report shows is a POST's answer, checked beside them)."""

# Routes that answer with something other than an HTML page for a person to read.
NOT_PAGES = frozenset({
    "account.export", "accounts.recovery_codes_file", "api.question", "api.topics", "asset",
    "static", "keeper.feed", "keeper.note", "pages.leave", "pages.robots",
    # Reloading a form's address leads back to its page with a 303.
    "keeper.close_again", "keeper.reply_again", "questions.back_to_question",
    # The moderation log as Atom.
    "log.feed",
})  # fmt: skip


def page_endpoints(url_map):
    """Every endpoint in `url_map` that answers a GET with a page."""
    return {rule.endpoint for rule in url_map.iter_rules() if "GET" in rule.methods} - NOT_PAGES
