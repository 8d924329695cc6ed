"""Fixtures: the app from its factory, a WSGI client, and a real HTTP server on loopback."""

from __future__ import annotations

import functools
import http.client
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from werkzeug.serving import make_server

from service import Settings, create_app
from service.catalogs import PSEUDO_LOCALES, discover_locale_ids
from service.registry import REGISTRY_PATH, ErrorEntry, load_registry

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
LOCALES = ROOT / "locales"
#: The documentation page the project started from (a copy of the seed table).
ORIGINAL_TABLE = DATA / "error_codes.md"
PYBABEL = shutil.which("pybabel") or str(Path(__file__).resolve().parents[1] / ".venv/bin/pybabel")

#: What is shipped, read from the data: the translated locales under locales/ (the
#: pseudo-locales are generated) and every code of the registry. Adding a language or a
#: code by the docs changes these, never the tests.
SHIPPED = [locale for locale in discover_locale_ids(LOCALES) if locale not in PSEUDO_LOCALES]
#: Every served catalog, pseudo-locales included (what /readyz counts).
SERVED = sorted([*SHIPPED, *PSEUDO_LOCALES])
REGISTRY = load_registry(REGISTRY_PATH)
#: A language no one will ever ship: ``qaa`` is reserved for private use (ISO 639-2,
#: RFC 5646 §2.2.1), so it stays unshipped whatever translators add.
UNSHIPPED = "qaa"


# What the catalogs serve today, read from the .po files: scenario tests pick their entries
# here, so a table update that leaves translations lagging changes the entries they use,
# never whether they pass (issue 21).


@functools.cache
def served_entries(locale_id: str) -> dict[str, polib.POEntry]:
    """msgctxt → entry, for the entries this shipped catalog serves: translated, not fuzzy."""
    catalog = polib.pofile(str(LOCALES / locale_id / "LC_MESSAGES" / "messages.po"))
    return {e.msgctxt: e for e in catalog.translated_entries() if e.msgctxt}


def lagging_fields(locale_id: str, code: str) -> set[str]:
    """The fields of ``code`` this locale's own catalog does not serve (they fall back)."""
    entry = REGISTRY.entries[code]
    served = served_entries(locale_id)
    fields = {name for name in ("meaning", "resolution") if entry.context(name) not in served}
    return fields | ({"category"} if REGISTRY.categories[entry.category].context not in served else set())


def example_code(
    *fields: str,
    locales: Iterable[str] = SHIPPED,
    where: Callable[[ErrorEntry], bool] | None = None,
    documented: bool = False,
) -> str:
    """The first code in the registry whose ``fields`` every one of ``locales`` serves
    translated (and for which ``where`` holds): a documented one if any, else one the table
    dropped (deprecated codes are served all the same) unless ``documented``; the test is
    skipped when the data has none."""
    locales = list(locales)
    candidates = [*REGISTRY.documented(), *([] if documented else
                  [e for e in REGISTRY.entries.values() if e.deprecated])]  # fmt: skip
    for entry in candidates:
        if where is not None and not where(entry):
            continue
        contexts = [entry.context(name) for name in fields]
        if all(context in served_entries(locale_id) for locale_id in locales for context in contexts):
            return entry.code
    if not fields:
        pytest.skip("no entry of the registry is of the kind this test needs")
    pytest.skip(f"no entry of the registry has {', '.join(fields)} translated in {', '.join(locales)}")


def served_text(locale_id: str, context: str, form: int = 0, **values: str) -> str:
    """The text this shipped catalog serves for ``context`` (its plural ``form`` for a
    count), with the placeholders named in ``values`` written as given; the test is
    skipped when the catalog does not serve it now. Tests that check a language's copy
    word for word read it here, so a table update that rewords the English (the entry
    turns fuzzy) or a translator's edit changes what they expect, never whether they pass
    (issue 21, item 8)."""
    entry = served_entries(locale_id).get(context)
    if entry is None:
        pytest.skip(f"{locale_id} does not serve {context} now (its English changed since)")
    text = entry.msgstr_plural[form] if entry.msgid_plural else entry.msgstr
    for name, value in values.items():
        text = text.replace(f"{{{name}}}", value)
    return text


