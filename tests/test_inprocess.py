"""Python back ends: the same lookup in-process and from the command line."""

from __future__ import annotations

import json

import pytest

from service import UnknownCode, lookup
from service.cli import errors_cli

from .conftest import CODE, REGISTRY, count_code, example_code, megabytes_code, served_text


def test_lookup_negotiates_like_the_api():
    code = example_code("meaning", locales=["zh_Hans"], where=lambda e: not e.params_in("meaning"))
    entry = lookup(code, lang="zh")
    assert entry.lang == "zh-Hans" and entry.meaning == served_text("zh_Hans", f"{code}.meaning")
    assert lookup(int(CODE), accept_language="zh-HK,en;q=0.5").lang == "zh-Hant"
    assert lookup(CODE, lang="xx", accept_language="ko").lang == "ko"
    assert lookup(CODE).lang == "en"


def test_lookup_matches_the_http_body(client):
    code, name = megabytes_code(served=False)
    assert lookup(code, lang="ja").to_json() == client.get(f"/errors/{code}?lang=ja").get_json()
    sized = lookup(code, lang="ja", params={name: "5000"}).to_json()
    assert sized == client.get(f"/errors/{code}?lang=ja&{name}=5000").get_json()


def test_lookup_takes_placeholder_values():
    code, name = count_code("en")
    english = REGISTRY.entries[code].meaning.replace(f"{{{name}}}", "5")
    assert lookup(code, lang="en", params={name: "5"}).meaning == english


def test_unknown_code_raises():
    with pytest.raises(UnknownCode):
        lookup("99999")


def test_cli_show(app, client):
    runner = app.test_cli_runner()
    code = example_code("meaning", locales=["zh_Hans"], where=lambda e: not e.params_in("meaning"))
    result = runner.invoke(errors_cli, ["show", code, "--lang", "zh"])
    assert result.exit_code == 0
    assert served_text("zh_Hans", f"{code}.meaning") in result.output and "[zh-Hans]" in result.output
    linked = next((e.code for e in REGISTRY.entries.values() if e.help_url), CODE)
    result = runner.invoke(errors_cli, ["show", linked, "--accept-language", "zh-TW", "--json"])
    answer = client.get(f"/errors/{linked}", headers={"Accept-Language": "zh-TW"}).get_json()
    assert json.loads(result.output) == answer and answer["lang"] == "zh-Hant"
    result = runner.invoke(errors_cli, ["show", "99999"])
    assert result.exit_code == 1 and "no error code 99999" in result.output
