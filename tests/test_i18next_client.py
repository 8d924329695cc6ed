"""The real i18next client (npm: i18next, i18next-http-backend) against the running service."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from .conftest import REGISTRY, ROOT, count_code, megabytes_code, served_entries, served_text

JS = ROOT / "tests" / "js"

#: n → the index of its Russian form (one / few / many), as CLDR declines it.
RUSSIAN_FORMS = {1: 0, 3: 1, 5: 2, 21: 0, 1440: 2}


def _served(locale_id: str, context: str, form: int, name: str, value: str) -> str | None:
    """The catalog's text with the placeholder filled, or None when it is not served now."""
    try:
        return served_text(locale_id, context, form, **{name: value})
    except pytest.skip.Exception:
        return None


def examples() -> dict:
    """What i18next.test.mjs checks, read from the data: a count and a size code, and what
    the zh_Hant and ru catalogs say for them (None when a table update left them lagging:
    that subtest is skipped)."""
    code, name = count_code(served=False)
    size, size_name = megabytes_code(served=False)
    category = REGISTRY.categories[REGISTRY.entries[code].category]
    hant = _served("zh_Hant", f"{code}.meaning", 0, name, "10")
    title = served_entries("zh_Hant").get(category.context)
    ru = {n: _served("ru", f"{code}.meaning", form, name, f"{n:,}".replace(",", "\xa0"))
          for n, form in RUSSIAN_FORMS.items()}  # fmt: skip
    return {
        "count": {"key": f"{code}.meaning", "code": code, "param": name},
        "size": {"key": f"{size}.meaning", "code": size, "param": size_name},
        "zhHant": hant and title
        and {"count": 10, "want": hant, "category": category.id, "title": title.msgstr},
        "ru": None if None in ru.values() else ru,
        "ruSize": _served("ru", f"{size}.meaning", 0, size_name, "100 МБ"),
    }


def test_i18next_http_backend_loads_and_translates(live):
    node = shutil.which("node")
    assert node, "Node.js is required for the i18next client test"
    assert (JS / "node_modules" / "i18next-http-backend").is_dir(), (
        "run `make test` (it runs npm ci in tests/js)"
    )
    data = examples()
    skipped = (data["zhHant"] is None) + (data["ru"] is None or data["ruSize"] is None)
    result = subprocess.run(
        [node, "--test", "i18next.test.mjs"], cwd=JS, capture_output=True, text=True, timeout=120,
        env={**os.environ, "ERRMSG_URL": live.url, "ERRMSG_EXAMPLES": json.dumps(data, ensure_ascii=False)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"# pass {3 - skipped}" in result.stdout and f"# skipped {skipped}" in result.stdout
    assert "# fail 0" in result.stdout
