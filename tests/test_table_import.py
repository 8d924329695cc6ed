"""A translated documentation page into its catalog, and every page back out as it went in.

Through the real CLI (`flask --app service catalog table-import`, `registry import`), real
.po files and, for the round trip, the real `make catalogs` in a scratch project.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from service import Settings, create_app
from service.publish.page import parse_table
from service.publish.table_import import apply_table
from service.registry import load_registry
from service.translators.commands import catalog_cli

from .conftest import DATA, ORIGINAL_TABLE, REGISTRY, ROOT, copy_locales, example_code, served_entries
from .test_translator_workflow import VENV, entry, scratch_project

#: The vendor's Chinese page: the zh_Hans catalog in the English page's layout, with the
#: vendor's own header words and its Chinese help links.
ZH_PAGE = DATA / "error_codes.zh-Hans.md"
ZH_LINK = "/memos_cloud/limit#_4-领取更多额度"
EN_LINK = "/memos_cloud/limit#_4-obtaining-more-quota"


def zh_po(locales: Path) -> Path:
    return locales / "zh_Hans" / "LC_MESSAGES" / "messages.po"


def table_import(locales: Path, page: Path, *args: str):
    where = ["--locales-dir", str(locales), "--registry", str(REGISTRY.path)]
    return CliRunner().invoke(catalog_cli, ["table-import", *where, "zh-Hans", str(page), *args])


def write_page(tmp_path: Path, text: str, name: str = "error_codes.zh-Hans.md") -> Path:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return page


ZH = ZH_PAGE.read_text(encoding="utf-8")
#: The Chinese page as `make docs` writes it from today's catalogs (English where they lag):
#: the tests of refusals and of what an import writes edit it, so they follow the data.
PAGE = (ROOT / "docs" / "errors" / "zh-Hans.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| (\d{5}) \| (.*?) \| (.*) \|$")


def line_of(text: str, start: str) -> int:
    """The 1-based line of ``text`` that starts with ``start``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def row(code: str) -> tuple[str, str, str]:
    """(the row's line, its meaning cell, its resolution cell) on PAGE."""
    line = next(line for line in PAGE.splitlines() if line.startswith(f"| {code} |"))
    found = ROW.match(line)
    assert found, line
    return line, found.group(2), found.group(3)


def rows() -> list[str]:
    return [line for line in PAGE.splitlines() if ROW.match(line)]


def category_rows() -> list[str]:
    return [line for line in PAGE.splitlines() if line.startswith("| **")]


def on_page(*fields: str, where=None) -> str:
    """A code on PAGE (not deprecated) whose ``fields`` zh_Hans serves translated."""
    return example_code(*fields, locales=["zh_Hans"], where=where, documented=True)


def linked_code() -> str:
    """A documented code whose resolution is a link the zh_Hans catalog localizes."""
    return on_page("help_url", where=lambda e: bool(e.help_url))


def placeholder_code() -> tuple[str, str]:
    """A code whose Chinese meaning shows a placeholder at its (small) default, and that value."""
    code = on_page(
        "meaning",
        where=lambda e: any(0 < p.default < 1000 for p in e.params_in("meaning")),
    )  # fmt: skip
    param = next(p for p in REGISTRY.entries[code].params_in("meaning") if 0 < p.default < 1000)
    return code, param.name


