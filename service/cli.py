"""``flask --app service errors …`` and ``docs``: look entries up, write the documentation pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from .catalogs import bcp47
from .http.state import current_state
from .lookup import InvalidParam, UnknownCode
from .publish.docs import LINK_STYLES, LinkStyle, documented_locales, remove_stale_pages, write_pages
from .registry import CODE_RE

errors_cli = AppGroup("errors", help="Look up error codes.")


class StartUpFailed(click.ClickException):
    """The app could not be built for a ``flask --app service`` command: one line and
    exit 3, as ``python -m service.serve`` says it, instead of a traceback."""

    exit_code = 3

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(f"errmsg: cannot start: {self.format_message()}", file=file, err=True)

#: Where ``make docs`` writes the pages (relative to the working directory).
DOCS_DIR = Path("docs/errors")


@errors_cli.command("show")
@click.argument("code")
@click.option("--lang", help="Language tag, e.g. zh, zh-TW, pt.")
@click.option("--accept-language", help="An Accept-Language header to negotiate from.")
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A placeholder value, e.g. minutes=5."
)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON object.")
def show_command(
    code: str, lang: str | None, accept_language: str | None, params: tuple[str, ...], as_json: bool
) -> None:
    """Print one code's meaning and resolution."""
    if not CODE_RE.fullmatch(code):
        raise click.ClickException(f"{code!r} is malformed: an error code is five digits, such as 40112")
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[name] = value
    service = current_state().service
    known = service.table.registry.entries.get(code)
    if known is None:
        raise click.ClickException(f"there is no error code {code}")
    unknown = sorted(set(values) - {p.name for p in known.params})
    if unknown:
        takes = ", ".join(p.name for p in known.params) or "none"
        raise click.BadParameter(f"{code} has no placeholder {', '.join(unknown)} (it takes: {takes})",
                                 param_hint="--param")  # fmt: skip
    try:
        entry = service.lookup(code, lang, accept_language=accept_language, params=values)
    except UnknownCode:
        raise click.ClickException(f"there is no error code {code}") from None
    except InvalidParam as exc:
        raise click.BadParameter(str(exc), param_hint="--param") from None
    if as_json:
        click.echo(json.dumps(entry.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{entry.code} [{entry.lang}] {entry.category_title}")
    click.echo(f"  {entry.meaning}")
    click.echo(f"  → {entry.resolution}" + (f" ({entry.help_url})" if entry.help_url else ""))


@click.command("docs")
@click.option("--lang", help="One page only, by its language tag (zh-Hans); default: every shipped one.")
@click.option(
    "--out",
    default=DOCS_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder the pages are written to.",
)
@click.option(
    "--links",
    type=click.Choice(LINK_STYLES),
    default="html",
    show_default=True,
    help='Help links as the original page writes them (<a href=… target="_blank">) or as Markdown.',
)
@click.option(
    "--base-url", default="", help="Prefix for help links that are paths, e.g. https://docs.example.com."
)
@with_appcontext
def docs_command(lang: str | None, out: Path, links: LinkStyle, base_url: str) -> None:
    """Write the error-code table as one Markdown page per language (docs/errors/<tag>.md)."""
    table = current_state().service.table
    only = None
    if lang is not None:
        tags = {bcp47(locale_id).lower(): locale_id for locale_id in documented_locales(table)}
        only = tags.get(lang.lower())
        if only is None:
            pages = ", ".join(sorted(map(bcp47, tags.values())))
            raise click.BadParameter(f"{lang!r} is not shipped (pages: {pages})", param_hint="--lang")
    pages = write_pages(table, out, links=links, base_url=base_url, only=only)
    for path in (path for path, changed in pages.items() if changed):
        click.echo(f"wrote {path}")
    for path in remove_stale_pages(table, out) if only is None else []:
        click.echo(f"removed {path} (the language is no longer shipped)")
    click.echo(f"{len(pages)} page(s) in {out}, {sum(pages.values())} changed")


@click.command("types")
@click.option(
    "--openapi-typescript",
    "generator",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The openapi-typescript executable; without it only codes.d.ts is written.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The client package's folder; default: the one beside this code (the Makefile "
    "passes the project's own service/client, so a copy of the project never writes here).",
)
@with_appcontext
def types_command(generator: Path | None, out: Path | None) -> None:
    """Write the client's generated files: codes.d.ts and codes.js (registry), openapi.d.ts
    (openapi-typescript)."""
    from .files import write_if_changed
    from .publish.typescript import CODES_DTS, CODES_JS, OPENAPI_DTS, codes_dts, codes_js, openapi_dts

    state = current_state()
    folder = out or CODES_DTS.parent
    outputs = {
        folder / CODES_DTS.name: codes_dts(state.service.table),
        folder / CODES_JS.name: codes_js(state.service.table),
    }
    if generator is not None:
        outputs[folder / OPENAPI_DTS.name] = openapi_dts(json.loads(state.openapi.body), generator)
    for path, text in outputs.items():
        click.echo(f"{'wrote' if write_if_changed(path, text) else 'unchanged'} {path}")


def init_app(app: Flask) -> None:
    from .publish.export import export_command

    app.cli.add_command(errors_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(docs_command)
    app.cli.add_command(types_command)
