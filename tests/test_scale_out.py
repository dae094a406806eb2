"""Several gunicorn workers share one set of rate limits through Redis."""

import http.client
import os
import subprocess
import urllib.parse

import pytest

from tests.cluster import BIN, ROOT, free_port, redis_client, wait_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.slow


def post_question(port, n):
    body = urllib.parse.urlencode(
        {"title": f"Question {n}", "body": "words", "topic": "getting-through-today"}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/ask", body, {"Content-Type": "application/x-www-form-urlencoded"})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture
def gunicorn(tmp_path):
    redis = redis_client(REDIS_URL)
    redis.flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kettle.db'}",
        "SECRET_KEY": "scale-out-test-secret",
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
    }
    subprocess.run(
        [BIN / "flask", "--app", "wsgi", "init-db"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    app = "app:create_app(overrides={'WTF_CSRF_ENABLED': False, 'ASK_RATE_LIMIT': '3 per minute'})"
    process = subprocess.Popen(
        [BIN / "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT, env=env, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(port, process)
        yield port, redis
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()
        redis.flushdb()
        redis.close()


def test_limits_hold_across_workers_and_keep_no_address(gunicorn):
    port, redis = gunicorn
    statuses = [post_question(port, n) for n in range(8)]
    assert statuses.count(303) == 3, statuses
    assert statuses.count(429) == 5, statuses
    keys = [key.decode() for key in redis.keys("*")]
    assert keys, "the limiter wrote nothing to Redis"
    assert not any("127.0.0.1" in key for key in keys), keys
