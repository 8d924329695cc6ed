"""TypeScript types for front ends, from the registry: ``service/client/codes.d.ts``.

What ``tsc`` needs to refuse a typo in a code or a placeholder: the ``ErrorCode`` union,
each code's placeholders (numbers, all optional: the service has defaults), the
category ids, the shipped language tags, and the i18next resources in the source
language (literal strings, so i18next's types see keys and ``{{name}}`` options).
The response and problem shapes come from ``/openapi.json`` through openapi-typescript
(``openapi.d.ts``); ``make types`` writes both, and a test checks them for drift.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from ..catalogs import PSEUDO_LOCALES, SOURCE_LOCALE, bcp47
from ..http.client_files import CLIENT_DIR
from ..http.i18next import i18next_json
from ..lookup import ErrorTable

CODES_DTS = CLIENT_DIR / "codes.d.ts"
CODES_JS = CLIENT_DIR / "codes.js"
OPENAPI_DTS = CLIENT_DIR / "openapi.d.ts"

HEADER = """\
// Generated from service/errors.toml and the catalogs by `make types`: do not edit.
// The client's own types are in errmsg.d.ts; the response shapes in openapi.d.ts.
"""


def _union(values: list[str], quote: bool = True) -> str:
    items = [json.dumps(v, ensure_ascii=False) if quote else v for v in values]
    return "\n".join(f"  | {item}" for item in items) if items else "  never"


def codes_dts(table: ErrorTable) -> str:
    registry = table.registry
    tags = sorted(bcp47(locale_id) for locale_id in table.locale_ids if locale_id not in PSEUDO_LOCALES)
    lines = [HEADER]
    lines.append("/** Every error code the service knows. */")
    lines.append(f"export type ErrorCode =\n{_union(list(registry.entries), quote=False)};\n")
    deprecated = [code for code, entry in registry.entries.items() if entry.deprecated]
    lines.append("/** Codes the vendor's table no longer lists; older APIs still send them. */")
    lines.append(f"export type DeprecatedCode =\n{_union(deprecated, quote=False)};\n")
    lines.append("/** The category ids (`category.id` of an entry). */")
    lines.append(f"export type CategoryId =\n{_union(list(registry.categories))};\n")
    lines.append("/** The shipped languages, as BCP 47 tags (pseudo-locales aside). */")
    lines.append(f"export type LanguageTag =\n{_union(tags)};\n")
    lines.append("/** Each code's placeholders: `never` where it takes none. */")
    lines.append("export interface ErrorParams {")
    for code, entry in registry.entries.items():
        if entry.deprecated:
            lines.append("  /** @deprecated No longer in the vendor's table; older APIs still send it. */")
        if not entry.params:
            lines.append(f"  {code}: never;")
            continue
        fields = "; ".join(
            f"{p.name}?: number /* {p.kind}, {p.min}..{p.max}, default {p.default} */" for p in entry.params
        )
        lines.append(f"  {code}: {{ {fields} }};")
    lines.append("}\n")
    resources = i18next_json(table, SOURCE_LOCALE)
    lines.append("/** i18next resources of the `errors` namespace, in the source language. */")
    lines.append("export interface ErrorResources " + json.dumps(resources, ensure_ascii=False, indent=2))
    return "\n".join(lines) + "\n"


def codes_js(table: ErrorTable) -> str:
    """``codes.js``: the codes as data, for ``isErrorCode`` (a type guard needs them at run time)."""
    codes = ", ".join(table.registry.entries)
    return (
        "// Generated from service/errors.toml by `make types`: do not edit.\n"
        "/** Every error code the service knows (`ErrorCode` in codes.d.ts). */\n"
        f"export const ERROR_CODES = Object.freeze([{codes}]);\n"
    )


def openapi_dts(document: dict, generator: Path) -> str:
    """``openapi.d.ts``: openapi-typescript's types for the document, as it writes them."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, "openapi.json"), Path(tmp, "openapi.d.ts")
        source.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        subprocess.run(
            [str(generator), str(source), "--output", str(target)], check=True, capture_output=True, text=True
        )
        return target.read_text(encoding="utf-8")
