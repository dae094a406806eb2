"""Load one page with wrk and read back its figures, with the workers' CPU and memory.

wrk runs 16 connections on 2 threads (the issue's setting) with bench/lua/report.lua,
which counts every response outside 2xx and prints the figures as one JSON line.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from servers import cpu_ms

REPORT = Path(__file__).with_name("lua") / "report.lua"
CONNECTIONS = 16
THREADS = 2


@dataclass
class Figures:
    """What one wrk run measured; `failed` says why there are no figures, if so."""

    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    non2xx: int = 0
    socket_errors: int = 0
    cpu_ms_per_request: float = 0.0
    peak_rss_mb: float = 0.0
    failed: str = ""

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path():
    return shutil.which("wrk")


def wrk(url, seconds, headers=(), script=REPORT, connections=CONNECTIONS, threads=THREADS,
        args=()):  # fmt: skip
    """Run wrk against `url` for `seconds`; returns (the parsed JSON line or None, output)."""
    command = [wrk_path() or "wrk", "-t", str(threads), "-c", str(connections), "-d",
               f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script)]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    command.append(url)
    if args:
        command += ["--", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    except (OSError, subprocess.TimeoutExpired) as trouble:
        return None, str(trouble)
    output = done.stdout + done.stderr
    for line in output.splitlines():
        if line.startswith("WRKJSON "):
            return json.loads(line.removeprefix("WRKJSON ")), output
    return None, output


def measure(server, path, seconds, headers=(), args=()):
    """Load `path` on `server` and return its Figures, once its workers are idle again (or
    after restarting it, when they are still busy a minute later); never raises for a bad
    page, and gives no figures (`failed`) for a run in which not one response came.
    `args` go to bench/lua/report.lua ("new-searches": a search nobody made before)."""
    before = server.cpu_ticks()
    found, output = wrk(server.url(path), seconds, headers, args=args)
    after = server.cpu_ticks()
    if not server.settle():
        print(f"note: {server.name} was still busy a minute after loading {path}, so it was "
              "restarted to drop its queue", flush=True)  # fmt: skip
        server.restart()
    if found is None:
        return Figures(failed=f"wrk gave no figures: {output.strip()[-300:]}")
    requests = found["requests"]
    if not requests:
        return Figures(
            failed=f"not one response in {seconds:g} s", peak_rss_mb=server.peak_rss_mb()
        )
    return Figures(
        requests=requests,
        seconds=found["duration_us"] / 1e6,
        p50_ms=found["p50_us"] / 1000,
        p99_ms=found["p99_us"] / 1000,
        non2xx=found["non2xx"],
        socket_errors=found["socket_errors"] + found["timeouts"],
        cpu_ms_per_request=cpu_ms(before, after) / requests if requests else 0.0,
        peak_rss_mb=server.peak_rss_mb(),
    )
