"""A fresh Vite + React + TypeScript app using the client as the README says: installed
both ways, type-checked with Vite's own tsconfig, built once with ``vite build``, and
rendered in Chromium against the service and against the static export served by nginx
(configured with the export's ``nginx.conf``) on a second origin.

The app's sources are ``tests/js/vite-app`` (create-vite's react-ts template's
``tsconfig.app.json``, unchanged) plus, from the README, ``src/i18next.d.ts`` and the React
example; its tools are the ones pinned in ``tests/js`` (it is built inside ``tests/js`` so
they resolve). Chromium and nginx are required: these tests fail, never skip.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from service.http.client_files import CLIENT_DIR

from . import static_hosts
from .conftest import ROOT, require_codes
from .test_browser import ARTIFACTS, browser  # noqa: F401 - the Chromium fixture

JS = ROOT / "tests" / "js"
APPS = JS / ".apps"
VITE = JS / "node_modules" / ".bin" / "vite"
#: The TypeScript create-vite's template uses (7), beside tests/js's own 5.9.
TSC = JS / "node_modules" / "typescript-vite" / "bin" / "tsc"

# The app (tests/js/vite-app), the README's examples it takes in and these tests ask for
# these codes by number, as any app does: after `registry import --prune` removed one, the
# app no longer type-checks (that is the types doing their job), so the module is skipped.
require_codes("40000", "40001", "40112", "50011")


def readme_blocks() -> list[str]:
    return re.findall(r"```\w+\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def readme_installs() -> dict[str, list[str]]:
    """The README's two install commands, as written ("folder" and "url")."""
    block = next(b for b in readme_blocks() if b.startswith("npm install"))
    commands = [
        line.split("#", 1)[0].split() for line in block.splitlines() if line.startswith("npm install")
    ]
    return {"folder": next(c for c in commands if "./path/to/errmsg/service/client" in c),
            "url": next(c for c in commands if c[-1].endswith("/client/package.tgz"))}  # fmt: skip


