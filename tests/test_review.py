"""Every finding of the 2026-11-28 professional translation review is applied in the
catalogs, or answered by a translator comment on the entry (tests/data has the review)."""

from __future__ import annotations

import csv
import re

import polib
import pytest

from .conftest import DATA, LOCALES

REVIEW = DATA / "translation-review-2026-11-28.tsv"
with REVIEW.open(encoding="utf-8") as _file:
    ROWS = list(csv.DictReader(_file, delimiter="\t"))


def find(catalog: polib.POFile, where: str) -> polib.POEntry:
    """``40112.meaning``, or ``(no msgctxt) msgid: TEXT`` / ``msgid:TEXT`` for the service's own."""
    found = re.match(r"(?:\(no msgctxt\)\s*)?msgid:\s*(.*)$", where)
    if found:
        return next(e for e in catalog if e.msgctxt is None and e.msgid == found.group(1).strip())
    return next(e for e in catalog if e.msgctxt == where)


def suggested_forms(suggestion: str) -> list[str]:
    """``[0] A | [1] … B`` → ["A", "… B"]; ``X (or: Y)`` → ["X"]."""
    suggestion = suggestion.split(" (or:")[0]
    parts = re.split(r"\s*\|\s*(?=\[\d\])", suggestion)
    return [re.sub(r"^\[\d\]\s*", "", part) for part in parts]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['locale']}:{r['msgctxt'][:30]}" for r in ROWS])
def test_each_review_finding_is_applied_or_answered(row):
    catalog = polib.pofile(str(LOCALES / row["locale"].replace("-", "_") / "LC_MESSAGES" / "messages.po"))
    entry = find(catalog, row["msgctxt"])
    texts = (
        [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        if entry.msgid_plural
        else [entry.msgstr]
    )
    answered = "review" in entry.tcomment.lower() or "审校" in entry.tcomment or "審校" in entry.tcomment
    for index, form in enumerate(suggested_forms(row["suggestion"])):
        text = texts[min(index, len(texts) - 1)]
        applied = text.endswith(form[1:].strip()) if form.startswith("…") else text == form
        assert applied or answered, (row["msgctxt"], form, text)


def test_the_review_covers_what_it_says():
    assert len(ROWS) == 31 and {r["severity"] for r in ROWS} == {"minor"}
