"""The HTTP API through the real app: bodies, headers, revalidation and problems."""

from __future__ import annotations

import json

import polib
import pytest

from service import Settings, create_app
from service.registry import load_registry

from .conftest import (
    CODE,
    LOCALES,
    REGISTRY,
    SHIPPED,
    count_code,
    example_code,
    lagging_fields,
    megabytes_code,
    served_text,
)

CODES = list(load_registry().entries)
TAGS = [s.replace("_", "-") for s in SHIPPED]
ENTRY_KEYS = {
    "code",
    "lang",
    "dir",
    "category",
    "meaning",
    "resolution",
    "help_url",
    "http_status",
    "retryable",
    "deprecated",
    "params",
    "fallback",
}


def assert_problem(resp, status: int, kind: str, lang: str) -> dict:
    assert resp.status_code == status
    assert resp.headers["Content-Type"] == "application/problem+json"
    assert resp.headers["Content-Language"] == lang
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    body = json.loads(resp.get_data(as_text=True))
    assert body["type"] == f"/problems/{kind}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert "Traceback" not in resp.get_data(as_text=True)
    return body


@pytest.mark.parametrize("tag", TAGS)
def test_every_code_in_every_locale_has_the_documented_shape_and_headers(client, tag):
    registry = load_registry()
    locale_id = SHIPPED[TAGS.index(tag)]
    for code in CODES:
        resp = client.get(f"/errors/{code}?lang={tag}")
        assert resp.status_code == 200
        assert resp.headers["Content-Type"] == "application/json"
        assert resp.headers["Content-Language"] == tag
        assert resp.headers["Vary"] == "Accept-Language"
        assert resp.headers["Cache-Control"] == "public, max-age=3600"
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in resp.headers
        assert resp.headers["ETag"].startswith('"') and not resp.headers["ETag"].startswith("W/")
        body = resp.get_json()
        assert set(body) == ENTRY_KEYS
        entry = registry.entries[code]
        assert body["code"] == int(code) and body["lang"] == tag
        assert body["category"]["id"] == entry.category and body["category"]["title"]
        assert body["meaning"] and body["resolution"]
        assert body["http_status"] == entry.http_status and body["retryable"] is entry.retryable
        assert body["deprecated"] is entry.deprecated
        # What the catalog does not serve yet (a table update ahead of its translators)
        # falls back, field by field, and says where from.
        assert set(body["fallback"]) == lagging_fields(locale_id, code), code
        assert all(source in TAGS for source in body["fallback"].values())
        assert "{" not in body["meaning"] + body["resolution"], "every placeholder is filled"
        if tag != "en" and "meaning" not in body["fallback"]:
            assert body["meaning"] != entry.meaning.split("{")[0] or entry.params


def test_chinese_comes_back_readable_not_escaped(client):
    code = example_code("meaning", locales=["zh_Hans"], where=lambda e: not e.params_in("meaning"))
    raw = client.get(f"/errors/{code}?lang=zh").get_data()
    assert served_text("zh_Hans", f"{code}.meaning").encode() in raw and b"\\u" not in raw


def test_the_issue_examples(client):
    """``?lang=zh`` and ``Accept-Language: zh-TW`` for 40112 (the mission's example) while
    both Chinese catalogs serve its meaning; the first code they both serve after a table
    update rewords it."""
    code, name = count_code("zh_Hans", "zh_Hant")
    default = str(REGISTRY.entries[code].count_param.default)
    hans = client.get(f"/errors/{code}?lang=zh")
    assert hans.headers["Content-Language"] == "zh-Hans"
    assert hans.get_json()["meaning"] == served_text("zh_Hans", f"{code}.meaning", **{name: default})
    hant = client.get(f"/errors/{code}", headers={"Accept-Language": "zh-TW"})
    assert hant.headers["Content-Language"] == "zh-Hant"
    assert hant.get_json()["meaning"] == served_text("zh_Hant", f"{code}.meaning", **{name: default})
    body = assert_problem(
        client.get("/errors/99999", headers={"Accept-Language": "ja"}), 404, "unknown-code", "ja"
    )
    assert body["title"] == "不明なエラーコード" and "99999" in body["detail"]