def bad_page(kind: str) -> tuple[str, int, str]:
    """PAGE with one thing wrong: (the page, the line the refusal names, what it says)."""
    codes = [ROW.match(line).group(1) for line in rows()]
    first, second = codes[0], codes[1]
    categories = len(category_rows())
    if kind == "unknown-code":
        unknown = next(str(n) for n in range(99999, 0, -1) if str(n) not in REGISTRY.entries)
        text = PAGE.replace(f"| {first} |", f"| {unknown} |")
        return text, line_of(PAGE, f"| {first} |"), f"code {unknown} is not"
    if kind == "missing-code":
        before = PAGE.splitlines()[: line_of(PAGE, f"| {second} |")]
        above = [line for line in before if line.startswith("| **")]
        return PAGE.replace(row(second)[0] + "\n", ""), line_of(PAGE, above[-1]), f"code {second} "
    if kind == "missing-category":
        text = PAGE.replace(category_rows()[1] + "\n", "")
        return text, 0, f"the page has {categories - 1} categories, the registry {categories}"
    if kind == "extra-category":
        text = PAGE.replace(row(second)[0], "| **多余的类别** | | |\n" + row(second)[0])
        return text, 0, f"the page has {categories + 1} categories, the registry {categories}"
    if kind == "other-category":  # the second category's first row, moved under the first
        after = PAGE.splitlines()[line_of(PAGE, category_rows()[1]) :]
        moved = next(line for line in after if ROW.match(line))
        code = ROW.match(moved).group(1)
        text = PAGE.replace(moved + "\n", "").replace(row(first)[0], moved + "\n" + row(first)[0])
        registry_title = REGISTRY.categories[REGISTRY.entries[code].category].title
        first_title = category_rows()[0].split("**")[1]
        return text, line_of(PAGE, f"| {first} |"), (
            f"code {code} is under {first_title!r}; the registry files it under {registry_title!r}"
        )
    if kind == "placeholder":
        code, name = placeholder_code()
        line, meaning, _ = row(code)
        default = str(next(p.default for p in REGISTRY.entries[code].params if p.name == name))
        lost = re.sub(rf"(?<!\d){default}(?!\d)", "若干", meaning, count=1)
        assert lost != meaning, (meaning, default)
        changed = line.replace(f"| {meaning} |", f"| {lost} |", 1)
        return PAGE.replace(line, changed), line_of(PAGE, f"| {code} |"), f"lacks the placeholder {{{name}}}"
    if kind in ("html", "markdown"):
        code = on_page("meaning")
        line, meaning, _ = row(code)
        marked = f"<b>{meaning}</b>" if kind == "html" else f"**{meaning}**"
        return PAGE.replace(line, line.replace(f"| {meaning} |", f"| {marked} |", 1)), line_of(
            PAGE, f"| {code} |"
        ), "has markup"
    code = linked_code()
    line, _, resolution = row(code)
    link = re.match(r'<a href="([^"]+)" target="_blank">(.*)</a>$', resolution)
    assert link, resolution
    if kind == "link-dropped":
        changed, message = line.replace(resolution, link.group(2)), "the English resolution is a link"
    else:  # other-site
        changed = line.replace(link.group(1), "https://evil.example/q")
        message = "must be a path on the same site"
    return PAGE.replace(line, changed), line_of(PAGE, f"| {code} |"), message


REFUSALS = ["unknown-code", "missing-code", "missing-category", "extra-category", "other-category",
            "placeholder", "html", "markdown", "link-dropped", "other-site"]  # fmt: skip


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_page_that_does_not_match_is_refused_with_file_and_line(tmp_path, kind):
    text, line, message = bad_page(kind)
    assert text != PAGE
    locales = copy_locales(tmp_path)
    before = sorted(p.name for p in zh_po(locales).parent.iterdir()), zh_po(locales).read_bytes()
    page = write_page(tmp_path, text)
    result = table_import(locales, page)
    assert result.exit_code == 1, result.output
    where = f"{page}:{line}: " if line else f"{page}:"
    assert where in result.output and message in result.output, result.output
    assert "is unchanged" in result.output
    assert (sorted(p.name for p in zh_po(locales).parent.iterdir()), zh_po(locales).read_bytes()) == before


