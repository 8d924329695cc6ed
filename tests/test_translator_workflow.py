"""Translators' side: the catalog check gates, no lost work, new locales, preview, reload."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from service import Settings, create_app
from service.catalogs import SOURCE_LOCALE
from service.registry import ErrorEntry, is_link_context
from service.translators.commands import catalog_cli

from .conftest import (
    CODE,
    LOCALES,
    REGISTRY,
    ROOT,
    SERVED,
    SHIPPED,
    copy_locales,
    count_code,
    example_code,
    megabytes_code,
    served_entries,
)

VENV = Path(sys.executable).parent.parent


def run_check(locales: Path, *args: str, registry: Path | None = None) -> tuple[int, dict]:
    where = ["--locales-dir", str(locales), "--registry", str(registry or ROOT / "service" / "errors.toml")]
    result = CliRunner().invoke(catalog_cli, ["check", "--json", *where, *args])
    return result.exit_code, json.loads(result.output)


def test_shipped_catalogs_pass_the_check_and_match_locales_endpoint(client):
    """What is translated is right; what is not yet is the strict check's report alone, and
    /locales says the same figures."""
    code, report = run_check(LOCALES, "--allow-incomplete")
    assert code == 0 and report["errors"] == 0
    served = {
        item["tag"]: item["percent_translated"] for item in client.get("/locales").get_json()["locales"]
    }
    strict_code, strict = run_check(LOCALES)
    for item, strict_item in zip(report["locales"], strict["locales"], strict=True):
        assert served[item["locale"].replace("_", "-")] == item["percent_translated"]
        assert (item["percent_translated"] == 100.0) == (item["fuzzy"] == item["untranslated"] == 0)
        lagging = {f["kind"] for f in strict_item["findings"] if f["severity"] == "error"}
        assert lagging <= {"fuzzy", "untranslated"}, strict_item["findings"]
        assert bool(lagging) == (item["percent_translated"] < 100.0)
    assert (strict_code == 0) == all(item["percent_translated"] == 100.0 for item in report["locales"])


def test_human_readable_report_lists_every_locale():
    result = CliRunner().invoke(catalog_cli, ["check", "--allow-incomplete", "--locales-dir", str(LOCALES)])
    assert result.exit_code == 0
    for locale_id in SHIPPED:
        assert f"\n{locale_id} " in result.output
    # warnings do not fail: a new language's missing glossary terms are one
    assert re.search(rf"^0 error\(s\), \d+ warning\(s\) in {len(SERVED)} catalog\(s\)$", result.output, re.M)


def edit(locales: Path, locale_id: str, change) -> Path:
    path = locales / locale_id / "LC_MESSAGES" / "messages.po"
    catalog = polib.pofile(str(path))
    change(catalog)
    catalog.save()
    return path


def entry(catalog: polib.POFile, context: str) -> polib.POEntry:
    return next(e for e in catalog if e.msgctxt == context)


def set_msgstr(context: str, text: str):
    def change(catalog):
        found = entry(catalog, context)
        if found.msgid_plural:
            found.msgstr_plural[0] = text
        else:
            found.msgstr = text

    return change


def served_in(locale_id: str, field: str, where=None) -> str:
    """The msgctxt of a ``field`` this locale serves translated (picked from the data)."""
    return f"{example_code(field, locales=[locale_id], where=where)}.{field}"


def break_placeholder(context: str):
    def change(catalog):  # a renamed placeholder: the translator typed {minute} for {minutes}
        found = entry(catalog, context)
        if found.msgid_plural:
            found.msgstr_plural[0] = re.sub(r"\{(\w+)\}", r"{\1_}", found.msgstr_plural[0], count=1)
        else:
            found.msgstr = re.sub(r"\{(\w+)\}", r"{\1_}", found.msgstr, count=1)

    return change


def wrap_in_markup(context: str):
    def change(catalog):
        found = entry(catalog, context)
        found.msgstr = f'<a href="https://evil.example">{found.msgstr}</a>'

    return change


def append(context: str, tail: str):
    def change(catalog):
        entry(catalog, context).msgstr += tail

    return change


def unpunctuated(entry_: ErrorEntry) -> bool:
    return not entry_.resolution.endswith((".", "!", "?", "…"))


#: A code the registry does not have, for an entry that no longer matches it.
UNKNOWN_CODE = next(str(n) for n in range(99999, 0, -1) if str(n) not in REGISTRY.entries)
DEFECTS = ["fuzzy", "header", "markup", "missing", "placeholder", "plural-forms", "punctuation",
           "stale", "untranslated", "whitespace"]  # fmt: skip
#: Completeness is the strict check's business (`make check`); the rest is found with
#: --allow-incomplete too, as `make test` runs it while translations lag a table update.
COMPLETENESS = {"fuzzy", "untranslated"}


def defect(kind: str) -> tuple[Callable[[polib.POFile], None], str | None]:
    """A change that makes one ``kind`` of defect in a French entry the catalog serves today,
    and the msgctxt its finding names (None for a defect of the whole catalog)."""
    if kind == "placeholder":
        context = served_in("fr", "meaning", lambda e: bool(e.params_in("meaning")))
        return break_placeholder(context), context
    if kind == "markup":
        return wrap_in_markup(context := served_in("fr", "resolution")), context
    if kind == "whitespace":
        return append(context := served_in("fr", "meaning"), " "), context
    if kind == "punctuation":
        return append(context := served_in("fr", "resolution", unpunctuated), "."), context
    if kind == "fuzzy":
        context = served_in("fr", "meaning")
        return lambda po: entry(po, context).flags.append("fuzzy"), context
    if kind == "untranslated":
        return set_msgstr(context := served_in("fr", "meaning"), ""), context
    if kind == "stale":
        context, renamed = served_in("fr", "meaning"), f"{UNKNOWN_CODE}.meaning"
        return lambda po: setattr(entry(po, context), "msgctxt", renamed), renamed
    if kind == "missing":
        context = served_in("fr", "resolution")
        return lambda po: po.remove(entry(po, context)), context
    if kind == "header":
        return lambda po: po.metadata.update({"Language": "fr_CA"}), None
    # plural-forms: three forms as the entries have, chosen by a rule that is not French's
    # (CLDR's). A count that disagrees with the entries is a syntax error: test_po_syntax.py.
    return lambda po: po.metadata.update({"Plural-Forms": "nplurals=3; plural=(n == 1 ? 2 : 0);"}), None


@pytest.mark.parametrize("kind", DEFECTS)
def test_the_check_fails_on_each_kind_of_defect(tmp_path, kind):
    change, context = defect(kind)
    locales = copy_locales(tmp_path)
    path = edit(locales, "fr", change)
    if kind in COMPLETENESS:  # the other catalogs may lag the English: ask about fr alone
        code, report = run_check(locales, "fr")
    else:
        code, report = run_check(locales, "--allow-incomplete")
        assert all(not item["findings"] for item in report["locales"] if item["locale"] != "fr")
    assert code == 1
    fr = next(item for item in report["locales"] if item["locale"] == "fr")
    found = [f for f in fr["findings"] if f["kind"] == kind and (context is None or context in f["message"])]
    assert found, fr["findings"]
    assert all(f["path"] == str(path) for f in fr["findings"])


@pytest.mark.parametrize("attack", ["<script>alert(1)</script>", "javascript:alert(1)", "Voir &lt;ici&gt;"])
def test_markup_and_script_are_rejected(tmp_path, attack):
    locales = copy_locales(tmp_path)
    context = served_in("de", "resolution")
    edit(locales, "de", set_msgstr(context, attack))
    code, report = run_check(locales, "de", "--allow-incomplete")
    (finding,) = report["locales"][0]["findings"]
    assert code == 1 and finding["kind"] == "markup" and context in finding["message"]


def test_msgfmt_gate_catches_a_brace_placeholder_mismatch(tmp_path):
    locales = copy_locales(tmp_path)
    code, name = megabytes_code("ja")  # served, so not fuzzy: msgfmt checks only what it compiles
    path = edit(locales, "ja", set_msgstr(f"{code}.meaning", "ファイルサイズが {size} を超えています"))
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode != 0 and name in result.stderr


def test_a_syntax_error_is_a_finding_with_its_line(tmp_path):
    locales = copy_locales(tmp_path)
    path = locales / "ko" / "LC_MESSAGES" / "messages.po"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = next(i for i, line in enumerate(lines) if re.match(r'msgid ".+"', line))  # after the header
    lines[broken] = "msgidd" + lines[broken][len("msgid") :]
    path.write_text("".join(lines), encoding="utf-8")
    code, report = run_check(locales, "ko")
    finding = report["locales"][0]["findings"][0]
    assert code == 1 and finding["kind"] == "syntax" and finding["line"] == broken + 1


def scratch_project(tmp_path: Path) -> Path:
    """A copy of what the catalog workflow touches, driven by the real Makefile."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Makefile", "babel.cfg", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)
    os.utime(project / "pyproject.toml", (0, 0))  # the shared venv stays "installed"
    shutil.copytree(ROOT / "service", project / "service", ignore=shutil.ignore_patterns("__pycache__"))
    copy_locales(project)
    (project / ".venv").symlink_to(VENV)  # so the docs' `.venv/bin/…` commands work as written
    return project


