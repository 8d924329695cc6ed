"""``flask --app service catalog …``: the translators' commands over the catalogs.

``check`` runs the rules of :mod:`.check`, ``validate`` the strict syntax check,
``pseudo`` writes the pseudo-locales (:mod:`.pseudo`), ``xliff-export`` and
``xliff-import`` go through :mod:`.xliff` (translate-toolkit, the translators' extra),
``table-import`` brings a translated documentation page in (:mod:`.table_import`).
It is a Flask CLI plugin (``flask.commands`` entry point) that never builds the
app, so it still runs when the catalogs are too broken for the service to start;
``make`` runs it as ``python -m service.translators.commands``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from ..catalogs import PSEUDO_LOCALES, CatalogError, discover_locale_ids, po_path, validate_po
from ..config import Settings
from ..files import write_if_changed
from ..registry import RegistryError
from .check import check_all, format_report
from .glossary import GlossaryError
from .typography import TypographyConfigError


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


def _registry_option(what: str):  # type: ignore[no-untyped-def]
    return click.option(
        "--registry",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: Settings.from_env().registry_path,
        help=f"The registry {what} (default: ERRMSG_REGISTRY or service/errors.toml).",
    )


@catalog_cli.command("check")
@_locales_dir_option
@_registry_option("the template must match")
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
    """service.translators.xliff, or a clear word on how to install translate-toolkit."""
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


@catalog_cli.command("table-import")
@_locales_dir_option
@_registry_option("the page's codes must match")
@click.argument("locale")
@click.argument(
    "table_file", metavar="TABLE.md", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def table_import_command(
    locales_dir: Path, registry: Path, locale: str, table_file: Path, dry_run: bool
) -> None:
    """Bring a translated documentation page (the English page's layout) into LOCALE's catalog."""
    from ..publish.page import TableError, parse_table
    from ..registry import load_registry
    from .table_import import import_page

    path = _catalog_path(locales_dir, locale)
    try:
        table = parse_table(table_file.read_text(encoding="utf-8"), str(table_file))
        report = import_page(
            path,
            table,
            load_registry(registry),
            help_base_url=Settings.from_env().help_base_url,
            dry_run=dry_run,
        )
    except (TableError, RegistryError, CatalogError) as exc:
        raise click.ClickException(f"{exc}; {path} is unchanged") from None
    for label in report.changed:
        click.echo(f"{'would change' if dry_run else 'changed'} {label}")
    for label in report.added:
        click.echo(f"note: {label} is new English the catalog lacks; `make catalogs` puts it in place")
    for label in report.kept_fuzzy:
        click.echo(f"kept fuzzy {label}: the page has its fuzzy translation; confirm it in the catalog")
    for label in report.still_english:
        click.echo(f"left as is {label}: the page shows its English, as pages do until it is translated")
    for note in report.notes:
        click.echo(f"note: {note}")
    done = "would change" if dry_run else "changed"
    then = "dry run: nothing written" if dry_run else "then `make catalogs`"
    click.echo(
        f"{path}: {done} {len(report.changed)}, kept fuzzy {len(report.kept_fuzzy)}, "
        f"left as is (English on the page) {len(report.still_english)}, unchanged {report.unchanged}; {then}"
    )


@catalog_cli.command("mend-update")
@click.argument("before", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("updated", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def mend_update_command(before: Path, updated: Path) -> None:
    """Mend what `pybabel update` made of BEFORE, in UPDATED (the Makefile runs it): keep
    previous English, no guesses from other entries, returning codes get their text back."""
    from .update import mend

    mend(before, updated)


@catalog_cli.command("launch")
@_locales_dir_option
def launch_command(locales_dir: Path) -> None:
    """Record in launched.txt every language that has reached ERRMSG_NEGOTIABLE_PERCENT.

    A language is chosen from Accept-Language once it reaches the threshold, and from then
    on for good: a later change of the English that pulls it below leaves it launched
    (its changed entries fall back field by field). Nothing is ever removed here, except
    languages no longer shipped; `make catalogs` runs this after compiling."""
    from ..catalogs import LAUNCHED_FILE, load_catalogs, load_launched, load_template_keys, percent_translated

    settings = Settings.from_env()
    try:
        catalogs = load_catalogs(locales_dir)
        keys = load_template_keys(locales_dir)
        launched = load_launched(locales_dir)
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from None
    threshold = settings.negotiable_percent
    reached = {
        locale_id
        for locale_id, catalog in catalogs.items()
        if locale_id not in PSEUDO_LOCALES and percent_translated(catalog, keys) >= threshold
    }
    shipped = (launched & catalogs.keys()) | reached
    for locale_id in sorted(shipped - launched):
        click.echo(f"launched {locale_id}: chosen from Accept-Language from now on")
    text = (
        "# Languages chosen from Accept-Language: each was added by `make catalogs` when it first\n"
        "# reached ERRMSG_NEGOTIABLE_PERCENT, and stays when a change of the English pulls it below.\n"
        "# Remove a line to take a language back to ?lang= only.\n"
        + "".join(f"{locale_id}\n" for locale_id in sorted(shipped))
    )
    write_if_changed(locales_dir / LAUNCHED_FILE, text)


if __name__ == "__main__":
    catalog_cli()
