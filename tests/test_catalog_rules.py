"""The translators' text rules in `catalog check`: locale typography and the glossary.

Each rule is driven through the real command on a scratch copy of the catalogs, with
one translation changed as a translator would change it.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from service.translators.commands import catalog_cli
from service.translators.glossary import load_glossary
from service.translators.typography import locale_quotes

from .conftest import LOCALES, ROOT, SHIPPED, copy_locales
from .test_translator_workflow import edit, set_msgstr
from .test_translator_workflow import run_check as run_full_check


def run_check(locales: Path, *args: str) -> tuple[int, dict]:
    """The check of what is translated: a lagging catalog (fuzzy or untranslated entries
    after a table update) is `make check`'s report, not the rule under test."""
    return run_full_check(locales, "--allow-incomplete", *args)


def _catalog(locale_id: str) -> polib.POFile:
    return polib.pofile(str(LOCALES / locale_id / "LC_MESSAGES" / "messages.po"))


def served(catalog: polib.POFile, context: str) -> bool:
    """The catalog translates the entry and serves it (not fuzzy, not obsolete)."""
    return any(
        e.msgctxt == context and not e.obsolete and "fuzzy" not in e.flags and e.msgstr for e in catalog
    )


def complete(locale_id: str) -> bool:
    """Every entry of the catalog translated and confirmed (as shipped, until the table changes)."""
    catalog = _catalog(locale_id)
    return not catalog.fuzzy_entries() and not catalog.untranslated_entries()


def _plain_resolution() -> str:
    """The entry the rules are tried on: a resolution every shipped catalog translates and
    serves (not fuzzy), without placeholders, glossary terms or final punctuation;
    40112.resolution ("Retry later") while it is one. Follows the data (issue 21, item 8)."""
    catalogs = [_catalog(locale_id) for locale_id in SHIPPED]
    glossary = load_glossary(LOCALES / "glossary.tbx")
    candidates = [
        e.msgctxt
        for e in catalogs[0]
        if e.msgctxt
        and e.msgctxt.endswith(".resolution")
        and not e.obsolete
        and not e.msgid_plural
        and not re.search(r"[{.?!:;]", e.msgid)
        and not (glossary and any(c.found_in_source(e.msgid) for c in glossary.concepts))
    ]
    ranked = sorted(candidates, key=lambda context: context != "40112.resolution")
    return next(c for c in ranked if all(served(catalog, c) for catalog in catalogs))


PLAIN = _plain_resolution()

#: (locale, msgctxt, text, rule, words of the message)
BROKEN = [
    ("fr", PLAIN, "Paramètre inconnu : x", "french-spacing", "before ':'"),
    ("fr", PLAIN, "Vraiment ? oui", "french-spacing", "before '?'"),
    ("fr", PLAIN, "Oui;non", "french-spacing", "before ';'"),
    ("fr", PLAIN, "« cité » ici", "french-spacing", "inside '«'"),
    ("fr", PLAIN, "«\u00a0cité » ici", "french-spacing", "inside '»'"),
    ("zh_Hans", PLAIN, "请稍后重试,谢谢", "cjk-punctuation", "use '，'"),
    ("zh_Hant", PLAIN, "請稍後.重試", "cjk-punctuation", "use '。'"),
    ("ja", PLAIN, "後で?もう一度お試しください", "cjk-punctuation", "use '？'"),
    ("ar", PLAIN, "أعد المحاولة لاحقًا, من فضلك", "arabic-punctuation", "use '،'"),
    ("ar", PLAIN, "أعدت المحاولة? لاحقًا", "arabic-punctuation", "use '؟'"),
    ("de", PLAIN, "Bitte  später erneut versuchen", "double-space", "two spaces"),
    ("ko", PLAIN, "나중에  다시 시도하세요", "double-space", "two spaces"),
]


@pytest.mark.parametrize(("locale_id", "context", "text", "rule", "words"), BROKEN)
def test_each_typography_rule_finds_its_fault(tmp_path, locale_id, context, text, rule, words):
    locales = copy_locales(tmp_path)
    path = edit(locales, locale_id, set_msgstr(context, text))
    code, report = run_check(locales, locale_id)
    findings = report["locales"][0]["findings"]
    assert code == 1 and [f["kind"] for f in findings] == [rule], findings
    assert words in findings[0]["message"] and at_msgstr(path, findings[0]["line"])


