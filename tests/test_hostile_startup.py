"""Start-up faults a deployment meets: each is one line on stderr naming the file or the
variable, and a non-zero exit, never a traceback; the production server (``python -m
service.serve``) binds nothing, and the command line (``flask --app service``) stops before
its command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import CODE, ROOT, copy_locales
from .server import ProductionServer, listening


def refused_start(tmp_path, env: dict[str, str]) -> str:
    """Run the production server with ``env``; it must stop without listening. Its stderr."""
    server = ProductionServer(tmp_path / "logs", env)
    try:
        assert server.process.wait(timeout=30) != 0
        assert not listening(server.port)
    finally:
        server.stop()
    stderr = server.errors()
    assert stderr.count("\n") == 1 and stderr.startswith("errmsg: cannot start:"), stderr
    assert "Traceback" not in stderr
    return stderr


@pytest.mark.parametrize("fault", ["missing", "not-utf8", "directory"])
def test_a_registry_that_cannot_be_read_is_one_line(tmp_path, fault):
    registry = tmp_path / "errors.toml"
    if fault == "not-utf8":
        registry.write_bytes('[categories]\nauth = "Auth\xe9"\n'.encode("latin-1"))
    elif fault == "directory":
        registry.mkdir()
    stderr = refused_start(tmp_path, {"ERRMSG_REGISTRY": str(registry)})
    assert f"{registry}: " in stderr


def test_a_default_locale_that_is_not_shipped_is_one_line(tmp_path):
    stderr = refused_start(tmp_path, {"ERRMSG_DEFAULT_LOCALE": "it"})
    assert "ERRMSG_DEFAULT_LOCALE='it' is not shipped" in stderr
    assert str(ROOT / "locales" / "it" / "LC_MESSAGES" / "messages.po") in stderr


def refused_command(env: dict[str, str]) -> str:
    """``flask --app service errors show CODE`` with ``env``: one line, exit 3. Its stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "service", "errors", "show", CODE],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env},
    )  # fmt: skip
    assert done.returncode == 3 and done.stdout == "", done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("errmsg: cannot start: "), done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def test_the_command_line_without_compiled_catalogs_is_one_line(tmp_path):
    locales = copy_locales(tmp_path)
    for mo in locales.glob("*/LC_MESSAGES/messages.mo"):
        mo.unlink()
    stderr = refused_command({"ERRMSG_LOCALES_DIR": str(locales)})
    assert f"{locales}/ar/LC_MESSAGES/messages.mo: compiled catalog is missing" in stderr


@pytest.mark.parametrize(
    "variable, value, named",
    [("ERRMSG_DEFAULT_LOCALE", "it", "ERRMSG_DEFAULT_LOCALE='it'"), ("ERRMSG_REGISTRY", "/nowhere.toml",
     "/nowhere.toml: "), ("ERRMSG_CACHE_MAX_AGE", "soon", "ERRMSG_CACHE_MAX_AGE='soon'")],
)  # fmt: skip
def test_the_command_line_with_a_bad_setting_is_one_line(variable, value, named):
    assert named in refused_command({variable: value})
