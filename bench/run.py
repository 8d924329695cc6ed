"""``make bench``: the service against its peers, in one run, on this machine.

Peers, each with 2 workers and no access log: the service as production runs it
(``python -m service.serve``: granian), the same with metrics off, the same app under
gunicorn's sync workers; a minimal Flask app returning a constant body of the same size
(the framework floor) under gunicorn sync and under granian; a naive flask-babel
implementation; and nginx serving the static export and a constant file (the
machine's limit). wrk loads each on 127.0.0.1 in alternating rounds (A B C D A B C D …)
so drift hits all alike, with servers pinned to CPU 0 and wrk to CPU 1 when the machine
has two CPUs. Then the same lookup against a synthetic 10,000-code × 30-locale registry
built through the real pipeline. Prints the tables and writes ``bench/RESULTS.md``.
Every process it starts is stopped by PID.

    python bench/run.py [--duration 5] [--rounds 3] [--smoke] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "bench" / ".work"
sys.path.insert(0, str(ROOT / "bench"))

from report import write_section  # noqa: E402
from synth import build as build_synthetic  # noqa: E402

BROWSER_ACCEPT_LANGUAGE = "zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and (os.cpu_count() or 1) >= 2 else []


def http_get(
    port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def wait_ready(port: int, path: str, deadline_s: float = 60) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < deadline_s:
        try:
            if http_get(port, path)[0] < 500:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing answered on port {port} within {deadline_s}s")


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    started_s: float = 0.0

    def worker_pids(self) -> list[int]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return sorted(int(pid) for pid in children.split())

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
                if match:
                    sizes.append(int(match.group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, command: list[str], env: dict[str, str], ready_path: str, port: int) -> Server:
    environment = {**os.environ, **env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    began = time.perf_counter()
    process = subprocess.Popen(
        [*pinned(0), *command], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    server = Server(name, port, process)
    try:
        wait_ready(port, ready_path)
    except RuntimeError:
        server.stop()
        raise RuntimeError(f"{name} did not start: {process.stderr.read().decode()[-2000:]}") from None
    server.started_s = time.perf_counter() - began
    return server


def start_service(name: str, env: dict[str, str] | None = None) -> Server:
    """The service as production runs it: ``python -m service.serve`` (granian), 2 workers."""
    port = free_port()
    environment = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2", "ERRMSG_ACCESS_LOG": "0",
                   "ERRMSG_LOG_LEVEL": "warning", **(env or {})}  # fmt: skip
    return start(name, [str(BIN / "python"), "-m", "service.serve"], environment, "/readyz", port)


#: An earlier commit of the service, measured in the same run: the hot path must not lose
#: more than 5% of its throughput to a change (``--baseline``).
BASELINE = "6dce119"


def baseline_source(ref: str) -> Path | None:
    """The service's package at ``ref`` beside this checkout's compiled catalogs, or None
    when git cannot give it (a tarball without history)."""
    target = WORK / f"baseline-{ref}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", ref, "service"], cwd=ROOT, capture_output=True)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    shutil.copytree(ROOT / "locales", target / "locales")
    return target


def start_service_at(name: str, source: Path, env: dict[str, str] | None = None) -> Server:
    """``python -m service.serve`` from another copy of the package (``source``)."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("PROMETHEUS_MULTIPROC_DIR", "ERRMSG_RELOAD_DIR")},
        "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2", "ERRMSG_ACCESS_LOG": "0",
        "ERRMSG_LOG_LEVEL": "warning", "PYTHONPATH": str(source), **(env or {}),
    }  # fmt: skip
    began = time.perf_counter()
    process = subprocess.Popen([*pinned(0), str(BIN / "python"), "-m", "service.serve"], cwd=source,
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    server = Server(name, port, process)
    try:
        wait_ready(port, "/readyz")
    except RuntimeError:
        server.stop()
        raise RuntimeError(f"{name} did not start: {process.stderr.read().decode()[-2000:]}") from None
    server.started_s = time.perf_counter() - began
    return server


def start_gunicorn(name: str, app: str, env: dict[str, str], ready_path: str) -> Server:
    """gunicorn's defaults (sync workers, no access log), as most Flask deployments run."""
    port = free_port()
    metrics = WORK / f"metrics-{name}"
    metrics.mkdir(parents=True, exist_ok=True)
    command = [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--preload", app]
    environment = {**env, "ERRMSG_ACCESS_LOG": "0", "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
    return start(name, command, environment, ready_path, port)


def start_granian(name: str, app: str, env: dict[str, str], ready_path: str) -> Server:
    """Another WSGI app under granian with the service's own settings (service/serve.py)."""
    port = free_port()
    command = [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads", "8",
               "--http", "1", "--no-ws", "--log-level", "warning", "--host", "127.0.0.1", "--port", str(port),
               app]  # fmt: skip
    return start(name, command, env, ready_path, port)


def start_nginx(root: Path, work: Path) -> Server | None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        return None
    port = free_port()
    (work / "nginx").mkdir(parents=True, exist_ok=True)
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = work / "nginx" / "nginx.conf"
    conf.write_text(f"""{user}
worker_processes 2;
daemon off;
pid {work}/nginx/nginx.pid;
error_log {work}/nginx/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type application/json;
    client_body_temp_path {work}/nginx/body; proxy_temp_path {work}/nginx/proxy;
    fastcgi_temp_path {work}/nginx/fastcgi; uwsgi_temp_path {work}/nginx/uwsgi; scgi_temp_path {work}/nginx/scgi;
    server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    process = subprocess.Popen(
        [*pinned(0), nginx, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    server = Server("nginx", port, process)
    wait_ready(port, "/const.json")
    return server


@dataclass
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def parse_latency(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(port: int, path: str, headers: dict[str, str], duration: float) -> Sample:
    command = [*pinned(1), "wrk", "-t1", "-c16", f"-d{duration:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    if "Latency Distribution" not in out:
        raise RuntimeError(f"wrk gave no latency distribution for {path}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = parse_latency(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = parse_latency(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Sample(rps, p50, p99, errors + (int(bad.group(1)) if bad else 0))


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    def span(self, attr: str) -> tuple[float, float]:
        values = [getattr(s, attr) for s in self.samples]
        return min(values), max(values)


def alternate(
    targets: dict[str, tuple[int, str, dict[str, str]]], rounds: int, duration: float, warm: bool = True
) -> dict[str, Series]:
    results = {name: Series() for name in targets}
    for port, path, headers in targets.values() if warm else ():  # warm every peer once, unrecorded
        run_wrk(port, path, headers, 1.0)
    for _ in range(rounds):
        for name, (port, path, headers) in targets.items():
            results[name].samples.append(run_wrk(port, path, headers, duration))
    return results


def machine() -> dict[str, str]:
    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        match = re.search(r"model name\s+:\s+(.+)", Path("/proc/cpuinfo").read_text())
        cpu = match.group(1) if match else cpu

    def version(command: list[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=10)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "not found"

    import flask
    import granian
    import gunicorn

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "gunicorn": gunicorn.__version__,
        "granian": granian.__version__,
        "flask": flask.__version__ if hasattr(flask, "__version__") else "?",
        "wrk": version(["wrk", "--version"]),
        "nginx": version(["nginx", "-v"]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--locales", type=int, default=30)
    parser.add_argument(
        "--smoke", action="store_true", help="about a minute: 1 round of 1 s, 200 codes × 5 locales"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--baseline", default=BASELINE, help="an earlier commit to measure in the same run")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.rounds, args.codes, args.locales = 1.0, 1, 200, 5
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is required (apt-get install {tool})")

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    export_dir = WORK / "export"
    subprocess.run([str(BIN / "flask"), "--app", "service", "export", str(export_dir)], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    single_file = export_dir / "errors" / "zh-Hant" / "40112.json"
    bundle_file = export_dir / "errors" / "zh-Hant.json"
    shutil.copy(single_file, export_dir / "const.json")

    servers: list[Server] = []
    try:
        floor_env = {"FLOOR_SINGLE": str(single_file), "FLOOR_BUNDLE": str(bundle_file)}
        service = start_service("service")
        metrics_off = start_service("service, metrics off", {"ERRMSG_METRICS": "0"})
        on_gunicorn = start_gunicorn("service on gunicorn sync", "service.wsgi:app", {}, "/readyz")
        floor = start_gunicorn("floor", "peers.floor:app", floor_env, "/errors/1")
        floor_granian = start_granian("floor on granian", "peers.floor:app", floor_env, "/errors/1")
        naive = start_gunicorn(
            "naive",
            "peers.naive:app",
            {"NAIVE_LOCALES": str(ROOT / "locales"), "NAIVE_REGISTRY": str(ROOT / "service" / "errors.toml")},
            "/errors/40112",
        )
        servers += [service, metrics_off, on_gunicorn, floor, floor_granian, naive]
        before_source = None if args.smoke else baseline_source(args.baseline)
        before = start_service_at(f"service at {args.baseline}", before_source) if before_source else None
        if before:
            servers.append(before)
        nginx = start_nginx(export_dir, WORK)
        if nginx:
            servers.append(nginx)

        bundle_etag = http_get(service.port, "/errors?lang=zh-Hant")[1]["etag"]
        floor_etag = '"floor"'
        naive_etag = http_get(naive.port, "/errors?lang=zh-Hant")[1]["etag"]
        browser = {"Accept-Language": BROWSER_ACCEPT_LANGUAGE}
        scenarios: dict[str, dict[str, tuple[int, str, dict[str, str]]]] = {
            "single, ?lang=": {
                "service": (service.port, "/errors/40112?lang=zh-Hant", {}),
                "service, metrics off": (metrics_off.port, "/errors/40112?lang=zh-Hant", {}),
                "service on gunicorn sync": (on_gunicorn.port, "/errors/40112?lang=zh-Hant", {}),
                "floor": (floor.port, "/errors/40112?lang=zh-Hant", {}),
                "floor on granian": (floor_granian.port, "/errors/40112?lang=zh-Hant", {}),
                "naive": (naive.port, "/errors/40112?lang=zh-Hant", {}),
            },
            "single, browser Accept-Language": {
                "service": (service.port, "/errors/40112", browser),
                "service, metrics off": (metrics_off.port, "/errors/40112", browser),
                "floor": (floor.port, "/errors/40112", browser),
                "floor on granian": (floor_granian.port, "/errors/40112", browser),
                "naive": (naive.port, "/errors/40112", browser),
            },
            "bundle": {
                "service": (service.port, "/errors?lang=zh-Hant", {}),
                "floor": (floor.port, "/errors?lang=zh-Hant", {}),
                "floor on granian": (floor_granian.port, "/errors?lang=zh-Hant", {}),
                "naive": (naive.port, "/errors?lang=zh-Hant", {}),
            },
            "bundle, If-None-Match (304)": {
                "service": (service.port, "/errors?lang=zh-Hant", {"If-None-Match": bundle_etag}),
                "floor": (floor.port, "/errors?lang=zh-Hant", {"If-None-Match": floor_etag}),
                "floor on granian": (
                    floor_granian.port,
                    "/errors?lang=zh-Hant",
                    {"If-None-Match": floor_etag},
                ),
                "naive": (naive.port, "/errors?lang=zh-Hant", {"If-None-Match": naive_etag}),
            },
        }
        if before:
            for scenario, path, headers in (("single, ?lang=", "/errors/40112?lang=zh-Hant", {}),
                                            ("single, browser Accept-Language", "/errors/40112", browser),
                                            ("bundle", "/errors?lang=zh-Hant", {})):  # fmt: skip
                scenarios[scenario][before.name] = (before.port, path, headers)
        if nginx:
            nginx_etag = http_get(nginx.port, "/errors/zh-Hant.json")[1]["etag"]
            scenarios["single, ?lang="]["nginx export"] = (nginx.port, "/errors/zh-Hant/40112.json", {})
            scenarios["single, ?lang="]["nginx constant"] = (nginx.port, "/const.json", {})
            scenarios["bundle"]["nginx export"] = (nginx.port, "/errors/zh-Hant.json", {})
            scenarios["bundle, If-None-Match (304)"]["nginx export"] = (
                nginx.port, "/errors/zh-Hant.json", {"If-None-Match": nginx_etag})  # fmt: skip
        throughput = {
            name: alternate(targets, args.rounds, args.duration, warm=not args.smoke)
            for name, targets in scenarios.items()
        }
        rss_45 = service.worker_rss_mb()
        for server in servers[1:]:
            server.stop()

        # Scale: the same lookup against a synthetic registry built through the real pipeline.
        synth_dir = WORK / "synthetic"
        build = build_synthetic(synth_dir, args.codes, __import__("synth").LOCALES[: args.locales])
        big = start_service("service-large", {"ERRMSG_REGISTRY": str(synth_dir / "errors.toml"),
                                              "ERRMSG_LOCALES_DIR": str(synth_dir / "locales")})  # fmt: skip
        servers.append(big)
        in_process = subprocess.run(
            [str(BIN / "python"), "-c", "import time; t = time.perf_counter(); from service import create_app; "
             "create_app(); print(time.perf_counter() - t)"],
            cwd=ROOT, env={**os.environ, "ERRMSG_REGISTRY": str(synth_dir / "errors.toml"),
                           "ERRMSG_LOCALES_DIR": str(synth_dir / "locales")},
            capture_output=True, text=True, check=True)  # fmt: skip
        codes = re.findall(r'^code = "(\d+)"', (synth_dir / "errors.toml").read_text(), re.M)
        large_code = codes[len(codes) // 2]
        scale = alternate(
            {"45 codes × 13 locales": (service.port, "/errors/40112?lang=ja", {}),
             f"{args.codes:,} codes × {args.locales} locales": (big.port, f"/errors/{large_code}?lang=ja", {})},
            args.rounds, args.duration, warm=not args.smoke)  # fmt: skip
        rss_large = big.worker_rss_mb()
        report = {
            "args": vars(args) | {"out": str(args.out)},
            "machine": machine(),
            "throughput": throughput,
            "scale": scale,
            "build": build,
            "startup_s": {
                "45": service.started_s,
                "large": big.started_s,
                "large_create_app": float(in_process.stdout),
            },
            "rss_mb": {"45": rss_45, "large": rss_large},
        }
        text = render(report)
        print(text)
        write_section(args.out, "bench", text)
        return 0
    finally:
        for server in servers:
            server.stop()


def render(report: dict) -> str:
    args, m = report["args"], report["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Regenerated by `make bench` (`python bench/run.py --duration {args['duration']:g} --rounds {args['rounds']}`"
        f"{' --smoke' if args['smoke'] else ''}) on {m['date']}.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), Linux {m['kernel']}, Python {m['python']}, granian "
        f"{m['granian']}, gunicorn {m['gunicorn']}, Flask {m['flask']}, {m['wrk']}, {m['nginx']}.",
        "",
        "Every server has 2 workers and no access log, pinned to CPU 0; wrk (`-t1 -c16`, keep-alive) runs on "
        f"CPU 1. Runs alternate between peers (A B C D A B C D …), {args['rounds']} rounds of {args['duration']:g} s "
        "after one unrecorded warm-up each. Figures are medians with min–max; “× floor” is the median req/s over the "
        "median of the Flask floor under gunicorn sync in the same scenario, “× floor on granian” over the same "
        "floor app under granian. This machine is shared and noisy: compare ratios, not absolute numbers.",
        "",
        "Peers: **service** (this project as production runs it: `python -m service.serve`, granian, "
        "`service.wsgi:app`); **service, metrics off** (the same with `ERRMSG_METRICS=0`); **service on gunicorn "
        "sync** (the same app under gunicorn's sync workers, the previous production server); **floor** (a minimal "
        "Flask app returning a constant body of the same size, `bench/peers/floor.py`, under gunicorn sync: what "
        "most Flask deployments run); **floor on granian** (the same app under granian with the service's "
        "settings); **naive** (Flask + flask-babel translating and `jsonify`-ing per request, "
        "`bench/peers/naive.py`, gunicorn sync); **nginx export** (nginx serving `flask --app service export`); "
        "**nginx constant** (nginx serving one constant file: the machine's limit).",
        "",
        "## Throughput",
        "",
        "| scenario | peer | req/s median (min–max) | p50 ms | p99 ms | × floor | × floor on granian | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for scenario, results in report["throughput"].items():
        floor = results["floor"].median("rps")
        floor_granian = results["floor on granian"].median("rps")
        for peer, series in results.items():
            low, high = series.span("rps")
            errors = sum(s.errors for s in series.samples)
            lines.append(
                f"| {scenario} | {peer} | {series.median('rps'):,.0f} ({low:,.0f}–{high:,.0f}) | "
                f"{series.median('p50_ms'):.2f} | {series.median('p99_ms'):.2f} | "
                f"{series.median('rps') / floor:.2f}× | {series.median('rps') / floor_granian:.2f}× | {errors} |"
            )
    before = f"service at {args.get('baseline', BASELINE)}"
    compared = [(scenario, results["service"].median("rps") / results[before].median("rps"))
                for scenario, results in report["throughput"].items() if before in results]  # fmt: skip
    if compared:
        lines += [
            "",
            f"The hot path against **{before}** (the same server before the hostile-traffic changes, same catalogs, "
            "measured in the same alternating rounds; target: no more than 5% lost):",
            "",
            "| scenario | service ÷ " + before + " |",
            "| --- | --- |",
            *(f"| {scenario} | {ratio:.3f} ({(ratio - 1) * 100:+.1f}%) |" for scenario, ratio in compared),
        ]
    scale, build, startup, rss = report["scale"], report["build"], report["startup_s"], report["rss_mb"]
    (small_name, small), (large_name, large) = list(scale.items())
    ratio = large.median("rps") / small.median("rps")
    lines += [
        "",
        "## Scale",
        "",
        f"A synthetic registry of {large_name} (realistic text lengths; CJK and RTL scripts among the locales) built "
        "by `bench/synth.py` through the real pipeline: this project's extractor → `pybabel extract` → "
        "`pybabel init` → synthetic translation → `pybabel compile`.",
        "",
        f"| | {small_name} | {large_name} |",
        "| --- | --- | --- |",
        f"| catalog build (extract + init + compile, one catalog per CPU at a time) | — | {build['build_s']:.1f} s "
        f"(extract {build['extract_s']:.1f}, init {build['init_s']:.1f}, compile {build['compile_s']:.1f}; "
        f"synthetic translating {build['translate_s']:.1f} s not counted) |",
        f"| start-up: server until `/readyz` answers | {startup['45']:.2f} s | {startup['large']:.2f} s |",
        f"| start-up: `create_app()` in-process | — | {startup['large_create_app']:.2f} s |",
        f"| RSS per worker | {', '.join(f'{v:.0f}' for v in rss['45'])} MB | "
        f"{', '.join(f'{v:.0f}' for v in rss['large'])} MB |",
        f"| single lookup req/s, median (min–max) | {small.median('rps'):,.0f} ({small.span('rps')[0]:,.0f}–"
        f"{small.span('rps')[1]:,.0f}) | {large.median('rps'):,.0f} ({large.span('rps')[0]:,.0f}–"
        f"{large.span('rps')[1]:,.0f}) |",
        f"| lookup throughput relative to 45 codes | 1.00× | {ratio:.2f}× |",
        "",
        "## Targets",
        "",
        "| target | this run | met |",
        "| --- | --- | --- |",
    ]
    t = report["throughput"]

    def ratio_of(scenario: str, peer: str, attr: str = "rps", base: str = "floor") -> float:
        return t[scenario][peer].median(attr) / t[scenario][base].median(attr)

    def p99(scenario: str) -> float:
        return t[scenario]["service"].median("p99_ms")

    single, browser, revalidate = (
        "single, ?lang=",
        "single, browser Accept-Language",
        "bundle, If-None-Match (304)",
    )
    checks = [
        ("single ?lang= ≥ 8× floor (gunicorn sync) req/s", ratio_of(single, "service"), 8.0, True),
        ("single Accept-Language ≥ 8× floor (gunicorn sync) req/s", ratio_of(browser, "service"), 8.0, True),
        ("bundle 304 ≥ 8× floor (gunicorn sync) req/s", ratio_of(revalidate, "service"), 8.0, True),
        ("single ?lang= ≥ 3× floor on granian req/s", ratio_of(single, "service", base="floor on granian"), 3.0, True),
        ("single Accept-Language ≥ 3× floor on granian req/s",
         ratio_of(browser, "service", base="floor on granian"), 3.0, True),
        ("bundle 304 ≥ 3× floor on granian req/s", ratio_of(revalidate, "service", base="floor on granian"), 3.0, True),
        ("single ?lang= p99 ≤ 5 ms at 16 connections", p99(single), 5.0, False),
        ("single Accept-Language p99 ≤ 5 ms", p99(browser), 5.0, False),
        ("bundle 304 p99 ≤ 5 ms", p99(revalidate), 5.0, False),
        ("metrics cost ≤ 10%: metrics on ≥ 0.90× metrics off (?lang=)",
         ratio_of(single, "service", base="service, metrics off"), 0.90, True),
        ("metrics cost ≤ 10%: metrics on ≥ 0.90× metrics off (Accept-Language)",
         ratio_of(browser, "service", base="service, metrics off"), 0.90, True),
        (f"{large_name}: lookup ≥ 0.95× of 45 codes", ratio, 0.95, True),
        (f"{large_name}: start-up ≤ 3 s (server until ready)", startup["large"], 3.0, False),
        (f"{large_name}: RSS ≤ 250 MB per worker", max(rss["large"] or [0]), 250, False),
        ("full catalog build ≤ 60 s", build["build_s"], 60, False),
    ]  # fmt: skip
    if "nginx export" in t["single, ?lang="]:
        export = t["single, ?lang="]["nginx export"].median("rps")
        constant = t["single, ?lang="]["nginx constant"].median("rps")
        checks.append(("static export ≥ 0.9× nginx constant file", export / constant, 0.9, True))
    for label, value, bound, at_least in checks:
        met = value >= bound if at_least else value <= bound
        lines.append(f"| {label} | {value:.2f} | {'yes' if met else '**no**'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
