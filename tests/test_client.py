"""The typed front-end client (service/client/) with the real tools: tsc --strict, Node,
headless Chromium against the static export on another origin, and the types' drift."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import threading
import tomllib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import polib
import pytest

from service import Settings, create_app
from service.http.client_files import CLIENT_DIR, client_file_names
from service.publish.typescript import CODES_DTS, CODES_JS, OPENAPI_DTS, codes_dts, codes_js, openapi_dts

from . import static_hosts
from .conftest import (
    REGISTRY,
    ROOT,
    SHIPPED,
    LiveServer,
    compile_po,
    copy_locales,
    count_code,
    megabytes_code,
    require_codes,
)
from .test_browser import ARTIFACTS, browser  # noqa: F401 - the Chromium fixture

JS = ROOT / "tests" / "js"
TSC = JS / "node_modules" / "typescript" / "bin" / "tsc"  # 5.9; typescript-vite is 7 (the Vite app)
OPENAPI_TYPESCRIPT = JS / "node_modules" / ".bin" / "openapi-typescript"


def tsc(sample: str) -> subprocess.CompletedProcess[str]:
    """``tsc --strict`` (the samples' tsconfig) on one sample app.

    A sample is written against codes it names in its second line; once a table update
    removes one (``registry import --prune``) it is skipped: refusing such an app is what
    the types are for."""
    assert TSC.exists(), "run `make test` (it runs npm ci in tests/js)"
    named = re.search(r"codes of the registry: ([\d ]+)\.", (JS / "ts" / f"{sample}.ts").read_text())
    assert named, f"ts/{sample}.ts names the codes it is written against"
    gone = sorted(set(named.group(1).split()) - REGISTRY.entries.keys())
    if gone:
        pytest.skip(f"ts/{sample}.ts uses {', '.join(gone)}, which the registry no longer has")
    return subprocess.run(
        [str(TSC), "-p", f"ts/tsconfig.{sample}.json", "--pretty", "false"],
        cwd=JS, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_the_typed_app_compiles_under_tsc_strict():
    result = tsc("app")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_code_key_or_placeholder_fails_tsc_with_the_expected_diagnostics():
    result = tsc("wrong")
    got = {
        (int(m.group(1)), m.group(2))
        for m in re.finditer(r"^ts/wrong\.ts\((\d+),\d+\): error (TS\d+)", result.stdout, re.M)
    }
    lines = (JS / "ts" / "wrong.ts").read_text().splitlines()
    wanted = {
        (n, m.group(1)) for n, line in enumerate(lines, 1) if (m := re.search(r"// expect (TS\d+)", line))
    }
    assert result.returncode != 0 and len(wanted) == 12 and got == wanted, result.stdout


def test_generated_types_have_no_drift(app):
    """service/client/codes.d.ts and openapi.d.ts are what `make types` writes now."""
    state = app.extensions["errmsg"].state
    assert CODES_DTS.read_text(encoding="utf-8") == codes_dts(state.service.table), "run `make types`"
    assert CODES_JS.read_text(encoding="utf-8") == codes_js(state.service.table), "run `make types`"
    fresh = openapi_dts(json.loads(state.openapi.body), OPENAPI_TYPESCRIPT)
    assert OPENAPI_DTS.read_text(encoding="utf-8") == fresh, "run `make types`"
    text = CODES_DTS.read_text(encoding="utf-8")
    for code, entry in REGISTRY.entries.items():
        assert re.search(rf"^  \| {code};?$", text, re.M)
        wanted = "never" if not entry.params else "{ " + "; ".join(f"{p.name}?: number" for p in entry.params)
        assert re.search(rf"^  {code}: {re.escape(wanted)}", text, re.M), code


def test_the_package_is_served_and_exported_at_the_same_paths(client, tmp_path, app):
    package = client.get("/client/package.json").get_json()
    assert package["exports"]["."] == {"types": "./errmsg.d.ts", "default": "./errmsg.js"}
    for name in client_file_names():
        resp = client.get(f"/client/{name}")
        assert resp.status_code == 200 and resp.get_data() == (CLIENT_DIR / name).read_bytes()
        assert (
            client.get(f"/client/{name}", headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304
        )
    assert client.get("/client/errmsg.js").headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert client.get("/client/nothing.js").status_code == 404
    out = tmp_path / "export"
    assert app.test_cli_runner().invoke(args=["export", str(out)]).exit_code == 0
    for name in client_file_names():
        assert (out / "client" / name).read_bytes() == (CLIENT_DIR / name).read_bytes()
    tarball = client.get("/client/package.tgz")
    assert tarball.headers["Content-Type"] == "application/gzip"
    assert (out / "client" / "package.tgz").read_bytes() == tarball.get_data()


def test_the_tarball_is_what_npm_pack_makes_with_the_services_version(client):
    """`npm install <service>/client/package.tgz`: npm pack's file list, npm's layout, and the
    version of pyproject.toml (which the folder's package.json must also carry)."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert json.loads((CLIENT_DIR / "package.json").read_text())["version"] == version
    packed = subprocess.run(
        ["npm", "pack", "--dry-run", "--json"], cwd=CLIENT_DIR, capture_output=True, text=True, check=True
    )
    npm_files = sorted(f["path"] for f in json.loads(packed.stdout)[0]["files"])
    with tarfile.open(fileobj=io.BytesIO(client.get("/client/package.tgz").get_data()), mode="r:gz") as tar:
        members = tar.getmembers()
        assert sorted(m.name for m in members) == [f"package/{name}" for name in npm_files]
        assert all(m.isfile() and m.mode == 0o644 for m in members)
        package = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
    assert package["version"] == version and package["name"] == "@errmsg/client"


#: The codes client.test.mjs and this file's expectations ask for by number.
NODE_TEST_CODES = ("40000", "40001", "40112", "40300", "50011", "50123")


def _expectations(client) -> dict:
    plain, params = [], []
    for ask in SHIPPED:
        tag = ask.replace("_", "-")
        for code in ("40000", "40300", "50123"):
            body = client.get(f"/errors/{code}?lang={tag}").get_json()
            want = {k: body[k] for k in ("code", "lang", "meaning", "resolution")} | {
                "helpUrl": body["help_url"]
            }
            plain.append({"code": int(code), "ask": tag, "want": want})
        for code, entry in REGISTRY.entries.items():
            for param in entry.params:
                # Known difference, left to fix in the service: Babel ignores CLDR's
                # minimumGroupingDigits (es "1.440", CLDR and Intl "1440"), so four-digit
                # values are not compared.
                for value in {param.min, param.default, 2, 5, 21, param.max} - set(range(1000, 10_000)):
                    body = client.get(f"/errors/{code}?lang={tag}&{param.name}={value}").get_json()
                    want = {"meaning": body["meaning"], "resolution": body["resolution"]}
                    params.append(
                        {"code": int(code), "ask": tag, "params": {param.name: value}, "want": want}
                    )
    # ru with values of four digits ("1 440 минут", "2 048 МБ"), for the test that fetches no
    # openapi.json: a count and a size in megabytes, from the codes the data has.
    without_spec = []
    for code, name in (count_code(served=False), megabytes_code(served=False)):
        body = client.get(f"/errors/{code}?lang=ru&{name}=1440").get_json()
        without_spec.append({"code": int(code), "params": {name: 1440}, "meaning": body["meaning"]})
    return {"plain": plain, "params": params, "withoutSpec": without_spec}


@pytest.fixture(scope="module")
def no_cache_service(tmp_path_factory):
    """A service whose bundles have max-age 0 (every use revalidates), and whose German
    catalog lacks one meaning (the fallback to English)."""
    require_codes(*NODE_TEST_CODES)
    locales = copy_locales(tmp_path_factory.mktemp("client"))
    po_file = locales / "de" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_file))
    next(e for e in po if e.msgctxt == "40000.meaning").msgstr = ""
    po.save()
    compile_po(po_file, "de")
    server = LiveServer(create_app(Settings(locales_dir=locales, bundle_max_age=0)))
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_the_client_in_node_against_the_service(live, client, no_cache_service):
    node = shutil.which("node")
    assert node, "Node.js is required for the client test"
    expect = _expectations(client) | {
        "fallback": {"code": 40000, "lang": "de", "meaning": REGISTRY.entries["40000"].meaning}
    }
    result = subprocess.run(
        [node, "--test", "client.test.mjs"], cwd=JS, capture_output=True, text=True, timeout=180,
        env={**os.environ, "ERRMSG_URL": live.url, "ERRMSG_URL_NO_CACHE": no_cache_service.url,
             "ERRMSG_EXPECT": json.dumps(expect, ensure_ascii=False)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 14" in result.stdout and "# fail 0" in result.stdout


def test_the_test_client_answers_from_memory_without_the_network():
    """createTestClient (@errmsg/client/testing): entries in, the real client's shapes and
    rejections out; its tests replace the global fetch with one that fails."""
    node = shutil.which("node")
    assert node, "Node.js is required for the client test"
    result = subprocess.run(
        [node, "--test", "testing.test.mjs"], cwd=JS, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 2" in result.stdout and "# fail 0" in result.stdout


def serve(directory, handler=SimpleHTTPRequestHandler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("host", ["nginx", "_headers"])
def test_the_client_in_chromium_against_the_static_export_on_another_origin(browser, app, tmp_path, host):  # noqa: F811
    """The module and the data from a static host configured as the export's nginx.conf or
    _headers says; a refresh after max-age is a plain GET (a preflight would be a 405)."""
    require_codes("40112", "40300")  # tests/browser/client.html asks for them
    out = tmp_path / "export"
    assert app.test_cli_runner().invoke(args=["export", str(out)]).exit_code == 0
    page_host = serve(ROOT / "tests" / "browser")
    with contextlib.ExitStack() as stack:
        if host == "nginx":
            cdn_url, _ = stack.enter_context(static_hosts.nginx(out, tmp_path / "nginx"))
        else:
            cdn_url = stack.enter_context(static_hosts.headers_file_host(out))
        page = browser.new_page()
        page.clock.install()
        requests = []
        page.on("request", lambda r: requests.append((r.method, r.url, r.headers)))
        page.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['zh-TW', 'zh']})")
        page.goto(f"http://127.0.0.1:{page_host.server_port}/client.html?cdn={cdn_url}")
        page.wait_for_selector("body[data-done]", timeout=20_000)
        result = json.loads(page.text_content("#result"))
        client = app.test_client()
        zh = client.get("/errors/40112?lang=zh-Hant&minutes=5").get_json()
        assert result["auto"] == {"lang": "zh-Hant", "meaning": zh["meaning"]}
        ar = client.get("/errors/40300?lang=ar").get_json()
        assert result["ar"] == {
            "lang": "ar",
            "meaning": ar["meaning"],
            "helpUrl": ar["help_url"],
            "dir": "rtl",
        }
        assert result["problem"] == {"isProblemError": True, "type": "/problems/unknown-code", "status": 404}
        page.clock.fast_forward("02:00:00")  # past every max-age: the client refreshes
        asked = len(requests)
        again = page.evaluate(
            "async (cdn) => { const m = await import(`${cdn}/client/errmsg.js`);"
            " const e = await m.explain(40300, { lang: 'ar' }); return [e.meaning, e.stale]; }",
            cdn_url,
        )
        assert again == [ar["meaning"], False]
        refreshed = [(m, u) for m, u, _ in requests[asked:]]
        assert ("GET", f"{cdn_url}/errors/ar.json") in refreshed, refreshed
        assert [r for r in requests if r[0] == "OPTIONS"] == []
        for method, url, headers in requests:
            assert "if-none-match" not in headers, (method, url)
        page.screenshot(path=str(ARTIFACTS / f"client-static-export-{host.strip('_')}.png"))
        page.close()
    page_host.shutdown()
    page_host.server_close()