def npm(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", *args, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=cwd, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def new_app(name: str) -> Path:
    """A fresh app: the template's sources and the README's declaration and example."""
    app = APPS / name
    shutil.rmtree(app, ignore_errors=True)
    shutil.copytree(JS / "vite-app", app)
    (app / "package.json").write_text(json.dumps({"name": name, "private": True, "type": "module"}))
    blocks = readme_blocks()
    (app / "src" / "i18next.d.ts").write_text(next(b for b in blocks if b.startswith("// src/i18next.d.ts")))
    (app / "src" / "ReadmeExample.tsx").write_text(next(b for b in blocks if "useErrorHint(" in b))
    return app


def install(app: Path, how: str, service_url: str) -> None:
    command = readme_installs()[how]
    if how == "folder":
        command = [str(CLIENT_DIR) if a == "./path/to/errmsg/service/client" else a for a in command]
    else:
        command = [*command[:-1], f"{service_url}/client/package.tgz"]
    result = npm(command[1:], app)
    assert result.returncode == 0, result.stderr
    installed = app / "node_modules" / "@errmsg" / "client"
    assert installed.is_dir() and not installed.is_symlink()


def typecheck(app: Path) -> dict[str, str]:
    """tsc on the app (typed i18next with the app's namespace) and on the errors-only
    sample (the package's own declaration); every ``@ts-expect-error`` must be needed."""
    found = {}
    for config in ("tsconfig.app.json", "tsconfig.errors-only.json"):
        result = subprocess.run(
            ["node", str(TSC), "-p", config, "--pretty", "false"], cwd=app, capture_output=True, text=True,
            timeout=180,
        )  # fmt: skip
        found[config] = result.stdout + result.stderr
    return found


@pytest.fixture(scope="module")
def built(live):
    """The app, installed from the folder as the README says, type-checked and built once."""
    assert VITE.exists() and TSC.exists(), "run `make test` (it runs npm ci in tests/js)"
    app = new_app("vite-react")
    install(app, "folder", live.url)
    checks = typecheck(app)
    result = subprocess.run([str(VITE), "build"], cwd=app, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    yield {"app": app, "typecheck": checks, "build": result.stdout + result.stderr}
    shutil.rmtree(app, ignore_errors=True)


def test_the_readme_install_type_checks_with_vites_tsconfig(built):
    """Typed i18next is on (a typo fails tsc), with and without the app's own namespace."""
    assert built["typecheck"] == {"tsconfig.app.json": "", "tsconfig.errors-only.json": ""}


def test_the_package_declaration_beside_the_apps_own_is_the_documented_clash(built):
    """The README's warning holds: the app's CustomTypeOptions (with `errors: ErrorResources`)
    type-checks alone (test above); importing the package's declaration as well is TS2717,
    and under Vite's `skipLibCheck` (which hides that) the app's own keys stop compiling."""
    app = built["app"]
    clash = app / "src" / "clash.ts"
    strict = app / "tsconfig.no-skip.json"
    clash.write_text('import type {} from "@errmsg/client/i18next";\nexport {};\n')
    no_skip_lib_check = {"extends": "./tsconfig.app.json", "compilerOptions": {"skipLibCheck": False}}
    strict.write_text(json.dumps(no_skip_lib_check))
    try:
        vite_default = typecheck(app)["tsconfig.app.json"]
        no_skip = subprocess.run(
            ["node", str(TSC), "-p", strict.name, "--pretty", "false"], cwd=app, capture_output=True,
            text=True, timeout=180,
        ).stdout  # fmt: skip
    finally:
        clash.unlink()
        strict.unlink()
    own_key_fails = r"src/typecheck\.ts\(\d+,\d+\): error TS2345: Argument of type '\"hint\"'"
    assert re.search(own_key_fails, vite_default), vite_default
    assert "error TS2717" in no_skip and "defaultNS" in no_skip, no_skip
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "TS2717" in readme and "skipLibCheck" in readme


def test_vite_builds_it_without_a_warning(built):
    output = built["build"]
    assert "✓ built" in output
    assert not re.search(r"warn|import\.meta\.url|doesn't exist at build time", output, re.I), output


def test_installed_by_url_from_the_service_it_type_checks_the_same(built, live):
    app = new_app("vite-react-url")
    try:
        install(app, "url", live.url)
        package = json.loads((app / "node_modules/@errmsg/client/package.json").read_text())
        assert package["version"] == json.loads((CLIENT_DIR / "package.json").read_text())["version"]
        assert typecheck(app) == {"tsconfig.app.json": "", "tsconfig.errors-only.json": ""}
    finally:
        shutil.rmtree(app, ignore_errors=True)


@pytest.fixture(scope="module")
def hosts(built, app, tmp_path_factory):
    """The export behind nginx (its nginx.conf) and the built app on another nginx origin."""
    work = tmp_path_factory.mktemp("vite-hosts")
    out = work / "export"
    assert app.test_cli_runner().invoke(args=["export", str(out)]).exit_code == 0
    with static_hosts.nginx(out, work / "nginx", static_root=built["app"] / "dist") as (export_url, app_url):
        yield {"export": export_url, "app": app_url}


def open_app(browser, app_url: str, base: str, languages: list[str]):  # noqa: F811
    page = browser.new_page()
    page.add_init_script(
        f"Object.defineProperty(navigator, 'languages', {{get: () => {json.dumps(languages)}}});"
        f"Object.defineProperty(navigator, 'language', {{get: () => {json.dumps(languages[0])}}});"
    )
    page.requests = []
    page.on("request", lambda r: page.requests.append((r.method, r.url, r.headers)))
    page.goto(f"{app_url}/?base={base}")
    return page


def shown(page, code: int) -> dict:
    page.wait_for_selector(f"main[data-state=done][data-code='{code}']", timeout=20_000)
    page.wait_for_selector("#i18n[data-ready=yes]", timeout=20_000)
    return {
        "meaning": page.text_content("#meaning"),
        "lang": page.get_attribute("#hint", "lang"),
        "dir": page.get_attribute("#hint", "dir"),
        "direction": page.evaluate("getComputedStyle(document.getElementById('hint')).direction"),
        "meta": json.loads(page.text_content("#meta")),
        "i18n": page.text_content("#i18n"),
        "heading": page.text_content("h1"),
    }


def test_in_chromium_against_the_service(browser, built, hosts, live, client):  # noqa: F811
    page = open_app(browser, hosts["app"], live.url, ["zh-TW", "zh"])
    got = shown(page, 40112)
    want = client.get("/errors/40112?lang=zh-Hant&minutes=5").get_json()
    assert got["meaning"] == want["meaning"] and got["lang"] == "zh-Hant" and got["dir"] == "ltr"
    assert got["i18n"] == want["meaning"]  # i18next, zh-TW from the service
    assert got["meta"] == {
        "lang": "zh-Hant", "dir": "ltr", "retryable": want["retryable"], "httpStatus": want["http_status"],
        "category": want["category"], "helpUrl": None, "stale": False,
    }  # fmt: skip
    assert got["heading"] == "What happened"  # the app's own namespace
    page.close()


@pytest.mark.parametrize(
    ("languages", "lang", "direction"),
    [(["zh-TW", "zh"], "zh-Hant", "ltr"), (["zh-CN", "zh"], "zh-Hans", "ltr"),
     (["pt-PT", "pt"], "pt-BR", "ltr"), (["de-DE", "de"], "de", "ltr"), (["ar-EG", "ar"], "ar", "rtl")],
)  # fmt: skip
def test_in_chromium_against_the_export_on_another_origin(browser, hosts, client, languages, lang, direction):  # noqa: F811
    page = open_app(browser, hosts["app"], hosts["export"], languages)
    got = shown(page, 40112)
    want = client.get(f"/errors/40112?lang={lang}&minutes=5").get_json()
    assert (got["meaning"], got["lang"], got["dir"], got["direction"]) == (
        want["meaning"],
        lang,
        direction,
        direction,
    )
    assert got["i18n"] == want["meaning"], "i18next loads navigator.language's resources from the export"
    exported = [(m, u) for m, u, _ in page.requests if u.startswith(hosts["export"])]
    assert exported and all(m == "GET" for m, _ in exported), exported  # no preflight
    assert ("GET", f"{hosts['export']}/i18n/{languages[0]}/errors.json") in exported
    page.screenshot(path=str(ARTIFACTS / f"vite-app-export-{languages[0]}.png"))
    page.close()


def test_an_outage_during_a_session_and_a_reload_during_it(browser, hosts, client):  # noqa: F811
    page = browser.new_page()
    page.clock.install()
    page.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['de']})")
    page.goto(f"{hosts['app']}/?base={hosts['export']}")
    assert shown(page, 40112)["meta"]["stale"] is False
    # The export's host goes away; an hour later (past max-age) the app needs another hint.
    failed = []

    def down(route):
        failed.append(route.request.url)
        route.abort("connectionrefused")

    page.route(f"{hosts['export']}/**", down)
    page.clock.fast_forward("02:00:00")
    page.evaluate("window.ask({ code: 50011 })")
    got = shown(page, 50011)
    want = client.get("/errors/50011?lang=de").get_json()
    assert got["meaning"] == want["meaning"] and got["meta"]["stale"] is True
    assert any(u.endswith("/errors/de.json") for u in failed), failed
    page.screenshot(path=str(ARTIFACTS / "vite-app-outage.png"))
    # A reload during the outage: the copy kept in localStorage explains errors still.
    page.reload()
    page.evaluate("window.ask({ code: 50011 })")
    page.wait_for_selector("main[data-state=done][data-code='50011']", timeout=20_000)
    assert page.text_content("#meaning") == want["meaning"]
    page.close()