def test_revalidation_with_if_none_match(client):
    first = client.get(f"/errors/{CODE}?lang=de")
    etag = first.headers["ETag"]
    for header in (etag, f"W/{etag}", f'"x", {etag}', "*"):
        again = client.get(f"/errors/{CODE}?lang=de", headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.get_data() == b""
        assert again.headers["ETag"] == etag
        assert again.headers["Cache-Control"] == "public, max-age=3600"
        assert again.headers["Vary"] == "Accept-Language"
    stale = client.get(f"/errors/{CODE}?lang=de", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.get_data() == first.get_data()
    other = client.get(f"/errors/{CODE}?lang=fr", headers={"If-None-Match": etag})
    assert other.status_code == 200, "another language is another representation"


def test_head_has_the_get_headers_and_no_body(client):
    get, head = client.get(f"/errors/{CODE}?lang=ko"), client.head(f"/errors/{CODE}?lang=ko")
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert head.headers["ETag"] == get.headers["ETag"]


@pytest.mark.parametrize(
    "code", ["abc", "4011", "401120", "04011", "٤٠١١٢", "４０１１２", "-4011", "4e4", "0x9c4"]
)
def test_malformed_codes_are_400_problems(client, code):
    body = assert_problem(
        client.get(f"/errors/{code}", headers={"Accept-Language": "es"}), 400, "malformed-code", "es"
    )
    assert body["title"] == "Código de error mal formado"


def test_problems_for_routes_and_methods(client):
    assert_problem(client.get("/nothing-here", headers={"Accept-Language": "de"}), 404, "not-found", "de")
    resp = client.post(f"/errors/{CODE}?lang=fr")
    body = assert_problem(resp, 405, "method-not-allowed", "fr")
    assert body["title"] == "Méthode non autorisée"
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)("/errors").status_code == 405


def test_unexpected_errors_are_500_problems_without_traceback():
    app = create_app(Settings(locales_dir=LOCALES))

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    resp = app.test_client().get("/boom?lang=ru")
    body = assert_problem(resp, 500, "internal-error", "ru")
    assert "secret internals" not in resp.get_data(as_text=True)
    assert body["title"] == "Внутренняя ошибка"


def test_bundle_lists_every_code_and_filters_by_category(client):
    body = client.get("/errors?lang=pt-BR").get_json()
    assert body["lang"] == "pt-BR"
    assert [e["code"] for e in body["errors"]] == [int(c) for c in CODES]
    assert [c["id"] for c in body["categories"]] == list(REGISTRY.categories)
    for entry in body["errors"]:
        assert entry == client.get(f"/errors/{entry['code']}?lang=pt-BR").get_json()
    for category in REGISTRY.categories:
        listed = client.get(f"/errors?lang=pt-BR&category={category}").get_json()["errors"]
        assert [e["code"] for e in listed] == [
            int(code) for code, e in REGISTRY.entries.items() if e.category == category
        ]
    bundle = client.get("/errors?lang=pt-BR")
    assert (
        client.get("/errors?lang=pt-BR", headers={"If-None-Match": bundle.headers["ETag"]}).status_code == 304
    )
    assert_problem(client.get("/errors?category=billing&lang=de"), 400, "unknown-category", "de")


def test_unknown_query_parameters_and_bad_param_values_are_400(client):
    body = assert_problem(client.get(f"/errors/{CODE}?lang=en&colour=red"), 400, "invalid-parameter", "en")
    assert body["invalid_params"] == ["colour"]
    code, name = count_code(served=False)
    for value in ("0", "ten", "99999999999"):
        assert_problem(client.get(f"/errors/{code}?lang=en&{name}={value}"), 400, "invalid-parameter", "en")
    assert_problem(client.get(f"/errors/{code}?lang=en&not_{name}=5"), 400, "invalid-parameter", "en")


def test_locales_lists_names_direction_and_completion(client):
    body = client.get("/locales").get_json()
    assert body["default"] == "en"
    by_tag = {item["tag"]: item for item in body["locales"]}
    assert sorted(by_tag) == sorted([*TAGS, "en-XA", "ar-XB"])
    assert [t for t, item in by_tag.items() if item["pseudo"]] == ["ar-XB", "en-XA"]
    assert by_tag["ar-XB"]["direction"] == "rtl" and by_tag["en-XA"]["direction"] == "ltr"
    assert by_tag["zh-Hant"]["english_name"] == "Chinese (Traditional)"
    assert by_tag["zh-Hans"]["native_name"].startswith("中文")
    assert by_tag["ar"]["direction"] == "rtl" and by_tag["ar"]["native_name"] == "العربية"
    assert by_tag["fr"]["direction"] == "ltr"
    # Completion is what the .po files hold (translated, not fuzzy), whatever the table did.
    for locale_id, tag in zip(SHIPPED, TAGS, strict=True):
        catalog = polib.pofile(str(LOCALES / locale_id / "LC_MESSAGES" / "messages.po"))
        live = [e for e in catalog if not e.obsolete]
        expected = round(100 * len(catalog.translated_entries()) / len(live), 1)
        assert by_tag[tag]["percent_translated"] == expected, tag
    assert by_tag["en"]["percent_translated"] == 100.0, "the source catalog is the English itself"


def test_healthz(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok"}


def test_help_url_takes_the_configured_base():
    app = create_app(Settings(locales_dir=LOCALES, help_base_url="https://docs.example.com"))
    entry = next((e for e in REGISTRY.entries.values() if (e.help_url or "").startswith("/")), None)
    if entry is None:
        pytest.skip("no code of the registry has a help link on the docs site")
    body = app.test_client().get(f"/errors/{entry.code}?lang=en").get_json()
    assert body["help_url"] == "https://docs.example.com" + entry.help_url


def test_listed_cors_origins_are_echoed_and_vary_on_origin():
    app = create_app(Settings(locales_dir=LOCALES, cors_origins=("https://app.example.com",)))
    client = app.test_client()
    allowed = client.get(f"/errors/{CODE}", headers={"Origin": "https://app.example.com"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert allowed.headers["Vary"] == "Accept-Language, Origin"
    other = client.get(f"/errors/{CODE}", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert other.get_data() == allowed.get_data()


def test_placeholder_values_render_per_locale_and_are_not_the_cached_body(client):
    code, name = count_code("en")
    english = REGISTRY.entries[code].meaning.replace(f"{{{name}}}", "30")
    assert client.get(f"/errors/{code}?lang=en&{name}=30").get_json()["meaning"] == english
    size, param = megabytes_code("de")
    body = client.get(f"/errors/{size}?lang=de&{param}=2048").get_json()
    assert body["meaning"] == served_text("de", f"{size}.meaning", **{param: "2.048 MB"})
    assert body["params"] == {param: 2048}
    default = next(p.default for p in REGISTRY.entries[size].params if p.name == param)
    english = REGISTRY.entries[size].meaning.replace(f"{{{param}}}", f"{default}MB")
    assert client.get(f"/errors/{size}?lang=en").get_json()["meaning"] == english
