"""Python back ends: the same lookup in-process and from the command line."""

from __future__ import annotations

import pytest

from service import UnknownCode, lookup
from service.cli import errors_cli

from .conftest import REGISTRY, count_code, example_code, served_text


def test_lookup_negotiates_like_the_api():
    code = example_code("meaning", locales=["zh_Hans"], where=lambda e: not e.params_in("meaning"))
    entry = lookup(code, lang="zh")
    assert entry.lang == "zh-Hans" and entry.meaning == served_text("zh_Hans", f"{code}.meaning")
    assert lookup(40112, accept_language="zh-HK,en;q=0.5").lang == "zh-Hant"
    assert lookup("40112", lang="xx", accept_language="ko").lang == "ko"
    assert lookup("40112").lang == "en"


def test_lookup_matches_the_http_body(client):
    assert lookup("50106", lang="ja").to_json() == client.get("/errors/50106?lang=ja").get_json()


def test_lookup_takes_placeholder_values():
    code, name = count_code("en")
    english = REGISTRY.entries[code].meaning.replace(f"{{{name}}}", "5")
    assert lookup(code, lang="en", params={name: "5"}).meaning == english


def test_unknown_code_raises():
    with pytest.raises(UnknownCode):
        lookup("99999")


def test_cli_show(app):
    runner = app.test_cli_runner()
    code = example_code("meaning", locales=["zh_Hans"], where=lambda e: not e.params_in("meaning"))
    result = runner.invoke(errors_cli, ["show", code, "--lang", "zh"])
    assert result.exit_code == 0
    assert served_text("zh_Hans", f"{code}.meaning") in result.output and "[zh-Hans]" in result.output
    result = runner.invoke(errors_cli, ["show", "40300", "--accept-language", "zh-TW", "--json"])
    assert '"lang": "zh-Hant"' in result.output and "/memos_cloud/limit" in result.output
    result = runner.invoke(errors_cli, ["show", "99999"])
    assert result.exit_code == 1 and "no error code 99999" in result.output
