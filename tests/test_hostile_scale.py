"""Hostile traffic at internet scale, through the real production server: memory under
unique language input, thousands of connections, one catalog set in every worker after a
reload, one server per port, and start-up faults that are one line each.

The timed figures (medians under load, CPU per header) are benchmarks: ``make soak``
writes them to bench/RESULTS.md. These tests assert what must hold at all."""

from __future__ import annotations

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
import time
from pathlib import Path

import pytest

from .conftest import CODE, ROOT, copy_locales
from .server import (
    NEW,
    ProductionServer,
    edit_resolution,
    free_port,
    get,
    listening,
    reload_example,
    resolutions,
)

#: A worker's memory may grow this much over its steady state, whatever arrives (issue 20).
RSS_BUDGET_KB = 48 * 1024


def unique_tags(rng: random.Random, count: int) -> list[str]:
    """Well-formed language tags no browser sends: ``xyz-Latn-XY``, and shipped languages
    with made-up scripts and regions, which get further into matching."""
    letters = string.ascii_lowercase
    tags = []
    for i in range(count):
        if i % 2:
            tags.append(
                "".join(rng.choices(letters, k=3)) + "-Latn-" + "".join(rng.choices(letters, k=2)).upper()
            )
        else:
            script = "".join(rng.choices(letters, k=4)).title()
            tags.append(f"{rng.choice(['de', 'zh', 'ar', 'yue', 'ca'])}-{script}-{rng.randint(100, 999)}")
    return tags


def keep_alive_get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> int:
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    resp.read()
    return resp.status


def test_unique_language_input_leaves_a_workers_memory_flat(tmp_path):
    rng = random.Random(20)
    with ProductionServer(tmp_path, {"ERRMSG_ACCESS_LOG": "0"}, workers=1) as server:
        (worker,) = server.workers()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        for tag in unique_tags(rng, 300):  # steady state: every code path has run once
            keep_alive_get(conn, f"/errors/{CODE}", {"Accept-Language": f"{tag}, de;q=0.5"})
        steady = server.rss_kb(worker)
        statuses = set()
        for tag in unique_tags(rng, 3000):
            statuses.add(keep_alive_get(conn, f"/errors/{CODE}?lang={tag}", {}))
        for _ in range(1500):
            header = ", ".join(f"{tag};q=0.{rng.randint(1, 9)}" for tag in unique_tags(rng, 32))
            statuses.add(keep_alive_get(conn, f"/errors/{CODE}", {"Accept-Language": header}))
            statuses.add(keep_alive_get(conn, "/errors?lang=" + "x" * 15_000, {"Accept-Language": header}))
        conn.close()
        grown = server.rss_kb(worker) - steady
        assert statuses == {200, 414}
        assert grown < RSS_BUDGET_KB, f"the worker grew by {grown // 1024} MB"


def test_nothing_a_request_sends_reaches_langcodes_caches():
    """langcodes keeps every tag it parsed or compared, forever: only the start-up table
    (a fixed set) may ever be computed with it."""
    from langcodes import Language
    from langcodes.language_distance import _DISTANCE_CACHE

    from service.negotiation import Negotiator

    negotiator = Negotiator(["en", "de", "zh_Hans", "zh_Hant", "ar", "pt_BR"], "en")
    sizes = (len(Language._INSTANCES), len(Language._PARSE_CACHE), len(_DISTANCE_CACHE))
    rng = random.Random(7)
    for tag in unique_tags(rng, 2000):
        negotiator.negotiate(tag, f"{tag}, {tag.split('-')[0]};q=0.5")
    assert negotiator.negotiate("yue-HK", None) == "zh_Hant"  # the related rule still works
    assert (len(Language._INSTANCES), len(Language._PARSE_CACHE), len(_DISTANCE_CACHE)) == sizes


def test_cache_keys_are_the_bounded_form_of_the_input(monkeypatch):
    """A 15 KB query value or a 20 KB header is cut before it becomes a cache key."""
    from service.negotiation import MAX_HEADER_CHARS, Negotiator

    keys: list[tuple[str | None, str | None]] = []
    choose = Negotiator._choose
    monkeypatch.setattr(Negotiator, "_choose", lambda self, *key: keys.append(key) or choose(self, *key))
    negotiator = Negotiator(["en", "de"], "en")
    huge = "de-" + "-".join(["abcdefgh"] * 2000)
    for i in range(50):
        negotiator.negotiate(huge + str(i), f"de-{i:04d};q=0.{i % 9 + 1}, {huge}{i}, " + "x" * 20_000)
    assert len(keys) == 50
    assert all(lang is None and len(header or "") <= MAX_HEADER_CHARS for lang, header in keys)


