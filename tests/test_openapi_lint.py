"""The OpenAPI document through the real Redocly CLI (``@redocly/cli lint``, pinned in
tests/js), as API teams run it: its recommended rules, no error and no warning."""

from __future__ import annotations

import json
import os
import subprocess

from service import Settings, create_app

from .conftest import LOCALES, ROOT

REDOCLY = ROOT / "tests" / "js" / "node_modules" / ".bin" / "redocly"


def test_redocly_lint_is_clean(tmp_path):
    assert REDOCLY.exists(), "run `make test` (it runs npm ci in tests/js)"
    document = create_app(Settings(locales_dir=LOCALES)).test_client().get("/openapi.json").get_json()
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [str(REDOCLY), "lint", str(path), "--format", "json"],
        cwd=tmp_path, env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "1"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["problems"] == [], json.dumps(report["problems"], indent=1)
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}
    assert result.returncode == 0, result.stderr


def test_the_reload_operation_says_its_bearer_scheme():
    document = create_app(Settings(locales_dir=LOCALES)).test_client().get("/openapi.json").get_json()
    assert document["security"] == []
    assert document["paths"]["/admin/reload"]["post"]["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "The value of ERRMSG_RELOAD_TOKEN.",
    }  # fmt: skip
    problem = document["components"]["schemas"]["Problem"]["properties"]
    assert "about:blank" in problem["type"]["enum"]
    assert {403, 500, 502, 503, 504} <= set(problem["status"]["enum"])
