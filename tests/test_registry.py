"""The registry holds the seed table exactly, and refuses malformed entries by name."""

from __future__ import annotations

import re

import pytest

from service.registry import RegistryError, load_registry, parse_registry

from .conftest import DATA

CATEGORY_IDS = {
    "Parameter Errors": "parameter",
    "Authentication & Permission Errors": "auth",
    "Quota & Rate Limit Errors": "quota",
    "System & Service Errors": "system",
    "Knowledge Base & File Errors": "knowledge_base",
}


def seed_rows() -> list[dict]:
    """Parse the project's copy of the original Markdown table."""
    rows, category = [], None
    for line in (DATA / "error_codes.md").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"\| \*\*(.+)\*\* \|", line):
            category = m.group(1)
        elif m := re.match(r"\| (\d{5}) \| (.+?) \| (.+?) \|$", line):
            code, meaning, resolution = m.groups()
            link = re.fullmatch(r'<a href="([^"]+)"[^>]*>(.+)</a>', resolution)
            rows.append(
                {
                    "code": code,
                    "category": category,
                    "meaning": meaning,
                    "resolution": link.group(2) if link else resolution,
                    "help_url": link.group(1) if link else None,
                }
            )
    return rows


SEED = seed_rows()


def test_seed_has_45_codes_in_5_categories():
    assert len(SEED) == 45
    assert {r["category"] for r in SEED} == set(CATEGORY_IDS)


def test_registry_matches_seed_codes_categories_and_links():
    registry = load_registry()
    assert list(registry.entries) == [r["code"] for r in SEED]
    assert {c.title: c.id for c in registry.categories.values()} == CATEGORY_IDS
    for row in SEED:
        entry = registry.entries[row["code"]]
        assert entry.category == CATEGORY_IDS[row["category"]]
        assert entry.help_url == row["help_url"]
    assert sum(1 for e in registry.entries.values() if e.help_url) == 4


@pytest.mark.parametrize("row", SEED, ids=[r["code"] for r in SEED])
def test_english_served_text_is_exactly_the_seed(client, row):
    body = client.get(f"/errors/{row['code']}?lang=en").get_json()
    assert body["meaning"] == row["meaning"]
    assert body["resolution"] == row["resolution"]
    assert body["help_url"] == row["help_url"]
    assert body["category"]["title"] == row["category"]


def test_status_and_retry_hints_follow_the_documented_mapping():
    entries = load_registry().entries
    for code in ("50004", "50005", "40300", "40112", "40113"):
        assert entries[code].retryable, code
    for code in ("40021", "40000", "50000", "40304"):
        assert not entries[code].retryable, code
    assert entries["40100"].http_status == 401
    assert entries["40101"].http_status == 403
    assert entries["40021"].http_status == 404
    assert entries["40300"].http_status == 429
    assert entries["50004"].http_status == 503
    assert all(400 <= e.http_status <= 599 for e in entries.values())


GOOD = """
[categories]
auth = "Authentication"

[[errors]]
code = "40100"
category = "auth"
meaning = "Not logged in"
resolution = "Please log in"
http_status = 401
retryable = false
"""


def test_minimal_registry_parses():
    registry = parse_registry(GOOD)
    assert registry.entries["40100"].lineno == 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s + s[s.index("[[errors]]") :], "duplicate code '40100'"),
        (lambda s: s.replace('category = "auth"', 'category = "billing"'), "unknown category 'billing'"),
        (lambda s: s.replace('"Not logged in"', '""'), "entry '40100': meaning is empty"),
        (lambda s: s.replace('"Please log in"', '"   "'), "entry '40100': resolution is empty"),
        (lambda s: s.replace('code = "40100"', 'code = "4010"'), "entry '4010': code must be five digits"),
        (lambda s: s.replace('code = "40100"', "code = 40100"), "entry 40100: code must be five digits"),
        (lambda s: s.replace('"Please log in"', '"<b>Log in</b>"'), "has surrounding spaces or markup"),
        (lambda s: s.replace('"Not logged in"', '"Locked {minutes} min"'), "placeholders ['minutes']"),
        (lambda s: s.replace("http_status = 401", "http_status = 200"), "http_status must be"),
        (lambda s: s.replace("retryable = false", 'retryable = "no"'), "retryable must be"),
        (lambda s: s.replace("retryable = false", 'retryable = false\ndeprecated = 1'), "deprecated must be"),
        (lambda s: s.replace("[[errors]]", "[[errors]]\ncolour = 1"), "unknown keys ['colour']"),
        (lambda s: s + "\n[[", "errors.toml:"),
    ],
)
def test_malformed_registry_stops_with_the_entry_named(change, message):
    with pytest.raises(RegistryError) as info:
        parse_registry(change(GOOD))
    assert message in str(info.value)
