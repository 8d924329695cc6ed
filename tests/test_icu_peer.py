"""The service's negotiation against ICU's LocaleMatcher (PyICU), on realistic browser
headers. Every disagreement must be in ``tests/data/icu-disagreements.tsv`` with its
reason, so that file shows exactly where and why the service departs from ICU.

PyICU is required (a test dependency; ``.ci/run`` installs libicu-dev to build it):
these tests fail, never skip, without it.
"""

from __future__ import annotations

from collections import defaultdict

import icu

from service.catalogs import bcp47
from service.negotiation import Negotiator

from .browser_headers import headers
from .conftest import DATA

LIST = (DATA / "icu-disagreements.tsv").read_text(encoding="utf-8")
#: The set the list was made for, declared in its header.
SHIPPED = LIST.split("# locales: ", 1)[1].split("\n", 1)[0].split()
DEFAULT = LIST.split("# default: ", 1)[1].split("\n", 1)[0].strip()


def allow_list() -> dict[tuple[str, str, str], str]:
    rows = {}
    for line in LIST.splitlines():
        if line.strip() and not line.startswith("#"):
            first, theirs, ours, reason = line.split("\t")
            rows[(first, theirs, ours)] = reason
    return rows


def icu_matcher() -> icu.LocaleMatcher:
    builder = icu.LocaleMatcher.Builder().setSupportedLocales([icu.Locale(s) for s in SHIPPED])
    return builder.setDefaultLocale(icu.Locale(DEFAULT)).build()


def test_pyicu_is_the_real_icu():
    assert int(icu.ICU_VERSION.split(".")[0]) >= 65  # LocaleMatcher exists since ICU 65


def test_the_generator_builds_over_a_thousand_real_headers():
    generated = list(headers())
    assert len(generated) >= 1000
    # iOS Safari's single-language headers equal Chrome's and are counted once.
    assert {label.split(":")[0] for label, _ in generated} >= {"chrome", "firefox", "android"}


def test_every_disagreement_with_icu_is_listed_with_its_reason():
    negotiator = Negotiator(SHIPPED, DEFAULT)
    matcher = icu_matcher()
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    compared = 0
    for label, header in headers():
        ours = bcp47(negotiator.negotiate(None, header))
        theirs = matcher.getBestMatchForListString(header).toLanguageTag()
        compared += 1
        if ours != theirs:
            first = label.split(":", 1)[1].split("+", 1)[0]
            found[(first, theirs, ours)].append(header)
    listed = allow_list()
    unexplained = {key: examples[0] for key, examples in found.items() if key not in listed}
    assert unexplained == {}, "disagreements with ICU that tests/data/icu-disagreements.tsv does not explain"
    stale = set(listed) - set(found)
    assert stale == set(), "rows of tests/data/icu-disagreements.tsv that no longer disagree"
    disagreeing = sum(len(v) for v in found.values())
    assert disagreeing / compared < 0.05  # the list stays short: these are the exceptions
