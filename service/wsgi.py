"""WSGI entry for any server; production runs it under granian (:mod:`.serve`).

A registry or catalog fault ends the process with one line naming the file,
before the server accepts traffic.
"""

from __future__ import annotations

import sys

from . import create_app
from .catalogs import CatalogError
from .config import ConfigError
from .registry import RegistryError

try:
    app = create_app()
except (CatalogError, RegistryError, ConfigError) as exc:
    print(f"errmsg: cannot start: {exc}", file=sys.stderr)
    raise SystemExit(3) from None