def project_env(project: Path) -> dict[str, str]:
    """The environment of a command run in a scratch project: its own catalogs and registry,
    never those an ERRMSG_LOCALES_DIR or ERRMSG_REGISTRY of the test run names (the Makefile
    reads both, so a scratch `make catalogs` would otherwise rewrite the run's own)."""
    return {
        **os.environ,
        "ERRMSG_LOCALES_DIR": str(project / "locales"),
        "ERRMSG_REGISTRY": str(project / "service" / "errors.toml"),
    }


def make(project: Path, *targets: str) -> None:
    subprocess.run(
        ["make", "-s", "-C", str(project), f"VENV={VENV}", *targets],
        check=True, capture_output=True, env=project_env(project),
    )  # fmt: skip


def test_changing_english_and_removing_a_code_loses_no_translation(tmp_path):
    project = scratch_project(tmp_path)
    locales = project / "locales"
    translated = [locale_id for locale_id in SHIPPED if locale_id != SOURCE_LOCALE]
    reworded = example_code("meaning")
    removed_code = example_code("meaning", "resolution", where=lambda e: e.code != reworded)
    old_english = REGISTRY.entries[reworded].meaning
    new_english = f"{old_english} (reworded)"

    def read(locale_id: str) -> polib.POFile:
        return polib.pofile(str(locales / locale_id / "LC_MESSAGES" / "messages.po"))

    before = {locale_id: read(locale_id) for locale_id in translated}
    registry = project / "service" / "errors.toml"
    text = registry.read_text(encoding="utf-8")
    start = text.index(f'[[errors]]\ncode = "{reworded}"')
    end = text.index("[[errors]]", start + 1)
    was, now = (f"meaning = {json.dumps(english)}" for english in (old_english, new_english))
    block = text[start:end].replace(was, now)
    assert block != text[start:end]
    text = text[:start] + block + text[end:]
    start = text.index(f'[[errors]]\ncode = "{removed_code}"')
    text = text[:start] + text[text.index("[[errors]]", start + 1) :]
    registry.write_text(text, encoding="utf-8")

    make(project, "catalogs")

    for locale_id in translated:
        after = read(locale_id)
        for old in before[locale_id]:
            kept = [e for e in after if e.msgctxt == old.msgctxt and e.msgstr == old.msgstr
                    and e.msgstr_plural == old.msgstr_plural]  # fmt: skip
            assert kept, f"{locale_id} lost {old.msgctxt}"
        changed = entry(after, f"{reworded}.meaning")
        assert "fuzzy" in changed.flags and changed.previous_msgid == old_english
        assert changed.msgid == new_english
        prefix = f"{removed_code}."
        removed = [e for e in after.obsolete_entries() if (e.msgctxt or "").startswith(prefix)]
        had = [e for e in before[locale_id] if (e.msgctxt or "").startswith(prefix)]
        assert len(removed) == len(had) >= 2 and all(e.msgstr for e in removed)
        assert len(after.fuzzy_entries()) == len(before[locale_id].fuzzy_entries()) + 1
    source = entry(read(SOURCE_LOCALE), f"{reworded}.meaning")
    assert source.msgstr == new_english and "fuzzy" not in source.flags, "the English catalog follows"

    code, report = run_check(locales, "fr", registry=registry)
    fr = report["locales"][0]
    assert code == 1 and report["template"] == [] and fr["fuzzy"] == len(before["fr"].fuzzy_entries()) + 1
    assert any(f["kind"] == "fuzzy" and f"{reworded}.meaning" in f["message"] for f in fr["findings"])
    body = (
        create_app(Settings(locales_dir=locales, registry_path=registry))
        .test_client()
        .get(f"/errors/{reworded}?lang=fr")
        .get_json()
    )
    assert body["meaning"].startswith(new_english.split("{")[0]) and body["fallback"]["meaning"] == "en"


