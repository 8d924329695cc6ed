"""The living table: the English changes under the translators, and nothing breaks.

Driven by the real Makefile and the real catalogs in a scratch copy of the project."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys

import polib

from service import Settings, create_app
from service.catalogs import LAUNCHED_FILE, bcp47, load_launched
from service.publish.typescript import CODES_DTS, CODES_JS

from .conftest import LOCALES, SHIPPED, compile_po, copy_locales
from .test_translator_workflow import entry, make, scratch_project

#: A resolution whose English the vendor edits (it is one line in the registry).
EDITED = "40112"


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
    project = scratch_project(tmp_path)
    locales, registry = project / "locales", project / "service" / "errors.toml"
    for stamp in locales.glob(".pseudo-*"):
        stamp.unlink()
    before_po, before_served = po_texts(locales), served(locales, registry)
    text = registry.read_text(encoding="utf-8")
    block = re.search(rf'\[\[errors\]\]\ncode = "{EDITED}"\n(?:(?!\[\[).*\n)*', text)
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
    context = f"{EDITED}.resolution"
    for locale_id in SHIPPED:
        catalog = polib.pofile(after_po[locale_id])
        changed = entry(catalog, context)
        assert changed.msgid == new and changed.previous_msgid == old.group(1)
        if locale_id != "en" or before_po[locale_id] != after_po[locale_id]:
            assert "fuzzy" in changed.flags or changed.msgstr == ""
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
        if key[1] != EDITED:
            assert answer == before_served[key], key
    assert after_served["de", EDITED]["fallback"] == {"resolution": "en"}
    assert after_served["de", EDITED]["meaning"] == before_served["de", EDITED]["meaning"]


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

    def launch() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "service.translators.commands", "launch", "--locales-dir", str(locales)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    assert "launched ja" in launch()  # complete, so it launches
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
    project = scratch_project(tmp_path)
    locales, registry = project / "locales", project / "service" / "errors.toml"
    original = registry.read_text(encoding="utf-8")
    before = {locale_id: polib.pofile(str(po)) for locale_id, po in po_paths(locales).items()}
    text = original.replace(block_of(original, "40003"), "")
    added = block_of(original, "40008").replace('"40008"', '"40009"')
    added = added.replace("Base64 content contains invalid characters", "Request too large")
    added = added.replace("Check Base64 string", "Check Base64 strings")
    text = text.replace(block_of(original, "40008"), block_of(original, "40008") + added)
    text = text.replace('meaning = "Parameter cannot be empty"', 'meaning = "Parameter must not be empty"')
    registry.write_text(text, encoding="utf-8")

    make(project, "catalogs")
    first = po_texts(locales)
    make(project, "catalogs")
    assert po_texts(locales) == first  # nothing to do twice: `#|` lines stay as they are
    for locale_id, po in po_paths(locales).items():
        after = polib.pofile(str(po))
        reworded, old = entry(after, "40002.meaning"), entry(before[locale_id], "40002.meaning")
        assert reworded.previous_msgid == "Parameter cannot be empty" and not any(
            line.startswith("| msg") for line in reworded.tcomment.splitlines()
        )
        assert reworded.msgstr == old.msgstr and "fuzzy" in reworded.flags
        for field in ("meaning", "resolution"):  # new English: untranslated, not someone's text
            new = entry(after, f"40009.{field}")
            assert (new.msgstr, new.flags, new.previous_msgid) == ("", [], None), (locale_id, field)
        assert [e.msgstr for e in after.obsolete_entries() if e.msgctxt == "40003.meaning"] == [
            entry(before[locale_id], "40003.meaning").msgstr
        ]

    registry.write_text(text + block_of(original, "40003"), encoding="utf-8")
    make(project, "catalogs")
    for locale_id, po in po_paths(locales).items():
        after = polib.pofile(str(po))
        back, old = entry(after, "40003.meaning"), entry(before[locale_id], "40003.meaning")
        assert back.msgstr == old.msgstr and "fuzzy" not in back.flags, locale_id
        assert not [e for e in after.obsolete_entries() if e.msgctxt and e.msgctxt.startswith("40003.")]


def po_paths(locales):
    return {locale_id: locales / locale_id / "LC_MESSAGES" / "messages.po" for locale_id in SHIPPED}