def test_a_page_of_another_version_of_the_table_is_refused_with_every_row_that_differs(tmp_path):
    """The vendor's translated page lags its English page by a table version: every row of
    a code the English dropped and every code the page lacks is named at once, with its line,
    so a translator sees the whole difference in one run (TRANSLATING.md says what to do)."""
    registry = tmp_path / "errors.toml"
    registry.write_bytes(REGISTRY.path.read_bytes())
    rewritten = DATA / "error_codes.rewritten.md"
    text, _ = apply_table(parse_table(rewritten.read_text(encoding="utf-8"), str(rewritten)), registry)
    registry.write_text(text, encoding="utf-8")
    newer = load_registry(registry)
    on_page = {ROW.match(line).group(1): line_of(PAGE, line) for line in rows()}
    dropped = [code for code in on_page if newer.entries[code].deprecated]
    missing = [entry.code for entry in newer.documented() if entry.code not in on_page]
    if len(dropped) + len(missing) < 2:
        pytest.skip("the shipped registry is already the rewritten table's version")
    locales = copy_locales(tmp_path)
    before = zh_po(locales).read_bytes()
    page = write_page(tmp_path, PAGE)
    where = ["--locales-dir", str(locales), "--registry", str(registry)]
    result = CliRunner().invoke(catalog_cli, ["table-import", *where, "zh-Hans", str(page)])
    assert result.exit_code == 1, result.output
    for code in dropped:
        assert f"{page}:{on_page[code]}: code {code} is deprecated" in result.output, code
    for code in missing:
        assert re.search(rf"{re.escape(str(page))}:\d+: code {code} \(.*\) is missing", result.output), code
    assert f"{len(dropped) + len(missing)} rows do not match the English page" in result.output
    assert zh_po(locales).read_bytes() == before


def changed_page() -> tuple[str, dict[str, tuple[str, str]]]:
    """PAGE after its writers reworded one meaning, one link target and one header cell:
    (the page, label → (old msgstr, new msgstr))."""
    code = on_page("meaning", where=lambda e: not e.params_in("meaning"))
    linked = linked_code()
    line, meaning, _ = row(code)
    text = PAGE.replace(line, line.replace(f"| {meaning} |", f"| {meaning}（已改写） |", 1))
    old_link = served_entries("zh_Hans")[f"{linked}.help_url"].msgstr
    link_line = row(linked)[0]
    text = text.replace(link_line, link_line.replace(f'<a href="{old_link}"', '<a href="/zh/quota"'))
    header = PAGE.splitlines()[line_of(PAGE, "| ") - 1]
    cell = header.strip("|").split("|")[-1].strip()
    text = text.replace(header, header.replace(f"| {cell} |", f"| {cell}（推荐） |"))
    english = REGISTRY.page.header[-1]
    return text, {
        f"{code}.meaning": (meaning, f"{meaning}（已改写）"),
        f"{linked}.help_url": (old_link, "/zh/quota"),
        f"header {english!r}": (cell, f"{cell}（推荐）"),
    }


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    locales = copy_locales(tmp_path)
    before = zh_po(locales).read_bytes()
    text, changes = changed_page()
    result = table_import(locales, write_page(tmp_path, text), "--dry-run")
    assert result.exit_code == 0, result.output
    for label in changes:
        assert f"would change {label}\n" in result.output
    assert f"would change {len(changes)}, kept fuzzy 0" in result.output
    assert "nothing written" in result.output
    assert zh_po(locales).read_bytes() == before


def test_only_the_changed_entries_lines_differ(tmp_path):
    locales = copy_locales(tmp_path)
    before = zh_po(locales).read_text(encoding="utf-8")
    text, changes = changed_page()
    result = table_import(locales, write_page(tmp_path, text))
    assert result.exit_code == 0, result.output
    after = zh_po(locales).read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    expected = [line for old, new in changes.values() for line in (f'-msgstr "{old}"', f'+msgstr "{new}"')]
    assert sorted(diff) == sorted(expected)
    catalog = polib.pofile(after)
    linked = next(label for label in changes if label.endswith(".help_url"))
    assert entry(catalog, linked).msgstr == "/zh/quota"
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(zh_po(locales))]).returncode == 0


