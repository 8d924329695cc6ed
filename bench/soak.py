"""``make soak``: load, faults, slow clients and pathological input, on loopback.

1. wrk for 60 s at 256 connections on a single lookup against the production server
   (``python -m service.serve``): socket errors, non-2xx answers, and worker RSS before
   and after (growth must stay under 5%).
2. The same load while one worker is killed with SIGKILL: how many requests failed,
   and whether the service recovers (a new worker, ``/healthz`` answers).
3. 64 slow clients (one header line every 2 s, never finishing) held open during
   normal load: failed normal requests and p99. The same against the app under
   gunicorn's sync workers (the previous production server) for comparison.
4. Cost of pathological input: req/s with the largest Accept-Language the server lets
   through against a normal browser header, and in-process negotiation of a 64 KB
   header against a normal one (no cache hits: every header is new).

Writes its section of ``bench/RESULTS.md``. Every process it starts is stopped by PID.
Traffic goes only to 127.0.0.1, bounded in time.

    python bench/soak.py [--seconds 60] [--connections 256] [--slow 64]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from report import write_section  # noqa: E402
from run import (  # noqa: E402
    BROWSER_ACCEPT_LANGUAGE,
    WORK,
    http_get,
    machine,
    run_wrk,
    start_gunicorn,
    start_service,
)

sys.path.insert(0, str(ROOT))


class SlowClients:
    """``count`` connections that each send a request line, then one header line every
    ``interval`` seconds, and never finish the request."""

    def __init__(self, port: int, count: int, interval: float = 2.0) -> None:
        self.port, self.count, self.interval = port, count, interval
        self.stop = threading.Event()
        self.sockets: list[socket.socket] = []
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(count)]

    def _client(self) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        except OSError:
            return
        self.sockets.append(sock)
        try:
            sock.sendall(b"GET /errors/40112 HTTP/1.1\r\nHost: x\r\n")
            n = 0
            while not self.stop.wait(self.interval):
                sock.sendall(b"X-Slow-%d: 1\r\n" % n)
                n += 1
        except OSError:
            pass

    def __enter__(self) -> SlowClients:
        for thread in self.threads:
            thread.start()
        time.sleep(1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for sock in self.sockets:
            sock.close()

    @property
    def open(self) -> int:
        return sum(1 for sock in self.sockets if sock.fileno() != -1)


def connections_of(pid: int, port: int) -> int:
    """Established connections to ``port`` that process ``pid`` holds (from ``ss``)."""
    out = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
    ).stdout
    return sum(1 for line in out.splitlines() if f"pid={pid}," in line)


def normal_requests(port: int, count: int, timeout: float) -> tuple[int, float]:
    """``count`` sequential requests, each on a new connection; (answered, slowest ms)."""
    answered, slowest = 0, 0.0
    for _ in range(count):
        began = time.perf_counter()
        with contextlib.suppress(OSError):
            answered += http_get(port, "/errors/40112?lang=zh-Hant", timeout=timeout)[0] == 200
        slowest = max(slowest, (time.perf_counter() - began) * 1000)
    return answered, slowest


def wrk_raw(port: int, path: str, seconds: float, connections: int, headers: dict[str, str]) -> str:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    return subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout


def figures(out: str) -> dict[str, float]:
    import re

    def number(pattern: str) -> float:
        match = re.search(pattern, out)
        return float(match.group(1)) if match else 0.0

    errors = {kind: number(rf"{kind} (\d+)") for kind in ("connect", "read", "write", "timeout")}
    return {
        "requests": number(r"(\d+) requests in"),
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "socket_errors": sum(errors.values()),
        **{f"{kind}_errors": count for kind, count in errors.items()},
        "non_2xx": number(r"Non-2xx or 3xx responses: (\d+)"),
    }


def negotiation_cost() -> dict[str, float]:
    from service.negotiation import Negotiator

    negotiator = Negotiator(["ar", "de", "en", "es", "fr", "ja", "ko", "pt_BR", "ru", "zh_Hans", "zh_Hant"], "en",
                            cache_size=16)  # fmt: skip

    def per_call(make_header) -> float:
        headers = [make_header(i) for i in range(2000)]
        started = time.perf_counter()
        for header in headers:
            negotiator.negotiate(None, header)
        return (time.perf_counter() - started) / len(headers) * 1e6

    normal = per_call(lambda i: f"{BROWSER_ACCEPT_LANGUAGE}, x{i}")
    huge = per_call(lambda i: f"x{i}, " + ", ".join(["xx-YY;q=0.5"] * 6000))  # ~78 KB
    many = per_call(lambda i: f"x{i}," + "a," * 10_000)
    return {"normal_us": normal, "huge_us": huge, "many_us": many}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--slow", type=int, default=64, help="slow clients held open during normal load")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    path = "/errors/40112?lang=zh-Hant"
    WORK.mkdir(parents=True, exist_ok=True)
    server = start_service("service")
    try:
        wrk_raw(server.port, path, 3, args.connections, {})  # warm up
        rss_before = server.worker_rss_mb()
        load = figures(wrk_raw(server.port, path, args.seconds, args.connections, {}))
        rss_after = server.worker_rss_mb()
        growth = max(
            (after - before) / before * 100 for before, after in zip(rss_before, rss_after, strict=True)
        )

        workers_before = server.worker_pids()
        outcome: dict[str, str] = {}

        def kill_one() -> None:
            time.sleep(5)
            victim = workers_before[0]
            outcome["held"] = str(connections_of(victim, server.port))
            os.kill(victim, signal.SIGKILL)
            outcome["killed"] = str(victim)

        killer = threading.Thread(target=kill_one)
        killer.start()
        fault = figures(wrk_raw(server.port, path, 20, args.connections, {}))
        killer.join()
        time.sleep(1)
        workers_after = server.worker_pids()
        healthy = http_get(server.port, "/healthz")[0] == 200

        with SlowClients(server.port, args.slow) as slow:
            under_slow = run_wrk(server.port, path, {}, 10)
            answered, slowest = normal_requests(server.port, 100, timeout=5)
            slow_open = slow.open

        normal = run_wrk(server.port, "/errors/40112", {"Accept-Language": BROWSER_ACCEPT_LANGUAGE}, 10)
        big_header = ", ".join(["xx-YY;q=0.5"] * 1500)[:15_000]
        pathological = run_wrk(server.port, "/errors/40112", {"Accept-Language": big_header}, 10)
    finally:
        server.stop()

    sync = start_gunicorn("service on gunicorn sync", "service.wsgi:app", {}, "/readyz")
    try:
        with SlowClients(sync.port, args.slow) as slow:
            sync_answered, sync_slowest = normal_requests(sync.port, 4, timeout=5)
    finally:
        sync.stop()
    cost = negotiation_cost()
    m = machine()
    text = f"""## Soak, faults, slow clients and pathological input

