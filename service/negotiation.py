"""Choose the shipped locale a person would choose, from ``?lang=`` and ``Accept-Language``.

The one entry point is :meth:`Negotiator.negotiate`; the HTTP layer, the CLI and the
in-process API all call it. The rules (README, "Language negotiation"):

1. ``?lang=`` wins when it names a shipped language; otherwise it is ignored.
2. ``Accept-Language`` (RFC 9110), parsed by Werkzeug: ranges by weight, ties by
   position; malformed items are skipped; ``*`` adds nothing. A ``q=0`` range excludes
   the shipped locales it matches under RFC 4647 filtering, unless a more specific
   accepted range names that very locale once likely subtags are added.
3. If no range matches a shipped language, CLDR's language matching lets a closely
   related language serve (Cantonese → Traditional Chinese, Swiss German → German,
   Catalan → Spanish), never above a language the person listed.
4. The default locale (RFC 9110 §12.1), even when the header excluded it.

A range is first normalized (RFC 4647 §3.4 and RFC 5646 §4.5): extension and
private-use subtags are dropped (``fr-FR-u-fw-mon`` is ``fr-FR``), an extlang becomes
the language (``zh-cmn-Hant`` → ``cmn-Hant``) and deprecated codes their CLDR
replacement (``cmn`` → ``zh``, ``iw`` → ``he``; Babel's alias data). It then matches a
shipped locale by RFC 4647 lookup made script-aware with CLDR likely subtags (from
Babel): both are maximized (``zh-TW`` → ``zh-Hant-TW``), then must agree on language
and script, or be script variants CLDR treats as the same written language (``ko-Hang``,
``ja-Hira``). Among those, an exact region wins, then the locale shipped without a
region (``es-MX`` → ``es``), then a sibling region (``pt-PT`` → ``pt-BR``). Traditional
Chinese never matches Simplified, nor the other way round.

CLDR's language-matching distances come from ``langcodes`` (with its ``language_data``),
pinned in ``pyproject.toml``, computed once at start-up for the shipped set
(:class:`LanguageDistances`); :data:`REMOVED_MATCHES` lists the pairs current CLDR has
dropped since that data was cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from babel.core import get_global, parse_locale
from langcodes import tag_distance
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

#: A language tag or Babel identifier, in any case, with ``-`` or ``_``.
TAG_RE = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,7}")

#: Only this much of an ``Accept-Language`` header is read, so a 64 KB header costs
#: what a 1 KB one does. A browser with a dozen languages sends about 150 characters.
MAX_HEADER_CHARS = 1024

#: And at most this many language ranges of it (Chrome sends two per language).
MAX_RANGES = 32

#: Same language, another script CLDR treats as the same written language (``ko-Hang`` →
#: ``ko``, ``ja-Hira`` → ``ja``, ``sr-Latn`` → ``sr``): CLDR distance at most this.
SCRIPT_VARIANT_DISTANCE = 9

#: A closely related language (``gsw`` → ``de`` 8, ``yue`` → ``zh-Hant`` 14, ``ca`` → ``es``
#: 20): CLDR distance at most this, the value langcodes recommends.
RELATED_DISTANCE = 25

#: (desired language, supported language) pairs that the pinned CLDR data still matches
#: but current CLDR no longer does (CLDR 44 dropped Ukrainian and Belarusian → Russian).
REMOVED_MATCHES = frozenset({("uk", "ru"), ("be", "ru")})


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


def normalize(tag: str) -> str | None:
    """A range as matching sees it, or None when it is not a language tag.

    >>> normalize("fr-FR-u-fw-mon"), normalize("zh-cmn-Hant"), normalize("iw"), normalize("x-klingon")
    ('fr-FR', 'zh-Hant', 'he', None)
    """
    if len(tag) > 64 or not TAG_RE.fullmatch(tag):
        return None
    subtags = tag.replace("_", "-").split("-")
    for index, subtag in enumerate(subtags[1:], start=1):
        if len(subtag) == 1:  # a singleton starts an extension or private use (RFC 4647 §3.4)
            subtags = subtags[:index]
            break
    if len(subtags[0]) == 1:  # x-… and i-… name no language
        return None
    if len(subtags) > 1 and len(subtags[1]) == 3 and subtags[1].isalpha():
        subtags = subtags[1:]  # extlang: zh-yue → yue (RFC 5646 §4.5)
    aliases: dict[str, str] = get_global("language_aliases")
    replacement = aliases.get(subtags[0].lower())
    if replacement and "_" not in replacement:
        subtags[0] = replacement
    return "-".join(subtags)


@cache  # keys: values of CLDR's likely-subtags table, a fixed set
def _likely_parts(filled: str) -> tuple[str | None, str | None]:
    """(region, script) of a likely-subtags value such as ``zh_Hant_TW``."""
    _, region, script, *_ = parse_locale(filled)
    return region, script


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
    return fill_likely(language.lower(), script, region), region


def fill_likely(language: str, script: str | None, region: str | None) -> Subtags:
    """CLDR likely subtags added to a parsed tag (the script always, the region only
    when the tag names none)."""
    likely: dict[str, str] = get_global("likely_subtags")
    keys = [f"{language}_{script}_{region}", f"{language}_{region}", f"{language}_{script}", language]
    filled = next((likely[k] for k in keys if k in likely), None)
    if filled:
        likely_region, likely_script = _likely_parts(filled)
        script = script or likely_script
        # Only borrow a region for matching when the tag names none.
        full_region = region or likely_region
    else:
        full_region = region
    return Subtags(language, script, full_region)


#: Stands for every region that neither a shipped locale nor CLDR's likely subtags of
#: the language name: such regions all give the same answers (never an exact region).
OTHER_REGION = "?"

#: The answers of a range that matches nothing.
NO_ANSWERS: tuple[None, None, None, None] = (None, None, None, None)


class LanguageDistances:
    """CLDR language-matching distances to the shipped locales, computed once at start-up.

    The related-language rule and the script-variant rule need the distance from a
    requested language to each shipped locale. langcodes computes it, but keeps every tag
    it ever parsed or compared in module-level dictionaries that never shrink, so feeding
    it request data lets any client grow a worker's memory without bound. Only a small,
    fixed set of requested (language, script) pairs can come within
    :data:`RELATED_DISTANCE` of a shipped locale: the languages CLDR relates to a shipped
    one, the shipped languages themselves, and the scripts CLDR names for them. Their
    distances are computed here with langcodes, from that fixed set alone; at request time
    a distance is two dictionary look-ups. (CLDR adds the same cost for any difference of
    region between two different written languages, so it is added at look-up.)
    """

    #: CLDR's cost of a region difference between two different written languages.
    REGION_DIFFERENCE = 4

    def __init__(self, candidates: Iterable[tuple[str, Subtags]], limit: int = RELATED_DISTANCE) -> None:
        from langcodes.data_dicts import LANGUAGE_DISTANCES, NORMALIZED_MACROLANGUAGES

        candidates = list(candidates)
        shipped_languages = {have.language for _, have in candidates}
        related = {
            wanted
            for wanted, targets in LANGUAGE_DISTANCES.items()
            if "_" not in wanted and any(targets.get(lang, limit + 1) <= limit for lang in shipped_languages)
        }
        languages = shipped_languages | related
        languages |= {member for member, macro in NORMALIZED_MACROLANGUAGES.items() if macro in languages}
        likely: dict[str, str] = get_global("likely_subtags")
        shipped_scripts = {have.script for _, have in candidates if have.script}
        self.languages = frozenset(languages)
        self.limit = limit
        self._table: dict[tuple[str, str], list[tuple[int, str, str | None]]] = {}
        for language in sorted(self.languages):
            scripts = set(shipped_scripts)
            scripts |= {key.partition("_")[2] for key in LANGUAGE_DISTANCES if key.startswith(language + "_")}
            if language in likely:
                scripts.add(parse_locale(likely[language])[2] or "")
            for script in sorted(s for s in scripts if s and s != "*"):
                near = []
                for locale_id, have in candidates:
                    macro = NORMALIZED_MACROLANGUAGES.get(language, language)
                    if have.language not in (language, macro) and not any(
                        LANGUAGE_DISTANCES.get(lang, {}).get(have.language, limit + 1) <= limit
                        for lang in (language, macro)
                    ):
                        continue  # CLDR's distance between these languages alone is over the limit
                    # The candidate's own region, so that only language and script count here.
                    wanted = f"{language}-{script}-{have.region}" if have.region else f"{language}-{script}"
                    try:
                        distance = int(tag_distance(wanted, locale_id.replace("_", "-")))
                    except (ValueError, LookupError):
                        continue
                    if distance <= limit:
                        near.append((distance, locale_id, have.region))
                if near:
                    self._table[language, script] = near

    def pairs(self) -> Iterable[tuple[str, str]]:
        """The (language, script) pairs within the limit of some shipped locale."""
        return self._table.keys()

    def near(self, want: Subtags) -> list[tuple[int, str]]:
        """The shipped locales within the limit of ``want`` (maximized), with their
        distances, in the shipped order."""
        found = []
        for distance, locale_id, region in self._table.get((want.language, want.script or ""), ()):
            if want.region != region:
                distance += self.REGION_DIFFERENCE
            if distance <= self.limit:
                found.append((distance, locale_id))
        return found


class Negotiator:
    """Negotiation against a fixed set of shipped locales, with bounded caches.

    Whole requests are cached (LRU) on the bounded form of what they sent (a ``?lang=``
    of at most 64 characters, a header cut to :data:`MAX_HEADER_CHARS`). Each range's
    answers are kept on the language, script and region that decide them, a set fixed at
    start-up (:meth:`resolved_bound`), so a header of unique ranges costs Werkzeug's
    parse and a few look-ups per range. Nothing a request sends reaches another
    library's cache.
    """

    def __init__(
        self,
        shipped: Iterable[str],
        default: str,
        cache_size: int = 4096,
        explicit_only: Iterable[str] = (),
        related: bool = True,
        named_only: Iterable[str] = (),
    ) -> None:
        self.shipped = tuple(shipped)
        if default not in self.shipped:
            raise ValueError(f"default locale {default!r} is not shipped ({', '.join(self.shipped)})")
        self.default = default
        #: Chosen for ``?lang=`` by the same rules as for a header, never for a header:
        #: languages below the completion threshold.
        self.explicit_only = frozenset(explicit_only) | frozenset(named_only)
        #: Chosen only when ``?lang=`` names them exactly: the pseudo-locales.
        self.named_only = frozenset(named_only)
        self.related_languages = related
        self._exact = {locale_id.lower().replace("_", "-"): locale_id for locale_id in self.shipped}
        self._candidates: list[tuple[str, Subtags, str | None]] = []
        for locale_id in self.shipped:
            if locale_id in self.named_only:
                continue
            parsed = maximize(locale_id)
            if parsed is None:
                raise ValueError(f"shipped locale {locale_id!r} is not a valid identifier")
            self._candidates.append((locale_id, *parsed))
        self._negotiable = [c for c in self._candidates if c[0] not in self.explicit_only]
        self._languages = {locale_id: have.language for locale_id, have, _ in self._candidates}
        self.distances = LanguageDistances((locale_id, have) for locale_id, have, _ in self._candidates)
        #: Languages that can match or relate to a shipped locale; any other range is
        #: answered without parsing further ("und" gains a language from likely subtags).
        self._reachable = self.distances.languages | {"und"}
        self.cache = lru_cache(maxsize=cache_size)(self._choose)
        self._scripts, self._regions = self._subtags_that_matter()
        # Each range's answers, on the (language, script, region) that decide them: a
        # set bounded by the shipped locales and CLDR (see _subtags_key), so an unbounded
        # dictionary, and a header of unique ranges is a few look-ups per range.
        self._resolved: dict[tuple[str, str | None, str | None], tuple[str | None, ...]] = {}

    def _subtags_that_matter(self) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        """Per reachable language, the scripts and regions that can change an answer.

        A script matters when a shipped locale of the language has it or CLDR's distance
        table knows the pair; any other script matches nothing. A region matters when a
        shipped locale has it or CLDR's likely subtags key on it; the others are all
        :data:`OTHER_REGION`. ``und`` takes every script, as likely subtags choose its
        language from the script."""
        likely: dict[str, str] = get_global("likely_subtags")
        scripts: dict[str, set[str]] = {language: set() for language in self._reachable}
        for _, have, _ in self._candidates:
            scripts[have.language].add(have.script or "")
        for language, script in self.distances.pairs():
            scripts[language].add(script)
        scripts["und"] = set().union(*scripts.values())
        shipped_regions = {r for _, have, own in self._candidates for r in (have.region, own) if r}
        regions: dict[str, set[str]] = {language: set(shipped_regions) for language in self._reachable}
        for key in likely:
            language, *rest = key.split("_")
            if language in regions and rest and not rest[-1].istitle():
                regions[language].add(rest[-1])
        return (
            {language: frozenset(found - {""}) for language, found in scripts.items()},
            {language: frozenset(found) for language, found in regions.items()},
        )

    def _subtags_key(self, normal: str) -> tuple[str, str | None, str | None] | None:
        """The (language, script, region) that decide a normalized range's answers, or
        None when the range can match nothing (an unreachable language, a script that no
        shipped locale or related language has)."""
        if normal.partition("-")[0] not in self._reachable:
            return None
        try:
            language, region, script, *_ = parse_locale(normal, sep="-")
        except ValueError:
            return None
        if script is not None and script not in self._scripts.get(language, ()):
            return None
        if region is not None and region not in self._regions.get(language, ()):
            region = OTHER_REGION
        return language, script, region

    def resolved_bound(self) -> int:
        """The most entries the per-range answers can ever hold."""
        return sum(
            (len(self._scripts.get(language, ())) + 1) * (len(self._regions.get(language, ())) + 2)
            for language in self._reachable
        )

    def negotiate(self, lang: str | None, accept_language: str | None) -> str:
        """The shipped locale for a request's ``?lang=`` and ``Accept-Language``.

        Results are cached (bounded LRU) on the inputs, cut to what is read first, so a
        huge header is neither hashed nor parsed in full.
        """
        if accept_language and len(accept_language) > MAX_HEADER_CHARS:
            accept_language = bounded_header(accept_language)
        if lang and len(lang) > 64:
            lang = None  # no language tag is that long
        return self.cache(lang, accept_language)[0]

    def first_choice(self, accept_language: str) -> str | None:
        """The range a header ranks first (by weight, then position), for the metrics of
        unshipped languages; it shares :meth:`negotiate`'s cache, so the header of a
        request already answered is not parsed again."""
        if len(accept_language) > MAX_HEADER_CHARS:
            accept_language = bounded_header(accept_language)
        return self.cache(None, accept_language)[1]

    def match(self, tag: str) -> str | None:
        """The shipped locale one language range selects, or None."""
        return self.answers(tag)[0]

    def related(self, tag: str) -> str | None:
        """The shipped locale of a closely related language (CLDR language matching), or None."""
        return self.answers(tag)[1] if self.related_languages else None

    def answers(self, tag: str, *, header: bool = False) -> tuple[str | None, str | None]:
        """(the shipped locale ``tag`` matches, the one of a related language), cached on
        the normalized range; with ``header``, among the locales a header may choose. A
        range naming a shipped locale outright has no related one."""
        exact = self._exact.get(tag.lower().replace("_", "-")) if len(tag) <= 64 else None
        if exact is not None:
            return exact, None
        normal = normalize(tag)
        if normal is None:
            return None, None
        answers = self._resolve(normal.lower())
        return answers[2:] if header else answers[:2]  # type: ignore[return-value]

    def _resolve(self, normal: str) -> tuple[str | None, ...]:
        exact = self._exact.get(normal)
        if exact is not None:
            return exact, None, exact, None
        key = self._subtags_key(normal)
        if key is None:
            return NO_ANSWERS
        answers = self._resolved.get(key)
        if answers is None:
            answers = self._resolved[key] = self._resolve_uncached(key)
        return answers

    def _resolve_uncached(
        self, key: tuple[str, str | None, str | None]
    ) -> tuple[str | None, str | None, str | None, str | None]:
        """(match, related) among every candidate, then among those a header may choose."""
        want = fill_likely(*key)
        # For language matching CLDR fills the language too (und-TW → zh-Hant-TW).
        filled = Subtags(_likely_language(want), want.script, want.region) if want.language == "und" else want
        near = self.distances.near(filled)
        negotiable = [(d, locale_id) for d, locale_id in near if locale_id not in self.explicit_only]
        return (
            self._match(want, near, self._candidates),
            self._related(filled.language, near),
            self._match(want, negotiable, self._negotiable),
            self._related(filled.language, negotiable),
        )

    def _match(
        self, want: Subtags, near: list[tuple[int, str]], candidates: list[tuple[str, Subtags, str | None]]
    ) -> str | None:
        same = [
            (locale_id, have, own_region)
            for locale_id, have, own_region in candidates
            if have.language == want.language and have.script == want.script
        ]
        if not same:  # a script variant of the same written language (ko-Hang → ko)
            variants = {locale_id for d, locale_id in near if d <= SCRIPT_VARIANT_DISTANCE}
            same = [
                (locale_id, have, own_region)
                for locale_id, have, own_region in candidates
                if have.language == want.language and locale_id in variants
            ]
        for locale_id, _, own_region in same:
            if own_region and own_region == want.region:
                return locale_id
        for locale_id, _, own_region in same:
            if own_region is None:
                return locale_id
        # A sibling region of the same language and script (pt-PT → pt-BR).
        return same[0][0] if same else None

    def _related(self, language: str, near: list[tuple[int, str]]) -> str | None:
        best: tuple[int, str] | None = None
        for distance, locale_id in near:
            if (language, self._languages[locale_id]) in REMOVED_MATCHES:
                continue
            if best is None or distance < best[0]:
                best = (distance, locale_id)
        return best[1] if best else None

    def excluded(self, locale_id: str, chosen_by: str, exclusions: list[str]) -> bool:
        """Whether a ``q=0`` range excludes ``locale_id``, reached through ``chosen_by``;
        ``exclusions`` are the ``q=0`` ranges, normalized and lowercased.

        A range excludes the shipped tags it matches under RFC 4647 filtering (``zh``
        excludes ``zh-Hans`` and ``zh-Hant``). An accepted range more specific than the
        excluding one still wins when, with likely subtags added, it names the shipped
        locale itself (``zh;q=0, zh-TW`` → zh-Hant), but not when it only reaches it by
        truncation (``de;q=0, de-AT`` → the default).
        """
        tag = locale_id.replace("_", "-").lower()
        accepted = (normalize(chosen_by) or "").lower()
        for excluding in exclusions:
            if not excluding or not _prefix(excluding, tag):
                continue
            if accepted != excluding and _prefix(excluding, accepted):
                named, own = maximize(accepted), maximize(locale_id)
                if named and own and named[0] == own[0]:
                    continue
            return True
        return False

    def _choose(self, lang: str | None, accept_language: str | None) -> tuple[str, str | None]:
        """(the locale to serve, the header's first-ranked range when it was read)."""
        if lang:
            chosen = self.match(lang.strip()) or self.related(lang.strip())
            if chosen is not None:
                return chosen, None
        if not accept_language:
            return self.default, None
        ranges = list(parse_accept_header(bounded_header(accept_language), LanguageAccept))
        accepted = [value for value, quality in ranges if quality > 0 and value != "*"]
        excluding = [value for value, quality in ranges if quality == 0 and value != "*"]
        exclusions = [(normalize(value) or "").lower() for value in excluding]
        first = accepted[0] if accepted else None
        answers = [(value, self.answers(value, header=True)) for value in accepted]
        for value, (chosen, _) in answers:
            if (
                chosen is not None
                and chosen not in self.explicit_only
                and not self.excluded(chosen, value, exclusions)
            ):
                return chosen, first
        # Only when no listed language is shipped: a closely related one, never one the
        # person excluded.
        if self.related_languages:
            for _, (_, chosen) in answers:
                if chosen is not None and not self.excluded(chosen, "", exclusions):
                    return chosen, first
        return self.default, first


def _prefix(range_: str, tag: str) -> bool:
    """RFC 4647 basic filtering: ``range_`` equals ``tag`` or is a prefix of it at a ``-``."""
    return tag == range_ or tag.startswith(range_ + "-")


def _likely_language(want: Subtags) -> str:
    """The language CLDR's likely subtags give an ``und`` tag with this script and region."""
    likely: dict[str, str] = get_global("likely_subtags")
    keys = [f"und_{want.script}_{want.region}", f"und_{want.region}", f"und_{want.script}", "und"]
    filled = next((likely[k] for k in keys if k in likely), "und")
    return filled.partition("_")[0]