def test_a_row_equal_to_the_fuzzy_translation_stays_fuzzy(tmp_path):
    """The English changed (two entries fuzzy); the page still has the old row for one of
    them and a new row for the other: only the new row is confirmed."""
    plain = lambda e: not e.params_in("meaning") and not e.params_in("resolution")  # noqa: E731
    lagging = on_page("resolution", where=plain)
    reworded = on_page("meaning", where=lambda e: plain(e) and e.code != lagging)
    locales = copy_locales(tmp_path)
    catalog = polib.pofile(str(zh_po(locales)), wrapwidth=100)
    for context in (f"{lagging}.resolution", f"{reworded}.meaning"):
        fuzzy = entry(catalog, context)
        fuzzy.flags.append("fuzzy")
        fuzzy.previous_msgid = fuzzy.msgid + " (before)"
    catalog.save()
    line, meaning, _ = row(reworded)
    page = write_page(tmp_path, PAGE.replace(line, line.replace(f"| {meaning} |", f"| {meaning}（新） |", 1)))
    result = table_import(locales, page)
    assert result.exit_code == 0, result.output
    assert f"changed {reworded}.meaning\n" in result.output
    assert f"kept fuzzy {lagging}.resolution: " in result.output and "kept fuzzy 1" in result.output
    after = polib.pofile(str(zh_po(locales)))
    kept, confirmed = entry(after, f"{lagging}.resolution"), entry(after, f"{reworded}.meaning")
    assert "fuzzy" in kept.flags and kept.previous_msgid
    assert kept.msgstr == served_entries("zh_Hans")[f"{lagging}.resolution"].msgstr
    assert "fuzzy" not in confirmed.flags and confirmed.previous_msgid is None
    assert confirmed.msgstr == f"{meaning}（新）"


