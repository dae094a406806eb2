"""The benchmark harness runs end to end at a tiny size, so it cannot rot.

It prints figures and asserts none of them: this checks only that every page and the
write benchmark get their line, and that the harness finishes cleanly.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "home",
    "topic, first page",
    "topic, deep page",
    "question, 50 perspectives",
    "search, common word",
    "search, rare word",
    "search, common, new",
    "search, rare, new",
    "question API",
    "question, signed in",
    "question, signed in writer",
)
# After a page's name: requests per second, ratio to the baseline, p50, p99, CPU, RSS and the
# counts of responses outside 2xx and of socket errors. Baseline rows have no ratio.
RATIO = r" +\d+ +\d+\.\d\d"
FIGURES = r" +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +\d+ +\d+\b"

pytestmark = pytest.mark.slow


@pytest.fixture
def wrk():
    if shutil.which("wrk") is None:
        if os.environ.get("KETTLE_REQUIRE_SERVICES") == "1":
            pytest.fail("wrk is missing (apt-get install wrk)")
        pytest.skip("wrk is missing (apt-get install wrk)")


def test_the_harness_prints_a_line_for_every_page_and_the_writes(wrk, tmp_path):
    env = {**os.environ, "SIZE": "300", "DURATION": "1", "WARMUP": "0",
           "BENCH_POSTGRESQL": "0", "BENCH_DATA": str(tmp_path)}  # fmt: skip
    env.pop("SIZES", None)
    done = subprocess.run(
        [sys.executable, "bench/run.py"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    output = done.stdout
    assert done.returncode == 0, output + done.stderr
    for page in PAGES:
        assert re.search(rf"^{re.escape(page)}{RATIO}{FIGURES}", output, re.MULTILINE), (
            page,
            output,
        )
    assert len(re.findall(rf"^baseline +\d+{FIGURES}", output, re.MULTILINE)) == len(PAGES) + 1
    assert re.search(r"^writes sqlite: \d+ perspectives/s .* \d+ errors", output, re.MULTILINE)
