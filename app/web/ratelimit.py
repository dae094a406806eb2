"""Who a rate limit counts, without ever keeping their address."""

import hashlib
import hmac
import ipaddress
import secrets
import threading
import weakref
from datetime import UTC, datetime, timedelta

from flask import current_app, g, request, session
from flask_limiter import Limiter
from limits import parse_many
from limits.storage import MemoryStorage, RedisStorage

# A grace period past midnight (UTC) for requests that began on the day that ended.
_GRACE = timedelta(minutes=5)
# The day's key as this process last saw it, per limiter storage: (day, key).
_seen = weakref.WeakKeyDictionary()
# The day's key for counting people when limits are switched off: {"day", "key"}.
_local_day = {}
_local_lock = threading.Lock()


def today():
    return datetime.now(UTC).date()


def _redis_name(storage, day):
    return f"{storage.key_prefix}:kettle:day-key:{day.isoformat()}"


def _shared_day_key(storage, day):
    """The day's key in Redis, where the counters live: made once, atomically, by whichever
    server asks first; yesterday's is deleted, and each expires soon after its day ends."""
    ends = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC) + _GRACE
    seconds = max(1, int((ends - datetime.now(UTC)).total_seconds()))
    name = _redis_name(storage, day)
    with storage.get_connection().pipeline(transaction=True) as pipe:
        pipe.set(name, secrets.token_hex(32), nx=True, ex=seconds)
        pipe.get(name)
        pipe.delete(_redis_name(storage, day - timedelta(days=1)))
        _, key, _ = pipe.execute()
    return key.encode() if isinstance(key, str) else key


def supported(storage):
    """Whether Kettle can keep the day's key beside this limiter storage's counters."""
    return isinstance(storage, (RedisStorage, MemoryStorage))


def day_key(storage, day=None):
    """A random key for one day (UTC), shared by every server that shares the limiter's
    storage, and thrown away when the day ends. It is never derived from SECRET_KEY,
    so stored digests cannot be turned back into addresses once the day is over.

    Raises RuntimeError for limiter storage that Kettle cannot keep a day key in.
    """
    day = day or today()
    seen = _seen.get(storage)
    if seen and seen[0] == day:
        return seen[1]
    if not supported(storage):
        raise RuntimeError("RATELIMIT_STORAGE_URI must be memory:// or a Redis URI")
    if isinstance(storage, RedisStorage):
        key = _shared_day_key(storage, day)
    else:  # memory:// is one process, whose counters are its own too
        key = secrets.token_bytes(32)
    _seen[storage] = (day, key)
    return key


def _digest(purpose, value, key=None):
    key = key or day_key(limiter.storage)
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _people_day_key():
    """The limiter's day key; with limits switched off (no storage), one kept in this
    process, made once a day under a lock so two requests at one moment agree."""
    storage = getattr(limiter, "_storage", None)
    if storage is not None:
        return day_key(storage)
    with _local_lock:
        if _local_day.get("day") != today():
            _local_day.update(day=today(), key=secrets.token_bytes(32))
        return _local_day["key"]


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
    """An HMAC of the client address under a random key that changes every day (UTC).

    The raw address is never stored: limits, logs and storage only see this digest,
    and yesterday's digests cannot be linked to today's.
    """
    return _digest("address", _network(request.remote_addr or ""))


BROWSER_KEY = "kettle_browser"


def remember_browser():
    """This browser's random value (kept in its session from a form's first showing, so a
    double-click sends the same one twice); made now if it has none."""
    return session.setdefault(BROWSER_KEY, secrets.token_hex(16))


def person_key(account_id=None):
    """One person, for counting them once where that matters (their reports on one case).

    An HMAC, under the day's random key, of the signed-in account's id when there is one,
    or else of the client's network (as `client_key` counts it) together with a random
    value this browser keeps in its session, so two people sharing one home's or one
    workplace's address are two people. It never holds the id or the address, nor the
    value the limiter counts by; tomorrow's differs from today's. With limits switched
    off, each process keeps its own day key.
    """
    key = _people_day_key()
    if account_id is not None:
        return _digest("person:account", account_id, key)
    browser = remember_browser()
    return _digest("person:browser", f"{_network(request.remote_addr or '')}:{browser}", key)


def network_key(account_id=None):
    """As `person_key`, but without the browser's value: everyone signed out behind one
    network counts as one. For what one person must not multiply by clearing cookies
    (automatic collapse, slow mode), where sharing a home's address errs on the safe side.
    """
    key = _people_day_key()
    if account_id is not None:
        return _digest("person:account", account_id, key)
    return _digest("person:network", _network(request.remote_addr or ""), key)


def field_key(field, comparable):
    """A Flask-Limiter key function: an HMAC of one form field's comparable form, so guesses
    at one login name are limited however many addresses they come from.

    `comparable` maps the field's text (at most 200 characters) to the form it is stored in.
    """
    return lambda: _digest(field, comparable(request.form.get(field, "")[:200]))


def posted(response):
    """Count only what was stored: a form sent back for corrections is not a post.

    A refusal that tells the sender something (that a login name is taken) still counts,
    when its view says so with count_this_try()."""
    counts = g.get("kettle_counts")
    if counts is not None:
        return counts
    return response.status_code in (302, 303)


def count_this_try():
    """Make this request count against limits that otherwise count only what was stored."""
    g.kettle_counts = True


def stored_nothing():
    """Make this request not count: it stored nothing (a repeat of an earlier sending)."""
    g.kettle_counts = False


def failed(response):
    """Count only failed attempts, so signing in correctly never locks anyone out."""
    return response.status_code not in (302, 303)


def limit(config_name):
    """A callable Flask-Limiter reads at request time, so tests and deployments can tune it."""
    return lambda: current_app.config[config_name]


# Set with `register_tightening`: how many times over a post counts against the posting
# limits now (a coordinator can tighten them during a raid; app.topics.measures).
_tightening = None


def register_tightening(factor):
    """Make `factor() -> int` (1 when nothing is tightened) the one answer to "how many
    times over does a post count now?". Called once by create_app."""
    global _tightening
    _tightening = factor


def posting_cost(config_name):
    """A Flask-Limiter `cost`: while posting limits are tightened by a factor, each post
    counts that many times against the same counters, so the limits in `config_name` are
    in effect divided by it; hits made before still count, and once the measure ends a
    post counts once again. Never more than the smallest allowance in `config_name`, so a
    tightened limit still lets one post through."""

    def cost():
        factor = _tightening() if _tightening is not None else 1
        if factor <= 1:
            return 1
        smallest = min(item.amount for item in parse_many(current_app.config[config_name]))
        return max(1, min(factor, smallest))

    return cost


limiter = Limiter(key_func=client_key, strategy="fixed-window")
