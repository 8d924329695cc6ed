"""Static hosts for the export, configured as the export's own files say: nginx with
``nginx.conf`` included as its comment documents, and a file server that applies
``_headers`` (the Netlify / Cloudflare Pages format) to every answer."""

from __future__ import annotations

import fnmatch
import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from .server import free_port, get

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@contextmanager
def nginx(export: Path, work: Path, *, static_root: Path | None = None) -> Iterator[tuple[str, str | None]]:
    """nginx on 127.0.0.1 serving ``export`` at ``/errmsg/`` with the export's ``nginx.conf``
    included (as documented in it), and optionally ``static_root`` (an app) on a second
    port. Yields (export URL, app URL)."""
    assert Path(NGINX).exists(), "nginx is required: apt-get install nginx-light"
    work.mkdir(parents=True, exist_ok=True)
    port, app_port = free_port(), free_port()
    user = "user root root;" if os.geteuid() == 0 else ""
    app_server = f"server {{ listen 127.0.0.1:{app_port}; root {static_root}; }}" if static_root else ""
    conf = work / "nginx.conf"
    conf.write_text(f"""{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/access.log;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location /errmsg/ {{
            alias {export}/;
            include {export}/nginx.conf;
        }}
    }}
    {app_server}
}}
""")
    stderr = (work / "stderr.log").open("wb")
    process = subprocess.Popen([NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        assert process.poll() is None or process.returncode == 0
        assert get(port, "/errmsg/locales.json", {})[0] == 200, (work / "stderr.log").read_text()
        yield f"http://127.0.0.1:{port}/errmsg", f"http://127.0.0.1:{app_port}" if static_root else None
    finally:
        process.terminate()
        process.wait(timeout=10)
        stderr.close()


def read_headers_file(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """``_headers``: a path pattern line, then indented ``Name: value`` lines; ``#`` comments."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t":
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            rules.append((line.strip(), []))
    return rules


class HeadersFileHandler(SimpleHTTPRequestHandler):
    """A static host that reads ``_headers`` at its root, as Netlify and Cloudflare Pages do."""

    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        for pattern, headers in self.rules:
            if fnmatch.fnmatchcase(path, pattern):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def headers_file_host(export: Path) -> Iterator[str]:
    """``export`` as a site whose root is the export, with its ``_headers`` applied."""
    handler = type("Host", (HeadersFileHandler,), {"rules": read_headers_file(export / "_headers")})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(export)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
