"""The living table: the English changes under the translators, and nothing breaks.

Driven by the real Makefile and the real catalogs in a scratch copy of the project."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys

import polib

from service import Settings, create_app
from service.catalogs import LAUNCHED_FILE, SOURCE_LOCALE, bcp47, load_launched
from service.publish.page import parse_table
from service.publish.table_import import english_with_defaults
from service.publish.typescript import CODES_DTS, CODES_JS
from service.registry import load_registry

from .conftest import (
    DATA,
    LOCALES,
    ORIGINAL_TABLE,
    REGISTRY,
    ROOT,
    SHIPPED,
    compile_po,
    copy_locales,
    example_code,
    lagging_fields,
)
from .test_translator_workflow import VENV, entry, make, project_env, scratch_project

#: The catalogs that translate (the English one mirrors the template: update.py).
TRANSLATED = [locale_id for locale_id in SHIPPED if locale_id != SOURCE_LOCALE]


def po_texts(locales) -> dict[str, str]:
    return {
        locale_id: (locales / locale_id / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        for locale_id in SHIPPED
    }


def served(locales, registry) -> dict[tuple[str, str], dict]:
    client = create_app(Settings(locales_dir=locales, registry_path=registry)).test_client()
    answers = {}
    for locale_id in SHIPPED:
        bundle = client.get(f"/errors?lang={bcp47(locale_id)}").get_json()
        for item in bundle["errors"]:
            answers[bcp47(locale_id), str(item["code"])] = item
    return answers


def test_one_edited_resolution_touches_that_entry_alone_even_on_a_fresh_clone(tmp_path):
    """On a fresh clone no pseudo-locale stamp exists: the first `make catalogs` after the
    template changed used to stop with "No rule to make target 'locales/.pseudo-…'"."""
    edited_code = example_code("resolution")  # one every language serves translated
    project = scratch_project(tmp_path)
    locales, registry = project / "locales", project / "service" / "errors.toml"
    for stamp in locales.glob(".pseudo-*"):
        stamp.unlink()
    before_po, before_served = po_texts(locales), served(locales, registry)
    text = registry.read_text(encoding="utf-8")
    block = re.search(rf'\[\[errors\]\]\ncode = "{edited_code}"\n(?:(?!\[\[).*\n)*', text)
    assert block is not None
    old = re.search(r'^resolution = "(.*)"$', block.group(0), re.M)
    assert old is not None
    new = old.group(1).rstrip(".") + " and try again"
    edited = block.group(0).replace(old.group(0), f'resolution = "{new}"')
    registry.write_text(text.replace(block.group(0), edited), encoding="utf-8")

    checkout_types = {path: path.read_bytes() for path in (CODES_DTS, CODES_JS)}
    make(project, "catalogs")  # once: it must succeed on its first run

    # The client's types follow, in the project's own copy: the shared virtualenv imports
    # the checkout's package, and its folder must not take the scratch registry's codes.
    types = (project / "service" / "client" / "codes.d.ts").read_text(encoding="utf-8")
    assert f'"resolution": "{new}"' in types
    assert {path: path.read_bytes() for path in checkout_types} == checkout_types
    after_po, after_served = po_texts(locales), served(locales, registry)
    context = f"{edited_code}.resolution"
    for locale_id in SHIPPED:
        catalog = polib.pofile(after_po[locale_id])
        changed = entry(catalog, context)
        if locale_id == SOURCE_LOCALE:  # the English catalog is the new English, at once
            assert (changed.msgid, changed.msgstr, changed.flags) == (new, new, [])
            assert changed.previous_msgid is None
        else:
            assert changed.msgid == new and changed.previous_msgid == old.group(1)
            assert "fuzzy" in changed.flags
        # Nothing else in the file changed: every changed line belongs to that entry.
        diff = [
            line[1:]
            for line in difflib.unified_diff(
                before_po[locale_id].splitlines(), after_po[locale_id].splitlines(), lineterm="", n=0
            )
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        blocks = before_po[locale_id].split("\n\n") + after_po[locale_id].split("\n\n")
        owned = {""} | {
            line for block in blocks if f'msgctxt "{context}"' in block for line in block.splitlines()
        }
        assert diff and set(diff) <= set(owned), f"{locale_id}: {set(diff) - set(owned)}"
    for key, answer in after_served.items():
        if key[1] != edited_code:
            assert answer == before_served[key], key
    fallback = after_served["de", edited_code]["fallback"]
    assert fallback["resolution"] == "en"
    assert set(fallback) == {"resolution"} | lagging_fields("de", edited_code)
    assert after_served["de", edited_code]["meaning"] == before_served["de", edited_code]["meaning"]


def fuzz_most_of(po_path, keep: int = 5) -> None:
    """A catalog after a rewrite of the English: most of its entries became fuzzy."""
    catalog = polib.pofile(str(po_path))
    for item in catalog.translated_entries()[keep:]:
        item.flags.append("fuzzy")
    catalog.save()
    compile_po(po_path, po_path.parent.parent.name)


def test_a_launched_language_stays_negotiable_when_the_english_moves_on(tmp_path):
    locales = copy_locales(tmp_path)
    assert "de" in load_launched(locales)
    fuzz_most_of(locales / "de" / "LC_MESSAGES" / "messages.po")
    client = create_app(Settings(locales_dir=locales)).test_client()
    body = client.get("/errors/40112", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_json()
    assert body["lang"] == "de"  # not English for every code
    assert set(body["fallback"]) <= {"meaning", "resolution", "category"}
    listed = next(item for item in client.get("/locales").get_json()["locales"] if item["tag"] == "de")
    assert listed["negotiable"] and listed["percent_translated"] < 50


def test_a_language_never_launched_is_served_only_when_asked_for(tmp_path):
    locales = copy_locales(tmp_path)
    launched = locales / LAUNCHED_FILE
    launched.write_text(launched.read_text(encoding="utf-8").replace("zh_Hans\n", ""), encoding="utf-8")
    fuzz_most_of(locales / "zh_Hans" / "LC_MESSAGES" / "messages.po")
    client = create_app(Settings(locales_dir=locales)).test_client()
    assert client.get("/errors/40112", headers={"Accept-Language": "zh-CN"}).get_json()["lang"] != "zh-Hans"
    # An explicit ?lang= is matched by the rules a header is (likely subtags, scripts).
    for lang in ("zh", "zh-CN", "zh-Hans", "zh-SG", "zh_Hans"):
        response = client.get(f"/errors/40307?lang={lang}")
        assert response.headers["Content-Language"] == "zh-Hans", lang
    assert client.get("/errors/40307?lang=zh-TW").headers["Content-Language"] == "zh-Hant"


def test_make_catalogs_launches_a_language_once_it_reaches_the_threshold(tmp_path):
    locales = copy_locales(tmp_path)
    launched = locales / LAUNCHED_FILE
    launched.write_text(launched.read_text(encoding="utf-8").replace("ja\n", ""), encoding="utf-8")
    fuzz_most_of(locales / "de" / "LC_MESSAGES" / "messages.po")

    # ja reaches the threshold: the setting's default, or, while a table update leaves it
    # lagging, a threshold just below where it stands (de, fuzzed, stays far below it).
    ja = polib.pofile(str(locales / "ja" / "LC_MESSAGES" / "messages.po"))
    ja_percent = 100 * len(ja.translated_entries()) / len([e for e in ja if not e.obsolete])
    threshold = min(Settings().negotiable_percent, int(ja_percent) - 1)

    def launch() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "service.translators.commands", "launch", "--locales-dir", str(locales)],
            capture_output=True, text=True, check=True,
            env={**os.environ, "ERRMSG_NEGOTIABLE_PERCENT": str(threshold)},
        )  # fmt: skip
        return done.stdout

    assert "launched ja" in launch()  # it reached the threshold, so it launches
    after = load_launched(locales)
    assert "ja" in after and "de" in after  # de fell below the threshold, and stays
    assert launch() == "" and load_launched(locales) == after
    assert load_launched(LOCALES) >= {locale for locale in SHIPPED if locale != "en"} - {"en"}


def block_of(text: str, code: str) -> str:
    found = re.search(rf'\[\[errors\]\]\ncode = "{code}"\n(?:(?!\[\[).*\n)*', text)
    assert found is not None
    return found.group(0)


def test_make_catalogs_guesses_nothing_keeps_previous_english_and_brings_a_code_back(tmp_path):
    """pybabel update alone: a new code took another entry's translation as a fuzzy guess,
    a second run turned `#| msgid` into a comment, and a returning code stayed untranslated
    beside its own obsolete translation."""
    removed = example_code("meaning")  # codes every language serves translated, from the data
    reworded_code = example_code("meaning", where=lambda e: e.code != removed)
    model = example_code(locales=(), where=lambda e: e.code not in (removed, reworded_code) and not e.params)
    new_code = next(str(n) for n in range(int(model) + 1, 99999) if str(n) not in REGISTRY.entries)
    project = scratch_project(tmp_path)
    locales, registry = project / "locales", project / "service" / "errors.toml"
    original = registry.read_text(encoding="utf-8")
    before = {locale_id: polib.pofile(str(po)) for locale_id, po in po_paths(locales).items()}
    text = original.replace(block_of(original, removed), "")
    # A new code whose English is a problem title's ("Request too large"): Babel's guess.
    added = block_of(original, model).replace(f'"{model}"', f'"{new_code}"')
    added = re.sub(r'^meaning = ".*"$', 'meaning = "Request too large"', added, flags=re.M)
    added = re.sub(r'^resolution = "(.*)"$', r'resolution = "\1, again"', added, flags=re.M)
    text = text.replace(block_of(original, model), block_of(original, model) + added)
    old_english = REGISTRY.entries[reworded_code].meaning
    reworded_block = block_of(text, reworded_code)
    text = text.replace(
        reworded_block, reworded_block.replace(f"meaning = {json.dumps(old_english)}", 'meaning = "Reworded"')
    )
    registry.write_text(text, encoding="utf-8")

    make(project, "catalogs")
    first = po_texts(locales)
    make(project, "catalogs")
    assert po_texts(locales) == first  # nothing to do twice: `#|` lines stay as they are
    for locale_id in TRANSLATED:
        after = polib.pofile(str(po_paths(locales)[locale_id]))
        reworded = entry(after, f"{reworded_code}.meaning")
        old = entry(before[locale_id], f"{reworded_code}.meaning")
        assert reworded.previous_msgid == old_english and not any(
            line.startswith("| msg") for line in reworded.tcomment.splitlines()
        )
        assert reworded.msgstr == old.msgstr and "fuzzy" in reworded.flags
        for field in ("meaning", "resolution"):  # new English: untranslated, not someone's text
            new = entry(after, f"{new_code}.{field}")
            assert (new.msgstr, new.flags, new.previous_msgid) == ("", [], None), (locale_id, field)
        assert [e.msgstr for e in after.obsolete_entries() if e.msgctxt == f"{removed}.meaning"] == [
            entry(before[locale_id], f"{removed}.meaning").msgstr
        ]

    registry.write_text(text + block_of(original, removed), encoding="utf-8")
    make(project, "catalogs")
    for locale_id in TRANSLATED:
        after = polib.pofile(str(po_paths(locales)[locale_id]))
        back, old = entry(after, f"{removed}.meaning"), entry(before[locale_id], f"{removed}.meaning")
        assert back.msgstr == old.msgstr and "fuzzy" not in back.flags, locale_id
        assert not [e for e in after.obsolete_entries() if (e.msgctxt or "").startswith(f"{removed}.")]
    source = polib.pofile(str(po_paths(locales)[SOURCE_LOCALE]))
    assert all(e.msgstr == e.msgid and not e.fuzzy for e in source if not e.obsolete and not e.msgid_plural)


def po_paths(locales):
    return {locale_id: locales / locale_id / "LC_MESSAGES" / "messages.po" for locale_id in SHIPPED}


#: The vendor's table, rewritten (tests/data/error_codes.rewritten.md, from the seed): codes
#: removed, added and reworded, "Parameter Errors" renamed "Request Parameter Errors".
REWRITTEN_TABLE = DATA / "error_codes.rewritten.md"
#: Left out of the suite the scratch runs after the rewritten table is imported: they start
#: production servers, Vite, containers or benchmarks, or are this module. (Run there by
#: hand on 2026-12-03, they passed too: see the issue's note.) Every other module runs,
#: about 2 minutes: scenario tests pick their entries from the data (conftest.example_code).
HEAVY = {"test_bench_smoke", "test_browser", "test_container", "test_first_hour", "test_hostile_scale",
         "test_hostile_startup", "test_living_table", "test_server", "test_vite_app"}  # fmt: skip
SUITE = sorted(f"tests/{p.name}" for p in (ROOT / "tests").glob("test_*.py") if p.stem not in HEAVY)


def table_codes(path) -> dict[str, tuple[str, str, str]]:
    """code → (category title, meaning, resolution) of a page in the vendor's layout."""
    table = parse_table(path.read_text(encoding="utf-8"), str(path))
    return {row.code: (row.category, row.meaning, row.resolution) for row in table.rows}


