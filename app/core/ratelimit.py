"""Who a rate limit counts, without ever keeping their address."""

import hashlib
import hmac
import ipaddress
from datetime import UTC, datetime

from flask import current_app, request


def _daily_key(secret, day):
    return hmac.new(secret.encode(), f"ratelimit:{day}".encode(), hashlib.sha256).digest()


def _digest(purpose, value):
    day = datetime.now(UTC).date().isoformat()
    key = _daily_key(current_app.config["SECRET_KEY"], day)
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _network(address):
    """IPv6 clients are counted by their /64, since one home or phone holds a whole /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_key():
    """An HMAC of the client address under a key that changes every day (UTC).

    The raw address is never stored: limits, logs and storage only see this digest,
    and yesterday's digests cannot be linked to today's.
    """
    return _digest("address", _network(request.remote_addr or ""))


def handle_key():
    """An HMAC of the login name being tried, so guesses at one account are limited
    however many addresses they come from."""
    from app.accounts.services import handle_key as comparable  # accounts needs extensions

    return _digest("handle", comparable(request.form.get("handle", "")[:200]))


def posted(response):
    """Count only what was stored: a form sent back for corrections is not a post."""
    return response.status_code in (302, 303)


def failed(response):
    """Count only failed attempts, so signing in correctly never locks anyone out."""
    return response.status_code not in (302, 303)


def limit(config_name):
    """A callable Flask-Limiter reads at request time, so tests and deployments can tune it."""
    return lambda: current_app.config[config_name]
