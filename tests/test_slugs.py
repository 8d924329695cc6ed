"""Help-link anchors against VitePress's slug rule: the Python rule against the real
``slugify`` of ``@mdit-vue/shared`` (pinned in tests/js) run in node, and ``catalog check``
finding a hand-written anchor that no heading can have."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from service.translators.slugs import slugify

from .conftest import ROOT, copy_locales, example_code
from .test_translator_workflow import edit, run_check, set_msgstr

JS = ROOT / "tests" / "js"
HEADINGS = [
    "4. 领取更多额度", "дополнительной", "4. Obtaining more quota", "_4-领取更多额度", "Über die Quote",
    "Café — crème brûlée", "  --Leading and trailing--  ", "100% of it?", "a_b__c", "İstanbul",
    "x\u00a0y", "x\ufeffy", "x\u0085y", "ﬁle ligature", "①②③", "Ａｂｃ fullwidth", "🚀 Launch", "٤. الحصة",
    "Quota (API Key)", "“Quoted” ‘words’", "tab\there", "line\u2028sep", "ß and ẞ", "Ελληνικά τόνος",
    "한국어 할당량", "クォータ", "C++ & C#", "path/to/file.md", "", "---", "9", "Déjà vu: 2 minutes",
]  # fmt: skip


def test_the_python_rule_is_vitepress_slugify():
    node = shutil.which("node")
    assert node, "Node.js is required: the real slugify runs in node"
    assert (JS / "node_modules" / "@mdit-vue" / "shared").is_dir(), "run `make test` (npm ci in tests/js)"
    script = (
        "import { slugify } from '@mdit-vue/shared';"
        "let input = ''; process.stdin.on('data', (d) => (input += d));"
        "process.stdin.on('end', () => console.log(JSON.stringify(JSON.parse(input).map(slugify))));"
    )
    result = subprocess.run(
        [node, "--input-type=module", "-e", script], cwd=JS, input=json.dumps(HEADINGS), capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    real = json.loads(result.stdout)
    ours = [slugify(heading) for heading in HEADINGS]
    assert dict(zip(HEADINGS, ours, strict=True)) == dict(zip(HEADINGS, real, strict=True))
    assert real[:2] == ["_4-领取更多额度", "дополнительнои"]  # the two examples


def test_catalog_check_finds_an_anchor_no_heading_can_have(tmp_path):
    locales = copy_locales(tmp_path)
    link = f"{example_code(locales=(), where=lambda e: bool(e.help_url))}.help_url"
    edit(locales, "zh_Hant", set_msgstr(link, "/memos_cloud/limit#4.-领取更多额度"))
    edit(locales, "ru", set_msgstr(link, "/ru/memos_cloud/limit#дополнительной-квоты"))
    code, report = run_check(locales, "zh_Hant", "ru", "--allow-incomplete")
    findings = {item["locale"]: item["findings"] for item in report["locales"]}
    assert code == 1
    for locale_id, wrong, right in [("zh_Hant", "#4.-领取更多额度", "#_4-领取更多额度"),
                                    ("ru", "#дополнительной-квоты", "#дополнительнои-квоты")]:  # fmt: skip
        (finding,) = findings[locale_id]
        assert finding["kind"] == "link" and finding["line"], finding
        assert f"anchor {wrong} is not" in finding["message"] and f"{right} is" in finding["message"]
    # the right anchors pass
    edit(locales, "zh_Hant", set_msgstr(link, "/memos_cloud/limit#_4-领取更多额度"))
    edit(locales, "ru", set_msgstr(link, "/ru/memos_cloud/limit#дополнительнои-квоты"))
    code, report = run_check(locales, "zh_Hant", "ru", "--allow-incomplete")
    assert code == 0, report


def test_translating_md_gives_the_rule_with_examples_that_hold():
    text = (ROOT / "TRANSLATING.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\s*\| ([^|`]+?) \| `#([^`]+)` \|$", text, re.M)
    assert len(rows) >= 4 and ("4. 领取更多额度", "_4-领取更多额度") in rows
    for heading, anchor in rows:
        assert slugify(heading) == anchor, heading
