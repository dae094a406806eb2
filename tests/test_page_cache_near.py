"""With Redis, each process keeps its own copies of busy pages, and a change still reaches
every reader at once.

Kettle on several servers keeps pages in Redis; each worker also keeps the pages it served
last, so a busy thread is not fetched across the network on every request. A moderator
hiding a post on one server must still take it off the page every other server's workers
serve, on the very next request.
"""

import os

import pytest
from flask import g

from app import create_app
from app.questions import services
from app.questions.models import Answer
from app.web import pagecache
from app.web.extensions import db
from tests.cluster import redis_client
from tests.conftest import TestConfig
from tests.test_page_cache_question import juniper_thread

REDIS_URL = os.environ.get("TEST_NEAR_CACHE_REDIS_URL", "redis://127.0.0.1:6379/11")
pytestmark = pytest.mark.settings(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=REDIS_URL)


@pytest.fixture
def redis():
    client = redis_client(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def other_server(app):
    """A second Kettle process on the same database and Redis, with its own copies."""
    other = create_app(TestConfig, {**app.config, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    yield other
    with other.app_context():
        db.engine.dispose()


def test_a_page_kept_by_one_process_is_served_by_another_and_kept_by_each(
    app, other_server, make, redis, queries
):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    first = app.test_client().get(path).get_data(as_text=True)
    assert redis.dbsize() > 0
    again = other_server.test_client().get(path).get_data(as_text=True)
    assert "Perspective number 2" in again and again == first
    redis.flushdb()  # what is left is each process's own copy
    with queries as seen:  # this test app's statements
        near = app.test_client().get(path).get_data(as_text=True)
    assert seen.n == 1  # the generation only: nothing was rendered
    assert near == first


def test_a_post_hidden_on_one_server_leaves_every_processs_own_copy_at_once(
    app, other_server, make, redis
):
    asked = juniper_thread(make)
    added = make.answer(asked, body="A new juniper perspective arrives.").post
    path = f"/q/{asked.id}"
    for server in (app, other_server, app, other_server):
        page = server.test_client().get(path).get_data(as_text=True)
        assert "A new juniper perspective arrives." in page
    with other_server.app_context():
        services.hide(db.session.get(Answer, added.id), None, "Breaks the house rules")
        db.session.commit()
    for server in (app, other_server):
        page = server.test_client().get(path).get_data(as_text=True)
        assert "A new juniper perspective arrives." not in page
        assert "Perspective number 2" in page


def test_a_kept_part_of_many_wide_characters_is_bounded_in_bytes(app, redis):
    bound = app.config["CACHE_MAX_ENTRY_BYTES"]
    with app.test_request_context("/"):
        g.kettle_generation = 1
        part = "\U0001f375" * (bound // 2)  # teacups: four bytes each, twice the bound
        pagecache.kept_fragment(("wide", 1), lambda: part)
    assert len(app.extensions[pagecache._NEAR]._cache) == 0
    assert redis.dbsize() == 0


def test_made_up_reading_choices_are_rendered_and_never_kept(app, make, redis):
    path = f"/q/{juniper_thread(make).id}"
    client = app.test_client()
    client.get(path)
    held = set(app.extensions[pagecache._NEAR]._cache)
    stored = redis.dbsize()
    for n in range(app.config["CACHE_NEAR_THRESHOLD"] + 1):
        page = client.get(f"{path}?kind=made-up-{n}")
        assert "Perspective number 2" in page.get_data(as_text=True)
    assert held <= set(app.extensions[pagecache._NEAR]._cache)
    assert redis.dbsize() == stored
    assert "Perspective number 2" in client.get(f"{path}?kind=&order=oldest").get_data(as_text=True)
    assert redis.dbsize() > stored  # the choices the page offers are kept
