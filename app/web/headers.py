"""Security and privacy headers on every response, error pages included.

Which pages are private is not decided here: each blueprint declares its own with
`private(bp)`, and a view that shows a secret once marks its response with `no_store`.
"""

from flask import request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
NO_STORE = "no-store"
# Their URLs are secrets: even Kettle's own CSS and JS requests get only the origin as
# Referer, so no proxy's access log records a keeper link or a report's receipt.
SECRET_PREFIXES = ("/keep/", "/feed/", "/receipt/")
# What someone searched for is theirs alone: the same origin-only Referer.
SEARCH_PATH = "/search"


def apply(response, allow_indexing=False, signed_in=False):
    """Add Kettle's headers to one response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if request.path == "/leave":
        # The neutral page must not learn that the reader came from Kettle.
        headers["Referrer-Policy"] = "no-referrer"
    elif request.path.startswith(SECRET_PREFIXES) or request.path == SEARCH_PATH:
        headers["Referrer-Policy"] = "strict-origin"
    else:
        headers["Referrer-Policy"] = "same-origin"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if not allow_indexing:
        headers["X-Robots-Tag"] = "noindex, nofollow, noarchive, noai, noimageai"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    # A page its blueprint made private stays no-store; any other page seen signed in
    # holds that person's view of Kettle, so no cache may keep it either.
    if response.status_code >= 400 and not request.path.startswith("/assets/"):
        # An error page is worth keeping to nobody, and its address may hold a keeper
        # link that no blueprint matched (/keep/<token>/mistyped).
        no_store(response)
    private = headers.get("Cache-Control") == NO_STORE
    if signed_in and not private and not request.path.startswith("/assets/"):
        headers["Cache-Control"] = "private, no-store"
    return response


def no_store(response):
    """Promise that no cache, shared or in the browser, keeps a copy of this response."""
    response.headers["Cache-Control"] = NO_STORE
    return response


def private(bp, only=None):
    """Declare a blueprint's pages private: they hold secrets or personal choices.

    Every response from the blueprint's views (or, with `only`, from the named views),
    error pages included, is sent with `Cache-Control: no-store`.
    """
    endpoints = None if only is None else {f"{bp.name}.{name}" for name in only}

    @bp.after_request
    def _keep_private(response):
        if endpoints is None or request.endpoint in endpoints:
            no_store(response)
        return response

    return bp
