"""The write benchmark: 16 concurrent writers posting perspectives to gunicorn over HTTP.

Each writer is its own visitor (its own session cookie and CSRF token, fetched from the
question page as a browser would) and posts `POST /q/<id>/answers` with new words every
time, through wrk (bench/lua/writes.lua: one writer per wrk thread). Rate limits are off.
Prints perspectives stored per second (counted in the database), the error count (any
answer but a 303, and any socket error), and the workers' CPU time per perspective stored,
which says what a perspective costs even when other work shares the machine. On SQLite
(the harness's seeded database) and on PostgreSQL (through two servers behind HAProxy,
bench/balanced.py), in a database made for the run and dropped after it, when one is
reachable.

Run alone: .venv/bin/python bench/writes.py (seeds its own small SQLite and PostgreSQL).
"""

import os
import sys
import tempfile
import urllib.parse
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import seed
from load import wrk
from servers import Server, cpu_ms
from visitor import Visitor
from words import Writer

from app.questions.models import Answer
from config import database_url

WRITERS = 16
SCRIPT = Path(__file__).with_name("lua") / "writes.lua"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET = 300  # perspectives per second on SQLite, with no errors


def _answers(url):
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Answer.__table__))
    finally:
        engine.dispose()


def _writers(server, question_ids, folder):
    """A file of WRITERS writers, each with its own session, token, question and words."""
    texts = Writer(61, lambda source: source).pool
    lines = []
    for n in range(WRITERS):
        question = question_ids[n % len(question_ids)]
        visitor = Visitor(server.url(""))
        token = urllib.parse.quote(visitor.token(f"/q/{question}"), safe="")
        words = urllib.parse.quote_plus(" ".join(texts[n][0].split()))
        lines.append(
            f"{question}\t{token}\t{visitor.cookie_header().removeprefix('Cookie: ')}\t{words}"
        )
    path = Path(folder) / "writers.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(label, server, url, question_ids, seconds, folder):
    """Load `server` with the writers for `seconds`; print and return the figures line."""
    before = _answers(url)
    try:
        writers = _writers(server, question_ids, folder)
    except (RuntimeError, OSError) as trouble:
        print(f"writes {label}: no figures, the writers could not start ({trouble})", flush=True)
        return None
    ticks = server.cpu_ticks()
    found, output = wrk(server.url("/"), seconds, script=SCRIPT, connections=WRITERS,
                        threads=WRITERS, args=[str(writers)])  # fmt: skip
    stored = _answers(url) - before
    server.settle()  # the posts still queued when wrk stopped are worker CPU too
    cpu = cpu_ms(ticks, server.cpu_ticks()) / max(_answers(url) - before, 1)
    if found is None:
        line = f"writes {label}: no figures from wrk: {output.strip()[-300:]}"
    else:
        seconds = found["duration_us"] / 1e6
        errors = found["non2xx"] + found["socket_errors"] + found["timeouts"]
        rate = stored / seconds if seconds else 0.0
        verdict = "PASS" if rate >= TARGET and errors == 0 else "MISS"
        target = f"target >= {TARGET}/s with 0 errors: {verdict}" if label == "sqlite" else ""
        line = (f"writes {label}: {rate:.0f} perspectives/s ({stored} stored in {seconds:.1f} s"
                f" by {WRITERS} writers), {errors} errors, p50 {found['p50_us'] / 1000:.1f} ms,"
                f" p99 {found['p99_us'] / 1000:.1f} ms, worker cpu {cpu:.1f} ms/perspective"
                f"  {target}")  # fmt: skip
    print(line.rstrip(), flush=True)
    return line


def bench_database():
    """(url of a fresh PostgreSQL database, whether this run made it) or (None, why not)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        return given, False
    name = f"kettle_bench_{os.getpid()}"
    engine = create_engine(database_url(PG_ADMIN), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as trouble:
        return None, str(trouble.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", True


def drop_database(url):
    """Drop the database `bench_database` made."""
    name = url.rsplit("/", 1)[1]
    engine = create_engine(database_url(PG_ADMIN), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def main():
    seconds = float(os.environ.get("DURATION", "10"))
    size = int(os.environ.get("SIZE", "10000"))
    with tempfile.TemporaryDirectory(prefix="kettle-writes-") as folder:
        url = f"sqlite:///{folder}/kettle.db"
        plan = seed.seed(url, size, Path(folder) / "instance")
        env = {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(Path(folder) / "instance"),
        }
        with Server("kettle-sqlite", "wsgi:app", env=env, log_folder=folder) as server:
            run("sqlite", server, url, plan["write_questions"], seconds, folder)
        if os.environ.get("BENCH_POSTGRESQL", "1") != "0":
            import balanced  # it runs the writers through two servers, with this module

            balanced.postgresql(size, folder, None, seconds)


if __name__ == "__main__":
    main()
