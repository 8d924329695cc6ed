"""A real browser as the user: headless Chromium driven by Playwright.

Chromium is required: these tests fail, never skip, when it is missing
(``apt-get install chromium``; ``.ci/run`` installs it). Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .conftest import REGISTRY, ROOT, example_code, require_codes, served_entries, served_text

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert CHROMIUM.exists(), "headless Chromium is required: apt-get install chromium"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def other_origin():
    """A second origin (another port) serving the test front end."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(ROOT / "tests" / "browser"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_page_on_another_origin_renders_traditional_chinese(browser, live, other_origin):
    page = browser.new_page()
    preflights = []
    page.on("request", lambda r: preflights.append(r) if r.method == "OPTIONS" else None)
    code = example_code("meaning", locales=["zh_Hant"], where=lambda e: not e.params_in("meaning"))
    page.goto(f"{other_origin}/cross-origin.html?service={live.url}&code={code}")
    page.wait_for_selector("body[data-done]", timeout=15_000)
    assert page.text_content("#meaning") == served_text("zh_Hant", f"{code}.meaning")
    assert page.text_content("#lang") == "zh-Hant zh-Hant"
    page.screenshot(path=str(ARTIFACTS / "cross-origin-zh-Hant.png"))
    page.close()


@pytest.mark.parametrize(
    ("header", "lang", "direction", "heading"),
    [("zh-CN,zh;q=0.9", "zh-Hans", "ltr", "错误码"), ("ar-EG,ar;q=0.9", "ar", "rtl", "رموز الأخطاء")],
)
def test_the_reference_page_renders_in_the_browser(browser, live, header, lang, direction, heading):
    locale_id = lang.replace("-", "_")
    code = example_code(
        "meaning", locales=[locale_id], where=lambda e: not e.params_in("meaning"), documented=True
    )
    sample = served_entries(locale_id)[f"{code}.meaning"].msgstr
    page = browser.new_page()
    page.set_extra_http_headers({"Accept-Language": header})
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live.url}/")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert page.text_content("h1") == heading
    assert sample in page.text_content("main")
    assert page.locator("tbody tr").count() == len(REGISTRY.documented())
    assert page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse") == "collapse", (
        "the stylesheet loads under the CSP"
    )
    page.screenshot(path=str(ARTIFACTS / f"reference-{lang}.png"), full_page=False)
    assert console_errors == []
    page.close()


def test_the_language_switcher_works_without_javascript(browser, live):
    page = browser.new_page()
    page.goto(f"{live.url}/?lang=en")
    page.select_option("#lang", "ja")
    page.click("button[type=submit]")
    page.wait_for_url("**/?lang=ja")
    assert page.text_content("h1") == "エラーコード"
    page.close()


def readme_fetch_snippet() -> str:
    """The README's "One message" example, exactly as a reader would paste it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**One message** with `fetch`", 1)[1]
    return section.split("```js\n", 1)[1].split("```", 1)[0]


def test_the_readme_fetch_example_works_in_the_console_of_the_services_page(browser, live):
    snippet = readme_fetch_snippet().replace('"http://127.0.0.1:8000"', f'"{live.url}"')
    path = re.search(r"/errors/\d+", snippet).group()
    require_codes(path.rsplit("/", 1)[1])
    page = browser.new_page()
    page.set_extra_http_headers({"Accept-Language": "ja-JP,ja;q=0.9"})
    page.goto(f"{live.url}/")  # where the README says to paste it
    meaning = page.evaluate(f"async () => {{ {snippet}\n return meaning; }}")
    served = json.loads(live.get(path, {"Accept-Language": "ja-JP,ja;q=0.9"}).body)
    assert served["lang"] == "ja" and meaning == served["meaning"]
    failing = snippet.replace(path, "/errors/99999")
    with pytest.raises(Exception, match="99999"):
        page.evaluate(f"async () => {{ {failing} }}")
    page.close()
