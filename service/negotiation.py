"""Choose the shipped locale a person would choose, from ``?lang=`` and ``Accept-Language``.

The one entry point is :meth:`Negotiator.negotiate`; the HTTP layer, the CLI and the
in-process API all call it. The rules (README, "Language negotiation"):

1. ``?lang=`` wins when it names a shipped language; otherwise it is ignored.
2. ``Accept-Language`` (RFC 9110), parsed by Werkzeug: ranges by weight, ties by
   position; ``q=0`` excludes a language; malformed items are skipped; ``*`` adds
   nothing (RFC 4647 lookup ignores it) except that the default may be replaced
   when the header excludes it.
3. The default locale.

A range matches a shipped locale by RFC 4647 lookup made script-aware with CLDR
likely subtags (from Babel): both are maximized (``zh-TW`` → ``zh-Hant-TW``,
``zh`` → ``zh-Hans-CN``), then must agree on language and script. Among those, an
exact region wins, then the locale shipped without a region (``es-MX`` → ``es``),
then a sibling region (``pt-PT`` → ``pt-BR``). Traditional Chinese never matches
Simplified, nor the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from babel.core import get_global, parse_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

#: A language tag or Babel identifier, in any case, with ``-`` or ``_``.
TAG_RE = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,7}")

#: Only this much of an ``Accept-Language`` header is read, so a 64 KB header costs
#: what a normal one does. Browsers send well under 150 characters, even with ten languages.
MAX_HEADER_CHARS = 256

#: And at most this many language ranges of it.
MAX_RANGES = 8


def bounded_header(value: str) -> str:
    """The part of an ``Accept-Language`` header that is read: whole ranges only, within
    :data:`MAX_HEADER_CHARS` and :data:`MAX_RANGES`. Cheap for any input size.

    >>> bounded_header("de, " + "x" * 10_000)
    'de'
    """
    if len(value) > MAX_HEADER_CHARS:
        value = value[: max(value.rfind(",", 0, MAX_HEADER_CHARS + 1), 0)]
    if value.count(",") >= MAX_RANGES:
        value = ",".join(value.split(",", MAX_RANGES)[:MAX_RANGES])
    return value


@dataclass(frozen=True)
class Subtags:
    """A maximized language tag: language, script and region, as CLDR fills them."""

    language: str
    script: str | None
    region: str | None


def maximize(tag: str) -> tuple[Subtags, str | None] | None:
    """Parse ``tag`` and add likely subtags.

    Returns the maximized subtags and the region the tag itself named, or None
    when the tag is not well formed.

    >>> maximize("zh-TW")
    (Subtags(language='zh', script='Hant', region='TW'), 'TW')
    >>> maximize("zh_hans")
    (Subtags(language='zh', script='Hans', region='CN'), None)
    """
    if len(tag) > 64 or not TAG_RE.fullmatch(tag):
        return None
    try:
        language, region, script, *_ = parse_locale(tag.replace("_", "-"), sep="-")
    except ValueError:
        return None
    likely: dict[str, str] = get_global("likely_subtags")
    keys = [f"{language}_{script}_{region}", f"{language}_{region}", f"{language}_{script}", language]
    filled = next((likely[k] for k in keys if k in likely), None)
    if filled:
        _, likely_region, likely_script, *_ = parse_locale(filled)
        script = script or likely_script
        # Only borrow a region for matching when the tag names none.
        full_region = region or likely_region
    else:
        full_region = region
    return Subtags(language.lower(), script, full_region), region


class Negotiator:
    """Negotiation against a fixed set of shipped locales, with a bounded LRU cache."""

    def __init__(
        self,
        shipped: Iterable[str],
        default: str,
        cache_size: int = 4096,
        explicit_only: Iterable[str] = (),
    ) -> None:
        self.shipped = tuple(shipped)
        if default not in self.shipped:
            raise ValueError(f"default locale {default!r} is not shipped ({', '.join(self.shipped)})")
        self.default = default
        self.explicit_only = frozenset(explicit_only)
        self._exact = {locale_id.lower().replace("_", "-"): locale_id for locale_id in self.shipped}
        self._candidates: list[tuple[str, Subtags, str | None]] = []
        for locale_id in self.shipped:
            if locale_id in self.explicit_only:
                continue
            parsed = maximize(locale_id)
            if parsed is None:
                raise ValueError(f"shipped locale {locale_id!r} is not a valid identifier")
            self._candidates.append((locale_id, *parsed))
        self.cache = lru_cache(maxsize=cache_size)(self._negotiate)

    def negotiate(self, lang: str | None, accept_language: str | None) -> str:
        """The shipped locale for a request's ``?lang=`` and ``Accept-Language``.

        Results are cached (bounded LRU) on the inputs, cut to what is read first, so a
        huge header is neither hashed nor parsed in full.
        """
        if accept_language and len(accept_language) > MAX_HEADER_CHARS:
            accept_language = bounded_header(accept_language)
        if lang and len(lang) > 64:
            lang = None  # no language tag is that long
        return self.cache(lang, accept_language)

    def match(self, tag: str) -> str | None:
        """The shipped locale one language range selects, or None."""
        exact = self._exact.get(tag.lower().replace("_", "-"))
        if exact is not None:
            return exact
        parsed = maximize(tag)
        if parsed is None:
            return None
        want, _ = parsed
        same = [
            (locale_id, have, own_region)
            for locale_id, have, own_region in self._candidates
            if have.language == want.language and have.script == want.script
        ]
        for locale_id, _, own_region in same:
            if own_region and own_region == want.region:
                return locale_id
        for locale_id, _, own_region in same:
            if own_region is None:
                return locale_id
        # A sibling region of the same language and script (pt-PT → pt-BR).
        return same[0][0] if same else None

    def _negotiate(self, lang: str | None, accept_language: str | None) -> str:
        if lang:
            chosen = self.match(lang.strip())
            if chosen is not None:
                return chosen
        if not accept_language:
            return self.default
        ranges = list(parse_accept_header(bounded_header(accept_language), LanguageAccept))
        excluded = {self.match(value) for value, quality in ranges if quality == 0 and value != "*"}
        for value, quality in ranges:
            if quality == 0 or value == "*":
                continue
            chosen = self.match(value)
            if chosen is not None and chosen not in excluded and chosen not in self.explicit_only:
                return chosen
        if self.default in excluded:
            for locale_id, _, _ in self._candidates:
                if locale_id not in excluded:
                    return locale_id
        return self.default
