"""Writing the project's own files: only when the content changes, and in one step.

Generated files (pseudo-locales, documentation pages, TypeScript types) keep their mtime
when unchanged, so make and git see no change; files people edit (the registry, a
translator's catalog) are replaced atomically, so an interrupted tool leaves the old one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text``; False when the file already held it (its mtime stays)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _mode_for(path: Path) -> int:
    """The file's own permissions, or what a plain ``open()`` would create (umask applied):
    ``mkstemp`` creates 0600, which a replaced catalog or registry must not inherit."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, data: bytes, check: Callable[[Path], object] | None = None) -> None:
    """Replace ``path`` with ``data`` in one step, keeping its mode; ``check`` may refuse
    the new file first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), _mode_for(path))
            out.write(data)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
