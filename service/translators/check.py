"""Catalog quality gates for translators and CI, built on polib: the rules.

``flask --app service catalog check`` (:mod:`.commands`) reports, per locale, the
translated, fuzzy, untranslated and obsolete counts and every defect with ``file:line``:
placeholder mismatches, markup, whitespace or final punctuation that differ from the
source, entries that no longer match the template, and invalid headers or Plural-Forms.
The checks read the typography rules (:mod:`.typography`) and the glossary
(:mod:`.glossary`); placeholders are parsed by :mod:`.placeholders`.

``pybabel compile`` only warns about a malformed entry and compiles the rest, so
``make`` runs ``catalog validate`` first and a broken catalog stops the build.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from ..catalogs import (
    PSEUDO_LOCALES,
    SOURCE_LOCALE,
    CatalogError,
    bcp47,
    discover_locale_ids,
    po_path,
    validate_po,
)
from ..config import Settings
from ..registry import MARKUP_RE, REGISTRY_PATH, help_link_problem, is_link_context
from .glossary import GLOSSARY_FILE, Glossary, load_glossary
from .placeholders import placeholders
from .slugs import anchor_problem
from .typography import TYPOGRAPHY_FILE, load_severities, typography_issues

#: Markup or script in a translation: tags, entities, ``javascript:`` URLs.
UNSAFE_RE = re.compile(MARKUP_RE.pattern + r"|javascript\s*:", re.IGNORECASE)
#: Final punctuation, folded across scripts: CJK and Arabic marks equal the Latin ones.
FINAL_MARKS = {".": ".", "。": ".", "．": ".", "۔": ".", "!": "!", "！": "!", "?": "?", "？": "?",
               "؟": "?", ":": ":", "：": ":", "…": "…"}  # fmt: skip


@dataclass
class Finding:
    path: str
    line: int | None
    kind: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity} [{self.kind}] {self.message}"


@dataclass(frozen=True)
class Rules:
    """What the text checks read beyond the entry: the help base URL for links, the
    per-locale typography severities (``typography.toml``) and the glossary."""

    help_base_url: str = ""
    typography: dict = field(default_factory=dict)
    glossary: Glossary | None = None


@dataclass
class LocaleReport:
    locale: str
    path: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: Style findings a locale keeps as warnings (typography.toml): reported, not failed.
    warnings: list[Finding] = field(default_factory=list)

    @property
    def percent_translated(self) -> float:
        return round(100 * self.translated / self.total, 1) if self.total else 100.0

    def to_json(self) -> dict:
        return {**asdict(self), "percent_translated": self.percent_translated}


def final_mark(text: str) -> str | None:
    return FINAL_MARKS.get(text.rstrip()[-1:]) if text.strip() else None


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def single_value_forms(plural_expr: str) -> set[int]:
    """Plural forms chosen by exactly one number: they may spell it out (“one minute”)."""
    choose = gettext.c2py(plural_expr)
    counts: dict[int, int] = {}
    for n in range(1000):
        counts[choose(n)] = counts.get(choose(n), 0) + 1
    return {form for form, count in counts.items() if count == 1}


def _check_header(catalog: polib.POFile, locale_id: str, report: LocaleReport) -> str | None:
    """Check Language, charset and Plural-Forms; return the plural expression."""
    meta = catalog.metadata
    if meta.get("Language") != locale_id:
        report.findings.append(
            Finding(report.path, 1, "header", f"Language is {meta.get('Language')!r}, expected {locale_id!r}")
        )
    if "charset=utf-8" not in meta.get("Content-Type", "").lower():
        report.findings.append(Finding(report.path, 1, "header", "Content-Type must declare charset=utf-8"))
    expected = get_plural(PSEUDO_LOCALES.get(locale_id, locale_id))
    match = re.fullmatch(r"\s*nplurals=(\d+);\s*plural=(.+?);?\s*", meta.get("Plural-Forms", ""))
    if not match:
        report.findings.append(Finding(report.path, 1, "header", "Plural-Forms is missing or malformed"))
        return None
    nplurals, expr = int(match.group(1)), match.group(2)
    try:
        choose, reference = gettext.c2py(expr), gettext.c2py(expected.plural_expr)
        agrees = nplurals == expected.num_plurals and all(choose(n) == reference(n) for n in range(1000))
    except ValueError:
        agrees = False
    if not agrees:
        report.findings.append(
            Finding(
                report.path,
                1,
                "plural-forms",
                f"Plural-Forms differs from CLDR: expected {expected.plural_forms}",
            )
        )
        return None
    return expr


def _label(entry: polib.POEntry) -> str:
    return entry.msgctxt or (f'"{entry.msgid[:40]}…"' if len(entry.msgid) > 40 else f'"{entry.msgid}"')


def msgstr_lines(source_lines: list[str], first: int) -> list[int]:
    """The lines of an entry's ``msgstr`` (or each ``msgstr[N]``), where a translator fixes it;
    polib's ``linenum`` is the entry's first comment. ``first`` counts from 1."""
    found: list[int] = []
    for number in range(first, len(source_lines) + 1):
        line = source_lines[number - 1]
        if line.startswith("msgstr"):
            found.append(number)
        elif found and not line.startswith('"'):
            break
    return found or [first]


def _check_entry(
    entry: polib.POEntry,
    report: LocaleReport,
    loose_forms: set[int],
    generated: bool,
    rules: Rules,
    lines: list[int],
) -> None:
    label = _label(entry)
    if is_link_context(entry.msgctxt):
        kept = not entry.msgstr or entry.msgstr == entry.msgid  # the registry's own link
        problem = None if kept else help_link_problem(entry.msgstr, rules.help_base_url)
        problem = problem or (None if kept else anchor_problem(entry.msgstr))
        if problem:
            report.findings.append(Finding(report.path, lines[0], "link", f"{label}: {problem}"))
        return
    forms = sorted(entry.msgstr_plural.items()) if entry.msgid_plural else [(0, entry.msgstr)]
    for index, text in forms:
        if not text:
            continue
        source = entry.msgid if index == 0 or not entry.msgid_plural else entry.msgid_plural
        found = report.findings.append
        line = lines[min(index, len(lines) - 1)]

        have, want = placeholders(text), placeholders(source)
        if have - want:
            found(
                Finding(report.path, line, "placeholder", f"{label}: unknown {sorted(have - want)}")
            )
        if want - have and not (entry.msgid_plural and index in loose_forms):
            found(
                Finding(report.path, line, "placeholder", f"{label}: missing {sorted(want - have)}")
            )
        if UNSAFE_RE.search(text):
            found(Finding(report.path, line, "markup", f"{label}: markup or script in translation"))
        if generated:
            continue  # pseudo-locales decorate the edges on purpose
        if _edges(text) != _edges(source):
            found(
                Finding(report.path, line, "whitespace", f"{label}: leading/trailing spaces differ")
            )
        if final_mark(text) != final_mark(source):
            found(Finding(report.path, line, "punctuation", f"{label}: final punctuation differs"))
        for rule, level, problem in typography_issues(text, report.locale, rules.typography):
            finding = Finding(report.path, line, rule, f"{label}: {problem}", level)
            (found if level == "error" else report.warnings.append)(finding)
    if rules.glossary is not None and not generated and entry.translated():
        for problem in rules.glossary.issues(entry, report.locale):
            found(Finding(report.path, lines[0], "glossary", f"{label}: {problem}"))


def _check_glossary_terms(locale_id: str, report: LocaleReport, rules: Rules) -> None:
    """A language the glossary does not know yet is a warning, not an error: the check
    cannot hold it to terms nobody chose, and saying so is how a new language learns the step."""
    glossary = rules.glossary
    if glossary is None or locale_id in PSEUDO_LOCALES or locale_id == SOURCE_LOCALE:
        return
    missing = glossary.missing(locale_id)
    if missing:
        tag = bcp47(locale_id)
        report.warnings.append(
            Finding(
                str(glossary.path),
                None,
                "glossary",
                f"{tag}: no term for {', '.join(missing)}: add a <langSec xml:lang=\"{tag}\"> with "
                f"your term to each concept (TRANSLATING.md, \"Add a language\", step 3)",
                "warning",
            )
        )


def check_locale(
    locales_dir: Path,
    locale_id: str,
    template: polib.POFile,
    *,
    require_complete: bool = True,
    rules: Rules | None = None,
) -> LocaleReport:
    rules = rules or Rules()
    path = po_path(locales_dir, locale_id)
    report = LocaleReport(locale_id, str(path))
    try:
        validate_po(path)
    except CatalogError as exc:
        line = re.search(r":(\d+):", str(exc))
        report.findings.append(Finding(str(path), int(line.group(1)) if line else None, "syntax", str(exc)))
        return report
    catalog = polib.pofile(str(path))
    source_lines = path.read_text(encoding="utf-8").splitlines()
    _check_glossary_terms(locale_id, report, rules)
    expr = _check_header(catalog, locale_id, report)
    loose_forms = single_value_forms(expr) if expr else set()
    declared = re.search(r"nplurals=(\d+)", catalog.metadata.get("Plural-Forms", ""))
    nplurals = int(declared.group(1)) if declared else 1

    wanted = {(e.msgctxt, e.msgid) for e in template if not e.obsolete}
    present = set()
    for entry in catalog:
        if entry.obsolete:
            report.obsolete += 1
            continue
        key = (entry.msgctxt, entry.msgid)
        present.add(key)
        lines = msgstr_lines(source_lines, entry.linenum)
        if key not in wanted:
            report.findings.append(
                Finding(report.path, lines[0], "stale", f"{_label(entry)}: not in the "
                        "template (the registry changed); run `make catalogs`")
            )  # fmt: skip
            continue
        report.total += 1
        if "fuzzy" in entry.flags:
            report.fuzzy += 1
            if require_complete:
                report.findings.append(
                    Finding(report.path, lines[0], "fuzzy", f"{_label(entry)}: needs review")
                )
        elif entry.translated():
            report.translated += 1
        else:
            report.untranslated += 1
            if require_complete:
                report.findings.append(Finding(report.path, lines[0], "untranslated", _label(entry)))
        if entry.msgid_plural and len(entry.msgstr_plural) != nplurals:
            report.findings.append(
                Finding(
                    report.path, lines[0], "plural-forms", f"{entry.msgctxt}: needs {nplurals} forms"
                )
            )
        # A fuzzy entry is never served (English is); with --allow-incomplete its text, often
        # msgmerge's guess from a neighbouring entry, waits for review like an untranslated one.
        if require_complete or "fuzzy" not in entry.flags:
            _check_entry(entry, report, loose_forms, locale_id in PSEUDO_LOCALES, rules, lines)
    for context, msgid in sorted(wanted - present, key=str):
        report.total += 1
        report.untranslated += 1
        report.findings.append(
            Finding(
                report.path,
                None,
                "missing",
                f"{context or repr(msgid[:40])}: not in this catalog; run `make update`",
            )
        )
    return report


def check_template(locales_dir: Path, registry_path: Path) -> tuple[polib.POFile, list[Finding]]:
    """Load ``messages.pot`` and compare its registry entries with ``errors.toml``."""
    from ..registry import load_registry
    from .extract import registry_messages

    pot = locales_dir / "messages.pot"
    validate_po(pot)
    template = polib.pofile(str(pot))
    in_template = {
        (e.msgctxt, e.msgid)
        for e in template
        if e.msgctxt and any(path.endswith(registry_path.name) for path, _ in e.occurrences)
    }
    in_registry = {  # the entries with a msgctxt; header cells are the reference page's words too
        (messages[0], messages[1])
        for _, funcname, messages, _ in registry_messages(load_registry(registry_path))
        if funcname != "gettext"
    }
    findings = []
    for key in sorted(in_template ^ in_registry):
        why = "not in the registry" if key in in_template else "not extracted"
        findings.append(Finding(str(pot), None, "drift", f"{key[0]}: {why}; run `make catalogs`"))
    return template, findings


def check_all(
    locales_dir: Path,
    locale_ids: Iterable[str] | None = None,
    *,
    registry_path: Path = REGISTRY_PATH,
    require_complete: bool = True,
) -> tuple[list[LocaleReport], list[Finding]]:
    template, template_findings = check_template(locales_dir, registry_path)
    ids = list(locale_ids) if locale_ids else discover_locale_ids(locales_dir)
    rules = Rules(
        help_base_url=Settings.from_env().help_base_url,
        typography=load_severities(locales_dir / TYPOGRAPHY_FILE),
        glossary=load_glossary(locales_dir / GLOSSARY_FILE),
    )
    reports = [
        check_locale(locales_dir, i, template, require_complete=require_complete, rules=rules) for i in ids
    ]
    return reports, template_findings


def format_report(reports: list[LocaleReport], template_findings: list[Finding]) -> str:
    lines = [f"{'locale':<8} {'translated':>16} {'fuzzy':>6} {'untranslated':>13} {'obsolete':>9}  result"]
    for r in reports:
        done = f"{r.translated}/{r.total} ({r.percent_translated:g}%)"
        result = "ok" if not r.findings else f"{len(r.findings)} error(s)"
        lines.append(f"{r.locale:<8} {done:>16} {r.fuzzy:>6} {r.untranslated:>13} {r.obsolete:>9}  {result}")
    findings = template_findings + [f for r in reports for f in r.findings]
    warnings = [f for r in reports for f in r.warnings]
    lines.extend(str(f) for f in findings + warnings)
    lines.append(f"{len(findings)} error(s), {len(warnings)} warning(s) in {len(reports)} catalog(s)")
    return "\n".join(lines)
