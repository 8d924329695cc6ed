"""The WSGI entry under real gunicorn: it serves, and a broken catalog stops start-up."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, copy_locales

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, env: dict[str, str] | None = None, quiet: bool = False) -> subprocess.Popen:
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen(
        [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "2", "--preload", "service.wsgi:app"],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=output,
        text=True,
    )


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    deadline = time.monotonic() + 20
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_gunicorn_serves_the_wsgi_entry():
    port = free_port()
    server = start(port, quiet=True)
    try:
        status, headers, body = get(port, "/errors/40112", {"Accept-Language": "zh-TW"})
        assert status == 200 and headers["Content-Language"] == "zh-Hant"
        assert "驗證碼".encode() in body
        status, headers, body = get(port, "/errors/99999?lang=ko", {})
        assert status == 404 and headers["Content-Type"] == "application/problem+json"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("fault", ["corrupt-mo", "missing-dir", "stale-mo"])
def test_a_broken_catalog_stops_start_up_naming_the_file(tmp_path, fault):
    locales = copy_locales(tmp_path)
    mo = locales / "ko" / "LC_MESSAGES" / "messages.mo"
    if fault == "corrupt-mo":
        mo.write_bytes(b"\xde\x12\x04\x95garbage")
    elif fault == "missing-dir":
        locales = tmp_path / "nowhere"
    else:
        po_time = mo.with_suffix(".po").stat().st_mtime
        os.utime(mo, (po_time - 60, po_time - 60))
    server = start(free_port(), {"ERRMSG_LOCALES_DIR": str(locales)})
    try:
        _, stderr = server.communicate(timeout=30)
    finally:
        server.kill()
    assert server.returncode != 0
    assert "errmsg: cannot start:" in stderr
    assert str(locales if fault == "missing-dir" else mo) in stderr
    assert "Traceback" not in stderr