#: A language to add in the tests that follow TRANSLATING.md: the first of these that is
#: not shipped yet, so adding one of them by the docs leaves these tests meaningful.
NEW_LOCALE = next(locale for locale in ("it", "nl", "pl", "sv", "tr", "cs", "fi") if locale not in SHIPPED)


def add_language_by_translating_md(project: Path, translate) -> Path:
    """TRANSLATING.md's "Add a language", step by step: ``pybabel init``, translate, ``make catalogs``."""
    subprocess.run(
        [".venv/bin/pybabel", "init", "-i", "locales/messages.pot", "-d", "locales", "-l", NEW_LOCALE],
        cwd=project, check=True, capture_output=True,
    )  # fmt: skip
    path = edit(project / "locales", NEW_LOCALE, translate)
    make(project, "catalogs")
    return path


def test_a_half_translated_language_is_served_only_when_asked_for_by_name(tmp_path):
    project = scratch_project(tmp_path)
    locales = project / "locales"
    code = example_code(locales=())  # the first code the registry documents
    add_language_by_translating_md(project, set_msgstr(f"{code}.resolution", "Riprova più tardi"))
    tag = NEW_LOCALE.replace("_", "-")
    client = create_app(Settings(locales_dir=locales)).test_client()
    asked = client.get(f"/errors/{code}?lang={tag}").get_json()
    assert asked["lang"] == tag and asked["resolution"] == "Riprova più tardi"
    assert asked["fallback"] == {"meaning": "en", "category": "en"}
    browser = client.get(f"/errors/{code}", headers={"Accept-Language": f"{tag}-XX,{tag};q=0.9"})
    assert browser.get_json()["lang"] == "en" and browser.headers["Content-Language"] == "en"
    listed = next(item for item in client.get("/locales").get_json()["locales"] if item["tag"] == tag)
    assert 0 < listed["percent_translated"] < 5 and listed["negotiable"] is False
    exit_code, report = run_check(locales, NEW_LOCALE, "--allow-incomplete")
    assert exit_code == 0 and report["locales"][0]["percent_translated"] == listed["percent_translated"]
    # The threshold is a setting: at 0% every shipped language is negotiable.
    lenient = create_app(Settings(locales_dir=locales, negotiable_percent=0)).test_client()
    assert lenient.get(f"/errors/{code}", headers={"Accept-Language": tag}).get_json()["lang"] == tag


