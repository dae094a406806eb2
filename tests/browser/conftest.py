"""A live Kettle on a free port, and Debian's Chromium driven by Playwright.

The browser tests skip when Chromium or Playwright is missing, unless
KETTLE_REQUIRE_BROWSER=1 is set (CI sets it), when they fail loudly instead.
"""

import os
import re
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.topics.seed import seed_defaults
from app.web.extensions import db
from tests.conftest import TestConfig

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Long enough for a slow CI machine, short enough that a broken page fails fast.
TIMEOUT_MS = 10_000


def browser_required():
    return os.environ.get("KETTLE_REQUIRE_BROWSER") == "1"


def no_browser(reason):
    """Skip, or fail loudly where a browser is required (CI)."""
    if browser_required():
        pytest.fail(f"KETTLE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


class QuietHandler(WSGIRequestHandler):
    """Keep the request log out of test output; failures say what they need."""

    def log_request(self, *args, **kwargs):
        pass


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app the live server serves, for tests that must set up what no page can (a
    moderator's role, a reported post's case)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'kettle.db'}"
    app = create_app(
        TestConfig,
        {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True},
    )
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        seed_defaults()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """Kettle with real CSRF on a fresh SQLite file, served from a background thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="kettle-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        no_browser(f"Playwright cannot be imported ({error}); run `make install`.")
    if not Path(CHROMIUM).exists():
        no_browser(f"Chromium is not installed at {CHROMIUM}; `apt-get install chromium`.")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            no_browser(f"Chromium at {CHROMIUM} would not start: {error}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(browser, live_server):
    """Questions, perspectives and a pseudonym with posts, made once through the pages."""
    from tests.browser.pages import answer, ask, join, name, unique  # needs Playwright

    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    made = {}

    made["plain_question"], _ = ask(
        page, unique("How do I tell my manager I need a later start"), "Mornings are hard."
    )
    made["question"], made["keeper"] = ask(
        page,
        unique("Should I mention the scars at my sports club"),
        "Everyone changes in the same room.",
        note="Self-harm",
    )
    made["topic"] = page.locator("article.question .meta a").first.get_attribute("href")
    made["answer_keeper"] = answer(
        page, made["question"], "I wore a long-sleeved top for a while, and that was fine."
    )
    answer(
        page,
        made["question"],
        "I told one person first, and it went better than I feared.",
        note="Suicide",
    )
    join(page, name("club-member"), name("Heron"))
    page.locator(".pseudonym-list a").first.click()
    made["pseudonym"] = page.url.removeprefix(live_server)
    answer(
        page,
        made["question"],
        "A different way of seeing it: the club is there for the sport.",
        note="Medication",
        as_pseudonym=True,
    )
    context.close()
    return made


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (its own cookies, like another day or another person).

    `new_page(js=True, width=1280, color_scheme="light")`; contexts close after the test.
    """
    contexts = []

    def open_page(js=True, width=1280, height=900, color_scheme="light", bypass_csp=False):
        context = browser.new_context(
            base_url=live_server,
            java_script_enabled=js,
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            reduced_motion="reduce",
            bypass_csp=bypass_csp,  # only for what a test injects: axe, a reader's style sheet
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        # Script errors and CSP refusals show up here; a page should produce none.
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on("console", lambda message: note_console(page, message))
        return page

    problems = []

    def note_console(page, message):
        # A refused form answers 4xx on purpose; Chromium logs that about the page itself.
        about_the_page = message.location.get("url") == page.url
        if message.type == "error" and not (about_the_page and "status of 4" in message.text):
            problems.append(f"{page.url}: console {message.type}: {message.text}")

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page_js(new_page):
    """A page with JavaScript on."""
    return new_page(js=True)


@pytest.fixture
def page_nojs(new_page):
    """A page with JavaScript off, as some people browse (and as Kettle must work)."""
    return new_page(js=False)


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def js(request):
    """Parametrizes a journey over JavaScript on and off."""
    return request.param


@pytest.fixture
def page(js, request):
    """The journey's first page, with JavaScript on or off as parametrized."""
    return request.getfixturevalue("page_js" if js else "page_nojs")


@pytest.fixture
def shoot():
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def screenshot(page, name):
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")
        path = SCREENSHOTS / f"{safe}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        assert path.stat().st_size > 0
        return path

    return screenshot


@pytest.fixture
def fresh_plan(live_app):
    """An empty rota plan for the test, emptied again after it: a shift running now that
    people signed up for would stop other tests' moderators starting as cover."""
    from tests.browser.rota import clear_plan

    clear_plan(live_app)
    yield
    clear_plan(live_app)
