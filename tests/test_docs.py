"""Documentation pages from the catalogs, and a Markdown table imported into the registry.

Pages are read back the way a docs site reads them: front matter by a YAML parser,
the table by markdown-it (CommonMark with GFM tables).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import polib
import pytest
import yaml
from babel.localedata import locale_identifiers
from click.testing import CliRunner
from markdown_it import MarkdownIt

from service import Settings, create_app
from service.catalogs import CatalogError, bcp47, load_catalogs
from service.lookup import ErrorTable
from service.publish.docs import render_page, yaml_scalar
from service.publish.table_import import apply_table, english_with_defaults, parse_table, registry_cli
from service.registry import load_registry
from service.translators.commands import catalog_cli

from .conftest import LOCALES, ORIGINAL_TABLE, REGISTRY, ROOT, SHIPPED, compile_po, copy_locales
from .test_translator_workflow import VENV, scratch_project

MARKDOWN = MarkdownIt("commonmark").enable("table")
DOCS = ROOT / "docs" / "errors"


def read_page(text: str) -> tuple[dict, list[list[str]], list[dict]]:
    """(front matter, table rows as cell texts, links) as a Markdown renderer sees them."""
    _, front, body = text.split("---\n", 2)
    tokens = MARKDOWN.parse(body)
    rows, row, links = [], None, []
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "inline" and row is not None:
            children = token.children or []
            row.append("".join(c.content for c in children if c.type in ("text", "code_inline")))
            for child in children:
                if child.type == "link_open":
                    links.append({"href": child.attrs["href"]})
                elif child.type == "html_inline" and child.content.startswith("<a "):
                    links.append({"href": re.search(r'href="([^"]*)"', child.content).group(1)})
    return yaml.safe_load(front), rows, links


@pytest.fixture(scope="module")
def table():
    return create_app(Settings(locales_dir=LOCALES)).extensions["errmsg"].state.service.table


def documented(registry=REGISTRY) -> list:
    """The entries a page lists, in its order (by category). A code the table removed is
    not among them, whether the import deleted it or kept it deprecated."""
    return [
        e
        for c in registry.categories
        for e in registry.entries.values()
        if e.category == c and not getattr(e, "deprecated", False)
    ]


def page_rows(registry=REGISTRY) -> list[tuple[str, str, str, str, str | None]]:
    """(category title, code, meaning, resolution, help link) as the registry says."""
    return [
        (registry.categories[e.category].title, e.code, english_with_defaults(e, "meaning"),
         english_with_defaults(e, "resolution"), e.help_url)
        for e in documented(registry)
    ]  # fmt: skip


def table_rows(text: str) -> list[tuple[str, str, str, str, str | None]]:
    return [(r.category, r.code, r.meaning, r.resolution, r.help_url) for r in parse_table(text).rows]


#: The registry still says what the seed page says (until the vendor's table changes).
SEED_PAGE = ORIGINAL_TABLE.read_text(encoding="utf-8")
REGISTRY_IS_THE_SEED = table_rows(SEED_PAGE) == page_rows()


def test_the_english_page_is_the_original_table(client, tmp_path):
    """The English page says what the registry says, with the imported page's title and
    header; while the registry says what the seed does, it is the seed byte for byte."""
    result = (
        create_app(Settings(locales_dir=LOCALES))
        .test_cli_runner()
        .invoke(args=["docs", "--out", str(tmp_path)])
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "en.md").read_text(encoding="utf-8")
    assert client.get("/docs/errors/en.md").get_data(as_text=True) == page
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{bcp47(s)}.md" for s in SHIPPED)
    assert table_rows(page) == page_rows()
    table = parse_table(page)
    assert (table.title, table.header) == (REGISTRY.page.title, tuple(REGISTRY.page.header))
    if REGISTRY_IS_THE_SEED:
        assert page == SEED_PAGE + "\n"


@pytest.mark.parametrize("locale_id", SHIPPED)
def test_each_page_has_the_tables_shape_in_its_language(table, locale_id):
    po = polib.pofile(str(LOCALES / locale_id / "LC_MESSAGES" / "messages.po"))
    # What is served: a fuzzy or untranslated entry shows its English.
    served = {(e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete and "fuzzy" not in e.flags}
    words = {key: served.get(key) or key[1] for key in [*served, *((e.msgctxt, e.msgid) for e in po)]}
    text = render_page(table, locale_id)
    front, rows, links = read_page(text)
    rtl = table.catalogs[locale_id].locale.text_direction == "rtl"
    # VitePress takes <html dir> from `dir:`; a right-to-left table keeps its natural alignment.
    assert front == {"title": words[("docs.title", "Error Codes")], **({"dir": "rtl"} if rtl else {})}
    assert (":---" in text) is not rtl
    assert rows[0] == [words[(None, w)] for w in ("Code", "Meaning", "Resolution")]
    codes = [row[0] for row in rows[1:] if re.fullmatch(r"\d{5}", row[0])]
    assert codes == [e.code for e in documented()]
    titles = [row[0] for row in rows[1:] if not re.fullmatch(r"\d{5}", row[0])]
    shown = {e.category for e in documented()}
    assert titles == [words[(f"category.{c}", t.title)] for c, t in REGISTRY.categories.items() if c in shown]
    assert all(len(row) == 3 for row in rows)
    for row in rows[1:]:
        if row[0] in REGISTRY.entries:
            entry = table.get(row[0], locale_id)
            assert row[1:] == [entry.meaning, entry.resolution]
    linked = [e for e in documented() if e.help_url]
    expected = [words.get((f"{e.code}.help_url", e.help_url)) or e.help_url for e in linked]
    assert [link["href"] for link in links] == expected


def test_a_translator_can_localize_the_help_link(client):
    body = client.get("/errors/40300?lang=zh-Hans").get_json()
    assert body["help_url"] == "/memos_cloud/limit#_4-领取更多额度"
    assert client.get("/errors/40300?lang=de").get_json()["help_url"] == REGISTRY.entries["40300"].help_url
    page = client.get("/docs/errors/zh-Hans.md").get_data(as_text=True)
    assert '<a href="/memos_cloud/limit#_4-领取更多额度" target="_blank">获取更多额度</a>' in page


def test_a_help_link_to_another_site_is_refused(tmp_path):
    locales = copy_locales(tmp_path)
    po_file = locales / "de" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_file))
    linked = next(e for e in documented() if e.help_url)
    next(e for e in po if e.msgctxt == f"{linked.code}.help_url").msgstr = "https://evil.example/quota"
    po.save()
    compile_po(po_file, "de")
    with pytest.raises(
        CatalogError, match=rf"de/LC_MESSAGES/messages.mo: msgctxt {linked.code}.help_url: help link"
    ):
        create_app(Settings(locales_dir=locales))
    where = ["--locales-dir", str(locales), "--allow-incomplete"]  # completeness is a report
    result = CliRunner().invoke(catalog_cli, ["check", "--json", *where, "de"])
    findings = json.loads(result.output)["locales"][0]["findings"]
    # The link is the one link finding, at its msgstr (a lagging catalog may have others:
    # a fuzzy guess whose placeholders the translator must still fix, say).
    lines = po_file.read_text(encoding="utf-8").splitlines()
    links = [f for f in findings if f["kind"] == "link"]
    assert result.exit_code == 1 and len(links) == 1, findings
    assert lines[links[0]["line"] - 1] == 'msgstr "https://evil.example/quota"'
    # under a configured documentation site, a URL there is a valid translated link
    assert create_app(Settings(locales_dir=locales, help_base_url="https://evil.example"))


def test_markdown_links_and_a_base_url(tmp_path):
    app = create_app(Settings(locales_dir=LOCALES))
    args = ["docs", "--out", str(tmp_path), "--lang", "zh-hans", "--links", "markdown"]
    result = app.test_cli_runner().invoke(args=[*args, "--base-url", "https://docs.example.com/"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["zh-Hans.md"]
    _, _, links = read_page((tmp_path / "zh-Hans.md").read_text(encoding="utf-8"))
    localized = (
        "https://docs.example.com/memos_cloud/limit#_4-%E9%A2%86%E5%8F%96%E6%9B%B4%E5%A4%9A%E9%A2%9D%E5%BA%A6"
    )
    english = {f"https://docs.example.com{e.help_url}" for e in documented() if e.help_url}
    hrefs = [link["href"] for link in links]
    # A code added since the translator localized the link keeps the English one meanwhile.
    assert localized in hrefs and set(hrefs) <= {localized} | english, hrefs
    refused = app.test_cli_runner().invoke(args=["docs", "--lang", "qaa", "--out", str(tmp_path)])
    assert refused.exit_code == 2 and "'qaa' is not shipped" in refused.output


HOSTILE = "Ko | *fett* [x](https://evil.example) `code` <b>b</b> &amp; _e_ ~~s~~ \\ back\nline"


def test_markdown_specials_in_a_translation_never_break_the_table(tmp_path):
    locales = copy_locales(tmp_path)
    po_file = locales / "de" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(po_file))
    first, linked = documented()[0], next(e for e in documented() if e.help_url)
    contexts = (
        f"{first.code}.meaning",
        f"{linked.code}.resolution",
        f"category.{first.category}",
        "docs.title",
    )
    for context in contexts:
        entry = next(e for e in po if e.msgctxt == context and not e.obsolete)
        entry.msgstr = HOSTILE if context != "docs.title" else "Fehler: #1 | 'Codes'"
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]  # confirmed, so served
    po.save()
    compile_po(po_file, "de")
    table = ErrorTable(load_registry(REGISTRY.path), load_catalogs(locales))
    text = render_page(table, "de")
    front, rows, links = read_page(text)
    flat = HOSTILE.replace("\n", " ")
    assert front == {"title": "Fehler: #1 | 'Codes'"}
    assert rows[1] == [flat, "", ""]  # the category row, its title literal
    assert rows[2][:2] == [first.code, flat]
    linked_row = next(row for row in rows if row[0] == linked.code)
    assert linked_row[2] == flat and linked.help_url in {link["href"] for link in links}
    assert all(len(row) == 3 for row in rows)
    html = MARKDOWN.render(text.split("---\n", 2)[2])
    assert "<b>" not in html and "<em>" not in html and "<code>" not in html and "<s>" not in html
    assert linked.help_url in set(re.findall(r'href="([^"]*)"', html))


def test_yaml_titles_read_back_as_written():
    for title in (
        "Error Codes",
        "Codes d'erreur",
        "錯誤碼",
        "a: b",
        "#x",
        "true",
        "123",
        "- x",
        "[x]",
        "x #y",
    ):
        assert yaml.safe_load(f"title: {yaml_scalar(title)}") == {"title": title}


def test_committed_docs_match_a_fresh_make_docs(table):
    """The drift check: docs/errors/ is what `make docs` writes from the catalogs now."""
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    fresh = {f"{bcp47(s)}.md": render_page(table, s) for s in SHIPPED}
    assert committed.keys() == fresh.keys(), "run `make docs`"
    for name, text in fresh.items():
        assert committed[name] == text, f"docs/errors/{name} is stale: run `make docs`"


def test_a_removed_language_loses_its_page(tmp_path):
    """`make docs` (and so `make catalogs`) deletes the page of a language that is gone."""
    gone = next(tag for tag in sorted(locale_identifiers()) if tag not in SHIPPED)  # a language not shipped
    out = tmp_path / "errors"
    out.mkdir()
    (out / f"{bcp47(gone)}.md").write_text("---\ntitle: Error codes\n---\n", encoding="utf-8")
    (out / "README.md").write_text("Pages generated by make docs.\n", encoding="utf-8")
    app = create_app(Settings(locales_dir=LOCALES))
    result = app.test_cli_runner().invoke(args=["docs", "--out", str(out)])
    assert result.exit_code == 0 and f"removed {out / f'{bcp47(gone)}.md'}" in result.output, result.output
    pages = sorted(["README.md", *(f"{bcp47(locale_id)}.md" for locale_id in SHIPPED)])
    assert sorted(p.name for p in out.glob("*.md")) == pages


# --- import ---------------------------------------------------------------------------


def test_importing_the_original_table_into_an_empty_registry_round_trips(tmp_path):
    registry_file = tmp_path / "errors.toml"
    table = parse_table(ORIGINAL_TABLE.read_text(encoding="utf-8"), "error_codes.md")
    text, report = apply_table(table, registry_file)
    assert report.added == [row.code for row in table.rows] and not report.changed and not report.removed
    registry_file.write_text(text, encoding="utf-8")
    imported = load_registry(registry_file)
    page = render_page(ErrorTable(imported, load_catalogs(LOCALES)), "en")
    assert page == ORIGINAL_TABLE.read_text(encoding="utf-8") + "\n"
    again, report = apply_table(table, registry_file)
    assert report.unchanged and again == text


def test_a_page_with_its_own_title_and_header_comes_back_out_as_it_went_in(tmp_path):
    """registry import records the page's title, header and delimiter row ([page])."""
    own = render_page(ErrorTable(REGISTRY, load_catalogs(LOCALES)), "en").removesuffix("\n")
    source = (
        own.replace(f"title: {REGISTRY.page.title}", 'title: "Error codes: the reference"')
        .replace("| Code | Meaning | Resolution |", "| Error code | What it means | What to do |")
        .replace("| :--- | :--- | :--- |", "| --- | :---: | ---: |")
    )
    registry_file = tmp_path / "errors.toml"
    registry_file.write_bytes(REGISTRY.path.read_bytes())
    text, report = apply_table(parse_table(source, "error_codes.md"), registry_file)
    assert report.page == ["title", "header", "delimiter"] and not report.changed
    registry_file.write_text(text, encoding="utf-8")
    imported = load_registry(registry_file)
    assert imported.page.header == ("Error code", "What it means", "What to do")
    assert render_page(ErrorTable(imported, load_catalogs(LOCALES)), "en") == source + "\n"


