"""Catalog quality gates for translators and CI, built on polib.

``flask --app service catalog check`` reports, per locale, the translated, fuzzy,
untranslated and obsolete counts and every defect with ``file:line``: placeholder
mismatches, markup, whitespace or final punctuation that differ from the source,
entries that no longer match the template, and invalid headers or Plural-Forms.
It is a Flask CLI plugin (``flask.commands`` entry point) that never builds the
app, so it still runs when the catalogs are too broken for the service to start.

``pybabel compile`` only warns about a malformed entry and compiles the rest, so
``make`` runs ``catalog validate`` first and a broken catalog stops the build.
"""

from __future__ import annotations

import gettext
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click
import polib
from babel.messages.plurals import get_plural

from .catalogs import PSEUDO_LOCALES, CatalogError, discover_locale_ids, po_path, validate_po
from .config import Settings
from .glossary import GLOSSARY_FILE, Glossary, GlossaryError, load_glossary
from .registry import MARKUP_RE, REGISTRY_PATH, RegistryError, help_link_problem, is_link_context
from .typography import TYPOGRAPHY_FILE, TypographyConfigError, load_severities, typography_issues

#: ``{name}`` (python-brace-format) and ``%(name)s`` (python-format) placeholders.
PLACEHOLDER_RE = re.compile(r"\{(\w*)\}|%\((\w+)\)[sd]")
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


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER_RE.findall(text)}


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


def _check_entry(
    entry: polib.POEntry, report: LocaleReport, loose_forms: set[int], generated: bool, rules: Rules
) -> None:
    label = _label(entry)
    if is_link_context(entry.msgctxt):
        kept = not entry.msgstr or entry.msgstr == entry.msgid  # the registry's own link
        problem = None if kept else help_link_problem(entry.msgstr, rules.help_base_url)
        if problem:
            report.findings.append(Finding(report.path, entry.linenum, "link", f"{label}: {problem}"))
        return
    forms = sorted(entry.msgstr_plural.items()) if entry.msgid_plural else [(0, entry.msgstr)]
    for index, text in forms:
        if not text:
            continue
        source = entry.msgid if index == 0 or not entry.msgid_plural else entry.msgid_plural
        found = report.findings.append

        have, want = placeholders(text), placeholders(source)
        if have - want:
            found(
                Finding(report.path, entry.linenum, "placeholder", f"{label}: unknown {sorted(have - want)}")
            )
        if want - have and not (entry.msgid_plural and index in loose_forms):
            found(
                Finding(report.path, entry.linenum, "placeholder", f"{label}: missing {sorted(want - have)}")
            )
        if UNSAFE_RE.search(text):
            found(Finding(report.path, entry.linenum, "markup", f"{label}: markup or script in translation"))
        if generated:
            continue  # pseudo-locales decorate the edges on purpose
        if _edges(text) != _edges(source):
            found(
                Finding(report.path, entry.linenum, "whitespace", f"{label}: leading/trailing spaces differ")
            )
        if final_mark(text) != final_mark(source):
            found(Finding(report.path, entry.linenum, "punctuation", f"{label}: final punctuation differs"))
        for rule, level, problem in typography_issues(text, report.locale, rules.typography):
            finding = Finding(report.path, entry.linenum, rule, f"{label}: {problem}", level)
            (found if level == "error" else report.warnings.append)(finding)
    if rules.glossary is not None and not generated and entry.translated():
        for problem in rules.glossary.issues(entry, report.locale):
            found(Finding(report.path, entry.linenum, "glossary", f"{label}: {problem}"))


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
        if key not in wanted:
            report.findings.append(
                Finding(report.path, entry.linenum, "stale", f"{_label(entry)}: not in the "
                        "template (the registry changed); run `make catalogs`")
            )  # fmt: skip
            continue
        report.total += 1
        if "fuzzy" in entry.flags:
            report.fuzzy += 1
            if require_complete:
                report.findings.append(
                    Finding(report.path, entry.linenum, "fuzzy", f"{_label(entry)}: needs review")
                )
        elif entry.translated():
            report.translated += 1
        else:
            report.untranslated += 1
            if require_complete:
                report.findings.append(Finding(report.path, entry.linenum, "untranslated", _label(entry)))
        if entry.msgid_plural and len(entry.msgstr_plural) != nplurals:
            report.findings.append(
                Finding(
                    report.path, entry.linenum, "plural-forms", f"{entry.msgctxt}: needs {nplurals} forms"
                )
            )
        _check_entry(entry, report, loose_forms, locale_id in PSEUDO_LOCALES, rules)
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
    from .extract import registry_messages
    from .registry import load_registry

    pot = locales_dir / "messages.pot"
    validate_po(pot)
    template = polib.pofile(str(pot))
    in_template = {
        (e.msgctxt, e.msgid)
        for e in template
        if e.msgctxt and any(path.endswith(registry_path.name) for path, _ in e.occurrences)
    }
    in_registry = {
        (messages[0], messages[1]) for _, _, messages, _ in registry_messages(load_registry(registry_path))
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


@click.group("catalog")
def catalog_cli() -> None:
    """Check, validate and generate the gettext catalogs."""


def _locales_dir_option(func):
    return click.option(
        "--locales-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=lambda: Settings.from_env().locales_dir,
        help="Catalog folder (default: ERRMSG_LOCALES_DIR or the checkout's locales/).",
    )(func)


@catalog_cli.command("check")
@_locales_dir_option
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: Settings.from_env().registry_path,
    help="The registry the template must match (default: ERRMSG_REGISTRY or service/errors.toml).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--allow-incomplete", is_flag=True, help="Do not count fuzzy or untranslated entries as errors."
)
@click.argument("locales", nargs=-1)
def check_command(
    locales_dir: Path, registry: Path, as_json: bool, allow_incomplete: bool, locales: tuple[str, ...]
) -> None:
    """Report every catalog's completion and defects; exit 1 on any error."""
    try:
        reports, template_findings = check_all(
            locales_dir, locales, registry_path=registry, require_complete=not allow_incomplete
        )
    except (CatalogError, RegistryError, TypographyConfigError, GlossaryError) as exc:
        raise click.ClickException(str(exc)) from None
    errors = len(template_findings) + sum(len(r.findings) for r in reports)
    if as_json:
        payload = {
            "errors": errors,
            "template": [asdict(f) for f in template_findings],
            "locales": [r.to_json() for r in reports],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(reports, template_findings))
    sys.exit(1 if errors else 0)


