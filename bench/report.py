"""bench/RESULTS.md is written by two tools (``make bench``, ``make soak``); each
replaces only its own marked section, so one run never erases the other's figures."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, name: str, text: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.rstrip()}\n{end}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        current = before + block + ("\n" + after if after else "")
    else:
        current = (current.rstrip() + "\n\n" if current.strip() else "") + block
    path.write_text(current, encoding="utf-8")
