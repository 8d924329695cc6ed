"""Realistic ``Accept-Language`` headers, built the way browsers build them.

Each browser turns a person's list of preferred languages into a header by its own
rule; crossing browsers with about 150 user locales and a few typical second
languages gives over a thousand headers real servers see. Deterministic: no
randomness, so a failure names the same header every run.
"""

from __future__ import annotations

from collections.abc import Iterator


def _words(text: str) -> list[str]:
    return text.split()


#: User locales (the first language a person sets), about 150, spread over scripts,
#: regions and the languages CLDR relates to shipped ones.
USER_LOCALES = _words(
    """
    en-US en-GB en-AU en-CA en-IN en-IE en-NZ en-ZA en-SG en-PH en-NG zh-CN zh-TW zh-HK zh-SG
    zh-MO zh-Hans-CN zh-Hant-TW zh-Hant-HK yue-HK ja-JP ko-KR es-ES es-MX es-AR es-CO es-CL
    es-US es-419 es-PE fr-FR fr-CA fr-BE fr-CH fr-SN de-DE de-AT de-CH de-LU gsw-CH lb-LU
    pt-BR pt-PT pt-AO ru-RU ru-UA ru-KZ uk-UA be-BY kk-KZ ar-SA ar-EG ar-AE ar-MA ar-DZ ar-IQ
    he-IL fa-IR ur-PK it-IT it-CH nl-NL nl-BE pl-PL cs-CZ sk-SK hu-HU ro-RO bg-BG el-GR tr-TR
    sv-SE da-DK nb-NO nn-NO no-NO fi-FI is-IS et-EE lv-LV lt-LT hr-HR sr-RS sr-Latn-RS bs-BA
    sl-SI mk-MK sq-AL ca-ES gl-ES eu-ES ast-ES oc-FR br-FR co-FR hi-IN bn-BD bn-IN ta-IN te-IN
    mr-IN gu-IN kn-IN ml-IN pa-IN ne-NP si-LK th-TH vi-VN id-ID ms-MY fil-PH km-KH lo-LA my-MM
    sw-KE am-ET ha-NG yo-NG zu-ZA af-ZA ka-GE hy-AM az-AZ uz-UZ mn-MN tg-TJ ky-KG tk-TM ga-IE
    cy-GB gd-GB mt-MT ko-Hang-KR ja-Hira-JP
    """
)

#: What people add after their own language.
SECOND_LANGUAGES: list[list[str]] = [[], ["en-US"], ["en-GB"], ["en-US", "es-ES"], ["de-DE", "en-US"]]


def _with_bases(tags: list[str]) -> list[str]:
    """Chrome and Safari add each regional tag's base language right after it."""
    out: list[str] = []
    for tag in tags:
        if tag not in out:
            out.append(tag)
        base = tag.split("-")[0]
        if base != tag and base not in out:
            out.append(base)
    return out


def chrome(tags: list[str]) -> str:
    """``fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7``: q falls by 0.1 per range, never below 0.1."""
    ranges = _with_bases(tags)
    return ",".join(tag if i == 0 else f"{tag};q={max(10 - i, 1) / 10:.1f}" for i, tag in enumerate(ranges))


def firefox(tags: list[str]) -> str:
    """Firefox sends the list as set, q spread evenly: ``fr-FR,fr;q=0.8,en-US;q=0.5,en;q=0.3``."""
    ranges = _with_bases(tags)
    count = len(ranges)
    return ",".join(
        tag if i == 0 else f"{tag};q={round(1 - i / count, 1):.1f}" for i, tag in enumerate(ranges)
    )


def safari_ios(tags: list[str]) -> str:
    """iOS Safari sends the first language and its base only."""
    return chrome(tags[:1])


def android(tags: list[str]) -> str:
    """Chrome on Android 14+: the system locale carries regional preferences (-u-…)."""
    first, *rest = tags
    return chrome([f"{first}-u-fw-mon-mu-celsius", *rest])


BROWSERS = {"chrome": chrome, "firefox": firefox, "safari-ios": safari_ios, "android": android}


def headers() -> Iterator[tuple[str, str]]:
    """(label, header) for every browser × user locale × second-language set, unique."""
    seen: set[str] = set()
    for locale in USER_LOCALES:
        for extra in SECOND_LANGUAGES:
            tags = [locale, *(t for t in extra if t.split("-")[0] != locale.split("-")[0])]
            for browser, build in BROWSERS.items():
                header = build(tags)
                if header not in seen:
                    seen.add(header)
                    yield f"{browser}:{locale}+{','.join(extra) or '-'}", header