def test_a_fully_translated_new_language_passes_every_check(tmp_path):
    def translate_all(catalog: polib.POFile) -> None:  # a stand-in translator, marking every text
        for item in catalog:
            if item.msgid_plural:
                item.msgstr_plural = {i: f"[{NEW_LOCALE}] {item.msgid_plural}" for i in item.msgstr_plural}
            elif is_link_context(item.msgctxt):
                item.msgstr = item.msgid  # TRANSLATING.md: keep the link, or point it at your docs
            else:
                item.msgstr = f"[{NEW_LOCALE}] {item.msgid}"

    project = scratch_project(tmp_path)
    locales = project / "locales"
    path = add_language_by_translating_md(project, translate_all)
    registry = project / "service" / "errors.toml"
    code, report = run_check(locales, "--allow-incomplete", registry=registry)  # nothing else broke
    assert code == 0, report
    code, report = run_check(locales, NEW_LOCALE, registry=registry)  # and the new one is complete
    assert code == 0, report
    assert report["locales"][0]["percent_translated"] == 100.0
    gnu = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert gnu.returncode == 0, gnu.stderr
    client = create_app(Settings(locales_dir=locales)).test_client()
    tag = NEW_LOCALE.replace("_", "-")
    first = example_code(locales=())
    body = client.get(f"/errors/{first}", headers={"Accept-Language": f"{tag},en;q=0.5"}).get_json()
    assert body["lang"] == tag and body["fallback"] == {}
    listed = next(item for item in client.get("/locales").get_json()["locales"] if item["tag"] == tag)
    assert listed["negotiable"] is True and listed["percent_translated"] == 100.0


def test_pseudo_locales_are_served_only_when_asked_for(client):
    code, name = count_code("en")
    english = REGISTRY.entries[code].meaning
    words = re.findall(r"[A-Za-z]+", english.split("{")[0]) or re.findall(r"[A-Za-z]+", english)
    xa = client.get(f"/errors/{code}?lang=en-XA&{name}=7").get_json()
    assert xa["lang"] == "en-XA"
    assert xa["meaning"].startswith("[") and xa["meaning"].endswith("]")
    assert words[0] not in xa["meaning"]
    assert len(xa["meaning"]) >= 1.3 * len(english.replace(f"{{{name}}}", "7"))
    assert re.search(r"(?<!\d)7(?!\d)", xa["meaning"]), "placeholders are filled, not accented"
    xb = client.get(f"/errors/{code}?lang=ar-XB").get_json()
    default = REGISTRY.entries[code].count_param.default
    assert xb["lang"] == "ar-XB" and f"\u202e{words[0]}\u202c" in xb["meaning"]
    assert str(default) in xb["meaning"]
    asked = client.get(f"/errors/{code}", headers={"Accept-Language": "en-XA, ja;q=0.5"})
    assert asked.get_json()["lang"] == "ja"
    assert client.get(f"/errors/{code}", headers={"Accept-Language": "ar-XB"}).get_json()["lang"] == "en"