def at_msgstr(path: Path, line: int) -> bool:
    """A finding's line is the translation's, where the translator fixes it."""
    return path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("msgstr")


@pytest.mark.parametrize(
    ("locale_id", "text"),
    [("fr", "Vraiment\u202f?!\u00a0«\u00a0oui\u00a0» à 10:30"),
     ("zh_Hans", "请稍后重试（例如 e.g. 10.5 MB）"),
     ("ja", "後でもう一度お試しください（API キー、Base64、SSE）"),
     ("ar", "أعد المحاولة لاحقًا، من فضلك؟ 1,5"),
     ("de", "„Bitte“ später")],
)  # fmt: skip
def test_text_that_follows_the_rules_passes(tmp_path, locale_id, text):
    locales = copy_locales(tmp_path)
    edit(locales, locale_id, set_msgstr(PLAIN, text))
    code, report = run_check(locales, locale_id)
    assert code == 0 and report["locales"][0]["findings"] == [], report["locales"][0]["findings"]


def test_quotation_marks_are_a_warning_a_locale_can_make_an_error(tmp_path):
    locales = copy_locales(tmp_path)
    edit(locales, "de", set_msgstr(PLAIN, "Klicken Sie auf «Erneut»"))
    code, report = run_check(locales, "de")
    warnings = report["locales"][0]["warnings"]
    assert code == 0 and [w["kind"] for w in warnings] == ["quotes"] and "„…“" in warnings[0]["message"]
    (locales / "typography.toml").write_text('[de]\nquotes = "error"\n', encoding="utf-8")
    code, report = run_check(locales, "de")
    assert code == 1 and [f["kind"] for f in report["locales"][0]["findings"]] == ["quotes"]
    (locales / "typography.toml").write_text('[de]\nquotes = "loud"\n', encoding="utf-8")
    refused = CliRunner().invoke(catalog_cli, ["check", "--locales-dir", str(locales), "de"])
    assert refused.exit_code == 1 and "typography.toml: [de] quotes = 'loud'" in refused.output


def test_ascii_quotes_around_a_code_value_are_the_value():
    code, report = run_check(LOCALES)
    quotes = [w for r in report["locales"] for w in r["warnings"] if w["kind"] == "quotes"]
    assert code == 0 and quotes == []  # 'success' and 'fail'


#: (locale, msgctxt, a translation that drops the glossary's term, the term)
OFF_GLOSSARY = [
    ("zh_Hans", "40300.resolution", "获取更多配额", "quota"),
    ("de", "50120.meaning", "Die ID der Wissensbasis existiert nicht", "knowledge base"),
    ("ru", "40130.meaning", "В запросе нет ключа", "API Key"),
    ("fr", "40008.resolution", "Vérifiez la chaîne en base 64", "Base64"),
]


def with_term(locale_id: str, context: str, term: str) -> str:
    """``context`` while the catalog serves it with the glossary's term in its English; else
    another such entry (the table changed), without placeholders, final punctuation or
    another glossary term."""
    catalog = _catalog(locale_id)
    concepts = load_glossary(LOCALES / "glossary.tbx").concepts
    concept = next(c for c in concepts if c.found_in_source(term))
    usable = [
        e.msgctxt
        for e in catalog
        if e.msgctxt
        and not e.msgid_plural
        and [c for c in concepts if c.found_in_source(e.msgid)] == [concept]
        and not re.search(r"[{.?!:;]", e.msgid)
        and served(catalog, e.msgctxt)
    ]
    if context in usable:
        return context
    if not usable:
        pytest.skip(f"{locale_id}: no served entry has {term!r} in its English")
    return usable[0]


@pytest.mark.parametrize(("locale_id", "context", "text", "term"), OFF_GLOSSARY)
def test_the_glossary_finds_a_translation_without_its_term(tmp_path, locale_id, context, text, term):
    context = with_term(locale_id, context, term)
    locales = copy_locales(tmp_path)
    path = edit(locales, locale_id, set_msgstr(context, text))
    code, report = run_check(locales, locale_id)
    findings = report["locales"][0]["findings"]
    assert code == 1 and [f["kind"] for f in findings] == ["glossary"]
    assert f"glossary term {term!r}" in findings[0]["message"] and at_msgstr(path, findings[0]["line"])


