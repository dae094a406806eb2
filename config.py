"""Kettle's configuration, read from the environment once at start-up."""

import os


def _flag(name, default):
    """Read a true/false environment variable; anything but 'false'/'0'/'no' is true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() not in {"false", "0", "no", "off"}


def database_url(url):
    """Point plain PostgreSQL URLs at psycopg 3, the driver Kettle installs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


# UK defaults for "Need help now?"; a deployment replaces them with HELP_NOW.
# `kind` is "crisis" (talk to someone now) or "peer" (people with lived experience).
UK_HELP_NOW = (
    {"kind": "crisis", "name": "Samaritans", "href": "tel:116123", "action": "Call 116 123",
     "how": "Call 116 123, free, any time of day or night. You do not have to give your name."},
    # "?&body=" fills in the word on both iPhones (which read "&body") and Android ("?body").
    {"kind": "crisis", "name": "Shout", "href": "sms:85258?&body=SHOUT",
     "action": "Text SHOUT to 85258",
     "how": "Text SHOUT to 85258, free, any time, if you would rather not talk."},
    {"kind": "crisis", "name": "NHS 111", "href": "tel:111", "action": "Call 111",
     "how": "Call 111 and choose option 2 for urgent mental health help in England. "
            "They may ask for your details so that they can help."},
    {"kind": "crisis", "name": "In an emergency", "href": "tel:999", "action": "Call 999",
     "how": "Call 999 if your life or someone else's is in danger right now."},
    {"kind": "peer", "name": "Side by Side", "href": "https://sidebyside.mind.org.uk/",
     "action": "Visit Side by Side",
     "how": "An online peer support community, run by the charity Mind, where people "
            "with experience of mental health problems listen to and support each other."},
    {"kind": "peer", "name": "Hub of Hope", "href": "https://hubofhope.co.uk/",
     "action": "Search the Hub of Hope",
     "how": "A directory of local and national support, including peer support groups near you."},
)  # fmt: skip


