"""What Kettle's processes hold in memory, printed as figures (`make bench` prints speed).

1. Import: a fresh Python imports `wsgi` (what each gunicorn worker does unless the app is
   preloaded) and prints its resident memory (VmRSS, split into RssAnon and RssFile), its
   peak (VmHWM), and which of the heavier libraries that import loaded.
2. Serving: seeds SIZE questions (default 2,000; bench/seed.py), serves Kettle with gunicorn
   the way `make bench` does (bench/servers.py: gunicorn.conf.py, 2 sync workers, rate
   limits off), and prints each worker's memory, and the master's: just after start, after
   ROUNDS rounds (default 100) of the anonymous pages `make bench` loads, after signing in,
   after ROUNDS more of the signed-in question page, and after WRITES perspectives (default
   10) are posted in words that are not all ASCII, so a worker that stores one touches
   what only writing uses (ICU's data, markdown-it, bleach). RSS counts pages shared with other
   processes in full; PSS splits them between the sharers; USS is what only that process
   holds. "peak" is VmHWM, the figure `make bench` holds to the issue's target.

Run: .venv/bin/python bench/memory.py (SIZE=..., ROUNDS=..., WRITES=..., BENCH_DATA=folder
to keep; the perspectives posted stay in a kept database).
"""

import json
import os
import subprocess
import sys

import seed
from run import pages
from servers import ROOT, Server, data_folder, memory_of
from visitor import Visitor

HEAVY = ("alembic", "flask_migrate", "mako", "pygments", "zxcvbn", "icu", "sqlean",
         "markdown_it", "bleach", "snowballstemmer", "argon2", "psycopg", "redis",
         "flask_caching", "babel", "playwright")  # fmt: skip
IMPORT = f"""
import json, sys
import wsgi
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
mb = {{k: int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM", "RssAnon", "RssFile")}}
loaded = [name for name in {HEAVY!r} if name in sys.modules]
print(json.dumps({{"mb": mb, "loaded": loaded, "modules": len(sys.modules)}}))
"""


def after_import(env):
    """Memory of a fresh Python that has imported wsgi, as a dict of figures."""
    done = subprocess.run([sys.executable, "-c", IMPORT], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def show_import(env):
    found = after_import(env)
    mb = found["mb"]
    print(f"after `import wsgi`: RSS {mb['VmRSS']:.1f} MB (anon {mb['RssAnon']:.1f}, "
          f"file {mb['RssFile']:.1f}), peak {mb['VmHWM']:.1f} MB, "
          f"{found['modules']} modules")  # fmt: skip
    print("  heavier libraries loaded: " + (", ".join(found["loaded"]) or "none"))


def show_server(server, when):
    """One line per worker and one for the master, in MB."""
    print(f"{when}:")
    for role, pid in [("master", server.process.pid), *(("worker", p) for p in
                                                        sorted(server.workers()))]:  # fmt: skip
        mem = memory_of(pid)
        print(f"  {role:6} RSS {mem.rss:6.1f}  peak {mem.peak_rss:6.1f}  "
              f"PSS {mem.pss:6.1f}  USS {mem.uss:6.1f}")  # fmt: skip
    sys.stdout.flush()


def load(visitor, paths, rounds):
    """Fetch every path `rounds` times; returns the statuses seen and how often."""
    seen = {}
    for _ in range(rounds):
        for path in paths:
            status, _ = visitor.get(path)
            seen[status] = seen.get(status, 0) + 1
    return seen


def write(base, question_ids, count):
    """Post `count` perspectives as anonymous visitors, each on its own connection (so both
    workers may take some); returns the statuses seen and how often (303 is stored)."""
    seen = {}
    for n in range(count):
        question = question_ids[n % len(question_ids)]
        visitor = Visitor(base)
        token = visitor.token(f"/q/{question}")
        body = f"Caf\u00e9 talk {n}: a *warm* drink and a slow walk helped me \u2615"
        status, _ = visitor.post(f"/q/{question}/answers", {"csrf_token": token, "body": body})
        seen[status] = seen.get(status, 0) + 1
    return seen


def serve(folder, size, rounds, writes):
    url = f"sqlite:///{folder / 'kettle.db'}"
    saved = folder / "plan.json"
    if saved.exists():
        plan = json.loads(saved.read_text())
    else:
        plan = seed.seed(url, size, folder / "instance")
        saved.write_text(json.dumps(plan))
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(folder / "instance")}
    show_import({**os.environ, **env})
    listed = pages(plan)
    anonymous = [path for _, path, signed_in in listed if not signed_in]
    signed = [path for _, path, signed_in in listed if signed_in]
    with Server("kettle-memory", "wsgi:app", env=env, log_folder=folder) as server:
        show_server(server, "gunicorn just started (one request served)")
        statuses = load(Visitor(server.url("")), anonymous, rounds)
        show_server(server, f"after {rounds} rounds of {len(anonymous)} anonymous pages "
                    f"(HTTP statuses {statuses})")  # fmt: skip
        reader = Visitor(server.url("")).sign_in(plan["handle"], plan["password"])
        show_server(server, "after signing in once (one argon2id check)")
        statuses = load(reader, signed, rounds)
        show_server(server, f"after {rounds} signed-in question pages "
                    f"(HTTP statuses {statuses})")  # fmt: skip
        if writes:
            statuses = write(server.url(""), plan["write_questions"], writes)
            show_server(server, f"after {writes} perspectives posted (HTTP statuses {statuses})")


def main():
    size = int(os.environ.get("SIZE", "2000"))
    rounds = int(os.environ.get("ROUNDS", "100"))
    writes = int(os.environ.get("WRITES", "10"))
    with data_folder("kettle-memory-") as folder:
        print(f"Kettle memory: {size:,} questions, {rounds} rounds, data in {folder}", flush=True)
        serve(folder, size, rounds, writes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