def test_a_reasoned_translator_comment_opts_an_entry_out(tmp_path):
    context = with_term("zh_Hans", "40300.resolution", "quota")

    def off_glossary_with_reason(catalog) -> None:
        entry = next(e for e in catalog if e.msgctxt == context)
        entry.msgstr = "获取更多配额"
        entry.tcomment = "glossary-ok quota: this link's page is titled 配额 until the docs change"

    locales = copy_locales(tmp_path)
    edit(locales, "zh_Hans", off_glossary_with_reason)
    code, report = run_check(locales, "zh_Hans")
    assert code == 0, report["locales"][0]["findings"]

    def without_reason(catalog) -> None:
        next(e for e in catalog if e.msgctxt == context).tcomment = "glossary-ok quota:"

    edit(locales, "zh_Hans", without_reason)
    code, report = run_check(locales, "zh_Hans")
    findings = report["locales"][0]["findings"]
    assert code == 1 and "comment gives no reason" in findings[0]["message"], findings


def test_translating_md_shows_the_glossary_finding_as_the_check_prints_it(tmp_path):
    example = re.search(r"^(locales/(\w+)/LC_MESSAGES/messages.po:\d+: error \[glossary\] (\S+): .*)$",
                        (ROOT / "TRANSLATING.md").read_text(encoding="utf-8"), re.M)  # fmt: skip
    assert example, "TRANSLATING.md's glossary example"
    printed, locale_id, context = example.groups()
    locales = copy_locales(tmp_path)
    path = locales / locale_id / "LC_MESSAGES" / "messages.po"
    shipped = path.read_text(encoding="utf-8")
    wanted = next(e for e in polib.pofile(str(path)) if e.msgctxt == context).msgstr
    path.write_text(shipped.replace(f'msgstr "{wanted}"', 'msgstr "获取更多配额"', 1), encoding="utf-8")
    where = ["--locales-dir", str(locales), "--allow-incomplete"]
    result = CliRunner().invoke(catalog_cli, ["check", *where, locale_id])
    assert result.exit_code == 1, result.output
    if complete(locale_id):
        assert f"{tmp_path}/{printed}" in result.output.splitlines(), result.output
    else:  # the table changed under the catalog: the example's line number moved with it
        moved = re.sub(r"\.po:\d+:", r".po:\\d+:", re.escape(f"{tmp_path}/{printed}"))
        assert any(re.fullmatch(moved, line) for line in result.output.splitlines()), result.output


def test_a_language_the_glossary_does_not_know_is_a_warning_naming_the_step(tmp_path):
    """A new language passes the check, and is told to add its terms to the glossary."""
    locales = copy_locales(tmp_path)
    glossary = locales / "glossary.tbx"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(re.sub(r'<langSec xml:lang="de">.*?</langSec>\s*', "", text, flags=re.S), "utf-8")
    assert "de" not in load_glossary(glossary).concepts[0].targets
    code, report = run_check(locales, "de")
    warnings = report["locales"][0]["warnings"]
    assert code == 0 and [w["kind"] for w in warnings] == ["glossary"], warnings
    assert warnings[0]["message"].startswith("de: no term for ") and "step 3" in warnings[0]["message"]
    steps = (ROOT / "TRANSLATING.md").read_text(encoding="utf-8").split("## Add a language")[1]
    assert re.search(r"^3\. .*glossary\.tbx", steps, re.M), "TRANSLATING.md, Add a language, step 3"


def test_a_broken_glossary_stops_the_check_with_its_name(tmp_path):
    locales = copy_locales(tmp_path)
    (locales / "glossary.tbx").write_text("<tbx><text>", encoding="utf-8")
    result = CliRunner().invoke(catalog_cli, ["check", "--locales-dir", str(locales), "de"])
    assert result.exit_code == 1 and "glossary.tbx" in result.output


@pytest.mark.parametrize("locale_id", SHIPPED)
def test_quotation_marks_are_cldrs_as_icu_has_them(locale_id):
    import icu  # ICU (PyICU), the test peer: CLDR delimiters as ICU ships them

    data = icu.LocaleData(locale_id)
    kinds = ("QUOTATION_START", "QUOTATION_END", "ALT_QUOTATION_START", "ALT_QUOTATION_END")
    icu_quotes = "".join(data.getDelimiter(getattr(icu.ULocaleDataDelimiterType, k)) for k in kinds)
    assert locale_quotes(locale_id) == icu_quotes
