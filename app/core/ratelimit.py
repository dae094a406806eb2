"""Who a rate limit counts, without ever keeping their address."""

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app, request


def _daily_key(secret, day):
    return hmac.new(secret.encode(), f"ratelimit:{day}".encode(), hashlib.sha256).digest()


def client_key():
    """An HMAC of the client address under a key that changes every day (UTC).

    The raw address is never stored: limits, logs and storage only see this digest,
    and yesterday's digests cannot be linked to today's.
    """
    day = datetime.now(UTC).date().isoformat()
    key = _daily_key(current_app.config["SECRET_KEY"], day)
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(key, address, hashlib.sha256).hexdigest()[:32]


def limit(config_name):
    """A callable Flask-Limiter reads at request time, so tests and deployments can tune it."""
    return lambda: current_app.config[config_name]
