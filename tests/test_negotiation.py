"""Locale negotiation: the shared cases over real HTTP, each rule, and properties."""

from __future__ import annotations

import urllib.parse

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import Settings, create_app
from service.negotiation import MAX_HEADER_CHARS, MAX_RANGES, Negotiator, bounded_header

from .conftest import (
    CODE,
    DATA,
    LOCALES,
    REGISTRY,
    SHIPPED,
    compile_po,
    copy_locales,
    example_code,
    lagging_fields,
    served_entries,
)


def shared_cases() -> list[tuple[str | None, str | None, str]]:
    cases = []
    for line in (DATA / "negotiation-cases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, header, expected = line.split("\t")
        cases.append(
            (
                None if lang == "-" else lang,
                None if header == "-" else "" if header == "''" else header,
                expected,
            )
        )
    return cases


CASES = shared_cases()


def test_all_shared_cases_are_loaded():
    assert len(CASES) == 23


@pytest.mark.parametrize(("lang", "header", "expected"), CASES)
def test_shared_cases_over_real_http(live, lang, header, expected):
    path = f"/errors/{CODE}" + (f"?lang={urllib.parse.quote(lang)}" if lang is not None else "")
    headers = {"Accept-Language": header} if header is not None else {}
    reply = live.get(path, headers)
    assert reply.status == 200
    assert reply.headers["Content-Language"] == expected
    assert f'"lang":"{expected}"'.encode() in reply.body


@pytest.fixture(scope="module")
def negotiator() -> Negotiator:
    return Negotiator(SHIPPED, "en", cache_size=256)


@pytest.mark.parametrize(
    ("lang", "header", "expected"),
    [
        # Script-aware Chinese, from CLDR likely subtags.
        (None, "zh-MO", "zh_Hant"),
        (None, "zh-SG", "zh_Hans"),
        (None, "zh-Hant-CN", "zh_Hant"),
        (None, "zh-Hans-HK", "zh_Hans"),
        (None, "zh-TW;q=0.5, zh-CN;q=0.9", "zh_Hans"),
        # Region fallback to the shipped base language, and a sibling region.
        (None, "es-419", "es"),
        (None, "fr-BE", "fr"),
        (None, "de-AT", "de"),
        (None, "pt", "pt_BR"),
        (None, "ar-SA", "ar"),
        # Weights, ties by position, exclusions and wildcards.
        (None, "fr;q=0.5, de;q=0.5", "fr"),
        (None, "de;q=0.5, fr;q=0.5", "de"),
        (None, "ko;q=0.2, xx;q=0.9", "ko"),
        (None, "*;q=0.5, ru", "ru"),
        (None, "en;q=0, *", "en"),  # nothing acceptable is shipped: the default (RFC 9110 §12.1)
        (None, "en-GB,en;q=0", "en"),
        # q=0 excludes what it matches by RFC 4647 filtering, unless a more specific accepted
        # range names that very locale once likely subtags are added.
        (None, "zh;q=0, zh-TW", "zh_Hant"),
        (None, "zh;q=0, zh-CN", "zh_Hans"),
        (None, "zh;q=0, zh-Hant-DE", "en"),
        (None, "de;q=0, de-AT", "en"),
        (None, "ja;q=0, ja-JP, de", "ja"),
        (None, "ja;q=0, ja-Latn, de", "de"),
        (None, "pt;q=0, pt-PT, ko", "ko"),
        (None, "es;q=0, ca", "en"),  # never served through a related language either
        # Extension and private-use subtags are dropped (RFC 4647 §3.4).
        (None, "fr-FR-u-fw-mon", "fr"),
        (None, "en-GB-u-mu-celsius, de;q=0.9", "en"),
        (None, "de-CH-x-phonebk", "de"),
        (None, "x-klingon, ko;q=0.5", "ko"),
        ("fr-FR-u-fw-mon-mu-celsius", None, "fr"),
        # Script variants of one written language, aliases and extlang forms (RFC 5646 §4.5).
        (None, "ko-Hang", "ko"),
        (None, "ja-Hira", "ja"),
        (None, "ja-Jpan-JP", "ja"),
        (None, "cmn", "zh_Hans"),
        (None, "cmn-TW", "zh_Hant"),
        (None, "zh-cmn-Hant", "zh_Hant"),
        (None, "zh-yue", "zh_Hant"),
        (None, "zh-Hant;q=0.1, zh-Hans", "zh_Hans"),
        # Closely related languages (CLDR language matching), below any listed language.
        (None, "yue-HK", "zh_Hant"),
        (None, "gsw-CH", "de"),
        (None, "lb", "de"),
        (None, "ca-ES", "es"),
        (None, "gl", "es"),
        (None, "ca,de;q=0.9", "de"),
        (None, "gsw-CH, gsw;q=0.9, en-US;q=0.8, en;q=0.7", "en"),
        (None, "uk-UA, uk;q=0.9", "en"),  # CLDR 44 dropped Ukrainian → Russian
        (None, "uk-UA, uk;q=0.9, ru;q=0.8", "ru"),
        (None, "wuu", "zh_Hans"),
        ("gsw", None, "de"),
        (None, "  DE-ch ;  Q=0.8 ", "de"),
        (None, "fr;q=1.5, ko", "ko"),
        (None, ",,,;;;, ru", "ru"),
        # ?lang= first, any case and separator; unknown or invalid falls through.
        ("ZH_hant_tw", None, "zh_Hant"),
        ("pt-pt", "de", "pt_BR"),
        ("xx", "ja", "ja"),
        ("en\x00", "ko", "ko"),
        ("zh-TW/../../x", None, "en"),
        ("a" * 200, "fr", "fr"),
    ],
)
def test_rules(negotiator, lang, header, expected):
    assert negotiator.negotiate(lang, header) == expected


def test_a_long_browser_list_is_read_to_its_end(negotiator):
    # Chrome with six languages: twelve ranges; the one shipped language comes last.
    header = ("nl-NL,nl;q=0.9,pl-PL;q=0.8,pl;q=0.7,sv-SE;q=0.6,sv;q=0.5,fi-FI;q=0.4,fi;q=0.3,"
              "cs-CZ;q=0.2,cs;q=0.1,ru-RU;q=0.1,ru;q=0.1")  # fmt: skip
    assert header.count(",") == 11 and negotiator.negotiate(None, header) == "ru"
    assert MAX_RANGES >= 32 and MAX_HEADER_CHARS >= 1024


def test_only_a_bounded_prefix_of_a_huge_header_is_read(negotiator):
    filler = ", ".join(["xx-YY;q=0.9"] * 10_000)
    assert len(filler) > 64 * 1024
    assert negotiator.negotiate(None, filler + ", ja") == "en", "items past the bound are not read"
    assert negotiator.negotiate(None, "ja, " + filler) == "ja"
    assert MAX_HEADER_CHARS <= 4096


@pytest.mark.parametrize(
    "header",
    ["x" * 65536, ", ".join(["xx-YY;q=0.9"] * 10_000), "a," * 10_000, "de;q=0.5," + " " * 70_000 + ",ja"],
)
def test_pathological_headers_reach_the_parser_bounded(parsed_headers, header):
    """Cost is bounded by construction: the parser never sees more than a normal header."""
    import service.negotiation as negotiation

    seen = parsed_headers(negotiation)
    fresh = Negotiator(SHIPPED, "en", cache_size=16)
    assert fresh.negotiate(None, header) in SHIPPED
    # A 64 KB header costs what a 1 KB one does: the parser sees at most that much of it.
    assert all(len(v) <= MAX_HEADER_CHARS and v.count(",") < MAX_RANGES for v in seen)
    assert bounded_header(header) == bounded_header(bounded_header(header))


def test_negotiation_results_are_cached_in_a_bounded_lru(negotiator):
    negotiator.cache.cache_clear()
    for i in range(1000):
        negotiator.negotiate(None, f"de;q=0.{i % 10}, xx-{i}")
    info = negotiator.cache.cache_info()
    assert info.maxsize == 256 and info.currsize == 256
    negotiator.negotiate(None, "de;q=0.9, xx-999")
    assert negotiator.cache.cache_info().hits == info.hits + 1


@settings(max_examples=300, deadline=None)
@given(lang=st.one_of(st.none(), st.text(max_size=80)), header=st.one_of(st.none(), st.text(max_size=300)))
def test_any_input_yields_a_shipped_locale(negotiator, lang, header):
    assert negotiator.negotiate(lang, header) in SHIPPED


_range = st.builds(
    lambda tag, q: tag if q is None else f"{tag};q={q}",
    st.sampled_from(["zh-TW", "zh", "pt-PT", "es-MX", "*", "en", "ar", "xx", "de-CH", "ko-KR", "sr-Latn"]),
    st.one_of(st.none(), st.sampled_from(["0", "0.1", "0.5", "0.9", "1", "abc"])),
)


_tag = st.sampled_from(["fr-FR", "en-GB", "zh-TW", "zh", "ja", "pt-PT", "de-CH", "yue-HK", "xx", "ca"])
_extension = st.from_regex(
    r"(u(-[a-z0-9]{2,8}){1,3}|t(-[a-z0-9]{2,8}){1,2}|x(-[a-z0-9]{1,8}){1,2})", fullmatch=True
)


@settings(max_examples=300, deadline=None)
@given(tag=_tag, extension=_extension, other=_tag)
def test_a_tag_with_extensions_negotiates_like_the_tag_without_them(negotiator, tag, extension, other):
    assert negotiator.negotiate(None, f"{tag}-{extension}") == negotiator.negotiate(None, tag)
    assert negotiator.negotiate(f"{tag}-{extension}", None) == negotiator.negotiate(tag, None)
    header = f"{tag}-{extension}, {other};q=0.5"
    assert negotiator.negotiate(None, header) == negotiator.negotiate(None, f"{tag}, {other};q=0.5")


def test_related_language_matching_can_be_switched_off():
    strict = Negotiator(SHIPPED, "en", related=False)
    assert strict.negotiate(None, "gsw-CH") == "en" and strict.negotiate("yue", None) == "en"
    app = create_app(Settings(locales_dir=LOCALES, related_languages=False))
    answer = app.test_client().get(f"/errors/{CODE}", headers={"Accept-Language": "gsw"}).get_json()
    assert answer["lang"] == "en"


@settings(max_examples=300, deadline=None)
@given(st.lists(_range, max_size=12))
def test_realistic_headers_yield_a_shipped_locale(negotiator, ranges):
    assert negotiator.negotiate(None, ", ".join(ranges)) in SHIPPED


def gappy_code() -> str:
    """A code whose texts (no placeholders) zh_Hant, pt_BR and es all serve translated."""
    plain = lambda e: not e.params_in("meaning") and not e.params_in("resolution")  # noqa: E731
    return example_code("meaning", "resolution", locales=["zh_Hant", "pt_BR", "es"], where=plain)


@pytest.fixture(scope="module")
def gappy_app(tmp_path_factory):
    """zh_Hant and pt_BR each lose one translation; pt_BR is configured to fall back to es."""
    locales = copy_locales(tmp_path_factory.mktemp("gappy"))
    for locale_id in ("zh_Hant", "pt_BR"):
        path = locales / locale_id / "LC_MESSAGES" / "messages.po"
        catalog = polib.pofile(str(path))
        next(e for e in catalog if e.msgctxt == f"{gappy_code()}.meaning").msgstr = ""
        catalog.save()
        compile_po(path, locale_id)
    return create_app(Settings(locales_dir=locales, fallback_chains={"pt_BR": ("es",)}))


def test_a_missing_message_falls_back_to_the_source_and_says_so(gappy_app):
    code = gappy_code()
    body = gappy_app.test_client().get(f"/errors/{code}", headers={"Accept-Language": "zh-TW"}).get_json()
    assert body["lang"] == "zh-Hant"
    assert body["meaning"] == REGISTRY.entries[code].meaning, "never Simplified Chinese for Traditional"
    assert body["resolution"] == served_entries("zh_Hant")[f"{code}.resolution"].msgstr
    assert body["fallback"]["meaning"] == "en"
    assert set(body["fallback"]) == {"meaning"} | lagging_fields("zh_Hant", code)


def test_the_fallback_chain_is_configurable(gappy_app):
    code = gappy_code()
    body = gappy_app.test_client().get(f"/errors/{code}?lang=pt-BR").get_json()
    assert body["meaning"] == served_entries("es")[f"{code}.meaning"].msgstr
    assert body["fallback"]["meaning"] == "es"
    locales = gappy_app.test_client().get("/locales").get_json()["locales"]
    assert next(item for item in locales if item["tag"] == "zh-Hant")["percent_translated"] < 100
