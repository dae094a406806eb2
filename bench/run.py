"""Kettle's benchmark harness (`make bench`): Kettle's pages against a bare-Flask baseline.

For each size (SIZE, default 100,000 questions; or several, SIZES="10000 1000000") it seeds
a fresh SQLite database (bench/seed.py), serves the baseline and Kettle with gunicorn
(bench/servers.py) and loads each page with wrk at 16 connections, interleaved: baseline,
page, baseline, page, ... Each page's throughput is printed as a ratio to the mean of the
two baseline runs around it, with p50, p99, worker CPU per request, peak RSS per worker,
responses outside 2xx, and PASS or MISS against the issue's targets; then each worker's memory
now (RSS, peak RSS, PSS and USS: bench/servers.py). With several sizes it
prints how p50 changes between the smallest and the largest. Then the write benchmark
(bench/writes.py). Figures are printed, never asserted: the exit code is 0 unless the
harness itself could not run (a server that would not start, say).

Settings: SIZE, SIZES, DURATION (seconds per run, default 10), WARMUP (seconds per page,
default 1), BENCH_DATA (folder for databases, default a temporary one, removed after),
BENCH_REUSE=1 (with BENCH_DATA: load the databases an earlier run seeded there, with the
perspectives its writers added), BENCH_WRITES=0 (skip the writes), BENCH_POSTGRESQL=0
(no PostgreSQL run), BENCH_PG_SIZE (questions for the PostgreSQL run, default
min(SIZE, 10000)), BENCH_DATABASE_URL (a fresh PostgreSQL database to use instead),
BENCH_REDIS_URL (the Redis database the PostgreSQL run keeps pages in, emptied first).

After the SQLite sizes, the PostgreSQL run loads every page again, and runs the writers,
through two Kettle servers on PostgreSQL and Redis behind HAProxy (bench/balanced.py).
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

import balanced
import seed
import writes
from baseline.baseline_app import build as build_baseline
from load import measure, wrk_path
from servers import Server, data_folder
from visitor import Visitor

HERE = Path(__file__).resolve().parent
BASELINE_ROWS = 100_000
# The targets.
ANON_RATIO, SIGNED_RATIO, P99_MS, RSS_MB, SEARCH_P50_MS, GROWTH = 0.75, 0.35, 25, 70, 20, 1.3


def pages(plan):
    """(name, path, who signs in: None, "reader" or "writer") for every page the harness
    loads. The reader has written nothing; the writer wrote in the 50-perspective thread,
    so their copy of it is their own ("You wrote this") and is never kept for others. Each
    request of a "new" search is one nobody made before (bench/lua/report.lua), so no kept
    page answers it, as for most people who search."""
    topic, question = f"/t/{plan['topic']}", f"/q/{plan['question50']}"
    return [
        ("home", "/", None),
        ("topic, first page", topic, None),
        ("topic, deep page", f"{topic}?before={plan['deep_before']}", None),
        ("question, 50 perspectives", question, None),
        ("search, common word", f"/search?q={quote(plan['common'])}", None),
        ("search, rare word", f"/search?q={quote(plan['rare'])}", None),
        ("search, common, new", f"/search?q={quote(plan['common'])}", None),
        ("search, rare, new", f"/search?q={quote(plan['rare'])}", None),
        ("question API", f"/api/v1/questions/{plan['question50']}", None),
        ("question, signed in", question, "reader"),
        ("question, signed in writer", question, "writer"),
    ]


def _args(name):
    return ("new-searches",) if name.endswith(", new") else ()


def verdicts(name, signed_in, figures, ratio):
    """The targets this page is held to, each with PASS or MISS."""
    said = []
    if signed_in:
        said.append(("ratio >= 35 %", ratio >= SIGNED_RATIO))
    else:
        said.append(("ratio >= 75 %", ratio >= ANON_RATIO))
        said.append((f"p99 < {P99_MS} ms", figures.p99_ms < P99_MS))
    if name.startswith("search"):
        said.append((f"p50 < {SEARCH_P50_MS} ms", figures.p50_ms < SEARCH_P50_MS))
    said.append((f"RSS <= {RSS_MB} MB", figures.peak_rss_mb <= RSS_MB))
    return "  ".join(f"{what} {'PASS' if met else 'MISS'}" for what, met in said)


HEADER = (f"{'page':27} {'req/s':>7} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'cpu ms/req':>10} {'RSS MB':>7} {'non-2xx':>7} {'socket':>6}  targets")  # fmt: skip


def row(name, figures, ratio=None, said=""):
    if figures.failed:  # a page with targets misses them all
        return f"{name:27} no figures: {figures.failed}" + ("  MISS" if said else "")
    shown = f"{ratio:6.2f}" if ratio is not None else f"{'':6}"
    return (f"{name:27} {figures.rps:7.0f} {shown} {figures.p50_ms:7.1f} {figures.p99_ms:7.1f} "
            f"{figures.cpu_ms_per_request:10.2f} {figures.peak_rss_mb:7.1f} {figures.non2xx:7d} "
            f"{figures.socket_errors:6d}  {said}").rstrip()  # fmt: skip


def _cookies(members, who):
    return [members[who].cookie_header()] if who else []


def _signed_in(kettle, plan):
    """{"reader": Visitor, "writer": Visitor}, signed in; one that cannot sign in is left
    out, with a line saying why."""
    members = {}
    for who, account in (("reader", plan), ("writer", plan.get("writer"))):
        try:
            if not account:
                raise RuntimeError("the plan names no such member")
            members[who] = Visitor(kettle.url("")).sign_in(account["handle"], account["password"])
        except (RuntimeError, OSError) as trouble:
            print(f"signed in as the {who}: no figures, could not sign in ({trouble})")
    return members


def warm_up(kettle, baseline, listed, members, seconds):
    """Fetch each page once (printing its HTTP status) and load it briefly, so the runs
    measure warm workers; says when the topic page shows no keyset link."""
    said = []
    for name, path, who in listed:
        status, page = (members[who] if who else Visitor(kettle.url(""))).get(path)
        said.append(f"{name} {status or 'no answer'}")
        if name == "topic, first page" and "?before=" not in page:
            print("note: the topic page shows no ?before= link to older questions")
        if seconds > 0:
            measure(kettle, path, seconds, _cookies(members, who), _args(name))
    if seconds > 0:
        measure(baseline, "/", seconds)
    print("first responses: " + ", ".join(said), flush=True)


def read_pages(kettle, baseline, plan, seconds, warmup):
    """Load every page between baseline runs; print a row for each; return {name: Figures}."""
    members = _signed_in(kettle, plan)
    listed = [page for page in pages(plan) if page[2] is None or page[2] in members]
    warm_up(kettle, baseline, listed, members, warmup)
    print(HEADER)
    before = measure(baseline, "/", seconds)
    print(row("baseline", before), flush=True)
    results = {}
    for name, path, signed_in in listed:
        figures = measure(kettle, path, seconds, _cookies(members, signed_in), _args(name))
        after = measure(baseline, "/", seconds)
        base = (before.rps + after.rps) / 2
        ratio = figures.rps / base if base else 0.0
        print(row(name, figures, ratio, verdicts(name, signed_in, figures, ratio)))
        print(row("baseline", after), flush=True)
        results[name], before = figures, after
    return results


def show_memory(server):
    """Each worker's memory after the page runs, in MB: peak RSS is the column above and the
    issue's figure (signing in hashes with argon2id, which takes 64 MiB for a moment);
    PSS and USS count the pages shared with the master and the other worker fairly."""
    for pid, mem in server.worker_memory().items():
        print(f"worker {pid}: RSS {mem.rss:.1f} MB, peak RSS {mem.peak_rss:.1f} MB, "
              f"PSS {mem.pss:.1f} MB, USS {mem.uss:.1f} MB")  # fmt: skip


def _baseline(folder):
    return Server("baseline", "baseline_app:app", env={"BASELINE_DB": str(folder / "baseline.db")},
                  pythonpath=HERE / "baseline", config=HERE / "baseline" / "gunicorn.conf.py",
                  log_folder=folder)  # fmt: skip


def on_postgresql(size, folder, seconds, warmup, write_seconds):
    """Every page, then the writes, on PostgreSQL through two servers behind HAProxy
    (bench/balanced.py), against the same baseline."""
    print(f"\n== {size:,} questions (PostgreSQL, two servers behind HAProxy)", flush=True)
    with _baseline(folder) as baseline:

        def read(kettle, plan):
            results = read_pages(kettle, baseline, plan, seconds, warmup)
            show_memory(kettle)
            return results

        return balanced.postgresql(size, folder, read, write_seconds)


def one_size(size, folder, seconds, warmup, write_seconds):
    """Seed `size` questions (or, with BENCH_REUSE=1, reuse those seeded into BENCH_DATA
    before) and load every page; the writes follow when asked."""
    database, saved = folder / f"kettle-{size}.db", folder / f"kettle-{size}.json"
    url = f"sqlite:///{database}"
    print(f"\n== {size:,} questions (SQLite)", flush=True)
    if os.environ.get("BENCH_REUSE") == "1" and saved.exists() and database.exists():
        plan = json.loads(saved.read_text())
        print(f"reusing the {size:,} questions seeded into {database}")
    else:
        for stale in folder.glob(f"kettle-{size}.*"):
            stale.unlink()
        plan = seed.seed(url, size, folder / "instance")
        saved.write_text(json.dumps(plan))
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder / "instance")}
    with (
        _baseline(folder) as baseline,
        Server(f"kettle-{size}", "wsgi:app", env=env, log_folder=folder) as kettle,
    ):
        results = read_pages(kettle, baseline, plan, seconds, warmup)
        show_memory(kettle)
        if write_seconds:
            print(f"\n== writes: {writes.WRITERS} writers for {write_seconds:g} s", flush=True)
            writes.run("sqlite", kettle, url, plan["write_questions"], write_seconds, folder)
    return results


def growth(by_size):
    """How each page's p50 changes from the smallest size to the largest, with worker CPU
    per request beside it (less swayed by other work on a shared machine)."""
    small, large = min(by_size), max(by_size)
    print(f"\n== p50 from {small:,} to {large:,} questions (target <= {GROWTH} x)")
    for name, figures in by_size[large].items():
        before = by_size[small].get(name)
        if not before or before.failed or figures.failed or not before.p50_ms:
            print(f"{name:27} no figures at one of the sizes  MISS")
            continue
        times = figures.p50_ms / before.p50_ms
        verdict = "PASS" if times <= GROWTH else "MISS"
        print(f"{name:27} {before.p50_ms:7.1f} ms -> {figures.p50_ms:7.1f} ms  {times:5.2f} x  "
              f"{verdict}  (CPU {before.cpu_ms_per_request:.1f} -> "
              f"{figures.cpu_ms_per_request:.1f} ms/request)")  # fmt: skip


def main():
    if not wrk_path():
        print("wrk is missing: `make bench` installs it (apt-get install wrk)", file=sys.stderr)
        return 2
    sizes = [int(s) for s in os.environ.get("SIZES", os.environ.get("SIZE", "100000")).split()]
    seconds = float(os.environ.get("DURATION", "10"))
    warmup = float(os.environ.get("WARMUP", "1"))
    doing_writes = os.environ.get("BENCH_WRITES", "1") != "0"
    with data_folder("kettle-bench-") as folder:
        print(f"Kettle benchmark: sizes {sizes}, {seconds:g} s a run, data in {folder}")
        if not (folder / "baseline.db").exists():
            build_baseline(str(folder / "baseline.db"), BASELINE_ROWS)
        by_size = {}
        for n, size in enumerate(sizes):
            last = n == len(sizes) - 1
            by_size[size] = one_size(
                size, folder, seconds, warmup, doing_writes and last and seconds
            )
        if len(by_size) > 1:
            growth(by_size)
        if os.environ.get("BENCH_POSTGRESQL", "1") != "0":
            pg_size = int(os.environ.get("BENCH_PG_SIZE", min(sizes[-1], 10_000)))
            on_postgresql(pg_size, folder, seconds, warmup, doing_writes and seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
