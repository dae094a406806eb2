"""Security and privacy headers on every response, error pages included."""

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
# Pages holding secrets or personal choices must never sit in a shared cache.
PRIVATE_PREFIXES = (
    "/keep/",
    "/feed/",
    "/mine/",
    "/recover",
    "/settings",
    "/account",
    "/moderate",
    "/rota",
    "/join",
    "/login",
)
# Their URLs are secrets: even Kettle's own CSS and JS requests get only the origin as
# Referer, so no proxy's access log records a keeper link.
SECRET_PREFIXES = ("/keep/", "/feed/")


def apply(response, allow_indexing=False, signed_in=False):
    """Add Kettle's headers to one response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if request.path == "/leave":
        # The neutral page must not learn that the reader came from Kettle.
        headers["Referrer-Policy"] = "no-referrer"
    elif request.path.startswith(SECRET_PREFIXES):
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
    if request.path.startswith(PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"
    elif signed_in and not request.path.startswith("/assets/"):
        headers["Cache-Control"] = "private, no-store"
    return response
