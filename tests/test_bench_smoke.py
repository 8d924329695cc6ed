"""The benchmark script runs end to end (seconds, not minutes). Speed is never asserted:
only that every peer answered and the report has every table."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_bench_smoke_runs_every_peer_and_writes_the_report(tmp_path):
    out = tmp_path / "RESULTS.md"
    command = [sys.executable, "bench/run.py", "--smoke", "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = out.read_text()
    for heading in ("## Throughput", "## Scale", "## Targets"):
        assert heading in report
    for peer in ("| service |", "| floor |", "| naive |", "| nginx export |", "| nginx constant |"):
        assert peer in report
    # The throughput rows: scenario | peer | req/s | p50 | p99 | × floor | errors
    lines = report.splitlines()
    rows = [line for line in lines if line.startswith(("| single", "| bundle")) and line.count("|") == 8]
    assert len(rows) == 16
    failing = [line for line in rows if not line.rstrip().endswith("| 0 |")]
    assert failing == [], "a peer returned errors"
