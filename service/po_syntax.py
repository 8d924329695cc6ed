"""A strict reader of ``.po`` syntax: refuses what GNU ``msgfmt --check`` refuses.

polib and Babel read leniently: a string with its closing quote missing loses its
last character, one with its opening quote missing its first, and both compile.
Every path that turns a ``.po`` into something served (``make compile``, the
container build, ``catalog check``, the preview and live reloads) runs
:func:`check_po` first, so a translator's typo stops there with ``file:line``.

It checks the grammar only (strings, escapes, keyword order, a msgstr for every
msgid, duplicates, plural forms against the header's ``nplurals``); what the text
says is the catalog check's business (:mod:`.translators.check`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: The escapes C and msgfmt accept inside a string (octal and \x handled apart).
SIMPLE_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b",
                  "f": "\f", "v": "\v", "?": "?", "'": "'"}  # fmt: skip
KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)(?=[\s\"]|$)")
NPLURALS_RE = re.compile(r"nplurals\s*=\s*(\d+)")


class PoSyntaxError(ValueError):
    """``path:line: message``, as msgfmt words it."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message


def parse_strings(text: str, path: Path | str, line: int) -> str:
    """One or more ``"…"`` tokens separated by blanks, unescaped and joined."""
    out: list[str] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t":
            i += 1
        if i == n:
            break
        if text[i] != '"':
            found = text[i : i + 12]
            raise PoSyntaxError(path, line, f"syntax error: expected a quoted string, found {found!r}")
        i += 1
        while True:
            if i >= n:
                raise PoSyntaxError(path, line, "end-of-line within string")
            char = text[i]
            if char == '"':
                i += 1
                break
            if char == "\\":
                if i + 1 >= n:
                    raise PoSyntaxError(path, line, "end-of-line within string")
                escape = text[i + 1]
                if escape in SIMPLE_ESCAPES:
                    out.append(SIMPLE_ESCAPES[escape])
                    i += 2
                elif escape in "01234567":
                    digits = re.match(r"[0-7]{1,3}", text[i + 1 :]).group(0)  # type: ignore[union-attr]
                    out.append(chr(int(digits, 8)))
                    i += 1 + len(digits)
                elif escape == "x" and re.match(r"[0-9A-Fa-f]", text[i + 2 : i + 3]):
                    digits = re.match(r"[0-9A-Fa-f]+", text[i + 2 :]).group(0)  # type: ignore[union-attr]
                    out.append(chr(int(digits, 16) & 0xFF))
                    i += 2 + len(digits)
                else:
                    raise PoSyntaxError(path, line, f"invalid control sequence \\{escape}")
                continue
            out.append(char)
            i += 1
    return "".join(out)


@dataclass
class _Entry:
    line: int
    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    msgstr: str | None = None
    forms: list[int] | None = None
    last: str = ""  # the keyword the next continuation line belongs to