@catalog_cli.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def validate_command(files: tuple[Path, ...]) -> None:
    """Strict syntax check of .po files (run by make before compiling)."""
    failed = 0
    for path in files:
        try:
            validate_po(path)
        except CatalogError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
    sys.exit(1 if failed else 0)


@catalog_cli.command("pseudo")
@_locales_dir_option
def pseudo_command(locales_dir: Path) -> None:
    """Write the en-XA and ar-XB pseudo-locales from messages.pot."""
    from .pseudo import write_pseudo_catalogs

    for path in write_pseudo_catalogs(locales_dir):
        click.echo(f"wrote {path}")


def _xliff_tools():  # type: ignore[no-untyped-def]
    """service.xliff, or a clear word on how to install translate-toolkit."""
    try:
        from . import xliff
    except ModuleNotFoundError as exc:
        raise click.ClickException(
            f"XLIFF needs the translators' tools ({exc.name} is missing): run `make install-translators`"
        ) from None
    return xliff


def _catalog_path(locales_dir: Path, locale: str) -> Path:
    locale_id = locale.replace("-", "_")
    if locale_id not in discover_locale_ids(locales_dir) or locale_id in PSEUDO_LOCALES:
        raise click.BadParameter(
            f"{locale!r} is not a translated catalog in {locales_dir}", param_hint="LOCALE"
        )
    return po_path(locales_dir, locale_id)


@catalog_cli.command("xliff-export")
@_locales_dir_option
@click.argument("locale")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def xliff_export_command(locales_dir: Path, locale: str, output: Path) -> None:
    """Write LOCALE's catalog as XLIFF 1.2 for a CAT tool (Trados, memoQ, Phrase)."""
    export_xliff = _xliff_tools().export_xliff
    try:
        data = export_xliff(_catalog_path(locales_dir, locale))
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from None
    output.write_bytes(data)
    click.echo(f"wrote {output}: translate it, then `catalog xliff-import {locale} {output}`")


@catalog_cli.command("xliff-import")
@_locales_dir_option
@click.argument("locale")
@click.argument("xliff_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def xliff_import_command(locales_dir: Path, locale: str, xliff_file: Path, dry_run: bool) -> None:
    """Bring a translated XLIFF back into LOCALE's catalog (translations and fuzzy state)."""
    xliff = _xliff_tools()
    XliffError, import_xliff = xliff.XliffError, xliff.import_xliff
    path = _catalog_path(locales_dir, locale)
    try:
        report = import_xliff(path, xliff_file.read_bytes(), dry_run=dry_run)
    except (XliffError, CatalogError) as exc:
        raise click.ClickException(f"{xliff_file}: {exc}; {path} is unchanged") from None
    for label in report.updated:
        click.echo(f"updated {label}")
    done = "would update" if dry_run else "updated"
    click.echo(f"{path}: {done} {len(report.updated)}, unchanged {report.unchanged}; then `make catalogs`")


if __name__ == "__main__":
    catalog_cli()
