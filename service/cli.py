"""``flask --app service errors …``: look entries up from the shell."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from .http.state import current_state
from .lookup import UnknownCode

errors_cli = AppGroup("errors", help="Look up error codes.")


@errors_cli.command("show")
@click.argument("code")
@click.option("--lang", help="Language tag, e.g. zh, zh-TW, pt.")
@click.option("--accept-language", help="An Accept-Language header to negotiate from.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON object.")
def show_command(code: str, lang: str | None, accept_language: str | None, as_json: bool) -> None:
    """Print one code's meaning and resolution."""
    try:
        entry = current_state().service.lookup(code, lang, accept_language=accept_language)
    except UnknownCode:
        raise click.ClickException(f"there is no error code {code}") from None
    if as_json:
        click.echo(json.dumps(entry.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{entry.code} [{entry.lang}] {entry.category_title}")
    click.echo(f"  {entry.meaning}")
    click.echo(f"  → {entry.resolution}" + (f" ({entry.help_url})" if entry.help_url else ""))


def init_app(app: Flask) -> None:
    from .export import export_command

    app.cli.add_command(errors_cli)
    app.cli.add_command(export_command)
