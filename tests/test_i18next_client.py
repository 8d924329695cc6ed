"""The real i18next client (npm: i18next, i18next-http-backend) against the running service."""

from __future__ import annotations

import os
import shutil
import subprocess

from .conftest import ROOT

JS = ROOT / "tests" / "js"


def test_i18next_http_backend_loads_and_translates(live):
    node = shutil.which("node")
    assert node, "Node.js is required for the i18next client test"
    assert (JS / "node_modules" / "i18next-http-backend").is_dir(), (
        "run `make test` (it runs npm ci in tests/js)"
    )
    result = subprocess.run(
        [node, "--test", "i18next.test.mjs"],
        cwd=JS, env={**os.environ, "ERRMSG_URL": live.url}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 3" in result.stdout and "# fail 0" in result.stdout