def _by_count(entry: ErrorEntry) -> bool:
    return entry.count_param is not None and entry.count_param in entry.params_in("meaning")


def count_code(*locales: str, served: bool = True) -> tuple[str, str]:
    """``(code, placeholder)`` of the first code whose meaning is chosen by a count and is
    served in every one of ``locales`` (40112 and ``minutes`` in the seed); any such code
    when not ``served``."""
    code = example_code(*(["meaning"] if served else []), locales=locales or SHIPPED, where=_by_count)
    return code, REGISTRY.entries[code].count_param.name


def megabytes_code(*locales: str, served: bool = True) -> tuple[str, str]:
    """``(code, placeholder)`` of the first code whose meaning shows a size in megabytes and
    is served in every one of ``locales`` (50106 and ``max_size`` in the seed); any such
    code when not ``served``."""

    def in_megabytes(entry: ErrorEntry) -> bool:
        return any(p.kind == "size" and p.unit == "digital-megabyte" for p in entry.params_in("meaning"))

    code = example_code(*(["meaning"] if served else []), locales=locales or SHIPPED, where=in_megabytes)
    return code, next(p.name for p in REGISTRY.entries[code].params_in("meaning") if p.kind == "size")


def _any_code() -> str:
    entries = [*REGISTRY.documented(), *REGISTRY.entries.values()]
    return ([e for e in entries if _by_count(e)] or entries)[0].code


#: The code HTTP tests ask for when any known code will do: the first the registry documents
#: with a count in its meaning (40112 in the seed), so a table round that drops or prunes a
#: code changes which code they ask for, never whether they pass. Tests that send its count
#: take the placeholder from ``count_code(served=False)``.
CODE = _any_code()


def require_codes(*codes: str) -> None:
    """Skip a test (or, at import, a module) whose fixed page or sample app asks for
    ``codes`` by number, as an app's own code does, when a table round removed one with
    ``registry import --prune``."""
    missing = [code for code in codes if code not in REGISTRY.entries]
    if missing:
        pytest.skip(
            f"the registry no longer has {', '.join(missing)}, which this test's page asks for",
            allow_module_level=True,
        )


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class LiveServer:
    """The app served by Werkzeug's threaded server on 127.0.0.1, spoken to with http.client."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, headers=headers or {})
            resp = conn.getresponse()
            return Reply(resp.status, resp.headers, resp.read())
        finally:
            conn.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers)


@pytest.fixture(scope="session")
def app():
    return create_app(Settings(locales_dir=LOCALES))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live(app) -> Iterator[LiveServer]:
    server = LiveServer(app)
    server.thread.start()
    yield server
    server.server.shutdown()


@pytest.fixture
def parsed_headers(monkeypatch):
    """Record every Accept-Language value that reaches Werkzeug's parser in a module:
    ``parsed_headers(module)`` patches it and returns the (growing) list."""

    def record(module) -> list[str]:
        seen: list[str] = []
        real = module.parse_accept_header

        def recording(value, cls):
            seen.append(value)
            return real(value, cls)

        monkeypatch.setattr(module, "parse_accept_header", recording)
        return seen

    return record


def copy_locales(dest: Path) -> Path:
    """A scratch copy of the catalogs (sources and compiled), for tests that change them."""
    target = dest / "locales"
    shutil.copytree(LOCALES, target)
    return target


def compile_po(po: Path, locale_id: str) -> None:
    subprocess.run(
        [PYBABEL, "compile", "-l", locale_id, "-i", str(po), "-o", str(po.with_suffix(".mo"))],
        check=True,
        capture_output=True,
    )
