"""A synthetic registry of N codes in M locales, built through the real pipeline.

    python bench/synth.py OUTDIR [--codes 10000] [--locales 30] [--meaning-words N]

writes ``OUTDIR/errors.toml`` and ``OUTDIR/babel.cfg``, then runs the stock
``pybabel extract`` (through this project's extractor), ``pybabel init`` for each
locale, fills every entry with synthetic text in the locale's script (so CJK and
RTL catalogs have realistic byte sizes), and ``pybabel compile``. It prints the
time of each step as JSON on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import polib

# 30 locales, CJK and RTL among them; the first 11 are the shipped ones.
LOCALES = [
    "en", "zh_Hans", "zh_Hant", "ja", "ko", "es", "fr", "de", "pt_BR", "ru", "ar",
    "he", "fa", "it", "nl", "pl", "tr", "uk", "cs", "sv", "da",
    "fi", "nb", "el", "hu", "ro", "th", "vi", "id", "hi",
]  # fmt: skip
WORDS = [
    "request", "parameter", "file", "project", "quota", "token", "memory", "knowledge", "base",
    "account", "limit", "service", "key", "invalid", "missing", "expired", "exceeded", "denied",
    "unavailable", "format", "size", "length", "upload", "callback", "session", "check", "retry",
    "verify", "provide", "reduce", "contact", "refresh", "confirm", "upgrade", "clean", "compress",
]  # fmt: skip
SCRIPTS = {  # code point ranges to draw synthetic "translations" from
    "zh_Hans": (0x4E00, 0x9FA5), "zh_Hant": (0x4E00, 0x9FA5), "ja": (0x3041, 0x3096), "ko": (0xAC00, 0xD7A3),
    "ru": (0x0430, 0x044F), "uk": (0x0430, 0x044F), "ar": (0x0627, 0x064A), "fa": (0x0627, 0x064A),
    "he": (0x05D0, 0x05EA), "el": (0x03B1, 0x03C9), "th": (0x0E01, 0x0E2E), "hi": (0x0905, 0x0939),
}  # fmt: skip
CATEGORIES = ["parameter", "auth", "quota", "system", "knowledge_base"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


def write_registry(outdir: Path, codes: int, rng: random.Random, meaning_words: int = 0) -> Path:
    lines = ["[categories]", *(f'{c} = "{c.replace("_", " ").title()} Errors"' for c in CATEGORIES), ""]
    for i in range(codes):
        code = 10000 + i * (89999 // codes)
        lines += [
            "[[errors]]",
            f'code = "{code}"',
            f'category = "{CATEGORIES[i % len(CATEGORIES)]}"',
            f'meaning = "{sentence(rng, meaning_words or 4, meaning_words or 12)}"',
            f'resolution = "{sentence(rng, 2, 6)}"',
            f"http_status = {400 + i % 30}",
            f"retryable = {'true' if i % 7 == 0 else 'false'}",
            "",
        ]
    path = outdir / "errors.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def translate(text: str, locale_id: str, rng: random.Random) -> str:
    if locale_id == "en":
        return text
    if locale_id in SCRIPTS:
        low, high = SCRIPTS[locale_id]
        length = len(text) // (2 if locale_id in ("zh_Hans", "zh_Hant", "ja", "ko") else 1)
        words = []
        while sum(len(w) + 1 for w in words) < length:
            words.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(2, 7))))
        return " ".join(words)
    return f"{text} ({locale_id})"


def each(cwd: Path, commands: list[list[str]]) -> None:
    """Run one command per catalog, as many at a time as there are CPUs (``make -j`` does
    the same for ``make catalogs``)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for done in pool.map(lambda command: subprocess.run(command, cwd=cwd, capture_output=True), commands):
            done.check_returncode()


def build(
    outdir: Path, codes: int, locales: list[str], seed: int = 7, meaning_words: int = 0
) -> dict[str, float]:
    """``meaning_words``: a fixed length for every meaning (0: realistic, 4–12 words)."""
    rng = random.Random(seed)
    outdir.mkdir(parents=True, exist_ok=True)
    write_registry(outdir, codes, rng, meaning_words)
    (outdir / "babel.cfg").write_text("[errors: errors.toml]\n", encoding="utf-8")
    (outdir / "locales").mkdir(exist_ok=True)
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    subprocess.run([pybabel, "extract", "-F", "babel.cfg", "-o", "locales/messages.pot", "."],
                   cwd=outdir, check=True, capture_output=True)  # fmt: skip
    timings["extract_s"] = time.perf_counter() - started
    started = time.perf_counter()
    each(outdir, [[pybabel, "init", "-i", "locales/messages.pot", "-d", "locales", "-l", locale_id]
                  for locale_id in locales])  # fmt: skip
    timings["init_s"] = time.perf_counter() - started
    started = time.perf_counter()
    for locale_id in locales:  # the translators' work, synthetic
        path = outdir / "locales" / locale_id / "LC_MESSAGES" / "messages.po"
        catalog = polib.pofile(str(path))
        for entry in catalog:
            entry.msgstr = translate(entry.msgid, locale_id, rng)
        catalog.save()
    timings["translate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    each(outdir, [[pybabel, "compile", "-d", "locales", "-D", "messages", "-l", lc] for lc in locales])
    timings["compile_s"] = time.perf_counter() - started
    timings["build_s"] = timings["extract_s"] + timings["init_s"] + timings["compile_s"]
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--locales", type=int, default=30)
    parser.add_argument("--meaning-words", type=int, default=0, help="fixed meaning length (large bodies)")
    args = parser.parse_args()
    timings = build(args.outdir, args.codes, LOCALES[: args.locales], meaning_words=args.meaning_words)
    print(json.dumps({k: round(v, 2) for k, v in timings.items()}))


if __name__ == "__main__":
    main()
