"""``flask --app service export OUTDIR``: every answer the API serves from memory, as files.

For a CDN or object store: the files are byte-identical to the API's bodies, with
``.gz`` and ``.br`` beside the bundles (the API's own compressed variants), and a
``manifest.json`` mapping each file to its API URL, content type, language and ETag.

    OUTDIR/errors/<tag>.json              GET /errors?lang=<tag>
    OUTDIR/errors/<tag>/<category>.json   GET /errors?lang=<tag>&category=<category>
    OUTDIR/errors/<tag>/<code>.json       GET /errors/<code>?lang=<tag>
    OUTDIR/i18n/<tag>/errors.json         GET /i18n/<tag>/errors.json
    OUTDIR/locales.json                   GET /locales
    OUTDIR/openapi.json                   GET /openapi.json
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from .catalogs import bcp47
from .http.representations import Prepared
from .http.state import HttpState, current_state

ENCODING_SUFFIX = {"gzip": ".gz", "br": ".br"}


def export(state: HttpState, outdir: Path) -> dict[str, Any]:
    """Write every prepared representation under ``outdir``; return the manifest."""
    if outdir.exists():
        shutil.rmtree(outdir)
    files: list[dict[str, Any]] = []

    def write(relative: str, url: str, prepared: Prepared, language: str | None) -> None:
        for encoding, variant in [(None, prepared.identity), *prepared.encoded.items()]:
            name = relative + (ENCODING_SUFFIX[encoding] if encoding else "")
            path = outdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(variant.body)
            files.append(
                {
                    "path": name,
                    "url": url,
                    "content_type": dict(variant.headers)["Content-Type"],
                    "content_encoding": encoding,
                    "content_language": language,
                    "etag": variant.etag,
                    "bytes": len(variant.body),
                    "sha256": hashlib.sha256(variant.body).hexdigest(),
                }
            )

    reps = state.representations
    for (locale_id, category), prepared in reps.bundles.items():
        tag = bcp47(locale_id)
        if category is None:
            write(f"errors/{tag}.json", f"/errors?lang={tag}", prepared, tag)
        else:
            write(f"errors/{tag}/{category}.json", f"/errors?lang={tag}&category={category}", prepared, tag)
    for (locale_id, code), prepared in reps.single.items():
        tag = bcp47(locale_id)
        write(f"errors/{tag}/{code}.json", f"/errors/{code}?lang={tag}", prepared, tag)
    for locale_id, prepared in reps.i18next.items():
        tag = bcp47(locale_id)
        write(f"i18n/{tag}/errors.json", f"/i18n/{tag}/errors.json", prepared, tag)
    write("locales.json", "/locales", state.locales, None)
    write("openapi.json", "/openapi.json", state.openapi, None)
    manifest = {"generator": "errmsg export", "files": sorted(files, key=lambda f: f["path"])}
    (outdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return manifest


@click.command("export")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(outdir: Path) -> None:
    """Write every bundle, single-code body and i18next resource as static files."""
    manifest = export(current_state(), outdir)
    click.echo(f"wrote {len(manifest['files'])} files and manifest.json to {outdir}")