def test_each_ranges_answers_are_kept_on_the_subtags_that_decide_them():
    """Unique ranges of every kind, made-up and real CLDR scripts and regions alike, fill
    the per-range answers only up to a bound fixed at start-up, and change no answer."""
    from babel.core import get_global, parse_locale

    from service.negotiation import Negotiator, normalize

    shipped = ["en", "de", "zh_Hans", "zh_Hant", "ar", "pt_BR", "sr_Latn"]
    negotiator, fresh = Negotiator(shipped, "en"), Negotiator(shipped, "en")
    scripts = sorted({k.split("_")[1] for k in get_global("likely_subtags") if k.count("_") == 2})
    regions = sorted(get_global("territory_languages"))
    rng = random.Random(11)
    languages = ["de", "zh", "yue", "sr", "pt", "und", "gsw"]
    real = [f"{rng.choice(languages)}-{rng.choice(scripts)}-{rng.choice(regions)}" for _ in range(4000)]
    tags = unique_tags(rng, 4000) + real
    for start in range(0, len(tags), 32):
        negotiator.negotiate(None, ", ".join(tags[start : start + 32]))
    assert 0 < len(negotiator._resolved) <= negotiator.resolved_bound() < 20_000
    # Against matching on the tag's own subtags, no script or region set aside.
    for tag in [*rng.sample(tags, 1000), "yue-HK", "zh-TW", "sr-Latn-BA", "und-TW", "und-Hant", "de-CH-1996"]:
        language, region, script, *_ = parse_locale(normalize(tag).lower(), sep="-")
        unshortened = fresh._resolve_uncached((language, script, region))
        assert negotiator.answers(tag) == unshortened[:2], tag
        assert negotiator.answers(tag, header=True) == unshortened[2:], tag