class Config:
    """Settings for a real deployment; tests override what they need."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # generated into instance/ when unset
    # Where the SQLite database and the generated secret key live (default: instance/).
    INSTANCE_PATH = os.environ.get("INSTANCE_PATH")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL", "sqlite:///kettle.db"))
    # Database errors must never write post bodies, names or hashes into logs.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    # Host names this deployment answers to, e.g. "kettle.example,www.kettle.example".
    TRUSTED_HOSTS = [
        h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()
    ] or None

    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_SWALLOW_ERRORS = False
    # Many people can share one address on mobile data, so days are generous.
    ASK_RATE_LIMIT = "6 per 10 minutes;60 per day"
    ANSWER_RATE_LIMIT = "20 per 10 minutes;300 per day"
    KEEPER_RATE_LIMIT = "60 per 10 minutes"
    SETTINGS_RATE_LIMIT = "60 per 10 minutes"
    # Reports stored (not forms sent back) per person, so reports cannot become a flood.
    REPORT_RATE_LIMIT = "10 per 10 minutes;50 per day"

    # A form may sit open for a long time while someone writes at 2am;
    # the token is tied to the session cookie, so it needs no clock of its own.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 256 * 1024
    MAX_FORM_MEMORY_SIZE = 256 * 1024
    # Posting forms take a long paste (a few MB, form-encoded), so an over-long post is
    # refused in words with the words given back, never cut or lost to a 413.
    LONG_FORM_MAX_BYTES = 16 * 1024 * 1024

    # A signed-in session ends after two idle days, and after thirty days whatever happens.
    SESSION_IDLE_SECONDS = 2 * 24 * 3600
    SESSION_ABSOLUTE_SECONDS = 30 * 24 * 3600
    JOIN_RATE_LIMIT = "5 per hour"
    SIGN_IN_RATE_LIMIT = "10 per 10 minutes"
    RECOVER_RATE_LIMIT = "5 per hour"
    HANDLE_RATE_LIMIT = "20 per hour"  # guesses at one login name, from anywhere
    ACCOUNT_RATE_LIMIT = "30 per 10 minutes"
    # Searches per person: plenty for reading page after page, not for scraping the site.
    SEARCH_RATE_LIMIT = "60 per minute;600 per hour"
    # Whole pages kept for signed-out readers (app.web.pagecache): in each process's memory
    # ("SimpleCache"), in Redis ("RedisCache" with CACHE_REDIS_URL), or off ("NullCache").
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = 60  # seconds; a change to posts drops kept pages at once anyway
    CACHE_THRESHOLD = 500  # pages and parts each process keeps in memory (SimpleCache)
    # With a shared store (Redis), each process also keeps its own copies of the pages it
    # served last, for at most this many seconds (app.web.pagecache): about
    # CACHE_NEAR_THRESHOLD * CACHE_MAX_ENTRY_BYTES of memory at most (16 MiB).
    CACHE_NEAR_THRESHOLD = 64
    CACHE_NEAR_TIMEOUT = 10
    # No page or part larger than this is kept, so memory stays bounded (see pagecache).
    CACHE_MAX_ENTRY_BYTES = int(os.environ.get("CACHE_MAX_ENTRY_BYTES", 256 * 1024))
    # A search looks among the newest this many matching questions, and as many matching
    # perspectives, so a word in nearly every post costs no more than a rare one.
    SEARCH_WINDOW = 1000
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Cookies are HTTPS-only whenever the deployment says it is served over HTTPS.
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", PREFERRED_URL_SCHEME == "https")
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # Believe the proxy's X-Forwarded-Host only when the deployment says its proxy sets it.
    PROXY_TRUSTS_HOST = _flag("PROXY_TRUSTS_HOST", False)

    # Principle 7: ask search engines and AI crawlers not to index, unless a deployment opts in.
    ALLOW_INDEXING = _flag("ALLOW_INDEXING", False)
    HELP_NOW = UK_HELP_NOW
    # Where HELP_NOW's services are, said on the page ("the UK" for the defaults), and a
    # directory for everyone else.
    HELP_NOW_WHERE = os.environ.get("HELP_NOW_WHERE")
    HELP_ELSEWHERE = {"name": "Find A Helpline", "href": "https://findahelpline.com"}
    QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
    PAGE_SIZE = 20

    # The rota's caps, which nobody can override in the moment: the longest one shift lasts,
    # the most hours on shift in a week (Monday to Sunday in ROTA_TIMEZONE), and the least
    # rest between shifts. Time on shift less than ROTA_REST_HOURS apart is one shift.
    ROTA_SHIFT_HOURS = float(os.environ.get("ROTA_SHIFT_HOURS", "3"))
    ROTA_WEEK_HOURS = float(os.environ.get("ROTA_WEEK_HOURS", "6"))
    ROTA_REST_HOURS = float(os.environ.get("ROTA_REST_HOURS", "11"))
    # A signed-up moderator may start this many minutes before their shift begins.
    ROTA_EARLY_MINUTES = int(os.environ.get("ROTA_EARLY_MINUTES", "10"))
    # How far ahead /rota shows the plan.
    ROTA_DAYS_AHEAD = 14
    # The rota's time zone: shifts are planned and shown in it, and stored in UTC.
    ROTA_TIMEZONE = os.environ.get("ROTA_TIMEZONE", os.environ.get("TIMEZONE", "Europe/London"))
    # Handover notes between shifts are erased this many days after they were written.
    HANDOVER_DAYS = int(os.environ.get("HANDOVER_DAYS", "14"))
    # Every this many minutes on shift (since it started, or since "I've had a break") the
    # queue quietly suggests five minutes away; 0 turns the suggestion off.
    ROTA_BREAK_MINUTES = int(os.environ.get("ROTA_BREAK_MINUTES", "30"))
    # Past this many cases with content notes or "may be illegal" reports opened in one
    # shift, the queue suggests handing over or a debrief. It never blocks anything.
    ROTA_EXPOSURE_SOFT_LIMIT = int(os.environ.get("ROTA_EXPOSURE_SOFT_LIMIT", "10"))
    # How long a moderator's claim on a case holds, renewed by each claim or action.
    MODERATION_CLAIM_MINUTES = int(os.environ.get("MODERATION_CLAIM_MINUTES", "10"))
    # Reported words are kept this long after their case is decided, then erased.
    REPORT_SNAPSHOT_DAYS = int(os.environ.get("REPORT_SNAPSHOT_DAYS", "30"))
    # While nobody is on shift, a post this many different people reported is collapsed
    # pending review (0 turns automatic collapse off).
    REPORT_COLLAPSE_THRESHOLD = int(os.environ.get("REPORT_COLLAPSE_THRESHOLD", "3"))
    # An author (or a reporter whose report was dismissed) may appeal a decision this long
    # after it: six months, as the EU's DSA asks at least.
    APPEAL_DAYS = int(os.environ.get("APPEAL_DAYS", "183"))
    MODERATION_LOG_PAGE_SIZE = 50

    # Dates are shown in this IANA time zone, so a post just after midnight is dated that day.
    TIMEZONE = os.environ.get("TIMEZONE", "Europe/London")