def check_po(path: Path) -> None:
    """Raise :class:`PoSyntaxError` for the first thing msgfmt would refuse."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PoSyntaxError(path, text_line(path.read_bytes(), exc.start), "invalid UTF-8") from None
    seen: dict[tuple[str | None, str], int] = {}
    nplurals: int | None = None
    entry: _Entry | None = None

    def finish(current: _Entry | None) -> None:
        nonlocal nplurals
        if current is None:
            return
        if current.msgid is None:
            raise PoSyntaxError(path, current.line, "missing 'msgid' section")
        if current.msgstr is None and current.forms is None:
            raise PoSyntaxError(path, current.line, "missing 'msgstr' section")
        if current.plural is not None:
            if current.forms is None:
                raise PoSyntaxError(path, current.line, "msgid_plural needs msgstr[0], msgstr[1], …")
            if current.forms != list(range(len(current.forms))):
                raise PoSyntaxError(path, current.line, "plural form indices must run 0, 1, 2, … in order")
            if nplurals is not None and len(current.forms) != nplurals:
                raise PoSyntaxError(
                    path, current.line,
                    f"nplurals={nplurals} in the header, but {len(current.forms)} plural forms here",
                )  # fmt: skip
        elif current.forms is not None:
            raise PoSyntaxError(path, current.line, "msgstr[N] without msgid_plural")
        key = (current.context, current.msgid)
        if key in seen:
            first = seen[key]
            raise PoSyntaxError(path, current.line, f"duplicate message definition (first at line {first})")
        seen[key] = current.line
        if current.msgid == "" and current.context is None and nplurals is None:
            match = NPLURALS_RE.search(current.msgstr or "")
            nplurals = int(match.group(1)) if match else None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            # Obsolete entries are not compiled; their strings must still be strings.
            body = line[2:].strip()
            keyword = KEYWORD_RE.match(body)
            if keyword:
                parse_strings(body[keyword.end() :], path, number)
            elif body.startswith('"'):
                parse_strings(body, path, number)
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if entry is None or not entry.last:
                raise PoSyntaxError(path, number, "syntax error: a string outside any keyword")
            value = parse_strings(line, path, number)
            if entry.last == "msgctxt":
                entry.context = (entry.context or "") + value
            elif entry.last == "msgid":
                entry.msgid = (entry.msgid or "") + value
            elif entry.last == "msgid_plural":
                entry.plural = (entry.plural or "") + value
            elif entry.last == "msgstr":
                entry.msgstr = (entry.msgstr or "") + value
            continue
        keyword = KEYWORD_RE.match(line)
        if keyword is None:
            raise PoSyntaxError(path, number, f"syntax error: {line[:30]!r} is no keyword, comment or string")
        name, value = keyword.group(1), parse_strings(line[keyword.end() :], path, number)
        if name == "msgctxt" or (name == "msgid" and (entry is None or entry.msgid is not None)):
            finish(entry)  # a new entry begins; the previous one must be complete
            entry = _Entry(number)
        if entry is None:
            raise PoSyntaxError(path, number, f"syntax error: {name} before msgid")
        if name == "msgctxt":
            entry.context, entry.last = value, "msgctxt"
        elif name == "msgid":
            entry.msgid, entry.last = value, "msgid"
        elif name == "msgid_plural":
            if entry.msgid is None or entry.msgstr is not None or entry.forms is not None:
                raise PoSyntaxError(path, number, "syntax error: msgid_plural must follow msgid")
            entry.plural, entry.last = value, "msgid_plural"
        elif name == "msgstr":
            if entry.msgid is None or entry.msgstr is not None or entry.forms is not None:
                raise PoSyntaxError(path, number, "syntax error: msgstr must follow msgid")
            entry.msgstr, entry.last = value, "msgstr"
        else:
            if entry.msgid is None or entry.msgstr is not None:
                raise PoSyntaxError(path, number, "syntax error: msgstr[N] must follow msgid_plural")
            entry.forms = [*(entry.forms or []), int(keyword.group(2))]
            entry.last = "form"
    finish(entry)


def read_keys(path: Path) -> list[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every active entry, in one pass over the lines
    (for a template: what a complete catalog holds). Strings are unescaped."""
    keys: list[tuple[str | None, str, str | None]] = []
    context: str | None = None
    msgid: str | None = None
    plural: str | None = None
    last = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith('"'):
            value = parse_strings(line, path, number)
            if last == "msgctxt":
                context = (context or "") + value
            elif last == "msgid":
                msgid = (msgid or "") + value
            elif last == "msgid_plural":
                plural = (plural or "") + value
            continue
        if line.startswith("msgctxt "):
            if msgid is not None:
                keys.append((context, msgid, plural))
                msgid = plural = None
            context, last = parse_strings(line[8:], path, number), "msgctxt"
        elif line.startswith("msgid "):
            if msgid is not None:
                keys.append((None, msgid, plural))
                context = plural = None
            msgid, last = parse_strings(line[6:], path, number), "msgid"
        elif line.startswith("msgid_plural "):
            plural, last = parse_strings(line[13:], path, number), "msgid_plural"
        elif line.startswith("msgstr"):
            if msgid is not None:
                keys.append((context, msgid, plural))
            context = msgid = plural = None
            last = "msgstr"
        elif not line or line.startswith("#"):
            last = "" if line.startswith("#") else last
    return keys


def text_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
