"""``make soak`` (second part): hostile traffic at internet scale, against the production
server (``python -m service.serve``, 2 workers) and, in the same run, the same server at
an earlier commit (``--baseline``, default the commit before issue 20) where it matters.

1. Memory under unique language input: 20,000 requests with a unique ``?lang=`` tag and
   3,000 with a unique 32-range ``Accept-Language``; each worker's RSS against its steady
   state (target: within +48 MB).
2. CPU per request: a normal request against one with a unique 32-range header (worker CPU
   from ``/proc`` over a wrk run; target: ≤ 10×), and what a legitimate client keeps of its
   throughput while one hostile client sends unique headers at full speed (target: ≥ 50%).
3. 10,000 idle connections, then normal requests on new connections (target: median under
   50 ms).
4. 2,000 clients that pipeline requests and never read their answers (same target).
5. A reload under ``wrk -c64``: how long until every worker serves the new set (target:
   within 1 s), and what the load saw meanwhile.
6. A worker SIGKILLed after a reload: what its replacement serves.

Traffic goes only to 127.0.0.1, bounded in count and time; every process is stopped.

    python bench/hostile.py [--baseline REF] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from report import write_section  # noqa: E402
from run import (  # noqa: E402
    BASELINE,
    WORK,
    Server,
    baseline_source,
    http_get,
    machine,
    pinned,
    run_wrk,
    start_service_at,
)

RSS_BUDGET_MB = 48
PATH = "/errors/40112"

#: wrk's Lua: every request a new 32-range header of shipped and related languages with
#: made-up scripts and regions (the ranges that go furthest into matching).
HOSTILE_LUA = r"""
local langs = {"de", "zh", "ar", "yue", "ca", "fr", "pt", "gsw"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local function letters(n, upper)
  local t = {}
  for i = 1, n do t[i] = string.char((upper and 65 or 97) + math.random(0, 25)) end
  return table.concat(t)
end
request = function()
  local parts = {}
  for i = 1, 32 do
    parts[i] = string.format("%s-%s%s-%03d;q=0.%d", langs[math.random(#langs)], letters(1, true),
      letters(3), math.random(100, 999), math.random(1, 9))
  end
  return wrk.format("GET", "/errors/40112", {["Accept-Language"] = table.concat(parts, ", ")})
end
"""


def cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk_count(
    port: int,
    connections: int,
    seconds: float,
    script: Path | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[float, float]:
    """(requests, req/s) of one wrk run pinned to the client CPU."""
    command = [*pinned(1), "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s"]
    if script:
        command += ["-s", str(script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{PATH}"], capture_output=True, text=True).stdout
    import re

    requests = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return (float(requests.group(1)) if requests else 0.0, float(rps.group(1)) if rps else 0.0)


def unique_tag(rng: random.Random, i: int) -> str:
    if i % 2:
        return (
            "".join(rng.choices(string.ascii_lowercase, k=3))
            + "-Latn-"
            + "".join(rng.choices(string.ascii_uppercase, k=2))
        )
    script = "".join(rng.choices(string.ascii_lowercase, k=4)).title()
    return f"{rng.choice(['de', 'zh', 'ar', 'yue', 'ca'])}-{script}-{rng.randint(100, 999)}"


def send_unique(port: int, tags: int, headers: int, seed: int = 20) -> None:
    """``tags`` requests with a unique ``?lang=``, ``headers`` with a unique 32-range
    header, over four keep-alive connections."""

    def client(part: int) -> None:
        rng = random.Random(seed + part)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(tags // 4):
            conn.request("GET", f"{PATH}?lang={unique_tag(rng, i)}")
            conn.getresponse().read()
        for _ in range(headers // 4):
            header = ", ".join(f"{unique_tag(rng, j)};q=0.{rng.randint(1, 9)}" for j in range(32))
            conn.request("GET", PATH, headers={"Accept-Language": header})
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=client, args=(part,)) for part in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def metrics_cost(server: Server, count: int = 200) -> float:
    """Median ms of ``GET /metrics`` on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    times = []
    for _ in range(count):
        began = time.perf_counter()
        conn.request("GET", "/metrics")
        conn.getresponse().read()
        times.append((time.perf_counter() - began) * 1000)
    conn.close()
    return statistics.median(times)


def memory(server: Server) -> dict[str, object]:
    send_unique(server.port, 400, 200, seed=1)  # steady state: every code path has run
    steady = server.worker_rss_mb()
    began = time.perf_counter()
    send_unique(server.port, 20_000, 3_000)
    return {"steady": steady, "after": server.worker_rss_mb(), "seconds": time.perf_counter() - began}


def cpu_per_request(server: Server, script: Path) -> dict[str, float]:
    workers = server.worker_pids()
    results = {}
    for name, kwargs in (("normal", {"headers": {"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}}),
                         ("hostile", {"script": script})):  # fmt: skip
        cpu = cpu_seconds(workers)
        requests, _ = wrk_count(server.port, 4, 8, **kwargs)  # type: ignore[arg-type]
        results[name] = (cpu_seconds(workers) - cpu) / max(requests, 1) * 1e6
    return results


def shared_throughput(server: Server, script: Path, hostile_connections: int) -> tuple[float, float]:
    """A legitimate client's req/s alone, and while a hostile client sends unique headers."""
    alone = run_wrk(server.port, PATH + "?lang=de", {}, 8).rps
    hostile = threading.Thread(target=wrk_count, args=(server.port, hostile_connections, 10, script))
    hostile.start()
    time.sleep(1)
    shared = run_wrk(server.port, PATH + "?lang=de", {}, 8).rps
    hostile.join()
    return alone, shared


def probes(port: int, count: int = 50) -> tuple[float, float, int]:
    """Median and slowest ms of normal requests on new connections; how many failed (5 s each)."""
    times, failed = [], 0
    for _ in range(count):
        began = time.perf_counter()
        try:
            ok = http_get(port, PATH + "?lang=de", timeout=5)[0] == 200
        except OSError:
            ok = False
        failed += not ok
        times.append((time.perf_counter() - began) * 1000 if ok else 5000.0)
    return statistics.median(times), max(times), failed


def idle_connections(server: Server, count: int) -> dict[str, float]:
    opened = []
    try:
        began = time.perf_counter()
        for _ in range(count):
            opened.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        open_s = time.perf_counter() - began
        median, slowest, failed = probes(server.port)
        return {"open_s": open_s, "median": median, "slowest": slowest, "failed": failed}
    finally:
        for sock in opened:
            sock.close()


def never_reading(server: Server, count: int, pipelined: int = 200) -> dict[str, float]:
    request = b"GET /errors?lang=de HTTP/1.1\r\nHost: x\r\n\r\n" * pipelined
    clients = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", server.port))
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                sock.send(request)
            clients.append(sock)
        burst = probes(server.port, 20)  # while the pipelined work is still being answered
        time.sleep(5)
        held = probes(server.port)
        still_open = sum(1 for sock in clients if _open(sock))
        return {
            "burst": burst[0],
            "median": held[0],
            "slowest": held[1],
            "failed": held[2],
            "open": still_open,
        }
    finally:
        for sock in clients:
            sock.close()


def _open(sock: socket.socket) -> bool:
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def reload_under_load(source: Path, locales: Path) -> dict[str, object]:
    reload_dir = Path(tempfile.mkdtemp(prefix="errmsg-bench-reload-"))
    env = {
        "ERRMSG_LOCALES_DIR": str(locales),
        "ERRMSG_RELOAD_TOKEN": "bench",
        "ERRMSG_RELOAD_DIR": str(reload_dir),
    }
    server = start_service_at("reload", source, env)
    try:
        po = locales / "de" / "LC_MESSAGES" / "messages.po"
        po.write_text(
            po.read_text(encoding="utf-8").replace(
                'msgstr "Versuchen Sie es später erneut"', 'msgstr "Bitte später erneut versuchen"'
            ),
            encoding="utf-8",
        )
        result: dict[str, object] = {}
        load = threading.Thread(target=lambda: result.update(wrk=wrk_count(server.port, 64, 12)))
        load.start()
        time.sleep(4)
        began = time.time()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("POST", "/admin/reload", headers={"Authorization": "Bearer bench"})
        answer = json.loads(conn.getresponse().read())
        answered = time.time() - began
        conn.close()
        load.join()
        acks = sorted(path.stat().st_mtime - began for path in reload_dir.glob("ack-*"))
        result.update(answer=answer["workers"], answered_s=answered, follow_s=acks)
        # A worker killed after the reload: its replacement must serve the new set.
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while (
            victim in server.worker_pids() or len(server.worker_pids()) < 2
        ) and time.monotonic() < deadline:
            time.sleep(0.05)
        replaced = time.monotonic()
        seen = [json.loads(http_get(server.port, PATH + "?lang=de")[2])["resolution"] for _ in range(200)]
        result.update(
            new=sum(text == "Bitte später erneut versuchen" for text in seen),
            total=len(seen),
            replacement=time.monotonic() - replaced,
        )
        return result
    finally:
        server.stop()
        shutil.rmtree(reload_dir, ignore_errors=True)


def mb(values: list[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="an earlier commit, measured in the same run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    WORK.mkdir(parents=True, exist_ok=True)
    script = WORK / "hostile.lua"
    script.write_text(HOSTILE_LUA)
    old_source = baseline_source(args.baseline)

    rows = {}
    for name, source in (("this commit", ROOT), (f"{args.baseline} (before)", old_source)):
        if source is None:
            continue
        server = start_service_at(name, source)
        try:
            rows[name] = {"metrics": metrics_cost(server), "memory": memory(server), "cpu": cpu_per_request(server, script),
                          "shared1": shared_throughput(server, script, 1),
                          "shared32": shared_throughput(server, script, 32)}  # fmt: skip
            if source is ROOT:
                rows[name]["idle"] = idle_connections(server, 10_000)
                rows[name]["noread"] = never_reading(server, 2_000)
        finally:
            server.stop()
    locales = WORK / "reload-locales"
    shutil.rmtree(locales, ignore_errors=True)
    shutil.copytree(ROOT / "locales", locales)
    reload = reload_under_load(ROOT, locales)

    m = machine()
    this = rows["this commit"]
    lines = [
        "## Hostile traffic at internet scale",
        "",
        f"Regenerated by `make soak` (`python bench/hostile.py --baseline {args.baseline}`) on {m['date']}; "
        f"{m['nproc']} CPUs ({m['cpu']}), granian {m['granian']}, `python -m service.serve` with 2 workers pinned "
        "to one CPU, the clients on the other, all on 127.0.0.1. The baseline is the same server at "
        f"{args.baseline}, run in the same session with the same catalogs.",
        "",
        "| measure | target | this commit | " + (f"{args.baseline} (before) |" if len(rows) > 1 else ""),
        "| --- | --- | --- | " + ("--- |" if len(rows) > 1 else ""),
    ]

    def row(label: str, target: str, render) -> None:
        cells = [render(values) for values in rows.values()]
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")

    row(
        "worker RSS, steady → after 20,000 unique `?lang=` tags and 3,000 unique 32-range headers (MB)",
        f"≤ +{RSS_BUDGET_MB} MB",
        lambda r: (
            f"{mb(r['memory']['steady'])} → {mb(r['memory']['after'])} (max "
            f"{max(a - s for s, a in zip(r['memory']['steady'], r['memory']['after'], strict=False)):+.0f})"
        ),
    )
    row(
        "worker CPU per request: browser header / unique 32-range header (µs)",
        "≤ 10×",
        lambda r: (
            f"{r['cpu']['normal']:.0f} / {r['cpu']['hostile']:.0f} "
            f"({r['cpu']['hostile'] / r['cpu']['normal']:.1f}×)"
        ),
    )
    row(
        "legitimate client (wrk -c16) req/s: alone → with one hostile client (1 connection, unique headers)",
        "≥ 50%",
        lambda r: (
            f"{r['shared1'][0]:,.0f} → {r['shared1'][1]:,.0f} ({r['shared1'][1] / r['shared1'][0]:.0%})"
        ),
    )
    row(
        "the same with a hostile client on 32 connections",
        "—",
        lambda r: (
            f"{r['shared32'][0]:,.0f} → {r['shared32'][1]:,.0f} ({r['shared32'][1] / r['shared32'][0]:.0%})"
        ),
    )
    row("`GET /metrics`, median of 200 calls (ms)", "—", lambda r: f"{r['metrics']:.2f}")
    idle, noread = this["idle"], this["noread"]
    lines += [
        "",
        "Connections (this commit; the baseline admitted 512 per worker, so these locked it out: see issue 20):",
        "",
        "| measure | target | result |",
        "| --- | --- | --- |",
        f"| 10,000 idle connections (opened in {idle['open_s']:.1f} s), then 50 normal requests on new connections | "
        f"median < 50 ms | median {idle['median']:.1f} ms, slowest {idle['slowest']:.1f} ms, {idle['failed']:.0f} failed |",
        f"| 2,000 clients that pipelined 200 requests each and never read, held open ({noread['open']:.0f} still open "
        f"at the end), then 50 normal requests | median < 50 ms | median {noread['median']:.1f} ms, slowest "
        f"{noread['slowest']:.1f} ms, {noread['failed']:.0f} failed |",
        f"| the same, during the first second, while the 400,000 pipelined requests are answered | — | median "
        f"{noread['burst']:.0f} ms |",
        "",
        "Reloads (this commit; catalogs in a scratch copy, one German resolution edited):",
        "",
        "| measure | target | result |",
        "| --- | --- | --- |",
        f"| `POST /admin/reload` under `wrk -c64`: answer | every worker | {reload['answer']['reloaded']} of "
        f"{reload['answer']['total']} workers, answered in {reload['answered_s']:.2f} s |",
        f"| each worker serving the new set, after the request was sent (s) | ≤ 1 s | "
        f"{', '.join(f'{v:.2f}' for v in reload['follow_s'])} |",
        f"| the load meanwhile (12 s, 64 connections) | — | {reload['wrk'][0]:,.0f} requests, "
        f"{reload['wrk'][1]:,.0f} req/s |",
        f"| a worker SIGKILLed after the reload: answers from the new set | all | {reload['new']} of {reload['total']} |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    write_section(args.out, "hostile", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
