"""Secret links (keeper, feed): made once, shown once, kept only as hashes."""

import base64
import hashlib
import hmac
import secrets


def new_token():
    """A random 256-bit secret, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token):
    """The SHA-256 of a token, the only form Kettle stores."""
    return hashlib.sha256(token.encode()).hexdigest()


def derived_token(token, purpose):
    """A second secret that follows from a first, but does not lead back to it.

    A keeper link's feed URL is derived this way, so a feed reader that holds
    the feed URL cannot edit or delete the post.
    """
    digest = hmac.new(token.encode(), purpose.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def xor(data, pad):
    """Bytes XORed with a pad of the same length: how a secret is sealed for storage, so
    that the stored half alone reveals nothing. Raises ValueError on unequal lengths."""
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


def same_hash(stored, token):
    """Constant-time check of a presented token against a stored hash."""
    return hmac.compare_digest(stored, token_hash(token))