def test_importing_the_registrys_own_english_page_changes_nothing():
    """The English page round-trips through the import (the seed's while it is the seed's)."""
    own = render_page(ErrorTable(REGISTRY, load_catalogs(LOCALES)), "en")
    text, report = apply_table(parse_table(own), REGISTRY.path)
    assert report.unchanged and text == REGISTRY.path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("| 40001 |", "| 40000 |"), "error_codes.md:9: code 40000 is already on line 8"),
        (lambda t: t.replace("| **Parameter Errors** | | |\n", ""), "comes before any category row"),
        (lambda t: t.replace("| 40002 |", "| 4002 |"), "error_codes.md:10: '4002' is not an error code"),
        (lambda t: t.replace("| 40002 |", "| 4000A |"), "'4000A' is not an error code"),
        (lambda t: t.replace("| Shorten ID length |", "| Shorten | ID |"), "needs three cells"),
        (lambda t: t.replace("Modify name", "<b>Modify</b> name"), "has markup"),
        (lambda t: t.replace("Modify name", "Modify **name**"), "error_codes.md:19: the resolution has"),
        (lambda t: t.replace("| Modify name", "| Modify `name`"), "has markup"),
        (lambda t: t.replace('href="/memos_cloud', 'href="javascript:alert(1)//'), "must be a path"),
        (lambda t: t + "\nSome text\n\n| A | B | C |\n| 1 | 2 | 3 |\n", "a second table"),
    ],
)
def test_ambiguous_tables_are_refused_with_file_and_line(tmp_path, edit, message):
    source = edit(ORIGINAL_TABLE.read_text(encoding="utf-8"))
    table_file = tmp_path / "error_codes.md"
    table_file.write_text(source, encoding="utf-8")
    registry_file = tmp_path / "errors.toml"
    result = subprocess.run(
        [str(VENV / "bin" / "flask"), "--app", "service", "registry", "import", str(table_file),
         "--registry", str(registry_file)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1 and message.replace("error_codes.md", str(table_file)) in result.stderr
    assert not registry_file.exists()


def one_resolution_edited(tmp_path: Path) -> tuple[Path, Path, str]:
    """A copy of the registry and the English page with the last unlinked code's resolution
    changed to "Rename the key": (registry file, page, code)."""
    registry_file = tmp_path / "errors.toml"
    registry_file.write_bytes(REGISTRY.path.read_bytes())
    table_file = tmp_path / "error_codes.md"
    source = render_page(ErrorTable(REGISTRY, load_catalogs(LOCALES)), "en")
    last = next(e for e in reversed(documented()) if not e.help_url)
    meaning, resolution = (english_with_defaults(last, field) for field in ("meaning", "resolution"))
    old = f"| {last.code} | {meaning} | {resolution} |"
    assert old in source
    table_file.write_text(source.replace(old, f"| {last.code} | {meaning} | Rename the key |"), "utf-8")
    return registry_file, table_file, last.code


def test_an_import_keeps_the_registry_file_mode(tmp_path):
    """The registry is replaced atomically through a temporary file, which is created 0600."""
    registry_file, table_file, code = one_resolution_edited(tmp_path)
    registry_file.chmod(0o664)
    result = CliRunner().invoke(registry_cli, ["import", str(table_file), "--registry", str(registry_file)])
    assert result.exit_code == 0 and f"changed {code}: resolution" in result.output, result.output
    assert registry_file.stat().st_mode & 0o777 == 0o664


def test_an_import_writes_even_when_its_report_has_nowhere_to_go(tmp_path):
    """`registry import … | head` closes the pipe early: the registry is written before the
    report, so a report cut short never leaves the table unimported."""
    registry_file, table_file, code = one_resolution_edited(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is printed
    try:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "service", "registry", "import",
             str(table_file), "--registry", str(registry_file)],
            cwd=ROOT, stdout=write_end, stderr=subprocess.DEVNULL, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert load_registry(registry_file).entries[code].resolution == "Rename the key"


def test_a_reworded_text_keeps_its_placeholder_or_is_refused_with_what_to_do(tmp_path):
    """The vendor rewords a text with a placeholder: where the new text shows the default
    value, it goes back in as the placeholder; where no text shows it any more, the import
    stops at the row and says what to edit (clients may still send the parameter)."""
    entry = next((e for e in documented() if e.params_in("meaning") and not e.params_in("resolution")), None)
    if entry is None:
        pytest.skip("no documented code has a placeholder in its meaning alone")
    param = entry.params_in("meaning")[0]
    shown = english_with_defaults(entry, "meaning")  # the value at its default, as pages show it
    source = render_page(ErrorTable(REGISTRY, load_catalogs(LOCALES)), "en")
    registry_file = tmp_path / "errors.toml"
    registry_file.write_bytes(REGISTRY.path.read_bytes())
    table_file = tmp_path / "error_codes.md"

    def import_with(meaning: str):
        table_file.write_text(source.replace(f"| {entry.code} | {shown} |", f"| {entry.code} | {meaning} |"))
        return CliRunner().invoke(registry_cli, ["import", str(table_file), "--registry", str(registry_file)])

    reworded = f"Reworded: {shown}"
    result = import_with(reworded)
    assert result.exit_code == 0 and f"changed {entry.code}: meaning" in result.output, result.output
    assert load_registry(registry_file).entries[entry.code].meaning == f"Reworded: {entry.meaning}"

    before = registry_file.read_bytes()
    result = import_with("Something went wrong")
    line = next(n for n, text in enumerate(source.splitlines(), 1) if text.startswith(f"| {entry.code} |"))
    assert result.exit_code == 1, result.output
    assert f"{table_file}:{line}: code {entry.code} no longer shows {{{param.name}}}" in result.output
    assert "remove it from those params" in result.output and registry_file.read_bytes() == before


@pytest.mark.skipif(
    not REGISTRY_IS_THE_SEED,
    reason="edits the seed page: test_living_table's rewritten-table test imports over a changed one",
)
def test_an_import_flows_through_make_catalogs_into_every_catalog(tmp_path):
    """Changed English becomes fuzzy with its previous msgid; hand-added fields stay; a
    code the table dropped stays served, deprecated, until --prune removes it."""
    project = scratch_project(tmp_path)
    table_file = project / "error_codes.md"
    source = ORIGINAL_TABLE.read_text(encoding="utf-8")
    source = source.replace("| Verification code expired |", "| Verification code has expired |")
    source = source.replace("| 50011 | SSE connection failed | Check network |\n", "")
    source = source.replace(
        "| 40030 | API Key name too long | Modify name |",
        "| 40030 | API Key name too long | Modify name |\n| 40031 | API Key name is empty | Name the key |",
    )
    table_file.write_text(source, encoding="utf-8")
    result = subprocess.run(
        # --registry: the scratch project shares the checkout's virtualenv, whose default is
        # the checkout's own registry (a user's clone has its own).
        [str(VENV / "bin" / "flask"), "--app", "service", "registry", "import", "error_codes.md",
         "--registry", "service/errors.toml"],
        capture_output=True, text=True, cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "added 40031" in result.stdout and "changed 40110: meaning" in result.stdout
    assert "deprecated 50011 (not in the table)" in result.stdout and "removed" not in result.stdout
    assert result.stdout.splitlines()[-2].startswith("deprecated codes, still served") and "50011" in (
        result.stdout.splitlines()[-2]
    )
    raw = tomllib.loads((project / "service" / "errors.toml").read_text(encoding="utf-8"))
    by_code = {e["code"]: e for e in raw["errors"]}
    assert by_code["40112"]["params"]["minutes"]["default"] == 10 and by_code["40112"]["http_status"] == 429
    codes = [e["code"] for e in raw["errors"]]
    assert codes.index("40031") == codes.index("40030") + 1
    assert by_code["50011"]["deprecated"] is True and "deprecated" not in by_code["40112"]

    # The shared virtualenv imports the checkout's package; the environment points the
    # app that `make docs` builds at the scratch project's registry and catalogs.
    env = {
        "ERRMSG_LOCALES_DIR": str(project / "locales"),
        "ERRMSG_REGISTRY": str(project / "service/errors.toml"),
    }
    subprocess.run(
        ["make", "-s", "-C", str(project), f"VENV={VENV}", "catalogs"],
        check=True, capture_output=True, env={**os.environ, **env},
    )  # fmt: skip

    for locale_id in SHIPPED:
        po = polib.pofile(str(project / "locales" / locale_id / "LC_MESSAGES" / "messages.po"))
        changed = next(e for e in po if e.msgctxt == "40110.meaning" and not e.obsolete)
        assert changed.msgid == "Verification code has expired"
        if locale_id != "en":
            assert "fuzzy" in changed.flags and changed.previous_msgid == "Verification code expired"
            assert changed.msgstr
        deprecated = next(e for e in po if e.msgctxt == "50011.meaning")
        assert not deprecated.obsolete and "Deprecated" in deprecated.comment
        assert deprecated.msgstr  # its translation is kept
        assert any(e.msgctxt == "40031.meaning" for e in po)
    app = create_app(Settings.from_env(env))
    client = app.test_client()
    assert client.get("/errors/40110?lang=en").get_json()["meaning"] == "Verification code has expired"
    assert client.get("/errors/40031?lang=de").get_json()["fallback"] == {"meaning": "en", "resolution": "en"}
    assert client.get("/errors/40031?lang=de").get_json()["deprecated"] is False
    gone = client.get("/errors/50011?lang=de").get_json()
    assert gone["deprecated"] is True and gone["fallback"] == {} and gone["lang"] == "de"
    assert 50011 in [e["code"] for e in client.get("/errors?lang=de").get_json()["errors"]]
    assert "50011" not in client.get("/?lang=de").get_data(as_text=True)  # the reference page
    types = (project / "service" / "client" / "codes.d.ts").read_text(encoding="utf-8")
    assert "export type DeprecatedCode =\n  | 50011;" in types
    page = (project / "docs" / "errors" / "en.md").read_text(encoding="utf-8")
    assert page == source + "\n"  # the page as it came in: without the deprecated code
    assert "50011" not in (project / "docs" / "errors" / "de.md").read_text(encoding="utf-8")

    # --prune removes it for real; then the catalogs keep its translations as obsolete.
    result = subprocess.run(
        [str(VENV / "bin" / "flask"), "--app", "service", "registry", "import", "error_codes.md",
         "--registry", "service/errors.toml", "--prune"],
        capture_output=True, text=True, cwd=project,
    )  # fmt: skip
    assert result.returncode == 0 and "removed 50011" in result.stdout, result.stderr
    subprocess.run(
        ["make", "-s", "-C", str(project), f"VENV={VENV}", "catalogs"],
        check=True, capture_output=True, env={**os.environ, **env},
    )  # fmt: skip
    po = polib.pofile(str(project / "locales" / "de" / "LC_MESSAGES" / "messages.po"))
    assert any(e.obsolete and e.msgctxt == "50011.meaning" for e in po)
    assert create_app(Settings.from_env(env)).test_client().get("/errors/50011").status_code == 404


@pytest.mark.skipif(not REGISTRY_IS_THE_SEED, reason="edits the seed page over the seed's registry")
def test_a_dropped_code_is_deprecated_and_loses_the_mark_when_it_returns(tmp_path):
    registry_file = tmp_path / "errors.toml"
    registry_file.write_bytes(REGISTRY.path.read_bytes())
    source = ORIGINAL_TABLE.read_text(encoding="utf-8")
    dropped = source.replace("| 40030 | API Key name too long | Modify name |\n", "")
    text, report = apply_table(parse_table(dropped, "error_codes.md"), registry_file)
    assert report.newly_deprecated == report.deprecated == ["40030"] and not report.removed
    registry_file.write_text(text, encoding="utf-8")
    entry = load_registry(registry_file).entries["40030"]
    assert entry.deprecated and entry.meaning == "API Key name too long"
    again, report = apply_table(parse_table(dropped, "error_codes.md"), registry_file)
    assert report.unchanged and report.deprecated == ["40030"] and again == text

    text, report = apply_table(parse_table(source, "error_codes.md"), registry_file)
    assert report.changed == {"40030": ["no longer deprecated"]} and not report.deprecated
    assert text == REGISTRY.path.read_text(encoding="utf-8")
    pruned, report = apply_table(parse_table(dropped, "error_codes.md"), registry_file, prune=True)
    assert report.removed == ["40030"] and "40030" not in load_registry_text(pruned, tmp_path).entries


def load_registry_text(text: str, folder: Path):
    path = folder / "pruned.toml"
    path.write_text(text, encoding="utf-8")
    return load_registry(path)
