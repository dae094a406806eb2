"""The benchmark's PostgreSQL run, through the scale-out path the README's production
section describes: two Kettle servers (gunicorn, 2 workers each) sharing one PostgreSQL
database and Redis (kept pages in one store), behind Debian's HAProxy.

`Balanced` looks like one bench/servers.Server to the load (bench/load.measure): its URL is
the balancer's, and its CPU and memory figures are those of all four workers.
"""

import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import haproxy
import redis
import seed
import writes
from servers import Server, free_port

# A Redis database of the benchmark's own, emptied before each run: kept pages from an
# earlier run's database must never be served for this one's.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


class Balanced:
    """Servers "a" and "b" with `env`, behind HAProxy on a free port; a context manager."""

    def __init__(self, env, folder):
        self.name = "kettle-postgresql (two servers)"
        self.folder = Path(folder)
        self.servers = [
            Server(f"kettle-postgresql-{n}", "wsgi:app", env=env, log_folder=folder)
            for n in ("a", "b")
        ]
        self.port = free_port()
        self.process = None

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        for server in self.servers:
            server.start()
        config = self.folder / "haproxy.cfg"
        ports = {"lb": self.port, "a": self.servers[0].port, "b": self.servers[1].port}
        config.write_text(haproxy.CONFIG.format(**ports))
        log = (self.folder / "haproxy.log").open("ab")
        self.process = subprocess.Popen([haproxy.binary(), "-db", "-f", str(config)],
                                        stdout=log, stderr=log)  # fmt: skip
        log.close()
        self._wait()
        return self

    def _wait(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/robots.txt"), timeout=5):  # noqa: S310
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"HAProxy did not answer in {timeout} s")

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
        for server in self.servers:
            server.stop()

    def workers(self):
        return [pid for server in self.servers for pid in server.workers()]

    def cpu_ticks(self):
        return {pid: n for server in self.servers for pid, n in server.cpu_ticks().items()}

    def settle(self, timeout=60):
        return all(server.settle(timeout) for server in self.servers)

    def restart(self):
        for server in self.servers:
            server.restart()

    def peak_rss_mb(self):
        return max(server.peak_rss_mb() for server in self.servers)

    def worker_memory(self):
        return {pid: m for server in self.servers for pid, m in server.worker_memory().items()}


def skipped(why):
    print(f"PostgreSQL run: skipped, {why}", flush=True)


def postgresql(size, folder, read_pages, write_seconds):
    """Seed a fresh PostgreSQL database with `size` questions, serve it through `Balanced`,
    call `read_pages(balanced, plan)` (unless it is None) and then, when `write_seconds`,
    run the writers through the balancer. Says so and returns when PostgreSQL, Redis or
    HAProxy is missing. Drops the database it made, whatever happens."""
    if haproxy.binary() is None:
        return skipped("HAProxy is not installed (apt-get install haproxy)")
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError as trouble:
        return skipped(f"Redis is not reachable at {REDIS_URL} ({trouble})")
    url, made = writes.bench_database()  # BENCH_DATABASE_URL, or one made for the run
    if url is None:
        return skipped(f"PostgreSQL is not reachable ({made})")
    try:
        instance = Path(folder) / "instance-pg"
        plan = seed.seed(url, size, instance)
        env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(instance),
               "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL,
               "RATELIMIT_STORAGE_URI": REDIS_URL, "PROXY_COUNT": "1"}  # fmt: skip
        with Balanced(env, folder) as balanced:
            results = read_pages(balanced, plan) if read_pages else None
            if write_seconds:
                print(f"\n== writes on PostgreSQL, two servers: {writes.WRITERS} writers for "
                      f"{write_seconds:g} s", flush=True)  # fmt: skip
                writes.run("postgresql", balanced, url, plan["write_questions"], write_seconds,
                           folder)  # fmt: skip
        return results
    finally:
        if made:
            writes.drop_database(url)
