"""Placeholders in a catalog's texts, as the catalog check and the XLIFF import read them.

``{name}`` (python-brace-format) and ``%(name)s`` (python-format): a translation must
keep its source's names. One parser below :mod:`.check` and :mod:`.xliff`.
"""

from __future__ import annotations

import re

#: ``{name}`` (python-brace-format) and ``%(name)s`` (python-format) placeholders.
PLACEHOLDER_RE = re.compile(r"\{(\w*)\}|%\((\w+)\)[sd]")


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER_RE.findall(text)}
