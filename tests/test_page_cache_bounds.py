"""The page cache stays small, safe and out of the way whatever is asked of it.

Made-up query strings or huge pages cannot fill a server's memory; a double-click from a
kept page still posts once; when Redis is down, or the generation's row is missing, every
page is still served right, just not kept; and the generation is read before anything a
kept page shows, so nothing older than its key is ever kept under it.
"""

import gc
import threading

import pytest
from sqlalchemy import delete, func, select

from app.questions import services
from app.questions.models import Answer, Question
from app.web.extensions import db
from app.web.generation import ContentGeneration
from tests.accounts_helpers import join
from tests.test_csrf import token_from
from tests.test_page_cache_question import juniper_thread


def _served_again_from_the_store(app, path, queries):
    app.test_client().get(path)
    with queries as seen:
        app.test_client().get(path)
    return seen.n == 1


def test_made_up_query_arguments_never_fill_the_store(app, make, queries):
    asked = juniper_thread(make)
    for path in (f"/q/{asked.id}?x=1", "/?utm=2", f"/t/{'getting-through-today'}?y=3",
                 f"/api/v1/questions/{asked.id}?z=4", f"/q/{asked.id}?kind=lived",
                 f"/q/{asked.id}?order=newest", f"/q/{asked.id}?notes=some"):  # fmt: skip
        assert not _served_again_from_the_store(app, path, queries), path
    assert _served_again_from_the_store(app, f"/q/{asked.id}?kind=helped-me", queries)


@pytest.mark.settings(CACHE_MAX_ENTRY_BYTES=2000)
def test_a_page_too_big_to_keep_is_still_served_whole(app, make, queries):
    asked = juniper_thread(make)
    assert not _served_again_from_the_store(app, f"/q/{asked.id}", queries)
    page = app.test_client().get(f"/q/{asked.id}").get_data(as_text=True)
    assert "Perspective number 2 on juniper nights." in page


@pytest.mark.settings(WTF_CSRF_ENABLED=True)
@pytest.mark.parametrize("first_came_from", [None, "/ask"])
def test_a_double_click_from_a_kept_page_posts_once(app, make, first_came_from):
    asked = juniper_thread(make)
    path = f"/q/{asked.id}"
    first_reader = app.test_client()
    if first_came_from:  # and so already held the secret when the page was kept
        first_reader.get(first_came_from)
    first_reader.get(path)  # kept before this reader comes
    first = app.test_client()
    token = token_from(first, path)
    second = app.test_client()  # the same browser's second send, before the first's answer
    second.set_cookie("session", first.get_cookie("session").value)
    words = {"body": "Waiting for the birds helped me.", "as": "anonymous", "csrf_token": token}
    assert first.post(f"{path}/answers", data=words).status_code == 303
    assert second.post(f"{path}/answers", data=words).status_code == 303
    with app.app_context():
        stored = select(func.count()).where(Answer.body_source.startswith("Waiting for the birds"))
        assert db.session.scalar(stored) == 1


@pytest.mark.settings(CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0")
def test_pages_are_served_when_the_store_is_down(app, make, caplog):
    asked = juniper_thread(make)
    member = app.test_client()
    join(member)
    for reader in (app.test_client(), member):
        for path in ("/", f"/q/{asked.id}", "/search?q=juniper", f"/api/v1/questions/{asked.id}"):
            response = reader.get(path)
            assert response.status_code == 200, path
            assert "juniper" in response.get_data(as_text=True).lower(), path
    assert "page cache: could not read the store" in caplog.text


def test_without_the_generation_row_nothing_is_kept_and_nothing_is_stale(app, make, queries):
    asked = juniper_thread(make)
    with app.app_context():
        db.session.execute(delete(ContentGeneration))
        db.session.commit()
    try:
        assert not _served_again_from_the_store(app, f"/q/{asked.id}", queries)
        assert "Juniper nights" in app.test_client().get("/").get_data(as_text=True)
        with app.app_context():
            services.hide(db.session.get(Question, asked.id), None, "Breaks the house rules")
            db.session.commit()
        assert "Juniper nights" not in app.test_client().get("/").get_data(as_text=True)
    finally:  # the row migration 0021 made, for the tests after this one
        with app.app_context():
            db.session.add(ContentGeneration(id=1, n=0))
            db.session.commit()


def test_the_generation_is_read_before_anything_the_page_shows(app, make, queries):
    asked = juniper_thread(make)
    member = app.test_client()
    join(member)
    for reader in (app.test_client(), member):
        with queries as seen:
            reader.get(f"/q/{asked.id}")
        reads = [s for s in seen.statements if "content_generation" in s or "question" in s]
        assert "content_generation" in reads[0], reads[:2]


@pytest.mark.settings(SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "hide_parameters": True,
                                                 "pool_timeout": 2})  # fmt: skip
def test_many_readers_on_their_own_threads_never_run_the_pool_dry(app, make):
    """`make run` serves each request on a new thread; none may keep a connection after."""
    asked = juniper_thread(make)
    answered = []

    def read(n):
        answered.append(app.test_client().get(f"/t/getting-through-today?before={n}").status_code)

    gc.disable()  # a thread's leftovers must not depend on when the collector runs
    try:
        for n in range(40):
            reader = threading.Thread(target=read, args=(asked.id + n + 1,))
            reader.start()
            reader.join()
    finally:
        gc.enable()
    assert answered == [200] * 40
