"""The compiled-rules cache: used only for the same rules and engine, and never trusted when damaged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.cache import CACHE_FILE, load_ruleset_cached
from bot.engine.compile import RuleSet
from bot.errors import RuleError
from bot.models import Article

RULE = """
id: shelling
title: Shelling
when:
  all:
    - terms: [shelling, shelled]
    - regions: [ukraine]
"""

ARTICLE = Article("wire", "Shelling near Kharkiv", "Kharkiv was shelled overnight, officials said.")


def _rules(tmp_path: Path, text: str = RULE) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "shelling.yaml").write_text(text)
    return rules


def _answers(ruleset: RuleSet) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.rule_id, m.regions) for m in ruleset.match(ARTICLE)]


def test_a_second_start_reads_the_compiled_rules_back(tmp_path: Path) -> None:
    rules, state = _rules(tmp_path), tmp_path / "state"
    first = load_ruleset_cached(rules, ["alert"], state)
    assert (state / CACHE_FILE).exists()
    assert load_ruleset_cached(rules, ["alert"], state) is first   # a reload with nothing changed
    compile_rules(load_rules_text(RULE.replace("id: shelling", "id: other")))   # as a new process would not hold them
    second = load_ruleset_cached(rules, ["alert"], state)
    assert second is not first   # read from the file
    assert _answers(second) == _answers(first) == [("shelling", ("Kharkiv", "Ukraine"))]


def test_changed_rules_or_templates_are_compiled_again(tmp_path: Path) -> None:
    rules, state = _rules(tmp_path), tmp_path / "state"
    load_ruleset_cached(rules, [], state)
    _rules(tmp_path, RULE.replace("shelling, shelled", "airstrike"))
    assert _answers(load_ruleset_cached(rules, [], state)) == []
    _rules(tmp_path, RULE.replace("id: shelling", "id: shelling\ntemplate: nowhere"))
    with pytest.raises(RuleError, match="nowhere"):
        load_ruleset_cached(rules, ["alert"], state)   # checked again, not taken from the file


@pytest.mark.parametrize("damage", ["flip", "garbage"])
def test_a_damaged_cache_is_ignored_with_a_log_line(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                    damage: str) -> None:
    rules, state = _rules(tmp_path), tmp_path / "state"
    state.mkdir()
    (state / CACHE_FILE).write_bytes(b"")
    load_ruleset_cached(rules, [], state)   # an unusable file is replaced
    path = state / CACHE_FILE
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[-100] ^= 0xFF
    else:
        data = bytearray(b"\x80\x05not a cache at all")
    path.write_bytes(bytes(data))
    compile_rules(load_rules_text(RULE.replace("id: shelling", "id: other")))   # as a new process would not hold them
    with caplog.at_level(logging.WARNING, logger="bot.engine.cache"):
        ruleset = load_ruleset_cached(rules, [], state)
    assert _answers(ruleset) == [("shelling", ("Kharkiv", "Ukraine"))]
    assert any("compiled-rules cache" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)


def test_a_state_folder_that_cannot_be_written_only_costs_the_cache(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    rules = _rules(tmp_path)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING, logger="bot.engine.cache"):
        ruleset = load_ruleset_cached(rules, [], blocked / "state")
    assert _answers(ruleset) == [("shelling", ("Kharkiv", "Ukraine"))]
    assert any("not written" in r.getMessage() for r in caplog.records)


def test_rules_this_process_compiled_already_are_not_written_to_a_new_folder(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    load_ruleset_cached(rules, [], tmp_path / "first")
    assert (tmp_path / "first" / CACHE_FILE).exists()
    load_ruleset_cached(rules, [], tmp_path / "second")   # a test starting another Beacon, say
    assert not (tmp_path / "second" / CACHE_FILE).exists()
