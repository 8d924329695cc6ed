"""What a newcomer meets first: the make targets, the CLI, problem type pages, the docs'
own claims. Each test follows README.md or TRANSLATING.md as written."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib

import pytest

from service.http.problem_types import PROBLEM_TYPES

from .conftest import CODE, ROOT, copy_locales, count_code, example_code, served_text
from .test_translator_workflow import VENV, make, scratch_project

README = (ROOT / "README.md").read_text(encoding="utf-8")


def flask(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(VENV / "bin" / "flask"), "--app", "service", *args],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )  # fmt: skip


# --- the CLI ------------------------------------------------------------------------------------


def test_errors_show_tells_malformed_from_unknown():
    malformed = flask("errors", "show", "abc")
    assert malformed.returncode != 0 and "'abc' is malformed" in malformed.stderr
    unknown = flask("errors", "show", "99999")
    assert unknown.returncode != 0 and "there is no error code 99999" in unknown.stderr


def test_errors_show_takes_placeholder_values():
    code, name = count_code(served=False)
    plain = example_code(where=lambda e: not e.params)
    wrong = flask("errors", "show", plain, "--param", f"{name}=3")
    assert wrong.returncode != 0 and f"{plain} has no placeholder {name}" in wrong.stderr
    bounds = flask("errors", "show", code, "--param", f"{name}=abc")
    assert bounds.returncode != 0 and "must be an integer between" in bounds.stderr
    code, name = count_code("ru")  # one Russian form, while ru serves a count's forms
    done = flask("errors", "show", code, "--lang", "ru", "--param", f"{name}=21")
    assert done.returncode == 0
    assert served_text("ru", f"{code}.meaning", 0, **{name: "21"}) in done.stdout


# --- problem type URIs lead somewhere ----------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(PROBLEM_TYPES))
def test_every_problem_type_uri_is_a_localized_page_and_json(client, kind):
    status, _ = PROBLEM_TYPES[kind]
    page = client.get(f"/problems/{kind}?lang=de")
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Language"] == "de"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    text = page.get_data(as_text=True)
    assert f"HTTP {status}" in text and '<html lang="de"' in text
    about = client.get(f"/problems/{kind}", headers={"Accept": "application/json", "Accept-Language": "ja"})
    body = about.get_json()
    assert body["type"] == f"/problems/{kind}" and body["status"] == status
    assert about.headers["Content-Language"] == "ja" and body["description"] and body["title"]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", body["description"]), "the description is translated"
    assert f"`/problems/{kind}`" in README, "the README's problem table lists every type"


def test_a_problem_answer_links_to_its_own_documentation(client):
    problem = client.get("/errors/99999").get_json()
    assert client.get(problem["type"]).status_code == 200
    assert client.get("/problems/no-such-type").status_code == 404


# --- make targets follow ERRMSG_LOCALES_DIR --------------------------------------------------


def test_make_compiles_where_the_service_will_read(tmp_path):
    elsewhere = copy_locales(tmp_path)
    for mo in elsewhere.glob("*/LC_MESSAGES/*.mo"):
        mo.unlink()
    done = subprocess.run(
        ["make", "-s", "compile", f"VENV={VENV}"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "ERRMSG_LOCALES_DIR": str(elsewhere)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.parent.parent.name for p in elsewhere.glob("*/LC_MESSAGES/messages.mo")) == sorted(
        p.parent.parent.name for p in elsewhere.glob("*/LC_MESSAGES/messages.po")
    )
    served = flask("errors", "show", CODE, "--lang", "ko", env={"ERRMSG_LOCALES_DIR": str(elsewhere)})
    assert served.returncode == 0 and "[ko]" in served.stdout


def test_a_missing_locales_dir_is_one_line_for_make_and_the_service(tmp_path):
    missing = str(tmp_path / "nowhere")
    done = subprocess.run(
        ["make", "-s", "compile", f"VENV={VENV}"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "ERRMSG_LOCALES_DIR": missing},
    )  # fmt: skip
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"the locales directory {missing} does not exist" in done.stderr
    started = subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "service.serve"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "ERRMSG_LOCALES_DIR": missing, "PORT": "0"}, timeout=60,
    )  # fmt: skip
    assert started.returncode != 0 and started.stderr.count("\n") == 1 and missing in started.stderr


# --- make catalogs writes only what changed ----------------------------------------------------


def test_make_catalogs_rewrites_nothing_when_nothing_changed(tmp_path):
    project = scratch_project(tmp_path)
    make(project, "catalogs")  # settle: the copy's .mo and pseudo-locales exist
    files = [*project.glob("locales/**/*.po"), project / "locales" / "messages.pot"]
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in files}
    make(project, "catalogs")
    after = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in files}
    assert after == before


def test_pseudo_locales_follow_the_templates_content_not_its_timestamp(tmp_path):
    project = scratch_project(tmp_path)
    make(project, "compile")
    pseudo = project / "locales" / "en_XA" / "LC_MESSAGES" / "messages.po"
    stamp = pseudo.stat().st_mtime_ns
    os.utime(project / "locales" / "messages.pot")  # what a git checkout does
    make(project, "compile")
    assert pseudo.stat().st_mtime_ns == stamp
    pot = project / "locales" / "messages.pot"
    # the first English text of the template ("Retry later" or whatever the table has) changes
    text = re.sub(r'^msgid ".+"$', 'msgid "Retry soon"', pot.read_text(encoding="utf-8"), count=1, flags=re.M)
    pot.write_text(text, encoding="utf-8")
    make(project, "compile")
    assert "Ŕéţŕý šööñ" in pseudo.read_text(encoding="utf-8")


# --- the docs' own claims ----------------------------------------------------------------------


def test_the_license_the_package_declares_is_there():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    assert declared == "MIT" and "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_make_run_installs_only_what_the_service_needs():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = " ".join(pyproject["project"]["dependencies"])
    for tool in ("pytest", "playwright", "schemathesis", "kubernetes-validate", "hypothesis"):
        assert tool not in runtime
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run_needs = re.search(r"^run: (.+)$", makefile, re.M).group(1)  # type: ignore[union-attr]
    compile_needs = re.search(r"^compile: (.+)$", makefile, re.M).group(1)  # type: ignore[union-attr]
    assert "install-test" not in run_needs + compile_needs
