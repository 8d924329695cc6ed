"""Every finding of the professional translation reviews is applied in the catalogs, or
answered by a translator comment on the entry (tests/data has the reviews, one
``translation-review-<date>.tsv`` each).

A row's ``scope`` says whom the finding concerns: ``locale``, its own catalog; ``all``,
every language, because it is about what the English means (the 50107 calque, 40112's
"say what is locked"). Each reviewed catalog then has its own row for that entry in
some review, or a translator comment on the entry that names the review's date. A
language added after the reviews was never reviewed: TRANSLATING.md's style notes carry
the decisions to it.
"""

from __future__ import annotations

import csv
import re

import polib
import pytest

from service.catalogs import SOURCE_LOCALE

from .conftest import DATA, LOCALES, SHIPPED

REVIEWS = sorted(DATA.glob("translation-review-*.tsv"))
COLUMNS = ["locale", "msgctxt", "severity", "category", "current", "suggestion", "note", "scope"]


def _rows() -> list[dict[str, str]]:
    rows = []
    for path in REVIEWS:
        with path.open(encoding="utf-8") as file:
            reader = csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
            assert reader.fieldnames == COLUMNS, path.name
            date = path.stem.removeprefix("translation-review-")
            rows.extend({**row, "review": date} for row in reader)
    return rows


ROWS = _rows()
TRANSLATED = [locale for locale in SHIPPED if locale != SOURCE_LOCALE]
#: The languages the reviews read (each has findings in at least one of them).
REVIEWED = sorted({row["locale"].replace("-", "_") for row in ROWS})


def catalog(locale: str) -> polib.POFile:
    return polib.pofile(str(LOCALES / locale.replace("-", "_") / "LC_MESSAGES" / "messages.po"))


def find(po: polib.POFile, where: str) -> polib.POEntry:
    """``40112.meaning``, or ``(no msgctxt) msgid: TEXT`` / ``msgid:TEXT`` for the service's own.

    A review reads the English of its day: when the registry no longer has the entry
    (obsolete or gone) or its English changed since (fuzzy, or untranslated when
    msgmerge found no close match), the finding is skipped; the
    translator meets the new English in the catalog (issue 21, item 8)."""
    found = re.match(r"(?:\(no msgctxt\)\s*)?msgid:\s*(.*)$", where)
    live = [e for e in po if not e.obsolete]
    if found:
        hit = next((e for e in live if e.msgctxt is None and e.msgid == found.group(1).strip()), None)
    else:
        hit = next((e for e in live if e.msgctxt == where), None)
    if hit is None:
        pytest.skip(f"{where}: no longer in the catalog (the table removed it)")
    if "fuzzy" in hit.flags or not (hit.msgstr or any(hit.msgstr_plural.values())):
        pytest.skip(f"{where}: its English changed after the review (fuzzy or untranslated)")
    return hit


def suggested_forms(suggestion: str) -> list[str]:
    """``[0] A | [1] … B`` → ["A", "… B"]; ``X (or: Y)`` → ["X"]."""
    suggestion = suggestion.split(" (or:")[0]
    parts = re.split(r"\s*\|\s*(?=\[\d\])", suggestion)
    return [re.sub(r"^\[\d\]\s*", "", part) for part in parts]


def answered(entry: polib.POEntry) -> bool:
    comment = entry.tcomment.lower()
    return "review" in comment or "审校" in comment or "審校" in comment


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['review']}:{r['locale']}:{r['msgctxt'][:30]}" for r in ROWS]
)
def test_each_review_finding_is_applied_or_answered(row):
    entry = find(catalog(row["locale"]), row["msgctxt"])
    texts = (
        [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        if entry.msgid_plural
        else [entry.msgstr]
    )
    for index, form in enumerate(suggested_forms(row["suggestion"])):
        text = texts[min(index, len(texts) - 1)]
        applied = text.endswith(form[1:].strip()) if form.startswith("…") else text == form
        assert applied or answered(entry), (row["msgctxt"], form, text)


#: Each entry a finding about the English concerns → the reviews that raised it.
FOR_EVERY_LANGUAGE: dict[str, list[str]] = {}
for _row in ROWS:
    if _row["scope"] == "all":
        FOR_EVERY_LANGUAGE.setdefault(_row["msgctxt"], []).append(_row["review"])


@pytest.mark.parametrize("locale", REVIEWED)
@pytest.mark.parametrize("where", sorted(FOR_EVERY_LANGUAGE))
def test_a_finding_about_the_english_reaches_every_language(where, locale):
    """Its own row (applied, as tested above) or a translator comment naming the review."""
    if any(r["locale"] == locale and r["msgctxt"] == where for r in ROWS):
        return
    entry = find(catalog(locale), where)
    reviews = FOR_EVERY_LANGUAGE[where]
    assert any(review in entry.tcomment for review in reviews), (
        f"{locale} {where}: apply the finding of the {reviews[0]} review, or answer it in a "
        f"translator comment that names it ('Review {reviews[0]} (…): why this wording stays')"
    )


def test_the_reviews_are_well_formed():
    assert REVIEWS and ROWS
    for row in ROWS:
        assert row["severity"] in {"critical", "major", "minor"}, row
        assert row["scope"] in {"locale", "all"}, row
        assert row["locale"].replace("-", "_") in TRANSLATED, row
