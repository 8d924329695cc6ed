"""Locale typography rules for ``catalog check``: what a reviewer would otherwise mark.

Each rule reads one translated text and says what is wrong with it, or nothing:

- ``french-spacing`` (fr): a no-break space (U+00A0) before ``:``, U+00A0 or U+202F
  before ``;`` ``!`` ``?`` and inside « », so the mark never wraps onto the next line;
- ``cjk-punctuation`` (zh, ja): full-width sentence punctuation (，。：；？！), never an
  ASCII comma, period, colon, semicolon or mark next to Chinese or Japanese text;
- ``arabic-punctuation`` (ar): the Arabic comma, semicolon and question mark (، ؛ ؟);
- ``quotes`` (every locale): quotation marks are the locale's own (CLDR delimiters:
  „…“ in German, « … » in French, 「…」 in Japanese); ASCII single quotes around a code
  value such as 'success' are the value itself and stay;
- ``double-space`` (every locale): no two spaces in a row.

Which rules fail the check is a per-locale setting (``locales/typography.toml``): a
style choice such as ``quotes`` starts as a warning and a team can make it an error.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: Beside the catalogs: ``locales/typography.toml``.
TYPOGRAPHY_FILE = "typography.toml"

Severity = Literal["error", "warning", "off"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "off")

#: French: a no-break space (U+00A0) before a colon, a no-break or narrow no-break
#: space (U+202F) before ``;`` ``!`` ``?``.
FRENCH_SPACES = {":": "\u00a0", ";": "\u00a0\u202f", "!": "\u00a0\u202f", "?": "\u00a0\u202f"}


def french_spacing(text: str) -> str | None:
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char in FRENCH_SPACES and index:
            if before in FRENCH_SPACES or (char == ":" and before.isdigit() and after.isdigit()):
                continue  # "?!" and times such as 10:30
            if before not in FRENCH_SPACES[char]:
                return f"a no-break space belongs before {char!r}"
        elif char in "«»":
            inner = after if char == "«" else before  # the side that faces the quotation
            if not inner or inner not in "\u00a0\u202f":
                return f"a no-break space belongs inside {char!r}"
    return None


def latin_mark_checker(script: str, marks: dict[str, str], where: str) -> Callable[[str], str | None]:
    """A rule: an ASCII mark in ``marks`` next to a letter of ``script`` (a character
    class) should be that script's own mark."""
    pattern = re.compile(
        rf"(?<=[{script}])\s*[{re.escape(''.join(marks))}]|[{re.escape(''.join(marks))}]\s*(?=[{script}])"
    )

    def check(text: str) -> str | None:
        found = pattern.search(text)
        if found is None:
            return None
        mark = found.group().strip()
        return f"ASCII {mark!r} in {where} text: use {marks[mark]!r}"

    return check


#: Han, kana and CJK punctuation: the text a full-width mark belongs to.
CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
cjk_punctuation = latin_mark_checker(
    CJK, {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！"}, "Chinese or Japanese"
)
ARABIC = r"\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
arabic_punctuation = latin_mark_checker(ARABIC, {",": "،", ";": "؛", "?": "؟"}, "Arabic")


#: Every typographic quotation mark; ASCII ' around a code value is that value.
QUOTATION_MARKS = set("“”„‟«»‹›「」『』‘’‚‛")


#: CLDR's quotation delimiters (start, end, alternate start, alternate end) per language
#: and script: Babel does not carry them, so they are copied here, and a test compares
#: every shipped locale with ICU's LocaleData. A language missing here is not checked.
CLDR_QUOTES: dict[str, str] = {
    "en": "“”‘’", "de": "„“‚‘", "es": "«»“”", "fr": "«»«»", "it": "«»“”", "pt": "“”‘’",
    "ru": "«»„“", "ar": "”“’‘", "ja": "「」『』", "ko": "“”‘’", "zh_Hans": "“”‘’", "zh_Hant": "「」『』",
}  # fmt: skip


def locale_quotes(locale_id: str) -> str | None:
    """The locale's four delimiters, by its language and script (pt_BR → pt)."""
    parts = locale_id.split("_")
    for key in ("_".join(parts[:2]), parts[0]):
        if key in CLDR_QUOTES:
            return CLDR_QUOTES[key]
    return None


def quotes(text: str, locale_id: str) -> str | None:
    own = locale_quotes(locale_id)
    if own is None:
        return None
    if '"' in text:
        return f"ASCII double quotes: this language quotes with {own[0]}…{own[1]}"
    foreign = sorted(c for c in set(text) & QUOTATION_MARKS if c not in own)
    if foreign:
        return f"quotation marks {''.join(foreign)} are not this language's ({own[0]}…{own[1]})"
    return None


def double_space(text: str) -> str | None:
    return "two spaces in a row" if "  " in text else None


@dataclass(frozen=True)
class Rule:
    name: str
    #: Which locales the rule reads (by language), and how severe it is by default.
    applies: Callable[[str], bool]
    check: Callable[[str, str], str | None]
    default: Severity


def _language(locale_id: str) -> str:
    return locale_id.split("_")[0]


RULES: tuple[Rule, ...] = (
    Rule("french-spacing", lambda loc: _language(loc) == "fr", lambda t, _: french_spacing(t), "error"),
    Rule("cjk-punctuation", lambda loc: _language(loc) in {"zh", "ja"}, lambda t, _: cjk_punctuation(t),
         "error"),
    Rule("arabic-punctuation", lambda loc: _language(loc) == "ar", lambda t, _: arabic_punctuation(t),
         "error"),
    Rule("quotes", lambda loc: True, quotes, "warning"),
    Rule("double-space", lambda loc: True, lambda t, _: double_space(t), "error"),
)  # fmt: skip
RULE_NAMES = tuple(rule.name for rule in RULES)


class TypographyConfigError(ValueError):
    """``typography.toml`` names an unknown rule or severity."""


def load_severities(path: Path) -> dict[str, dict[str, Severity]]:
    """``[default]`` and ``[<locale>]`` tables of ``rule = "error" | "warning" | "off"``."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TypographyConfigError(f"{path}: {exc}") from None
    for section, table in data.items():
        if not isinstance(table, dict):
            raise TypographyConfigError(f"{path}: [{section}] must be a table of rule = severity")
        for rule, severity in table.items():
            if rule not in RULE_NAMES or severity not in SEVERITIES:
                raise TypographyConfigError(
                    f"{path}: [{section}] {rule} = {severity!r}: rules are {', '.join(RULE_NAMES)}; "
                    f"severities {', '.join(SEVERITIES)}"
                )
    return data


def severity(rule: Rule, locale_id: str, config: dict[str, dict[str, Severity]]) -> Severity:
    for section in (locale_id, "default"):
        if rule.name in config.get(section, {}):
            return config[section][rule.name]
    return rule.default


def typography_issues(
    text: str, locale_id: str, config: dict[str, dict[str, Severity]]
) -> list[tuple[str, Severity, str]]:
    """(rule, severity, message) for every rule this text breaks in this locale."""
    issues = []
    for rule in RULES:
        if not rule.applies(locale_id):
            continue
        level = severity(rule, locale_id, config)
        if level == "off":
            continue
        problem = rule.check(text, locale_id)
        if problem:
            issues.append((rule.name, level, problem))
    return issues
