"""Real servers for tests that need more than one process: a fresh PostgreSQL database,
gunicorn servers sharing it and Redis, and Debian's HAProxy balancing between them.

Everything here runs as plain child processes in a temporary folder, never as system
services, and is stopped (and the database dropped) when the `running` block ends.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench import haproxy

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
# A Redis database of the cluster's own (test_scale_out.py uses 15).
CLUSTER_REDIS_URL = os.environ.get("TEST_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/14")
TOPIC = "getting-through-today"


def missing(what):
    """Skip the test because `what` is not there, or fail it when KETTLE_REQUIRE_SERVICES=1
    (CI), so a missing service never passes quietly."""
    if os.environ.get("KETTLE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what}, and KETTLE_REQUIRE_SERVICES=1 requires it")
    pytest.skip(what)


def redis_client(url):
    """A connected Redis client for `url`; skips (or fails, see `missing`) when none answers."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        client.close()
        missing(f"Redis is not reachable at {url}")
    return client


def haproxy_path():
    """Debian's haproxy binary (it lives in /usr/sbin, often off a user's PATH); skips
    (or fails) when it is not installed."""
    found = haproxy.binary()
    if found is None:
        missing("HAProxy is not installed (apt-get install haproxy)")
    return found


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, process, what="gunicorn", log=None):
    """Return once something listens on `port`; raise, with the process's own words, if
    `process` exits first or nothing listens within ten seconds."""
    for _ in range(100):
        if process.poll() is not None:
            said = log.read_text() if log else process.stderr.read().decode()
            raise RuntimeError(f"{what} stopped: {said}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{what} did not start")


def wait_answering(port, process, what, log):
    """Return once `port` answers HTTP for Kettle's host (gunicorn listens before its
    workers have loaded Kettle); raise, with the process's own words, if it exits first or
    does not answer within thirty seconds."""
    wait_for(port, process, what, log)
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped: {log.read_text()}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/robots.txt", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not answer")


@contextmanager
def fresh_database():
    """A new, empty PostgreSQL database named kettle_cluster_<random>; yields its URL and
    drops it afterwards (closing any connection still open to it). Skips (or fails) when
    PostgreSQL does not answer."""
    import psycopg

    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        missing(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    name = f"kettle_cluster_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urllib.parse.urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


HAPROXY_CONFIG = haproxy.CONFIG


@dataclass
class Cluster:
    """Two Kettle servers ("a", "b") and the balancer ("lb") in front of them."""

    folder: Path
    database_url: str
    redis_url: str
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    ports: dict = field(default_factory=dict)

    def env(self, name="cli"):
        """The environment every server (and `flask` command) runs with: the production
        settings the README names, with one proxy in front."""
        instance = self.folder / f"instance-{name}"
        instance.mkdir(mode=0o700, exist_ok=True)
        runtime = self.folder / f"run-{name}"  # gunicorn's control socket, one per server
        runtime.mkdir(mode=0o700, exist_ok=True)
        env = {key: value for key, value in os.environ.items() if key != "BIND"}
        env.update(
            DATABASE_URL=self.database_url,
            RATELIMIT_ENABLED="true",
            RATELIMIT_STORAGE_URI=self.redis_url,
            SECRET_KEY=self.secret_key,
            INSTANCE_PATH=str(instance),
            TRUSTED_HOSTS="127.0.0.1",
            PROXY_COUNT="1",
            XDG_RUNTIME_DIR=str(runtime),
        )
        return env

    def flask(self, *args):
        """Run `flask --app wsgi ARGS` against the cluster's database; returns its output,
        or raises (with the command's words) when it fails."""
        done = subprocess.run(
            [BIN / "flask", "--app", "wsgi", *args],
            cwd=ROOT, env=self.env(), capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def url(self, where):
        return f"http://127.0.0.1:{self.ports[where]}"


def _start(stack, command, env, log, what, port, ready=wait_for):
    """Start `command` as a child process logging to `log`, stopped when `stack` closes,
    and return it once `ready(port, process, what, log)` says it is up."""
    out = stack.enter_context(log.open("wb"))
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def stop():
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    stack.callback(stop)
    ready(port, process, what, log)
    return process


@contextmanager
def running(folder, workers=2):
    """A Cluster: a fresh database built by `flask init-db`, two gunicorn servers with
    `workers` workers each, and haproxy round robin across them. Skips (or fails) when
    PostgreSQL, Redis or HAProxy is missing. Stops everything and drops the database after.
    """
    haproxy = haproxy_path()
    redis_client(CLUSTER_REDIS_URL).close()
    with ExitStack() as stack:
        database = stack.enter_context(fresh_database())
        cluster = Cluster(Path(folder), database, CLUSTER_REDIS_URL)
        cluster.flask("init-db")
        for name in ("a", "b"):
            cluster.ports[name] = port = free_port()
            command = [BIN / "gunicorn", "--workers", str(workers),
                       "--bind", f"127.0.0.1:{port}", "wsgi:app"]  # fmt: skip
            _start(stack, command, cluster.env(name), cluster.folder / f"{name}.log",
                   f"gunicorn {name}", port, wait_answering)  # fmt: skip
        cluster.ports["lb"] = free_port()
        config = cluster.folder / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(**cluster.ports))
        # -db: stay in the foreground, a plain child process.
        _start(stack, [haproxy, "-db", "-f", config], os.environ.copy(),
               cluster.folder / "haproxy.log", "haproxy", cluster.ports["lb"])  # fmt: skip
        yield cluster