def test_pseudo_locales_may_be_made_negotiable():
    app = create_app(Settings(locales_dir=LOCALES, pseudo_negotiable=("en_XA",)))
    assert (
        app.test_client().get(f"/errors/{CODE}", headers={"Accept-Language": "en-XA"}).get_json()["lang"]
        == "en-XA"
    )


def test_debug_preview_shows_an_edited_po_on_the_next_request(tmp_path):
    locales = copy_locales(tmp_path)
    client = create_app(Settings(locales_dir=locales, watch_interval=0.0)).test_client()
    code = example_code("resolution", locales=["fr"], where=lambda e: not e.params_in("resolution"))
    shipped = served_entries("fr")[f"{code}.resolution"].msgstr
    assert client.get(f"/errors/{code}?lang=fr").get_json()["resolution"] == shipped
    mo = locales / "fr" / "LC_MESSAGES" / "messages.mo"
    mo_bytes = mo.read_bytes()
    edit(locales, "fr", set_msgstr(f"{code}.resolution", "Réessayez dans quelques minutes"))
    assert client.get(f"/errors/{code}?lang=fr").get_json()["resolution"] == "Réessayez dans quelques minutes"
    assert mo.read_bytes() == mo_bytes, "the preview compiles in memory and writes nothing"


def test_a_broken_reload_keeps_the_last_good_catalogs(tmp_path, caplog):
    locales = copy_locales(tmp_path)
    app = create_app(Settings(locales_dir=locales, watch_interval=0.0, reload_token="s3cret"))
    client = app.test_client()
    code = example_code("resolution", locales=["de"], where=lambda e: not e.params_in("resolution"))
    shipped = served_entries("de")[f"{code}.resolution"].msgstr
    path = edit(locales, "de", set_msgstr(f"{code}.resolution", "Bitte später erneut versuchen"))
    assert client.get(f"/errors/{code}?lang=de").get_json()["resolution"] == "Bitte später erneut versuchen"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("msgid ") and i > 30)
    lines[broken] = lines[broken].replace("msgid ", "msgidd ")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert client.get(f"/errors/{code}?lang=de").get_json()["resolution"] == "Bitte später erneut versuchen"
    assert client.get(f"/errors/{code}?lang=ja").status_code == 200
    assert f"{path}:{broken + 1}" in caplog.text

    denied = client.post("/admin/reload", headers={"Authorization": "Bearer wrong"})
    assert denied.status_code == 401 and denied.headers["Content-Type"] == "application/problem+json"
    failed = client.post("/admin/reload", headers={"Authorization": "Bearer s3cret"})
    assert failed.status_code == 422 and f"{path}:{broken + 1}" in failed.get_json()["error"]
    assert client.get(f"/errors/{code}?lang=de").get_json()["resolution"] == "Bitte später erneut versuchen"

    shutil.copy2(LOCALES / "de" / "LC_MESSAGES" / "messages.po", path)
    done = client.post("/admin/reload", headers={"Authorization": "Bearer s3cret"})
    assert done.status_code == 200 and "de" in done.get_json()["locales"]
    assert client.get(f"/errors/{code}?lang=de").get_json()["resolution"] == shipped


def test_admin_reload_does_not_exist_without_a_token(client):
    assert client.post("/admin/reload").status_code == 404


def test_make_catalogs_without_the_npm_registry_says_so_in_one_line(tmp_path):
    """Offline, `make catalogs` still does the translator's work and skips openapi.d.ts."""
    project = scratch_project(tmp_path)
    (project / "tests" / "js").mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / "tests" / "js" / name, project / "tests" / "js" / name)
    offline = tmp_path / "bin"
    offline.mkdir()
    npm = offline / "npm"
    npm.write_text("#!/bin/sh\necho 'npm error network request to registry.npmjs.org failed' >&2\nexit 1\n")
    npm.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{offline}:{os.environ['PATH']}",
        "ERRMSG_LOCALES_DIR": str(project / "locales"),
        "ERRMSG_REGISTRY": str(project / "service" / "errors.toml"),
    }
    make_catalogs = ["make", "-s", "-C", str(project), f"VENV={VENV}", "catalogs"]
    result = subprocess.run(make_catalogs, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    said = [line for line in (result.stdout + result.stderr).splitlines() if "npm" in line]
    assert len(said) == 1 and "openapi.d.ts needs `make types`" in said[0], said
