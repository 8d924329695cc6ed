"""Front-end integration through the real app: bundles, i18next, export, CORS, OpenAPI, page."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import polib
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from markupsafe import escape
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.exceptions import abort, default_exceptions

from service import Settings, create_app
from service.http.client_files import client_file_names
from service.publish.export import browser_tags

from .conftest import (
    CODE,
    LOCALES,
    REGISTRY,
    ROOT,
    SERVED,
    SHIPPED,
    compile_po,
    copy_locales,
    count_code,
    example_code,
    megabytes_code,
    served_entries,
    served_text,
)


def test_bundles_are_compressed_with_their_own_strong_etags(client):
    plain = client.get("/errors?lang=ja")
    assert plain.headers["Cache-Control"] == "public, max-age=86400"
    assert plain.headers["Vary"] == "Accept-Language, Accept-Encoding"
    assert "Content-Encoding" not in plain.headers
    etags = {plain.headers["ETag"]}
    for header, encoding, decode in [("gzip, deflate, br", "br", brotli.decompress),
                                     ("gzip", "gzip", gzip.decompress),
                                     ("br;q=0, gzip;q=0.5", "gzip", gzip.decompress)]:  # fmt: skip
        resp = client.get("/errors?lang=ja", headers={"Accept-Encoding": header})
        assert resp.headers["Content-Encoding"] == encoding
        assert decode(resp.get_data()) == plain.get_data()
        assert int(resp.headers["Content-Length"]) < len(plain.get_data()) / 3
        etags.add(resp.headers["ETag"])
        again = client.get(
            "/errors?lang=ja", headers={"Accept-Encoding": header, "If-None-Match": resp.headers["ETag"]}
        )
        assert again.status_code == 304
    assert len(etags) == 3
    for header in ("compress", "identity", "*;q=0", "zstd"):
        assert (
            "Content-Encoding"
            not in client.get("/errors?lang=ja", headers={"Accept-Encoding": header}).headers
        )


def test_i18next_resources(client):
    resp = client.get("/i18n/zh-TW/errors.json")
    assert resp.status_code == 200 and resp.headers["Content-Language"] == "zh-Hant"
    body = resp.get_json()
    # every placeholder says how i18next formats it as the service does (tests/js/i18next.test.mjs)
    count = "{{count, number(useGrouping: always; numberingSystem: latn)}}"
    code, name = count_code("zh_Hant", "ru")
    assert body[code]["meaning"] == served_text("zh_Hant", f"{code}.meaning", **{name: count})
    # the product documentation exists in Simplified Chinese only: its section, not the English one
    linked = example_code("help_url", locales=["zh_Hant"],
                          where=lambda e: e.help_url is not None and e.help_url.startswith("/"))  # fmt: skip
    localized = served_text("zh_Hant", f"{linked}.help_url")
    assert body[linked]["help_url"] == localized != REGISTRY.entries[linked].help_url
    category = REGISTRY.categories[REGISTRY.entries[code].category]
    assert body["categories"][category.id] == served_text("zh_Hant", category.context)
    ru = client.get("/i18n/ru/errors.json").get_json()[code]
    for form, cldr in enumerate(("one", "few", "many")):
        assert ru[f"meaning_{cldr}"] == served_text("ru", f"{code}.meaning", form, **{name: count})
    ar = client.get("/i18n/ar/errors.json").get_json()[count_code("ar")[0]]
    categories = ("zero", "one", "two", "few", "many", "other")
    assert {k for k in ar if k.startswith("meaning_")} == {f"meaning_{c}" for c in categories}
    size, param = megabytes_code("de")
    unit = (f"{{{{{param}, number(style: unit; unit: megabyte; unitDisplay: short; "
            "useGrouping: always; numberingSystem: latn)}}")  # fmt: skip
    de = client.get("/i18n/de/errors.json").get_json()[size]["meaning"]
    assert de == served_text("de", f"{size}.meaning", **{param: unit})
    for bad in ("/i18n/xx/errors.json", "/i18n/de/other.json"):
        resp = client.get(bad)
        assert resp.status_code == 404 and resp.get_json()["type"] == "/problems/unknown-language"


def test_static_export_is_byte_identical_to_the_api(app, tmp_path):
    out = tmp_path / "export"
    result = app.test_cli_runner().invoke(args=["export", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    client = app.test_client()
    kinds = set()
    by_path = {item["path"]: item for item in manifest["files"]}
    for item in manifest["files"]:
        if item.get("api_variant") is False:  # the API sends this body uncompressed (under 1 KB)
            raw = by_path[item["path"].rsplit(".", 1)[0]]
            decode = gzip.decompress if item["content_encoding"] == "gzip" else brotli.decompress
            assert decode((out / item["path"]).read_bytes()) == (out / raw["path"]).read_bytes()
            assert item["etag"] == f'{raw["etag"][:-1]}-{item["content_encoding"]}"'
            continue
        headers = {"Accept-Encoding": item["content_encoding"]} if item["content_encoding"] else {}
        resp = client.get(item["url"], headers=headers)
        assert resp.status_code == 200, item["url"]
        assert resp.get_data() == (out / item["path"]).read_bytes(), item["path"]
        assert resp.headers["ETag"] == item["etag"] and resp.headers["Content-Type"] == item["content_type"]
        assert resp.headers.get("Content-Language") == item["content_language"]
        kinds.add(re.sub(r"[\w-]+", "x", item["path"]))
    # single bodies, bundles (whole + 5 categories) and i18next resources in 3 encodings, locales,
    # openapi; per documented (non-pseudo) locale a Markdown page and the reference page, in 3 encodings
    locales, codes, categories = len(SERVED), len(REGISTRY.entries), len(REGISTRY.categories)
    documented = len(SHIPPED)
    # every file with its gzip and brotli variants (package.tgz, gzip already, alone)
    client_files = len(client_file_names()) * 3 + 1
    aliases = len(browser_tags(app.extensions["errmsg"].state))
    assert len(manifest["files"]) == (
        locales * codes * 3
        + locales * (1 + categories) * 3
        + (locales + aliases) * 3
        + 2 * 3
        + documented * 2 * 3
        + client_files
    )
    for item in manifest["files"]:
        if item["content_encoding"] is None and not item["path"].endswith(".tgz"):
            assert {item["path"] + ".gz", item["path"] + ".br"} <= set(by_path), item["path"]
    # what the client reads is compressed by the API too (issue 22: locales.json, openapi.json)
    for url in ("/locales", "/openapi.json"):
        assert client.get(url, headers={"Accept-Encoding": "br"}).headers["Content-Encoding"] == "br"
    assert "x/x/x.x" in kinds and "x/x.x.x" in kinds
    for tag in (s.replace("_", "-") for s in SHIPPED):  # each page in its own language
        assert f'<html lang="{tag}"' in (out / "reference" / f"{tag}.html").read_text(encoding="utf-8")
    paths = {item["path"] for item in manifest["files"]}
    assert {"docs/errors/en.md", "reference/en.html", "client/errmsg.js", "client/package.tgz"} <= paths
    # The tags browsers send, for i18next (which asks for navigator.language, then its bare language)
    for tag, lang in [("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-CN", "zh-Hans"), ("zh", "zh-Hans"),
                      ("pt-PT", "pt-BR"), ("pt", "pt-BR")]:  # fmt: skip
        item = next(i for i in manifest["files"] if i["path"] == f"i18n/{tag}/errors.json")
        assert item["content_language"] == lang
        assert (out / item["path"]).read_bytes() == (out / f"i18n/{lang}/errors.json").read_bytes()
    # How to host it, beside the files (not API answers, so not in the manifest)
    for name in ("nginx.conf", "_headers"):
        assert "Access-Control-Allow-Origin" in (out / name).read_text() and name not in paths
    for tag in (s.replace("_", "-") for s in SHIPPED):  # the pages `make docs` keeps in docs/errors
        page = f"docs/errors/{tag}.md"
        assert (out / page).read_bytes() == (ROOT / page).read_bytes(), page


def test_cors_preflight_for_a_get_with_accept_language(client):
    resp = client.options(f"/errors/{CODE}", headers={
        "Origin": "https://app.example.com", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept-language, x-request-id"})  # fmt: skip
    assert resp.status_code == 204 and resp.get_data() == b""
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]
    assert "Accept-Language" in resp.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in resp.headers
    assert client.get(f"/errors/{CODE}").headers["Access-Control-Expose-Headers"] == "Content-Language, ETag"


def test_cors_preflight_with_listed_origins():
    client = create_app(
        Settings(locales_dir=LOCALES, cors_origins=("https://app.example.com",))
    ).test_client()
    ask = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "accept-language"}
    ok = client.options("/errors", headers={"Origin": "https://app.example.com", **ask})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Origin" in ok.headers["Vary"]
    refused = client.options("/errors", headers={"Origin": "https://evil.example", **ask})
    assert refused.status_code == 204 and "Access-Control-Allow-Origin" not in refused.headers


@pytest.fixture(scope="module")
def openapi(app):
    document = app.test_client().get("/openapi.json").get_json()
    validate(document)  # a valid OpenAPI 3.1 document
    return document


def schema_validator(document: dict, name: str) -> Draft202012Validator:
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", resource)
    return Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"}, registry=registry)


def test_openapi_lists_every_route(app, openapi):
    documented = {re.sub(r"\{(\w+)\}", r"<\1>", path) for path in openapi["paths"]}
    served = {str(rule) for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert served - documented == set()
    # POST /admin/reload is documented always, served only with ERRMSG_RELOAD_TOKEN (404 otherwise)
    assert documented - served <= {"/admin/reload"}


def _sized_url() -> str:
    """An entry with a size placeholder given a value (50106 and max_size in the seed)."""
    for entry in REGISTRY.entries.values():
        for param in entry.params:
            if param.kind == "size":
                return f"/errors/{entry.code}?lang=ru&{param.name}=5000"
    return f"/errors/{CODE}?lang=ru"


@pytest.mark.parametrize(
    ("url", "schema"),
    [(f"/errors/{CODE}?lang=zh", "Entry"), (_sized_url(), "Entry"), ("/errors?lang=ar", "Bundle"),
     (f"/errors?lang=de&category={next(iter(REGISTRY.categories))}", "Bundle"), ("/locales", "Locales"),
     ("/errors/99999", "Problem"), ("/errors/abc", "Problem"), ("/errors?category=x", "Problem"),
     ("/i18n/xx/errors.json", "Problem"), ("/nowhere", "Problem")],
)  # fmt: skip
def test_real_responses_validate_against_the_openapi_schemas(client, openapi, url, schema):
    resp = client.get(url)
    errors = list(schema_validator(openapi, schema).iter_errors(resp.get_json()))
    assert errors == [], errors[:1]


@pytest.fixture(scope="module")
def aborting():
    """An app with a route that raises any HTTP error, as Werkzeug itself does (a 416 from
    a static file, a 431, a 413)."""
    app = create_app(Settings(locales_dir=LOCALES))

    @app.get("/raise/<int:status>")
    def raise_status(status: int):
        abort(status)

    return app.test_client()


@pytest.mark.parametrize("status", sorted(code for code in default_exceptions if code >= 400))
def test_every_http_error_is_a_problem_the_document_lists(aborting, openapi, status):
    resp = aborting.get(f"/raise/{status}?lang=ja")
    body = resp.get_json()
    assert resp.headers["Content-Type"] == "application/problem+json" and resp.status_code == body["status"]
    errors = list(schema_validator(openapi, "Problem").iter_errors(body))
    assert errors == [], errors[:1]


def test_every_entry_in_every_locale_validates(client, openapi):
    validator = schema_validator(openapi, "Bundle")
    for item in client.get("/locales").get_json()["locales"]:
        assert list(validator.iter_errors(client.get(f"/errors?lang={item['tag']}").get_json())) == []


def test_reference_page_is_localized_escaped_and_locked_down(client):
    resp = client.get("/", headers={"Accept-Language": "zh-CN"})
    page = resp.get_data(as_text=True)
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src" not in resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    assert '<html lang="zh-Hans" dir="ltr">' in page and "<h1>错误码</h1>" in page
    plain = example_code(
        "meaning", locales=["zh_Hans"], where=lambda e: not e.params_in("meaning"), documented=True
    )
    assert str(escape(served_entries("zh_Hans")[f"{plain}.meaning"].msgstr)) in page and "<script" not in page
    assert page.count("<tr id=") == len(REGISTRY.documented())
    ar = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in ar and "<h1>رموز الأخطاء</h1>" in ar
    assert '<option value="ar" lang="ar" selected>' in ar
    with client.get("/static/reference.css") as css:
        assert css.headers["X-Content-Type-Options"] == "nosniff"


def test_markup_forced_into_a_catalog_reaches_html_escaped_and_json_as_text(tmp_path):
    locales = copy_locales(tmp_path)
    path = locales / "fr" / "LC_MESSAGES" / "messages.po"
    catalog = polib.pofile(str(path))
    attack = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'
    code = example_code("meaning", locales=["fr"], where=lambda e: not e.params_in("meaning"),
                        documented=True)  # fmt: skip
    catalog.find(REGISTRY.entries[code].meaning, msgctxt=f"{code}.meaning").msgstr = attack
    catalog.save()
    compile_po(path, "fr")
    check = CliRunner().invoke(
        __import__("service.translators.commands", fromlist=["catalog_cli"]).catalog_cli,
        ["check", "--locales-dir", str(locales), "fr"],
    )
    assert check.exit_code == 1 and "[markup]" in check.output
    client = create_app(Settings(locales_dir=locales)).test_client()
    page = client.get("/?lang=fr").get_data(as_text=True)
    assert attack not in page and str(escape(attack)) in page
    assert client.get(f"/errors/{code}?lang=fr").get_json()["meaning"] == attack
