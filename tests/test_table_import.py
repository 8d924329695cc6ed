"""A translated documentation page into its catalog, and every page back out as it went in.

Through the real CLI (`flask --app service catalog table-import`, `registry import`), real
.po files and, for the round trip, the real `make catalogs` in a scratch project.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from service import Settings, create_app
from service.translators.commands import catalog_cli

from .conftest import DATA, ORIGINAL_TABLE, REGISTRY, copy_locales
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


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (lambda t: t.replace("| 40000 |", "| 40009 |"), 8, "code 40009 is not in the registry"),
        (lambda t: t.replace(t[t.index("| 40001 |") : t.index("| 40002 |")], ""), 7, "code 40001"),
        (lambda t: t.replace("| **认证与权限错误** | | |\n", ""), 7, "the page has 4 categories, the"),
        (
            lambda t: t.replace("| 40030 |", "| **多余的类别** | | |\n| 40030 |"),
            19,
            "the page has 6 categories, the registry 5",
        ),
        (
            lambda t: t.replace(t[t.index("| 40100 |") : t.index("| 40101 |")], "").replace(
                "| 40000 |", t[t.index("| 40100 |") : t.index("| 40101 |")] + "| 40000 |"
            ),
            8,
            "code 40100 is under '参数错误'; the registry files it under 'Authentication & Permission",
        ),
        (lambda t: t.replace("已锁定 10 分钟", "已锁定一段时间"), 27, "lacks the placeholder {minutes}"),
        (lambda t: t.replace("超过 100 MB |", "过大 |"), 50, "lacks the placeholder {max_size}"),
        (lambda t: t.replace("请检查参数名称和类型", "请检查<b>参数</b>名称和类型"), 8, "has markup"),
        (lambda t: t.replace("| 40002 | 参数不能为空", "| 40002 | 参数**不能**为空"), 10, "has markup"),
        (
            lambda t: t.replace(f'<a href="{ZH_LINK}" target="_blank">获取更多额度</a>', "获取更多额度", 1),
            33,
            "the English resolution is a link",
        ),
        (lambda t: t.replace(ZH_LINK, "https://evil.example/q", 1), 33, "must be a path on the same site"),
    ],
    ids=[
        "unknown-code", "missing-code", "missing-category", "extra-category", "other-category",
        "placeholder", "size-placeholder", "html", "markdown", "link-dropped", "other-site",
    ],
)  # fmt: skip
def test_a_page_that_does_not_match_is_refused_with_file_and_line(tmp_path, edit, line, message):
    locales = copy_locales(tmp_path)
    before = sorted(p.name for p in zh_po(locales).parent.iterdir()), zh_po(locales).read_bytes()
    page = write_page(tmp_path, edit(ZH))
    result = table_import(locales, page)
    assert result.exit_code == 1, result.output
    assert f"{page}:{line}: " in result.output and message in result.output, result.output
    assert "is unchanged" in result.output
    assert (sorted(p.name for p in zh_po(locales).parent.iterdir()), zh_po(locales).read_bytes()) == before


def changed_page() -> str:
    """The Chinese page after its writers reworded one meaning and one link target."""
    text = ZH.replace("缺少必填参数或参数格式无效", "缺少必填参数，或参数格式无效")
    return text.replace(f'<a href="{ZH_LINK}"', '<a href="/zh/quota"', 1)


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    locales = copy_locales(tmp_path)
    before = zh_po(locales).read_bytes()
    result = table_import(locales, write_page(tmp_path, changed_page()), "--dry-run")
    assert result.exit_code == 0, result.output
    for label in ("40000.meaning", "40300.help_url", "header 'Resolution'"):
        assert f"would change {label}\n" in result.output
    assert "would change 3, kept fuzzy 0" in result.output and "nothing written" in result.output
    assert zh_po(locales).read_bytes() == before


def test_only_the_changed_entries_lines_differ(tmp_path):
    locales = copy_locales(tmp_path)
    before = zh_po(locales).read_text(encoding="utf-8")
    result = table_import(locales, write_page(tmp_path, changed_page()))
    assert result.exit_code == 0, result.output
    after = zh_po(locales).read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(diff) == sorted([
        '-msgstr "缺少必填参数或参数格式无效"', '+msgstr "缺少必填参数，或参数格式无效"',
        f'-msgstr "{ZH_LINK}"', '+msgstr "/zh/quota"',
        '-msgstr "解决方法"', '+msgstr "推荐解决方法"',
    ])  # fmt: skip
    catalog = polib.pofile(after)
    assert entry(catalog, "40300.help_url").msgstr == "/zh/quota"
    assert entry(catalog, "40301.help_url").msgstr == ZH_LINK
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(zh_po(locales))]).returncode == 0


def test_a_row_equal_to_the_fuzzy_translation_stays_fuzzy(tmp_path):
    """The English changed (two entries fuzzy); the page still has the old rows for one of
    them and a new row for the other: only the new row is confirmed."""
    locales = copy_locales(tmp_path)
    catalog = polib.pofile(str(zh_po(locales)), wrapwidth=100)
    for context in ("40112.resolution", "40000.meaning"):
        fuzzy = entry(catalog, context)
        fuzzy.flags.append("fuzzy")
        fuzzy.previous_msgid = fuzzy.msgid + " (before)"
    catalog.save()
    page = write_page(tmp_path, ZH.replace("缺少必填参数或参数格式无效", "缺少必填参数，或参数格式无效"))
    result = table_import(locales, page)
    assert result.exit_code == 0, result.output
    assert "changed 40000.meaning\n" in result.output
    assert "kept fuzzy 40112.resolution: " in result.output and "kept fuzzy 1" in result.output
    after = polib.pofile(str(zh_po(locales)))
    kept, confirmed = entry(after, "40112.resolution"), entry(after, "40000.meaning")
    assert "fuzzy" in kept.flags and kept.previous_msgid and kept.msgstr == "请稍后重试"
    assert "fuzzy" not in confirmed.flags and confirmed.previous_msgid is None
    assert confirmed.msgstr == "缺少必填参数，或参数格式无效"


def test_a_row_with_its_placeholder_value_keeps_the_placeholder(tmp_path):
    locales = copy_locales(tmp_path)
    page = write_page(tmp_path, ZH.replace("已锁定 10 分钟", "锁定 10 分钟"))
    result = table_import(locales, page)
    assert result.exit_code == 0 and "changed 40112.meaning\n" in result.output, result.output
    found = entry(polib.pofile(str(zh_po(locales))), "40112.meaning")
    assert found.msgstr_plural[0] == "验证码错误次数过多，锁定 {minutes} 分钟" and "fuzzy" not in found.flags


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
    locales = copy_locales(tmp_path)
    registry = tmp_path / "errors.toml"
    registry.write_text(
        REGISTRY.path.read_text(encoding="utf-8").replace(
            'code = "40030"\n', 'code = "40030"\ndeprecated = true\n'
        ),
        encoding="utf-8",
    )
    row = ZH[ZH.index("| 40030 |") : ZH.index("\n", ZH.index("| 40030 |")) + 1]
    where = ["--locales-dir", str(locales), "--registry", str(registry)]
    without = write_page(tmp_path, ZH.replace(row, ""))
    result = CliRunner().invoke(catalog_cli, ["table-import", *where, "zh-Hans", str(without), "--dry-run"])
    assert result.exit_code == 0 and "would change 40030" not in result.output, result.output
    with_row = write_page(tmp_path, ZH)
    result = CliRunner().invoke(catalog_cli, ["table-import", *where, "zh-Hans", str(with_row)])
    assert result.exit_code == 1 and "code 40030 is deprecated" in result.output, result.output
