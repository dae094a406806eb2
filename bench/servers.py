"""Start and stop gunicorn for the benchmark, and read what its workers cost.

Both Kettle (`wsgi:app`) and the bare-Flask baseline are served the way the README's
production section serves Kettle: `gunicorn` reading `gunicorn.conf.py` (no access log;
the baseline's copy leaves out Kettle's address-hiding logger, which would import Kettle),
2 workers of the default `sync` class, rate limits off, and no control socket (so two
masters never share one).
Worker CPU time comes from /proc/<pid>/stat (utime + stime) and peak memory from
/proc/<pid>/status (VmHWM), for the master's worker processes only. worker_memory() also
reads each worker's resident memory now (VmRSS) and, from /proc/<pid>/smaps_rollup, its
proportional (PSS: shared pages split between the processes sharing them) and private
(USS: pages no other process shares) memory.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 2
WORKER_CLASS = "sync"  # gunicorn's default, which the README's production section uses
TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def data_folder(prefix):
    """BENCH_DATA (kept after the run), or a temporary folder removed after it."""
    given = os.environ.get("BENCH_DATA")
    folder = Path(given or tempfile.mkdtemp(prefix=prefix)).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        if not given:
            shutil.rmtree(folder, ignore_errors=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn master and its workers, on a free local port; a context manager."""

    def __init__(self, name, app, env=None, pythonpath=None, config=None, log_folder=None):
        self.name, self.app, self.pythonpath = name, app, pythonpath
        self.config = config or ROOT / "gunicorn.conf.py"
        self.env = {**os.environ, "RATELIMIT_ENABLED": "false", **(env or {})}
        self.log_path = Path(log_folder or tempfile.gettempdir()) / f"gunicorn-{name}.log"
        self.port = free_port()
        self.process = None

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, ready_path="/", timeout=60):
        """Start gunicorn and wait until a worker answers `ready_path` (any HTTP status).

        Raises RuntimeError, with the end of gunicorn's log, when it exits or never answers."""
        command = [str(GUNICORN), "-c", str(self.config), "--no-control-socket",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
                   "--worker-class", WORKER_CLASS]  # fmt: skip
        if self.pythonpath:
            command += ["--pythonpath", str(self.pythonpath)]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [*command, self.app], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            if self._answers(ready_path) and len(self.workers()) == WORKERS:
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer in {timeout} s:\n{self.log_tail()}")

    def _answers(self, path):
        try:
            with urllib.request.urlopen(self.url(path), timeout=5):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def stop(self):
        """Stop gunicorn gracefully, or kill it after ten seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self):
        """Stop gunicorn, dropping whatever requests it still has queued, and start it again."""
        self.stop()
        self.process = None
        return self.start()

    def __enter__(self):
        return self.start() if self.process is None else self

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def workers(self):
        """The pids of this master's worker processes."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                stat = _read(entry / "stat")
                if stat and int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def cpu_ticks(self):
        """{worker pid: utime + stime in clock ticks}."""
        ticks = {}
        for pid in self.workers():
            stat = _read(Path(f"/proc/{pid}/stat"))
            if stat:
                fields = stat.rsplit(")", 1)[1].split()
                ticks[pid] = int(fields[11]) + int(fields[12])
        return ticks

    def settle(self, timeout=60):
        """Wait until the workers stop using CPU: requests still queued when a load stopped
        are served before the next run starts, so one run never slows the next. Returns
        False when they were still busy after `timeout` seconds."""
        deadline, last = time.monotonic() + timeout, self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.cpu_ticks()
            if now == last:
                return True
            last = now
        return False

    def peak_rss_mb(self):
        """The largest peak resident memory (VmHWM) among the workers, in MB."""
        peaks = [0.0]
        for pid in self.workers():
            for line in (_read(Path(f"/proc/{pid}/status")) or "").splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def worker_memory(self):
        """{worker pid: Memory} for each worker now, in MB."""
        return {pid: memory_of(pid) for pid in sorted(self.workers())}


@dataclass
class Memory:
    """One process's memory in MB: resident now and at its peak, proportional and private."""

    rss: float = 0.0
    peak_rss: float = 0.0
    pss: float = 0.0
    uss: float = 0.0


def memory_of(pid):
    """Memory of process `pid` (zeros for what cannot be read, e.g. a process that ended)."""
    fields = {}
    for name in ("status", "smaps_rollup"):
        for line in (_read(Path(f"/proc/{pid}/{name}")) or "").splitlines():
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                fields[key] = int(value.split()[0]) / 1024
    return Memory(
        rss=fields.get("VmRSS", 0.0),
        peak_rss=fields.get("VmHWM", 0.0),
        pss=fields.get("Pss", 0.0),
        uss=fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0),
    )


def cpu_ms(before, after):
    """Worker CPU milliseconds between two cpu_ticks() readings (a restarted worker's
    ticks count from its start)."""
    ticks = sum(now - before.get(pid, 0) for pid, now in after.items())
    return ticks * 1000 / TICKS


def _read(path):
    try:
        return path.read_text()
    except OSError:
        return None
