"""The front-end client package (``service/client/``): which files it has, how they are typed.

Served under ``/client/`` and written by the export at the same paths; the list is the
``files`` of its ``package.json``, so the package and the service cannot disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

CLIENT_DIR = Path(__file__).resolve().parent.parent / "client"
#: By the part of the name after its first dot.
CLIENT_CONTENT_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "d.ts": "application/typescript; charset=utf-8",
    "json": "application/json",
}


def client_file_names() -> list[str]:
    """The client package's files: ``package.json`` and what its ``files`` lists."""
    package = json.loads((CLIENT_DIR / "package.json").read_text(encoding="utf-8"))
    return ["package.json", *package["files"]]