def raise_open_files(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def probe_median(port: int, count: int = 15) -> float:
    """Median seconds for a normal request on a new connection (a failed one counts 10 s)."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        try:
            status = get(port, f"/errors/{CODE}?lang=de", {}, deadline_s=0)[0]
            times.append(time.perf_counter() - start if status == 200 else 10.0)
        except OSError:
            times.append(10.0)
    return statistics.median(times)


def test_thousands_of_idle_connections_do_not_lock_out_normal_requests(tmp_path):
    """granian's default admits backlog ÷ workers connections per worker (512 each): 2,000
    idle sockets then left new requests waiting for seconds."""
    raise_open_files(4096)
    env = {"ERRMSG_ACCESS_LOG": "0", "ERRMSG_HEADER_TIMEOUT_MS": "60000"}
    with ProductionServer(tmp_path, env, workers=2) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(2000)]
        try:
            time.sleep(0.5)
            assert probe_median(server.port) < 1.0
        finally:
            for sock in idle:
                sock.close()


def test_clients_that_never_read_their_answers_do_not_hold_the_server(tmp_path):
    """Each client pipelines requests until its socket takes no more and never reads: the
    answers fill the buffers, and the connection stays open."""
    raise_open_files(4096)
    request = b"GET /errors?lang=de HTTP/1.1\r\nHost: x\r\n\r\n" * 200
    with ProductionServer(tmp_path, {"ERRMSG_ACCESS_LOG": "0"}, workers=2) as server:
        clients = []
        try:
            for _ in range(1200):
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.connect(("127.0.0.1", server.port))
                sock.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    sock.send(request)
                clients.append(sock)
            time.sleep(3)  # the pipelined work is done; every client now only holds on
            assert probe_median(server.port) < 1.0
        finally:
            for sock in clients:
                sock.close()


def running_worker_connection(port: int) -> http.client.HTTPConnection:
    """A keep-alive connection that a running worker serves, while another is stopped:
    connections are spread over the workers, so try until one answers."""
    for _ in range(40):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.sock.settimeout(20)  # type: ignore[union-attr]
            return conn
        except TimeoutError:
            conn.close()
    raise AssertionError("no connection reached a running worker")


def reload(port: int, token: str = "s3cret", conn: http.client.HTTPConnection | None = None) -> dict:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("POST", "/admin/reload", headers={"Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    answer = json.loads(resp.read())
    conn.close()
    return answer


def test_a_worker_that_replaces_a_killed_one_serves_the_reloaded_catalogs(tmp_path):
    locales, code = copy_locales(tmp_path), reload_example()
    env = {"ERRMSG_LOCALES_DIR": str(locales), "ERRMSG_RELOAD_TOKEN": "s3cret", "ERRMSG_ACCESS_LOG": "0"}
    with ProductionServer(tmp_path / "logs", env, workers=2) as server:
        edit_resolution(locales, code, NEW)
        assert reload(server.port)["workers"] == {"reloaded": 2, "total": 2}
        edit_resolution(locales, code, "changed after the reload, never reloaded")
        killed = server.workers()[0]
        os.kill(killed, signal.SIGKILL)
        server.wait_for_workers(2, without=(killed,))
        assert resolutions(server.port, code) == {NEW}


def test_the_reload_answer_counts_only_workers_that_serve_the_new_set(tmp_path):
    locales, code = copy_locales(tmp_path), reload_example()
    env = {"ERRMSG_LOCALES_DIR": str(locales), "ERRMSG_RELOAD_TOKEN": "s3cret", "ERRMSG_ACCESS_LOG": "0"}
    with ProductionServer(tmp_path / "logs", env, workers=2) as server:
        stopped = server.workers()[1]
        os.kill(stopped, signal.SIGSTOP)  # a worker that cannot follow (stuck, or failing)
        try:
            edit_resolution(locales, code, NEW)
            answer = reload(server.port, conn=running_worker_connection(server.port))
            assert answer["status"] == "reloaded"
            assert answer["workers"] == {"reloaded": 1, "total": 2}
        finally:
            os.kill(stopped, signal.SIGCONT)
        deadline = time.monotonic() + 10
        while resolutions(server.port, code, 10) != {NEW} and time.monotonic() < deadline:
            time.sleep(0.2)
        assert resolutions(server.port, code) == {NEW}  # once running again, it follows


def test_a_worker_that_follows_late_serves_the_set_that_was_validated(tmp_path):
    """A file edited after the reload's answer never reaches a worker that follows later:
    every worker loads the copy the answering worker validated."""
    locales, code = copy_locales(tmp_path), reload_example()
    reload_dir = tmp_path / "reload"
    reload_dir.mkdir()
    env = {
        "ERRMSG_LOCALES_DIR": str(locales),
        "ERRMSG_RELOAD_TOKEN": "s3cret",
        "ERRMSG_RELOAD_DIR": str(reload_dir),
        "ERRMSG_ACCESS_LOG": "0",
    }
    with ProductionServer(tmp_path / "logs", env, workers=2) as server:
        follower = server.workers()[1]
        os.kill(follower, signal.SIGSTOP)
        try:
            conn = running_worker_connection(server.port)
            edit_resolution(locales, code, NEW)
            assert reload(server.port, conn=conn)["workers"]["reloaded"] == 1
            edit_resolution(locales, code, "edited between two workers' reads")
        finally:
            os.kill(follower, signal.SIGCONT)
        ack = reload_dir / f"ack-{follower}"
        deadline = time.monotonic() + 10
        while not (ack.exists() and ack.read_text() == "1"):
            assert time.monotonic() < deadline, "the stopped worker never followed"
            time.sleep(0.1)
        assert resolutions(server.port, code, 60) == {NEW}


def test_a_second_server_on_the_same_port_refuses_to_start(tmp_path):
    with ProductionServer(tmp_path / "first", workers=2) as first:
        second = ProductionServer(tmp_path / "second", {"PORT": str(first.port)}, workers=2)
        second.port = first.port
        assert second.process.wait(timeout=30) == 2
        second.stop()
        stderr = second.errors()
        assert stderr.count("\n") == 1 and f"127.0.0.1:{first.port}" in stderr and "in use" in stderr
        languages = {get(first.port, f"/errors/{CODE}?lang=de", {})[1]["content-language"] for _ in range(12)}
        assert languages == {"de"}


def test_a_port_held_by_another_program_is_one_line(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        server = ProductionServer(tmp_path, {"PORT": str(port)})
        assert server.process.wait(timeout=30) == 2
        server.stop()
    stderr = server.errors()
    assert stderr.count("\n") == 1 and stderr.startswith("errmsg: cannot start:") and str(port) in stderr


def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    server = ProductionServer(tmp_path, workers=2).wait_ready()
    workers = server.workers()
    assert len(workers) == 2
    server.process.kill()
    server.process.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    server.stop()
    assert alive == [], "workers kept serving as orphans"
    assert not listening(server.port)


def test_a_host_name_is_resolved(tmp_path):
    with ProductionServer(tmp_path, {"HOST": "localhost"}) as server:
        assert get(server.port, f"/errors/{CODE}?lang=de", {})[0] == 200


def test_an_unresolvable_host_is_one_line(tmp_path):
    server = ProductionServer(tmp_path, {"HOST": "no-such-host.invalid"})
    assert server.process.wait(timeout=30) == 2
    server.stop()
    stderr = server.errors()
    assert stderr.count("\n") == 1 and "HOST='no-such-host.invalid'" in stderr


@pytest.mark.parametrize("variable", ["PROMETHEUS_MULTIPROC_DIR", "ERRMSG_RELOAD_DIR"])
def test_start_up_removes_only_the_services_own_files(tmp_path, variable):
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "notes.txt").write_text("someone else's")
    (folder / "keep").mkdir()
    (folder / "keep" / "data.db").write_text("x")
    (folder / "counter_123.db").write_bytes(b"")  # an earlier run's samples
    (folder / "ack-123").write_text("4")
    with ProductionServer(tmp_path / "logs", {variable: str(folder)}) as server:
        assert get(server.port, "/healthz", {})[0] == 200
    assert (folder / "notes.txt").read_text() == "someone else's"
    assert (folder / "keep" / "data.db").exists()
    stale = "counter_123.db" if variable == "PROMETHEUS_MULTIPROC_DIR" else "ack-123"
    assert not (folder / stale).exists()


@pytest.mark.parametrize("variable", ["PROMETHEUS_MULTIPROC_DIR", "ERRMSG_RELOAD_DIR"])
@pytest.mark.parametrize("fault", ["missing", "a-file", "unwritable"])
def test_a_bad_shared_folder_is_one_line(tmp_path, variable, fault):
    path = tmp_path / "folder"
    if fault == "a-file":
        path.write_text("not a folder")
    elif fault == "unwritable" and os.geteuid() == 0:
        path = Path("/proc/self")  # root may write anywhere on disk; /proc refuses even root
    elif fault == "unwritable":
        path.mkdir(mode=0o500)
    server = ProductionServer(tmp_path / "logs", {variable: str(path)})
    assert server.process.wait(timeout=30) == 2
    server.stop()
    stderr = server.errors()
    assert stderr.count("\n") == 1 and f"{variable}={path}" in stderr
    assert not listening(server.port)


def test_temporary_folders_are_removed_at_exit_and_start_up_is_quiet(tmp_path):
    """Unset, both shared folders are fresh temporary ones, gone again at exit; and the
    default thread count draws no warning from granian."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PROMETHEUS_MULTIPROC_DIR", "ERRMSG_RELOAD_DIR")}
    env.update({"PORT": str(port), "HOST": "127.0.0.1", "TMPDIR": str(tmp), "WEB_CONCURRENCY": "2"})
    env.pop("ERRMSG_THREADS", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "service.serve"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert get(port, "/readyz", {})[0] == 200
        assert sorted(p.name.split("-")[1] for p in tmp.iterdir()) == ["metrics", "reload"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=40)
    assert process.returncode == 0
    assert list(tmp.iterdir()) == []
    assert "quite high" not in stderr and "Traceback" not in stderr


def test_metrics_survive_their_folder_being_removed(tmp_path):
    """The folder is made anew; samples written before are gone with it, new ones count."""
    with ProductionServer(tmp_path, {"ERRMSG_ACCESS_LOG": "0"}, workers=2) as server:
        assert get(server.port, "/metrics", {})[0] == 200
        shutil.rmtree(tmp_path / "metrics")
        seen = False
        for _ in range(30):  # whichever worker answers, and after its flush thread ran
            get(server.port, "/errors/99997", {})
            status, headers, body = get(server.port, "/metrics", {})
            assert status == 200 and headers["content-type"].startswith("text/plain")
            seen = seen or b'code="99997"' in body
            time.sleep(0.1)
        assert seen and (tmp_path / "metrics").is_dir()