def test_the_hook_drops_the_answer_for_a_code_no_longer_asked(browser, hosts, client):  # noqa: F811
    """40112 with minutes needs the language's i18next texts (held back here); 40001 is asked meanwhile
    and answers first: the late 40112 must not replace it."""
    page = browser.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['fr']})")
    page.goto(f"{hosts['app']}/?base={hosts['export']}&code=40000")
    shown(page, 40000)
    held = []
    page.route("**/i18n/fr/errors.json", lambda route: held.append(route))
    page.evaluate("window.ask({ code: 40112, minutes: 7 })")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "40112 with minutes asks for i18n/fr/errors.json"
    page.evaluate("window.ask({ code: 40001 })")
    page.wait_for_selector("main[data-state=done][data-code='40001']", timeout=20_000)
    for route in held:
        route.continue_()
    page.wait_for_timeout(1_000)  # the 40112 answer has arrived by now
    assert page.get_attribute("main", "data-code") == "40001"
    assert page.text_content("#meaning") == client.get("/errors/40001?lang=fr").get_json()["meaning"]
    page.close()


def test_the_readme_states_the_clients_gzip_size(built):
    """The client alone (every export but the React hook), minified by vite build: the
    README's figure is what an app pays, to 0.2 kB."""
    size = built["app"].parent / "vite-size"
    shutil.rmtree(size, ignore_errors=True)
    size.mkdir()
    try:
        (size / "node_modules").symlink_to(built["app"] / "node_modules")
        (size / "main.js").write_text(
            'import * as client from "@errmsg/client";\nwindow.errmsg = client;\n', encoding="utf-8"
        )
        (size / "vite.config.js").write_text(
            'export default { build: { minify: true, lib: { entry: "main.js", formats: ["es"] } } };\n',
            encoding="utf-8",
        )
        result = subprocess.run([str(VITE), "build"], cwd=size, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        kb = sum(len(gzip.compress(p.read_bytes(), 9)) for p in (size / "dist").rglob("*.js")) / 1000
        claimed = float(re.search(r"\*\*([\d.]+) kB gzipped\*\*", (ROOT / "README.md").read_text()).group(1))
        assert abs(kb - claimed) <= 0.2, f"the client is {kb:.1f} kB gzipped; the README says {claimed}"
    finally:
        shutil.rmtree(size, ignore_errors=True)
