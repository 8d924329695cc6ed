"""Hostile input against the real production server (``python -m service.serve``), byte for byte.

Every case asserts the exact answer: a correct 2xx, or a 4xx ``application/problem+json``;
never a 5xx, a traceback, HTML, or input reflected into a header or an HTML page.
"""

from __future__ import annotations

import json
import socket

import pytest

from service.http.problems import MAX_REQUEST_TARGET
from service.serve import MAX_REQUEST_HEAD

from .conftest import CODE, REGISTRY, ROOT, count_code
from .server import ProductionServer

#: A code the registry has (conftest.CODE), as the raw requests below write it.
PATH = f"/errors/{CODE}".encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with ProductionServer(tmp_path_factory.mktemp("hostile"), {"ERRMSG_ACCESS_LOG": "0"}) as running:
        yield running.port
    assert "Traceback" not in running.errors()
    assert running.process.returncode == 0


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; parse the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def request(port: int, target: bytes, headers: dict[bytes, bytes] | None = None, method: bytes = b"GET"):
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [name + b": " + value for name, value in (headers or {}).items()]
    return raw(port, b"\r\n".join(lines) + b"\r\n\r\n")


def problem(answer, status: int, kind: str) -> dict:
    code, headers, body = answer
    assert code == status, body[:300]
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-content-type-options"] == "nosniff"
    parsed = json.loads(body)
    assert parsed["status"] == status and parsed["type"] == kind
    assert b"Traceback" not in body and b"<html" not in body.lower()
    return parsed


def ok_json(answer, lang: str) -> dict:
    code, headers, body = answer
    assert code == 200, body[:300]
    assert headers["content-type"] == "application/json" and headers["content-language"] == lang
    return json.loads(body)


# --- oversized and pathological headers -------------------------------------------------------


def refused_by_the_server(answer, status: int) -> None:
    """The HTTP layer refused the request before the app: the status and no body at all."""
    code, headers, body = answer
    assert code == status and body == b"" and headers.get("content-length") == "0"


def test_64kb_accept_language_is_refused_before_the_app(server):
    refused_by_the_server(request(server, PATH, {b"Accept-Language": b"x" * 65536}), 431)


def test_10000_item_accept_language_is_refused_before_the_app(server):
    header = b",".join([b"de;q=0.1"] * 10_000)
    refused_by_the_server(request(server, PATH, {b"Accept-Language": header}), 431)


def test_the_longest_allowed_header_is_served_and_bounded(server):
    header = b", ".join([b"xx-YY;q=0.5"] * 1500)[: MAX_REQUEST_HEAD - 200] + b", ja"
    assert ok_json(request(server, PATH, {b"Accept-Language": header}), "en")["lang"] == "en"


def test_too_many_headers_and_an_overlong_request_line(server):
    many = {f"X-H{i}".encode(): b"1" for i in range(100)}
    refused_by_the_server(request(server, PATH, many), 431)
    long_query = PATH + b"?lang=" + b"a" * MAX_REQUEST_TARGET
    title = problem(request(server, long_query), 414, "/problems/request-too-large")["title"]
    assert title == "Request too large"
    long_path = b"/errors/" + b"4" * MAX_REQUEST_TARGET
    problem(request(server, long_path), 414, "/problems/request-too-large")
    refused_by_the_server(request(server, PATH + b"?lang=" + b"a" * MAX_REQUEST_HEAD), 431)


# --- bytes that are not text ------------------------------------------------------------------


@pytest.mark.parametrize("value", [b"ja\x00", b"\x01\x02ja", b"ja\x7f"])
def test_nul_and_control_characters_in_a_header(server, value):
    refused_by_the_server(request(server, PATH, {b"Accept-Language": value}), 400)


def test_invalid_utf8_in_a_header_is_just_an_unknown_language(server):
    # granian hands the app a header value that is not text as an empty string.
    answer = request(server, PATH, {b"Accept-Language": b"\xff\xfe\xfa, ko"})
    assert ok_json(answer, "en")["code"] == int(CODE)


@pytest.mark.parametrize(
    "path", [b"/errors/%FF%FE", b"/errors/%00%00", b"/errors/4011%0A", b"/errors/%C0%AE"]
)
def test_invalid_utf8_nul_and_newline_in_the_path(server, path):
    problem(request(server, path), 400, "/problems/malformed-code")


@pytest.mark.parametrize("query", [b"lang=%FF%FE", b"lang=%00", b"lang=ja%00", b"lang=%E2%80%AE"])
def test_invalid_bytes_in_the_query_fall_back(server, query):
    ok_json(request(server, PATH + b"?" + query), "en")


@pytest.mark.parametrize(
    "code",
    ["%D9%A4%D9%A0%D9%A1%D9%A1%D9%A2", "%EF%BC%94%EF%BC%90%EF%BC%91%EF%BC%91%EF%BC%92", "-4011", "40112.0",
     "4e4", "0x9C70", "04011", "401120000", "40112%20", "%2B40112", "4%2C0112"],
)  # fmt: skip
def test_codes_that_only_look_like_numbers(server, code):
    body = problem(request(server, f"/errors/{code}".encode()), 400, "/problems/malformed-code")
    assert "40112" in body["detail"]


