"""The documentation site's heading anchors: VitePress's slug rule, in Python.

A translator who points ``<code>.help_url`` at a section of their language's page writes
its anchor by hand, and a wrong one lands at the top of the page without a word. VitePress
makes a heading's id with ``slugify`` from ``@mdit-vue/shared`` (``vitepress/src/shared``
re-exports it); this is that function, step for step, so ``catalog check`` can tell a
translator the anchor VitePress would make (tests/test_slugs.py runs the real one in node):

    >>> slugify("4. 领取更多额度")
    '_4-领取更多额度'
    >>> slugify("дополнительной")
    'дополнительнои'
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

#: JavaScript's ``\\s`` (ECMAScript WhiteSpace and LineTerminator), which differs from
#: Python's: U+FEFF is in it, U+0085 and U+001C-U+001F are not.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_CONTROL = re.compile("[\u0000-\u001f]")
_SPECIAL = re.compile(f"[{_JS_SPACE}~`!@#$%^&*()\\-_+=\\[\\]{{}}|\\\\;:\"'“”‘’<>,.?/]+")
_COMBINING = re.compile("[\u0300-\u036f]")


def slugify(heading: str) -> str:
    """A heading's id on a VitePress site: accents and punctuation dropped, runs of them one
    ``-``, a leading digit prefixed with ``_``, lower case."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", heading))
    text = _SPECIAL.sub("-", _CONTROL.sub("", text))
    text = re.sub(r"^-+|-+$", "", re.sub(r"-{2,}", "-", text))
    return re.sub(r"^([0-9])", r"_\1", text).lower()  # JavaScript's \d: ASCII digits only


def anchor_problem(link: str) -> str | None:
    """Why a link's ``#anchor`` cannot be a VitePress heading id, or None when it can be
    (or has none). An id is its own slug, so a hand-written one that is not is wrong."""
    _, hash_mark, fragment = link.partition("#")
    anchor = unquote(fragment)
    if not hash_mark or slugify(anchor) == anchor:
        return None
    return (
        f"anchor #{fragment} is not how the docs site (VitePress) names a heading: "
        f"#{slugify(anchor)} is (TRANSLATING.md, help links)"
    )
