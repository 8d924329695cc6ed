"""Catalog checks that run before anything is compiled or served.

``pybabel compile`` only warns about a malformed entry and compiles the rest, so the
build runs :func:`validate_po` first and a broken catalog stops ``make`` with
``file:line``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib

from .catalogs import CatalogError


def validate_po(path: Path) -> None:
    """Parse a ``.po`` strictly; raise :class:`CatalogError` as ``file:line: problem``."""
    try:
        polib.pofile(str(path))
    except (OSError, ValueError) as exc:
        match = re.search(r"\(line (\d+)\)", str(exc))
        line = f":{match.group(1)}" if match else ""
        raise CatalogError(f"{path}{line}: {str(exc).split(' in po file')[0]}") from None


def main(argv: list[str] | None = None) -> int:
    """``python -m service.catalog_check FILE.po …``: validate catalogs before compiling."""
    failed = 0
    for name in sys.argv[1:] if argv is None else argv:
        try:
            validate_po(Path(name))
        except CatalogError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