Regenerated by `make soak` (`python bench/soak.py --seconds {args.seconds:g} --connections {args.connections} \
--slow {args.slow}`) on {m["date"]}; {m["nproc"]} CPUs ({m["cpu"]}), granian {m["granian"]} through \
`python -m service.serve` (2 workers, access log off), {m["wrk"]} (`-t2`), all on 127.0.0.1.

| run | requests | req/s | socket errors | non-2xx | result |
| --- | --- | --- | --- | --- | --- |
| {args.seconds:g} s, {args.connections} connections, `GET {path}` | {load["requests"]:,.0f} | {load["rps"]:,.0f} | \
{load["socket_errors"]:.0f} | {load["non_2xx"]:.0f} | worker RSS {", ".join(f"{v:.1f}" for v in rss_before)} → \
{", ".join(f"{v:.1f}" for v in rss_after)} MB (growth {growth:+.1f}%) |
| 20 s, {args.connections} connections, worker {outcome.get("killed", "?")} killed with SIGKILL after 5 s | \
{fault["requests"]:,.0f} | {fault["rps"]:,.0f} | {fault["socket_errors"]:.0f} | {fault["non_2xx"]:.0f} | workers \
{workers_before} → {workers_after}; `/healthz` {"200" if healthy else "failed"} afterwards |
| 10 s, 16 connections, with {slow_open} of {args.slow} slow clients open | — | {under_slow.rps:,.0f} | \
{under_slow.errors} (errors and non-2xx) | — | p99 {under_slow.p99_ms:.2f} ms |

At most the requests in flight on the killed worker fail: wrk keeps one request outstanding per connection, so that
is at most the connections the killed worker held when it died ({outcome.get("held", "?")} of {args.connections}, \
counted with `ss`); this run {fault["socket_errors"] + fault["non_2xx"]:.0f} failed (wrk: read {fault["read_errors"]:.0f}, \
connect {fault["connect_errors"]:.0f}, write {fault["write_errors"]:.0f}, timeout {fault["timeout_errors"]:.0f}). granian \
starts a replacement and the other worker keeps answering.

**Slow clients** ({args.slow} connections, each sending one header line every 2 s and never finishing), with
normal requests sent one at a time on new connections, each given 5 s:

| server | normal requests answered | slowest |
| --- | --- | --- |
| granian (`python -m service.serve`, production) | {answered} of 100 | {slowest:.1f} ms |
| gunicorn sync, 2 workers (the previous production server) | {sync_answered} of 4 | {sync_slowest:.0f} ms |

Cost of pathological input (medians of 10 s wrk runs; in-process figures are per call, each header new so the
negotiation cache never hits):

| input | cost |
| --- | --- |
| browser `Accept-Language` ({len(BROWSER_ACCEPT_LANGUAGE)} chars) over HTTP | {normal.rps:,.0f} req/s, p99 {normal.p99_ms:.2f} ms |
| 15,000-char `Accept-Language` (about the most the server lets through) over HTTP | {pathological.rps:,.0f} req/s, \
p99 {pathological.p99_ms:.2f} ms ({pathological.rps / normal.rps:.2f}× the normal rate) |
| larger request heads over HTTP | refused by granian with an empty `431` before the app |
| negotiation, browser header, in-process | {cost["normal_us"]:.1f} µs |
| negotiation, 78 KB header, in-process | {cost["huge_us"]:.1f} µs (only the first 1,024 characters are read) |
| negotiation, 10,000-item header, in-process | {cost["many_us"]:.1f} µs |
"""
    print(text)
    write_section(args.out, "soak", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
