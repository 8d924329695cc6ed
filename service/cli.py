"""``flask --app service errors …``: look entries up from the shell."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from .http.state import current_state
from .lookup import InvalidParam, UnknownCode
from .registry import CODE_RE

errors_cli = AppGroup("errors", help="Look up error codes.")


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


def init_app(app: Flask) -> None:
    from .export import export_command

    app.cli.add_command(errors_cli)
    app.cli.add_command(export_command)
