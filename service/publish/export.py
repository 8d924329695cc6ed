"""``flask --app service export OUTDIR``: every answer the API serves from memory, as files.

For a CDN or object store: the files are byte-identical to the API's bodies, with
``.gz`` and ``.br`` beside every one (the API's own compressed variants; for a body the
API sends uncompressed, being under 1 KB, variants made here: ``"api_variant": false`` in
the manifest), and a ``manifest.json`` mapping each file to its API URL, content type,
language and ETag. A static host (nginx's ``gzip_static``) then never sends a file raw.

    OUTDIR/errors/<tag>.json              GET /errors?lang=<tag> (and /errors/<tag>.json)
    OUTDIR/errors/<tag>/<category>.json   GET /errors?lang=<tag>&category=<category>
    OUTDIR/errors/<tag>/<code>.json       GET /errors/<code>?lang=<tag>
    OUTDIR/i18n/<tag>/errors.json         GET /i18n/<tag>/errors.json
    OUTDIR/i18n/<browser tag>/errors.json GET /i18n/zh-TW/errors.json, zh, zh-CN, pt, pt-PT, …
    OUTDIR/docs/errors/<tag>.md           GET /docs/errors/<tag>.md
    OUTDIR/reference/<tag>.html           GET /?lang=<tag>
    OUTDIR/locales.json                   GET /locales (and /locales.json)
    OUTDIR/client/<file>                  GET /client/<file>: errmsg.js, its types, package.json
    OUTDIR/client/package.tgz             GET /client/package.tgz (npm install by URL)
    OUTDIR/openapi.json                   GET /openapi.json
    OUTDIR/nginx.conf, OUTDIR/_headers    how to host it: CORS, types, caching (not in the manifest)

The i18next resources are also written under the tags browsers send for a shipped
language whose bare tag is not shipped (``zh-TW`` → zh-Hant, ``zh``/``zh-CN`` → zh-Hans,
``pt``/``pt-PT`` → pt-BR), as the service negotiates them: i18next asks for
``navigator.language`` and then its bare language, never for ``zh-Hant``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import click
from babel.localedata import locale_identifiers
from flask import current_app
from flask.cli import with_appcontext

from ..catalogs import bcp47
from ..http.pages import reference_page
from ..http.representations import ENCODERS, Prepared, Variant
from ..http.state import HttpState, current_state
from .docs import documented_locales

ENCODING_SUFFIX = {"gzip": ".gz", "br": ".br"}
#: The static host's configurations, copied to the export's root.
HOSTING_DIR = Path(__file__).resolve().parent / "hosting"
HOSTING_FILES = ("nginx.conf", "_headers")


def browser_tags(state: HttpState) -> dict[str, str]:
    """Tag a browser sends → the shipped locale the service negotiates for it, for each
    language whose bare tag is not itself shipped: the bare tag and each CLDR region."""
    table, negotiator = state.service.table, state.service.negotiator
    shipped = {bcp47(locale_id).lower() for locale_id in table.locale_ids}
    languages = {locale_id.split("_")[0] for locale_id in documented_locales(table)}
    regions: dict[str, set[str]] = {}
    for identifier in locale_identifiers():
        parts = identifier.split("_")
        if parts[0] in languages and len(parts) > 1 and len(parts[-1]) == 2 and parts[-1].isupper():
            regions.setdefault(parts[0], set()).add(parts[-1])
    aliases = {}
    for language in sorted(languages - shipped):
        for tag in [language, *(f"{language}-{region}" for region in sorted(regions.get(language, ())))]:
            locale_id = negotiator.match(tag)
            if tag.lower() not in shipped and locale_id is not None:
                aliases[tag] = locale_id
    return aliases


def _compressed(identity: Variant, encoding: str) -> Variant:
    """A variant the API does not keep (its body is too small to gain much), for the export:
    the ETag and headers the API would give it (its own scheme, ``"<etag>-<encoding>"``)."""
    body, etag = ENCODERS[encoding](identity.body), f'{identity.etag[:-1]}-{encoding}"'
    changed = {"Content-Length": str(len(body)), "ETag": etag}
    headers = (*((k, changed.get(k, v)) for k, v in identity.headers), ("Content-Encoding", encoding))
    return Variant(body, etag, headers, identity.not_modified_headers)


def export(state: HttpState, outdir: Path) -> dict[str, Any]:
    """Write every prepared representation under ``outdir``; return the manifest.

    Needs an app context: the reference pages are rendered by the app's templates.
    """
    if outdir.exists():
        shutil.rmtree(outdir)
    files: list[dict[str, Any]] = []

    def write(relative: str, url: str, prepared: Prepared | None, language: str | None) -> None:
        assert prepared is not None
        variants = [(None, prepared.identity, True), *((e, v, True) for e, v in prepared.encoded.items())]
        if not prepared.encoded and not relative.endswith(".tgz"):  # a tarball is gzip already
            variants += [(e, _compressed(prepared.identity, e), False) for e in ENCODERS]
        for encoding, variant, from_api in variants:
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
                    **({} if from_api else {"api_variant": False}),
                }
            )

    reps, table = state.representations, state.service.table
    for locale_id in table.locale_ids:
        tag = bcp47(locale_id)
        write(f"errors/{tag}.json", f"/errors?lang={tag}", reps.bundle(locale_id, None), tag)
        for category in table.registry.categories:
            url = f"/errors?lang={tag}&category={category}"
            write(f"errors/{tag}/{category}.json", url, reps.bundle(locale_id, category), tag)
        for code in table.registry.entries:
            write(
                f"errors/{tag}/{code}.json", f"/errors/{code}?lang={tag}", reps.single(locale_id, code), tag
            )
        write(f"i18n/{tag}/errors.json", f"/i18n/{tag}/errors.json", reps.i18next(locale_id), tag)
    for tag, locale_id in browser_tags(state).items():
        url = f"/i18n/{tag}/errors.json"
        write(f"i18n/{tag}/errors.json", url, reps.i18next(locale_id), bcp47(locale_id))
    for locale_id in documented_locales(table):
        tag = bcp47(locale_id)
        write(f"docs/errors/{tag}.md", f"/docs/errors/{tag}.md", reps.docs(locale_id), tag)
        # A fresh app context per page: flask-babel keeps the request's locale on `g`.
        with current_app.app_context(), current_app.test_request_context(f"/?lang={tag}"):
            write(f"reference/{tag}.html", f"/?lang={tag}", reference_page(locale_id), tag)
    write("locales.json", "/locales", state.locales, None)
    for name, prepared in state.client_files.items():
        write(f"client/{name}", f"/client/{name}", prepared, None)
    write("openapi.json", "/openapi.json", state.openapi, None)
    for name in HOSTING_FILES:
        shutil.copyfile(HOSTING_DIR / name, outdir / name)
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
