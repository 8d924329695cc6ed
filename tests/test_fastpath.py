"""The WSGI fast path answers exactly what Flask would, for every request it takes."""

from __future__ import annotations

import itertools

import pytest
from werkzeug.test import Client, EnvironBuilder

from service import Settings, create_app
from service.http.fastpath import FastPath

from .conftest import CODE, LOCALES, REGISTRY

LANGS = [None, "zh", "zh_TW", "ZH-hant", "pt", "klingon", "", "../../etc/passwd"]
HEADERS = [None, "zh-TW,zh;q=0.9,en-US;q=0.8", "es-MX,es;q=0.9", "*", "ja;q=0, en", "x" * 5000]
#: A code with a count (conftest.CODE), one with a size and one with a help link, as the
#: registry has them, and the bundle.
PATHS = [
    *(f"/errors/{code}" for code in dict.fromkeys([
        CODE,
        next((e.code for e in REGISTRY.entries.values() if any(p.kind == "size" for p in e.params)), CODE),
        next((e.code for e in REGISTRY.entries.values() if e.help_url), CODE),
    ])),
    "/errors",
]
#: A placeholder value in the query takes Flask's path (CODE's count, if it has one).
PARAM = next((p.name for p in REGISTRY.entries[CODE].params), "minutes")


def fastpath_of(app) -> FastPath:
    layer = app.wsgi_app
    while not isinstance(layer, FastPath):
        layer = layer.app  # the observability (and watch) layers wrap it
    return layer


def flask_only(app, environ: dict) -> tuple[int, list[tuple[str, str]], bytes]:
    resp = Client(fastpath_of(app).app).open(EnvironBuilder(environ_base=None, **environ).get_environ())
    return resp.status_code, sorted(resp.headers.to_wsgi_list()), resp.get_data()


def fast(app, environ: dict) -> tuple[int, list[tuple[str, str]], bytes] | None:
    env = EnvironBuilder(**environ).get_environ()
    answer = fastpath_of(app).answer(env)
    if answer is None:
        return None
    status, headers, body = answer
    return status, sorted(headers), b"" if env["REQUEST_METHOD"] == "HEAD" else body


def requests(etags: dict[str, str]):
    for path, lang, header, method in itertools.product(PATHS, LANGS, HEADERS, ["GET", "HEAD"]):
        query = "" if lang is None else f"lang={lang}"
        base = {"path": path, "query_string": query, "method": method}
        if header is not None:
            base["headers"] = {"Accept-Language": header}
        yield base
        yield {**base, "headers": {**base.get("headers", {}), "If-None-Match": etags[path]}}
        yield {**base, "headers": {**base.get("headers", {}), "Origin": "https://app.example.com"}}


@pytest.mark.parametrize("origins", [("*",), ("https://app.example.com",)])
def test_fast_path_is_byte_identical_to_flask(origins):
    app = create_app(Settings(locales_dir=LOCALES, cors_origins=origins))
    client = app.test_client()
    etags = {path: client.get(path, headers={"Accept-Language": "zh-TW"}).headers["ETag"] for path in PATHS}
    served = 0
    for environ in requests(etags):
        answer = fast(app, environ)
        assert answer is not None, environ
        assert answer == flask_only(app, environ), environ
        served += 1
    assert served == len(PATHS) * len(LANGS) * len(HEADERS) * 2 * 3


@pytest.mark.parametrize(
    "environ",
    [
        {"path": "/errors/99999"},
        {"path": "/errors/abc"},
        {"path": f"/errors/{CODE}", "query_string": f"lang=zh&{PARAM}=3"},
        {"path": f"/errors/{CODE}", "query_string": "lang=zh%2DTW"},
        {"path": f"/errors/{CODE}", "query_string": "lang=zh&lang=ja"},
        {"path": "/errors", "query_string": f"category={next(iter(REGISTRY.categories))}"},
        {"path": f"/errors/{CODE}", "method": "POST"},
        {"path": f"/errors/{CODE}", "method": "OPTIONS"},
        {"path": "/locales"},
        {"path": "/healthz"},
    ],
)
def test_everything_else_is_handed_to_flask(app, environ):
    assert fast(app, environ) is None


def test_the_fast_path_can_be_switched_off():
    app = create_app(Settings(locales_dir=LOCALES, fastpath=False))
    assert not isinstance(app.wsgi_app.app, FastPath)
    assert app.test_client().get(f"/errors/{CODE}?lang=zh").get_json()["lang"] == "zh-Hans"
