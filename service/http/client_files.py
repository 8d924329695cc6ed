"""The front-end client package (``service/client/``): which files it has, how they are typed.

Served under ``/client/`` and written by the export at the same paths; the list is the
``files`` of its ``package.json``, so the package and the service cannot disagree.
``/client/package.tgz`` is the package as ``npm pack`` writes it, so an app can
``npm install https://errors.example.com/client/package.tgz``.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import tarfile
from importlib import metadata
from pathlib import Path

CLIENT_DIR = Path(__file__).resolve().parent.parent / "client"
#: By the part of the name after its first dot.
CLIENT_CONTENT_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "d.ts": "application/typescript; charset=utf-8",
    "json": "application/json",
    "tgz": "application/gzip",
}
TARBALL = "package.tgz"
#: The date npm gives every file of a packed tarball (so packing is reproducible).
NPM_PACK_MTIME = 499162500  # 1985-10-26T08:15:00Z


def client_file_names() -> list[str]:
    """The client package's files: ``package.json`` and what its ``files`` lists."""
    package = json.loads((CLIENT_DIR / "package.json").read_text(encoding="utf-8"))
    return ["package.json", *package["files"]]


def package_version() -> str:
    """The service's version (pyproject.toml), which the packed client carries."""
    try:
        return metadata.version("errmsg")
    except metadata.PackageNotFoundError:  # running from a checkout that is not installed
        return json.loads((CLIENT_DIR / "package.json").read_text(encoding="utf-8"))["version"]


def package_tarball(version: str | None = None) -> bytes:
    """The package as ``npm pack`` makes it: ``package/<file>``, mode 644, npm's fixed
    date, gzip; ``package.json`` carries ``version``."""
    version = version or package_version()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in client_file_names():
            data = (CLIENT_DIR / name).read_bytes()
            if name == "package.json":
                data = re.sub(rb'"version": "[^"]*"', f'"version": "{version}"'.encode(), data, count=1)
            info = tarfile.TarInfo(f"package/{name}")
            info.size, info.mode, info.mtime = len(data), 0o644, NPM_PACK_MTIME
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0)