def test_a_cell_showing_the_english_of_an_untranslated_entry_leaves_it_untranslated(tmp_path):
    """The generated page shows English where the catalog lags; brought back after an edit
    elsewhere, those cells are not taken for translations."""
    plain = lambda e: not e.params_in("meaning")  # noqa: E731
    untranslated = on_page("meaning", where=plain)
    edited = on_page("resolution", where=lambda e: e.code != untranslated)
    locales = copy_locales(tmp_path)
    catalog = polib.pofile(str(zh_po(locales)), wrapwidth=100)
    entry(catalog, f"{untranslated}.meaning").msgstr = ""
    catalog.save()
    line, meaning, _ = row(untranslated)
    english = REGISTRY.entries[untranslated].meaning
    text = PAGE.replace(line, line.replace(f"| {meaning} |", f"| {english} |", 1))
    edited_line, _, resolution = row(edited)
    text = text.replace(edited_line, edited_line.replace(f"| {resolution} |", f"| {resolution}。 |", 1))
    result = table_import(locales, write_page(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert f"left as is {untranslated}.meaning: " in result.output, result.output
    assert f"changed {edited}.resolution\n" in result.output
    assert f"changed {untranslated}" not in result.output
    assert entry(polib.pofile(str(zh_po(locales))), f"{untranslated}.meaning").msgstr == ""


def test_a_row_with_its_placeholder_value_keeps_the_placeholder(tmp_path):
    code, name = placeholder_code()
    locales = copy_locales(tmp_path)
    line, meaning, _ = row(code)
    page = write_page(tmp_path, PAGE.replace(line, line.replace(f"| {meaning} |", f"| 注意：{meaning} |", 1)))
    result = table_import(locales, page)
    assert result.exit_code == 0 and f"changed {code}.meaning\n" in result.output, result.output
    shipped = served_entries("zh_Hans")[f"{code}.meaning"]
    found = entry(polib.pofile(str(zh_po(locales))), f"{code}.meaning")
    if found.msgid_plural:
        assert found.msgstr_plural[0] == "注意：" + shipped.msgstr_plural[0]
    else:
        assert found.msgstr == "注意：" + shipped.msgstr
    assert f"{{{name}}}" in (found.msgstr_plural.get(0) or found.msgstr) and "fuzzy" not in found.flags


# --- the round trip -------------------------------------------------------------------

#: An English page with its own title and header words, and a Chinese page to match.
OTHER_EN = (
    ORIGINAL_TABLE.read_text(encoding="utf-8")
    .replace("title: Error Codes", "title: Error code reference")
    .replace("| Code | Meaning | Resolution |", "| Error code | What it means | What to do |")
)
OTHER_ZH = ZH.replace("title: 错误码", "title: 错误码一览").replace(
    "| 错误码 | 含义 | 推荐解决方法 |", "| 代码 | 说明 | 处理办法 |"
)


def flask(project: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV / "bin" / "flask"), "--app", "service", *args],
        capture_output=True, text=True, cwd=project, env={**os.environ, **env},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("english", "chinese"), [(ORIGINAL_TABLE.read_text(encoding="utf-8"), ZH), (OTHER_EN, OTHER_ZH)],
    ids=["vendor-pages", "other-title-and-header"],
)  # fmt: skip
def test_pages_come_back_out_as_they_went_in(tmp_path, english, chinese):
    project = scratch_project(tmp_path)
    # The shared virtualenv imports the checkout's package; the environment points every
    # command at the scratch project's registry and catalogs, as in a clone of one's own.
    env = {
        "ERRMSG_LOCALES_DIR": str(project / "locales"),
        "ERRMSG_REGISTRY": str(project / "service" / "errors.toml"),
    }
    # The Chinese catalog before its page arrives: English help links, an older wording.
    catalog = polib.pofile(str(zh_po(project / "locales")), wrapwidth=100)
    for item in catalog:
        if item.msgctxt and item.msgctxt.endswith(".help_url"):
            item.msgstr = item.msgid
    entry(catalog, "40300.resolution").msgstr = "获取额度"
    catalog.save()
    (project / "EN.md").write_text(english, encoding="utf-8")
    (project / "ZH.md").write_text(chinese, encoding="utf-8")

    flask(project, env, "registry", "import", "EN.md")
    imported = flask(project, env, "catalog", "table-import", "zh-Hans", "ZH.md")
    assert "changed 40300.help_url\n" in imported and "changed 40300.resolution\n" in imported
    subprocess.run(
        ["make", "-s", "-C", str(project), f"VENV={VENV}", "catalogs"],
        check=True, capture_output=True, env={**os.environ, **env},
    )  # fmt: skip

    docs = project / "docs" / "errors"
    assert (docs / "en.md").read_text(encoding="utf-8") == english + "\n"
    assert (docs / "zh-Hans.md").read_text(encoding="utf-8") == chinese + "\n"
    client = create_app(Settings.from_env(env)).test_client()
    answer = client.get("/errors/40300?lang=zh-Hans").get_json()
    assert answer["resolution"] == "获取更多额度" and answer["help_url"] == ZH_LINK
    assert answer["fallback"] == {}
    assert client.get("/errors/40300?lang=de").get_json()["help_url"] == EN_LINK


def test_a_page_leaves_out_the_codes_the_english_page_dropped(tmp_path):
    """A deprecated code is not on the English page, so not on a translated one either."""
    code = next(  # one of two or more in its category, so the category stays on the page
        e.code for e in REGISTRY.documented()
        if sum(other.category == e.category for other in REGISTRY.documented()) > 1
    )  # fmt: skip
    locales = copy_locales(tmp_path)
    registry = tmp_path / "errors.toml"
    registry.write_text(
        REGISTRY.path.read_text(encoding="utf-8").replace(
            f'code = "{code}"\n', f'code = "{code}"\ndeprecated = true\n'
        ),
        encoding="utf-8",
    )
    where = ["--locales-dir", str(locales), "--registry", str(registry)]
    without = write_page(tmp_path, PAGE.replace(row(code)[0] + "\n", ""))
    result = CliRunner().invoke(catalog_cli, ["table-import", *where, "zh-Hans", str(without), "--dry-run"])
    assert result.exit_code == 0 and f"would change {code}" not in result.output, result.output
    with_row = write_page(tmp_path, PAGE)
    result = CliRunner().invoke(catalog_cli, ["table-import", *where, "zh-Hans", str(with_row)])
    assert result.exit_code == 1 and f"code {code} is deprecated" in result.output, result.output
