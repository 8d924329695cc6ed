"""The benchmark script runs end to end (about a minute, not ten). Speed is never asserted:
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
    peers = {"service", "service, metrics off", "service on gunicorn sync", "floor", "floor on granian",
             "naive", "nginx export", "nginx constant"}  # fmt: skip
    # The throughput rows: scenario | peer | req/s | p50 | p99 | × floor | × floor on granian | errors
    table = report.split("## Throughput", 1)[1].split("## Scale", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith(("| single", "| bundle"))]
    assert {row.split(" | ")[1] for row in rows} == peers
    assert all(row.count("|") == 9 for row in rows)
    scenarios = ("single, ?lang=", "single, browser Accept-Language", "bundle", "bundle, If-None-Match (304)")
    for scenario in scenarios:
        assert f"| {scenario} | service |" in report and f"| {scenario} | floor |" in report
    failing = [line for line in rows if not line.rstrip().endswith("| 0 |")]
    assert failing == [], "a peer returned errors"
