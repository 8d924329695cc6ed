"""The registry holds what the seed table still says, and refuses malformed entries by name.

The vendor's table changes (``registry import``): what the seed says is checked where
the registry still says it, and what the registry says is served as it says it."""

from __future__ import annotations

import re

import pytest

from service.publish.table_import import english_with_defaults
from service.registry import RegistryError, load_registry, parse_registry

from .conftest import DATA, REGISTRY

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


def still_seed(row: dict, registry) -> bool:
    """The registry still has this seed row's code with the seed's English."""
    entry = registry.entries.get(row["code"])
    return bool(
        entry
        and english_with_defaults(entry, "meaning") == row["meaning"]
        and english_with_defaults(entry, "resolution") == row["resolution"]
    )


def test_registry_keeps_the_seeds_codes_categories_and_links_where_it_has_them():
    registry = load_registry()
    kept = [row for row in SEED if row["code"] in registry.entries]
    # The seed's order where it still applies (imported codes go beside their neighbours).
    assert [code for code in registry.entries if code in {r["code"] for r in kept}] == [
        r["code"] for r in kept
    ]
    titles = {c.title: c.id for c in registry.categories.values()}
    for title, category_id in CATEGORY_IDS.items():
        assert titles.get(title, category_id) == category_id, title  # a kept title keeps its id
    for row in kept:
        entry = registry.entries[row["code"]]
        if registry.categories[entry.category].title == row["category"]:
            assert entry.category == CATEGORY_IDS[row["category"]]
        if still_seed(row, registry):
            assert entry.help_url == row["help_url"], row["code"]
    assert all(category.id in {e.category for e in registry.entries.values()}
               for category in registry.categories.values())  # fmt: skip


@pytest.mark.parametrize("row", SEED, ids=[r["code"] for r in SEED])
def test_english_served_text_is_exactly_the_seed(client, row):
    registry = load_registry()
    if not still_seed(row, registry):
        pytest.skip(f"the registry no longer has {row['code']} as the seed wrote it")
    body = client.get(f"/errors/{row['code']}?lang=en").get_json()
    assert body["meaning"] == row["meaning"]
    assert body["resolution"] == row["resolution"]
    assert body["help_url"] == row["help_url"]
    if registry.categories[registry.entries[row["code"]].category].title == row["category"]:
        assert body["category"]["title"] == row["category"]


@pytest.mark.parametrize("code", list(REGISTRY.entries))
def test_english_served_text_is_the_registrys(client, code):
    entry = REGISTRY.entries[code]
    body = client.get(f"/errors/{code}?lang=en").get_json()
    assert body["meaning"] == english_with_defaults(entry, "meaning")
    assert body["resolution"] == english_with_defaults(entry, "resolution")
    assert body["help_url"] == entry.help_url
    assert body["category"]["title"] == REGISTRY.categories[entry.category].title
    assert body["fallback"] == {}


def test_status_and_retry_hints_follow_the_documented_mapping():
    entries = load_registry().entries

    def having(*codes: str) -> list[str]:  # the seed's codes the registry still has
        return [code for code in codes if code in entries]

    for code in having("50004", "50005", "40300", "40112", "40113"):
        assert entries[code].retryable, code
    for code in having("40021", "40000", "50000", "40304"):
        assert not entries[code].retryable, code
    expected = {"40100": 401, "40101": 403, "40021": 404, "40300": 429, "50004": 503}
    for code in having(*expected):
        assert entries[code].http_status == expected[code], code
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