def test_the_suite_passes_after_a_rewritten_table(tmp_path):
    """Issue 21, item 8: after a table update, with every translation lagging, the suite
    passes (what is translated is checked, scenarios pick what the data has), and the
    update is served as the catalogs have it."""
    project = scratch_project(tmp_path)
    skip = shutil.ignore_patterns("__pycache__", "node_modules")
    shutil.copytree(ROOT / "tests", project / "tests", ignore=skip)
    (project / "tests" / "js" / "node_modules").symlink_to(ROOT / "tests" / "js" / "node_modules")
    shutil.copytree(ROOT / "docs", project / "docs")
    for name in ("README.md", "TRANSLATING.md"):  # tests read their examples
        shutil.copy2(ROOT / name, project / name)
    locales, registry = project / "locales", project / "service" / "errors.toml"
    env = project_env(project)
    flask = [str(VENV / "bin" / "flask"), "--app", "service"]
    before = load_registry(registry)
    imported = subprocess.run(
        [*flask, "registry", "import", "--registry", str(registry), str(REWRITTEN_TABLE)],
        cwd=project, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stdout + imported.stderr
    make(project, "catalogs")

    seed, rewritten = table_codes(ORIGINAL_TABLE), table_codes(REWRITTEN_TABLE)
    added = [code for code in rewritten if code not in seed]
    removed = [code for code in seed if code not in rewritten]
    reworded = [code for code in rewritten if code in seed and rewritten[code][1] != seed[code][1]]
    renamed = sorted({rewritten[code][0] for code in rewritten} - {seed[code][0] for code in seed})
    assert len(added) == 10 and len(removed) == 18 and renamed == ["Request Parameter Errors"]
    assert reworded
    # The source catalog follows the template by itself: complete, nothing fuzzy.
    source = polib.pofile(str(locales / SOURCE_LOCALE / "LC_MESSAGES" / "messages.po"))
    assert source.percent_translated() == 100 and not source.fuzzy_entries()
    assert all(e.msgstr == e.msgid for e in source.translated_entries() if not e.msgid_plural)

    # The suite passes there, reading the scratch's registry and catalogs.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUITE],
        cwd=project, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-6000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and " failed" not in tests.stdout

    new_registry = load_registry(registry)
    client = create_app(Settings(locales_dir=locales, registry_path=registry)).test_client()
    translated = [locale_id for locale_id in SHIPPED if locale_id != SOURCE_LOCALE]
    for locale_id in translated:
        tag = bcp47(locale_id)
        # Added codes are served, in English, and said to be.
        for code in added:
            body = client.get(f"/errors/{code}?lang={tag}").get_json()
            assert body["lang"] == tag and body["meaning"] == rewritten[code][1], (tag, code)
            assert body["fallback"].get("meaning") == "en", (tag, code)
        # Reworded English is fuzzy in every catalog, and served in English meanwhile.
        catalog = polib.pofile(str(locales / locale_id / "LC_MESSAGES" / "messages.po"))
        for code in reworded:
            found = entry(catalog, f"{code}.meaning")
            assert "fuzzy" in found.flags or not found.msgstr, (tag, code)
            body = client.get(f"/errors/{code}?lang={tag}").get_json()
            assert body["meaning"] == english_with_defaults(new_registry.entries[code], "meaning")
            assert body["fallback"].get("meaning") == "en", (tag, code)
    # The renamed category's title is served (English until translated).
    code = next(code for code in rewritten if rewritten[code][0] == renamed[0])
    assert client.get(f"/errors/{code}?lang=en").get_json()["category"]["title"] == renamed[0]
    de = client.get(f"/errors/{code}?lang=de").get_json()
    assert de["category"]["title"] == renamed[0] and de["fallback"].get("category") == "en"
    # It is the same category renamed: its id stays (clients filter by it), and its title
    # is fuzzy in every catalog with the previous English beside it, not a new entry.
    kept = next(c for c in rewritten if rewritten[c][0] == renamed[0] and c in before.entries)
    old_id = before.entries[kept].category
    assert de["category"]["id"] == old_id and f"renamed category {old_id}: " in imported.stdout
    for locale_id in translated:
        catalog = polib.pofile(str(locales / locale_id / "LC_MESSAGES" / "messages.po"))
        title = entry(catalog, f"category.{old_id}")
        assert title.msgid == renamed[0] and "fuzzy" in title.flags and title.previous_msgid, locale_id
    # Codes the table removed are not documented in the pages.
    for page in (project / "docs" / "errors").glob("*.md"):
        rows = {line.split("|")[1].strip() for line in page.read_text(encoding="utf-8").splitlines()
                if re.match(r"\| \d{5} \|", line)}  # fmt: skip
        assert rows == set(rewritten), page.name
    # The English page is the table that came in (a renamed category where the table has it).
    assert (project / "docs" / "errors" / "en.md").read_text(encoding="utf-8") == REWRITTEN_TABLE.read_text(
        encoding="utf-8"
    ).rstrip("\n") + "\n"
    # Codes the table removed stay served, deprecated, and the report ends with them.
    assert imported.stdout.splitlines()[-2].startswith("deprecated codes, still served")
    for code in removed:
        assert new_registry.entries[code].deprecated and code in imported.stdout.splitlines()[-2]
        body = client.get(f"/errors/{code}?lang=de").get_json()
        assert body["deprecated"] is True and body["lang"] == "de", code
        # Their translations are kept; only a renamed category's title waits for review.
        in_renamed = new_registry.entries[code].category == old_id
        assert body["fallback"] == ({"category": "en"} if in_renamed else {}), code
