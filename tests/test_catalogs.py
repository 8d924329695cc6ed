"""The catalogs: extracted by the stock pybabel CLI, well formed, checked by GNU msgfmt.

What is tested is what is translated; how much is translated is `make check`'s report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter

import polib
import pytest
from click.testing import CliRunner

from service.catalogs import PSEUDO_LOCALES, CatalogError, load_catalog
from service.registry import is_link_context, load_registry
from service.translators.commands import catalog_cli

from .conftest import LOCALES, PYBABEL, ROOT, SHIPPED, compile_po, copy_locales

TRANSLATED = [locale for locale in SHIPPED if locale != "en"]


def po(locale_id: str) -> polib.POFile:
    return polib.pofile(str(LOCALES / locale_id / "LC_MESSAGES" / "messages.po"))


def test_shipped_locale_folders_are_babel_identifiers():
    found = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    assert found == sorted([*SHIPPED, *PSEUDO_LOCALES])


def fresh_template(tmp_path) -> polib.POFile:
    out = tmp_path / "messages.pot"
    subprocess.run(
        [PYBABEL, "extract", "-F", "babel.cfg", "-o", str(out), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(out))


def test_template_has_no_drift_from_a_fresh_extraction(tmp_path):
    """The committed messages.pot is what `pybabel extract -F babel.cfg` makes now."""
    fresh = fresh_template(tmp_path)
    committed = polib.pofile(str(LOCALES / "messages.pot"))

    def entries(pot: polib.POFile) -> list[tuple]:
        # Only line wrapping may differ (the Makefile extracts at width 100).
        return [
            (e.msgctxt, e.msgid, e.msgid_plural, " ".join(e.comment.split()), e.occurrences, e.flags)
            for e in pot
        ]

    assert entries(committed) == entries(fresh)


def test_extractor_gives_every_text_its_context_and_a_translator_comment(tmp_path):
    template = {(e.msgctxt, e.msgid): e for e in fresh_template(tmp_path)}
    registry = load_registry()
    for entry in registry.entries.values():
        title = registry.categories[entry.category].title
        for field in ("meaning", "resolution"):
            message = template[(f"{entry.code}.{field}", entry.text(field))]
            assert f"Code {entry.code}" in message.comment
            assert title in message.comment
            assert field in message.comment
            if entry.help_url and field == "resolution":
                assert entry.help_url in message.comment
    for category in registry.categories.values():
        assert (f"category.{category.id}", category.title) in template
    # The same English in two places is two messages, translatable apart.
    english = Counter(e.text(field) for e in registry.entries.values() for field in ("meaning", "resolution"))
    shared = {text for text, count in english.items() if count > 1}
    assert all(Counter(msgid for _, msgid in template)[text] == english[text] for text in shared)
    # A count placeholder makes a plural message, brace-formatted.
    for entry in registry.entries.values():
        if entry.count_param:
            for field in ("meaning", "resolution"):
                if entry.count_param in entry.params_in(field):
                    counted = template[(f"{entry.code}.{field}", entry.text(field))]
                    assert counted.msgid_plural and "python-brace-format" in counted.flags


def served_forms(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def is_served(entry: polib.POEntry) -> bool:
    """What compiles into the .mo and is served: not fuzzy, not obsolete, translated.
    The rest is English (the lookup's per-field fallback); completeness is `make check`'s
    report and /locales', not a test failure (issue 21, item 8)."""
    return not entry.obsolete and "fuzzy" not in entry.flags and any(served_forms(entry))


@pytest.mark.parametrize("locale_id", SHIPPED)
def test_every_translated_entry_is_whole_and_the_header_names_the_locale(locale_id):
    catalog = po(locale_id)
    assert catalog.metadata["Language"] == locale_id
    for entry in catalog:
        if is_served(entry):  # a plural entry served with one empty form shows nothing
            assert all(form.strip() for form in served_forms(entry)), entry.msgctxt


#: Words that are the same in English and the language (reviewed, not copied).
SAME_AS_ENGLISH = {("fr", "Code"), ("de", "Code")}


@pytest.mark.parametrize("locale_id", TRANSLATED)
def test_no_translation_is_copied_english(locale_id):
    copied = [
        e.msgctxt or e.msgid
        for e in po(locale_id)
        if e.msgstr and e.msgstr == e.msgid and not is_link_context(e.msgctxt)  # a kept link is no copy
    ]
    assert [m for m in copied if (locale_id, m) not in SAME_AS_ENGLISH] == []


@pytest.mark.parametrize("locale_id", SHIPPED)
def test_placeholders_survive_translation(locale_id):
    for entry in filter(is_served, po(locale_id)):  # a fuzzy guess is never served
        names = set(re.findall(r"\{(\w+)\}|%\((\w+)\)s", entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            found = set(re.findall(r"\{(\w+)\}|%\((\w+)\)s", form))
            # A plural form used for exactly one number may spell it out (“دقيقة واحدة”).
            assert found <= names and (found == names or entry.msgid_plural), (entry.msgctxt, form)
            assert not re.search(r"<[A-Za-z/!]", form), (entry.msgctxt, form)


@pytest.mark.parametrize("locale_id", SHIPPED)
def test_gnu_msgfmt_check_passes(locale_id):
    """GNU msgfmt catches {name} and %(name)s mismatches that Babel's compile does not."""
    assert shutil.which("msgfmt"), "GNU gettext (msgfmt) is required: apt-get install gettext"
    path = LOCALES / locale_id / "LC_MESSAGES" / "messages.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_a_syntax_error_is_reported_with_file_and_line(tmp_path):
    locales = copy_locales(tmp_path)
    path = locales / "de" / "LC_MESSAGES" / "messages.po"
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.startswith("msgid ") and i > 20)
    lines[target] = lines[target].replace("msgid ", "msgidd ", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(catalog_cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{target + 1}:" in result.output


def test_start_up_refuses_a_stale_missing_or_corrupt_compiled_catalog(tmp_path):
    locales = copy_locales(tmp_path)
    po_file = locales / "fr" / "LC_MESSAGES" / "messages.po"
    mo_file = po_file.with_suffix(".mo")
    po_file.touch()
    mo_time = mo_file.stat().st_mtime - 10
    os.utime(mo_file, (mo_time, mo_time))
    with pytest.raises(CatalogError, match=r"fr/LC_MESSAGES/messages.mo: older than messages.po"):
        load_catalog(locales, "fr")
    compile_po(po_file, "fr")
    sample = next(e for e in po("fr") if is_served(e) and e.msgctxt and not e.msgid_plural)
    assert load_catalog(locales, "fr").lookup(sample.msgctxt, sample.msgid) == sample.msgstr
    mo_file.write_bytes(b"\x00not a catalog")
    with pytest.raises(CatalogError, match=r"fr/LC_MESSAGES/messages\.mo: unreadable"):
        load_catalog(locales, "fr")
    mo_file.unlink()
    with pytest.raises(CatalogError, match=r"messages\.mo: compiled catalog is missing"):
        load_catalog(locales, "fr")
