"""The production server (``python -m service.serve``, granian) through real processes and
sockets: workers, loud start-up, worker replacement, draining, slow clients, limits."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from .conftest import CODE, ROOT, copy_locales, example_code, served_text
from .server import NEW, ProductionServer, edit_resolution, get, listening, reload_example, resolutions


@pytest.fixture(scope="module")
def large_registry(tmp_path_factory) -> dict[str, str]:
    """A registry whose English bundle (about 6 MB) is larger than the kernel's socket
    buffers can hold, so the server itself must stay up until a slow download ends."""
    out = tmp_path_factory.mktemp("large")
    subprocess.run(
        [sys.executable, "bench/synth.py", str(out), "--codes", "1000", "--locales", "1",
         "--meaning-words", "800"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return {"ERRMSG_REGISTRY": str(out / "errors.toml"), "ERRMSG_LOCALES_DIR": str(out / "locales")}


def test_it_serves_with_web_concurrency_workers(tmp_path):
    with ProductionServer(tmp_path, workers=3) as server:
        assert len(server.workers()) == 3
        code = example_code("meaning", locales=["zh_Hant"], where=lambda e: not e.params_in("meaning"))
        status, headers, body = get(server.port, f"/errors/{code}", {"Accept-Language": "zh-TW"})
        assert status == 200 and headers["content-language"] == "zh-Hant"
        assert served_text("zh_Hant", f"{code}.meaning").encode() in body
        status, headers, _ = get(server.port, "/errors/99999?lang=ko", {})
        assert status == 404 and headers["content-type"] == "application/problem+json"
    assert server.process.returncode == 0


@pytest.mark.parametrize("fault", ["corrupt-mo", "missing-dir", "stale-mo"])
def test_a_broken_catalog_stops_start_up_before_anything_listens(tmp_path, fault):
    locales = copy_locales(tmp_path)
    mo = locales / "ko" / "LC_MESSAGES" / "messages.mo"
    if fault == "corrupt-mo":
        mo.write_bytes(b"\xde\x12\x04\x95garbage")
    elif fault == "missing-dir":
        locales = tmp_path / "nowhere"
    else:
        po_time = mo.with_suffix(".po").stat().st_mtime
        os.utime(mo, (po_time - 60, po_time - 60))
    server = ProductionServer(tmp_path / "logs", {"ERRMSG_LOCALES_DIR": str(locales)})
    try:
        server.process.wait(timeout=30)
        assert not listening(server.port)
    finally:
        server.stop()
    stderr = server.errors()
    assert server.process.returncode != 0
    assert stderr.count("\n") == 1 and stderr.startswith("errmsg: cannot start:")
    assert str(locales if fault == "missing-dir" else mo) in stderr
    assert "Listening" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    "variable, value", [("WEB_CONCURRENCY", "abc"), ("WEB_CONCURRENCY", "0"), ("PORT", "http"),
                        ("ERRMSG_GRACEFUL_TIMEOUT", "-1"), ("ERRMSG_LOG_LEVEL", "loud")],
)  # fmt: skip
def test_a_bad_server_setting_is_one_line(tmp_path, variable, value):
    server = ProductionServer(tmp_path, {variable: value})
    assert server.process.wait(timeout=30) == 2
    server.stop()
    stderr = server.errors()
    assert stderr.count("\n") == 1 and f"errmsg: cannot start: {variable}=" in stderr


def test_a_killed_worker_is_replaced_and_serving_resumes(tmp_path):
    with ProductionServer(tmp_path, workers=2) as server:
        before = server.workers()
        os.kill(before[0], signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            after = server.workers()
            if len(after) == 2 and before[0] not in after:
                break
            time.sleep(0.1)
        assert len(after) == 2 and before[0] not in after and before[1] in after
        statuses = [get(server.port, f"/errors/{CODE}?lang=de", {})[0] for _ in range(40)]
        assert statuses == [200] * 40


def test_sigterm_lets_an_in_flight_download_finish(tmp_path, large_registry):
    env = {**large_registry, "ERRMSG_GRACEFUL_TIMEOUT": "30"}
    with ProductionServer(tmp_path, env, workers=1) as server:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", server.port))
        sock.sendall(b"GET /errors?lang=en HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = sock.recv(4096)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(1.5)
        assert server.process.poll() is None, "the server exited with a download in flight"
        assert not listening(server.port), "a stopping server still accepts connections"
        while chunk := sock.recv(65536):
            received += chunk
        sock.close()
        head, _, body = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        length = int(next(v for k, _, v in (line.partition(b":") for line in head.split(b"\r\n"))
                          if k.lower() == b"content-length"))  # fmt: skip
        assert len(body) == length > 5_000_000
        assert len(json.loads(body)["errors"]) == 1000
        assert server.process.wait(timeout=30) == 0


def slow_client(port: int, stop: threading.Event, opened: list[socket.socket]) -> None:
    """Sends a request one header line at a time, every half second, and never ends it."""
    sock = socket.create_connection(("127.0.0.1", port))
    opened.append(sock)
    sock.sendall(f"GET /errors/{CODE} HTTP/1.1\r\nHost: x\r\n".encode())
    n = 0
    while not stop.wait(0.5):
        try:
            sock.sendall(b"X-Slow-%d: 1\r\n" % n)
        except OSError:
            return
        n += 1


def test_slow_clients_do_not_starve_normal_requests(tmp_path):
    workers = 2
    with ProductionServer(tmp_path, {"ERRMSG_HEADER_TIMEOUT_MS": "30000"}, workers=workers) as server:
        stop, opened = threading.Event(), []
        threads = [
            threading.Thread(target=slow_client, args=(server.port, stop, opened)) for _ in range(4 * workers)
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(1)  # every slow connection is open and mid-request
            answered = 0
            for i in range(60):
                status, _, _ = get(server.port, f"/errors/{CODE}?lang={'de' if i % 2 else 'ja'}", {})
                answered += status == 200
            assert len(opened) == 4 * workers
            assert answered == 60
        finally:
            stop.set()
            for thread in threads:
                thread.join()
            for sock in opened:
                sock.close()


def test_a_client_that_never_finishes_its_headers_is_cut_off(tmp_path):
    with (
        ProductionServer(tmp_path, {"ERRMSG_HEADER_TIMEOUT_MS": "500"}) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock,
    ):
        sock.sendall(f"GET /errors/{CODE} HTTP/1.1\r\nHost: x\r\n".encode())
        assert sock.recv(1024) == b""  # closed by the server, long before the 10 s timeout


def test_keep_alive_serves_many_requests_on_one_connection(tmp_path):
    import http.client

    with ProductionServer(tmp_path) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.connect()
        local = conn.sock.getsockname()
        for lang in ("de", "fr", "ja", "zh-Hant"):
            conn.request("GET", f"/errors/{CODE}?lang={lang}")
            resp = conn.getresponse()
            assert resp.status == 200 and resp.getheader("Content-Language") == lang
            resp.read()
            assert conn.sock is not None and conn.sock.getsockname() == local
        conn.close()


def test_access_log_lines_carry_the_request_id_and_can_be_switched_off(tmp_path):
    with ProductionServer(tmp_path / "on") as server:
        get(server.port, f"/errors/{CODE}?lang=ja", {"X-Request-ID": "trace-7"})
    lines = [json.loads(line) for line in server.access().splitlines()]
    traced = [line for line in lines if line["request_id"] == "trace-7"]
    assert len(traced) == 1 and traced[0]["status"] == 200 and traced[0]["path"] == f"/errors/{CODE}"
    for line in server.errors().splitlines():
        assert json.loads(line)["logger"]

    with ProductionServer(tmp_path / "off", {"ERRMSG_ACCESS_LOG": "0"}) as quiet:
        get(quiet.port, f"/errors/{CODE}?lang=ja", {"X-Request-ID": "trace-8"})
    assert quiet.access() == ""


def test_one_reload_reaches_every_worker(tmp_path):
    import http.client

    locales = copy_locales(tmp_path)
    env = {"ERRMSG_LOCALES_DIR": str(locales), "ERRMSG_RELOAD_TOKEN": "s3cret"}
    with ProductionServer(tmp_path / "logs", env, workers=3) as server:
        code = reload_example()
        edit_resolution(locales, code, NEW)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("POST", "/admin/reload", headers={"Authorization": "Bearer s3cret"})
        answer = json.loads(conn.getresponse().read())
        conn.close()
        assert answer["status"] == "reloaded" and answer["workers"] == {"reloaded": 3, "total": 3}
        # The same BCP 47 tags as /locales (pt-BR, zh-Hant), not the folders' Babel ids.
        listed = [item["tag"] for item in json.loads(get(server.port, "/locales", {})[2])["locales"]]
        assert answer["locales"] == listed and "pt-BR" in listed and "zh-Hant" in listed
        assert resolutions(server.port, code, 30) == {NEW}