# --- traversal and injection ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [b"/errors/..%2F..%2Fetc%2Fpasswd", b"/errors/../../etc/passwd", b"/../../etc/passwd",
     b"/i18n/..%2F..%2Fetc%2Fpasswd/errors.json", b"/static/..%2F..%2Ferrors.toml",
     b"/static/../errors.toml"],
)  # fmt: skip
def test_path_traversal_and_encoded_slashes_find_nothing(server, path):
    code, headers, body = request(server, path)
    assert code in (400, 404) and headers["content-type"] == "application/problem+json"
    assert b"[categories]" not in body and b"root:" not in body


def test_an_encoded_slash_is_the_same_resource(server):
    assert ok_json(request(server, b"/errors%2F" + CODE.encode() + b"?lang=de"), "de")["code"] == int(CODE)


def from_host(port: int, target: bytes, host: bytes = b"evil.example"):
    return raw(port, b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")


@pytest.mark.parametrize(
    "path",
    [b"/errors//" + CODE.encode(), b"/" + PATH, PATH + b"//", b"//", b"/static//favicon.svg",
     b"/i18n//en/errors.json", b"/i18n/en//errors.json", b"/errors%2F%2F" + CODE.encode(), b"/errors/"],
)  # fmt: skip
def test_an_empty_path_segment_is_not_found_never_a_redirect(server, path):
    """Werkzeug's merge-slashes rule answered a 308 HTML page redirecting to the Host header."""
    answer = from_host(server, path)
    problem(answer, 404, "/problems/not-found")
    assert "location" not in answer[1] and answer[1]["cache-control"] == "no-store"
    assert b"evil.example" not in answer[2]


@pytest.mark.parametrize(
    "lang", [b"../../etc/passwd", b"..%2F..%2Fetc%2Fpasswd", b"%2Fetc%2Fpasswd", b"zh_TW%2F.."]
)
def test_traversal_in_lang_is_only_ever_compared_with_the_shipped_set(server, lang):
    ok_json(request(server, PATH + b"?lang=" + lang), "en")
    # In the path, a (decoded) slash means no route matches at all.
    problem(request(server, b"/i18n/" + lang + b"/errors.json"), 404, "/problems/not-found")


def test_an_unknown_language_in_the_i18n_path(server):
    problem(request(server, b"/i18n/..%5C..%5Cetc/errors.json"), 404, "/problems/unknown-language")
    problem(request(server, b"/i18n/klingon/errors.json"), 404, "/problems/unknown-language")


def test_crlf_injection_reaches_no_header(server):
    code, headers, _ = request(server, PATH + b"?lang=en%0D%0ASet-Cookie:%20x=1")
    assert code == 200 and "set-cookie" not in headers and headers["content-language"] == "en"
    code, headers, _ = raw(server, b"GET " + PATH + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                   b"X-Request-ID: abc\r\nSet-Cookie: injected=1\r\n\r\n")  # fmt: skip
    assert code == 200 and "set-cookie" not in headers and headers["x-request-id"] == "abc"
    code, headers, _ = request(server, PATH, {b"X-Request-ID": b"a b<script>"})
    assert code == 200 and "<" not in headers["x-request-id"]


@pytest.mark.parametrize(
    "path, kind",
    [(b"/errors/zh_Hans.json", "not-found"), (b"/errors/en_XA.json", "not-found"),
     (b"/errors/pt_BR.json", "not-found"), (b"/errors/ZH-HANS.json", "not-found"),
     (b"/docs/errors/zh_Hans.md", "not-found"), (b"/docs/errors/pt_BR.md", "not-found"),
     (b"/i18n/zh_Hans/errors.json", "unknown-language"), (b"/i18n/pt_BR/errors.json", "unknown-language"),
     (b"/i18n/en_XA/errors.json", "unknown-language"), (b"/i18n/zh_TW/errors.json", "unknown-language")],
)  # fmt: skip
def test_a_path_takes_a_bcp47_tag_never_a_babel_id(server, path, kind):
    problem(request(server, path), 404, f"/problems/{kind}")


@pytest.mark.parametrize(
    "path, lang",
    [(b"/errors/zh-Hans.json", "zh-Hans"), (b"/errors/en-XA.json", "en-XA"), (b"/errors/pt-BR.json", "pt-BR"),
     (b"/docs/errors/zh-Hans.md", "zh-Hans"), (b"/i18n/zh-Hans/errors.json", "zh-Hans"),
     (b"/i18n/zh-TW/errors.json", "zh-Hant"), (b"/i18n/en-XA/errors.json", "en-XA")],
)  # fmt: skip
def test_the_bcp47_tags_of_those_paths_are_served(server, path, lang):
    code, headers, body = request(server, path)
    assert code == 200 and headers["content-language"] == lang and body


def test_an_empty_category_is_a_problem_not_every_category(server):
    for query in (b"category=", b"category", b"lang=de&category="):
        body = problem(request(server, b"/errors?" + query), 400, "/problems/unknown-category")
        assert all(category in body["detail"] for category in REGISTRY.categories)


def test_an_unsatisfiable_range_is_416_with_the_length(server):
    size = (ROOT / "service" / "static" / "favicon.svg").stat().st_size
    for ranges in (b"bytes=9999-", b"bytes=9999-10000", b"bytes=-0"):
        answer = request(server, b"/static/favicon.svg", {b"Range": ranges})
        problem(answer, 416, "/problems/range-not-satisfiable")
        assert answer[1]["content-range"] == f"bytes */{size}"
    code, headers, body = request(server, b"/static/favicon.svg", {b"Range": b"bytes=0-3"})
    assert code == 206 and body == b"<svg" and headers["content-range"] == f"bytes 0-3/{size}"


def test_input_is_never_reflected_into_html(server):
    _, headers, page = request(server, b"/?lang=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert headers["content-type"] == "text/html; charset=utf-8" and b"<script" not in page
    code, headers, body = request(server, b"/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert code == 404 and headers["content-type"] == "application/problem+json" and b"<script" not in body


# --- methods on every route -------------------------------------------------------------------

ROUTES = [PATH, b"/errors", b"/locales", b"/i18n/en/errors.json", b"/openapi.json", b"/healthz",
          b"/readyz", b"/metrics", b"/"]  # fmt: skip


@pytest.mark.parametrize("route", ROUTES)
def test_every_method_on_every_route(server, route):
    code, get_headers, body = request(server, route)
    assert code == 200 and body
    code, headers, body = request(server, route, method=b"HEAD")
    assert code == 200 and body == b"" and headers["content-type"] == get_headers["content-type"]
    code, headers, body = request(server, route, method=b"OPTIONS")
    assert code == 204 and body == b"" and headers["allow"] == "GET, HEAD, OPTIONS"
    assert "content-type" not in headers, "a 204 has no body to type"
    for method in (b"POST", b"PUT", b"DELETE", b"PATCH"):
        answer = request(server, route, {b"Content-Length": b"0"}, method=method)
        assert problem(answer, 405, "/problems/method-not-allowed")
        assert answer[1]["allow"] == "GET, HEAD, OPTIONS"


def test_a_cors_preflight_has_no_content_type(server):
    ask = {b"Origin": b"https://app.example", b"Access-Control-Request-Method": b"GET"}
    code, headers, body = request(server, b"/errors", ask, method=b"OPTIONS")
    assert code == 204 and body == b"" and headers["access-control-allow-origin"] == "*"
    assert "content-type" not in headers


@pytest.mark.parametrize("route", ROUTES)
def test_no_route_redirects_with_a_doubled_or_trailing_slash(server, route):
    for target in (b"/" + route, route.replace(b"/", b"//"), route + b"/"):
        code, headers, _ = from_host(server, target)
        assert code == 404 and "location" not in headers, target
        assert headers["content-type"] == "application/problem+json", target


def test_unknown_methods_and_protocols(server):
    problem(request(server, PATH, method=b"BREW"), 405, "/problems/method-not-allowed")
    refused_by_the_server(raw(server, b"GET " + PATH + b" HTTP/9.9\r\nHost: x\r\n\r\n"), 400)
    refused_by_the_server(raw(server, b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03garbage\r\n\r\n"), 400)


# --- encodings and repeated parameters ----------------------------------------------------------


@pytest.mark.parametrize(
    "encoding", [b"zstd", b"x-unknown, compress", b"identity;q=0", b"*;q=0", b"br;q=abc"]
)
def test_unknown_accept_encoding_gets_identity(server, encoding):
    code, headers, body = request(server, b"/errors?lang=de", {b"Accept-Encoding": encoding})
    assert code == 200 and "content-encoding" not in headers and json.loads(body)["lang"] == "de"


def test_repeated_query_parameters_take_the_first(server):
    assert ok_json(request(server, PATH + b"?lang=ja&lang=de"), "ja")["lang"] == "ja"
    first, second = list(REGISTRY.categories)[:2]
    body = ok_json(request(server, f"/errors?category={first}&category={second}&lang=ko".encode()), "ko")
    assert {e["category"]["id"] for e in body["errors"]} == {first}
    code, name = count_code(served=False)
    body = ok_json(request(server, f"/errors/{code}?{name}=5&{name}=7&lang=en".encode()), "en")
    assert body["params"] == {name: 5}


def test_no_version_banner_and_hardening_headers(server):
    _, headers, _ = request(server, PATH)
    assert headers["server"] == "granian"  # no version
    assert "access-control-allow-credentials" not in headers
    for route in ROUTES:
        assert request(server, route)[1]["x-content-type-options"] == "nosniff"
    page = request(server, b"/")[1]
    assert "default-src 'none'" in page["content-security-policy"]
