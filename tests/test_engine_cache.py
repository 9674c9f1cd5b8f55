"""The compiled-rules cache: used only for the same rules and engine, and never trusted when damaged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.cache import CACHE_PATTERN, cache_file, load_ruleset_cached
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
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "shelling.yaml").write_text(text)
    return rules


def _answers(ruleset: RuleSet) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.rule_id, m.regions) for m in ruleset.match(ARTICLE)]


def test_a_second_start_reads_the_compiled_rules_back(tmp_path: Path) -> None:
    rules, state = _rules(tmp_path), tmp_path / "state"
    first = load_ruleset_cached(rules, ["alert"], state)
    assert cache_file(state, rules).exists()
    assert load_ruleset_cached(rules, ["alert"], state) is first   # a reload with nothing changed
    compile_rules(load_rules_text(RULE.replace("id: shelling", "id: other")))   # as a new process would not hold them
    second = load_ruleset_cached(rules, ["alert"], state)
    assert second is not first   # read from the file
    assert _answers(second) == _answers(first) == [("shelling", ("Kharkiv", "Kharkiv Oblast", "Ukraine"))]


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
    path = cache_file(state, rules)
    path.write_bytes(b"")
    load_ruleset_cached(rules, [], state)   # an unusable file is replaced
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[-100] ^= 0xFF
    else:
        data = bytearray(b"\x80\x05not a cache at all")
    path.write_bytes(bytes(data))
    compile_rules(load_rules_text(RULE.replace("id: shelling", "id: other")))   # as a new process would not hold them
    with caplog.at_level(logging.WARNING, logger="bot.engine.cache"):
        ruleset = load_ruleset_cached(rules, [], state)
    assert _answers(ruleset) == [("shelling", ("Kharkiv", "Kharkiv Oblast", "Ukraine"))]
    assert any("compiled-rules cache" in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)


def test_a_state_folder_that_cannot_be_written_only_costs_the_cache(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    rules = _rules(tmp_path)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING, logger="bot.engine.cache"):
        ruleset = load_ruleset_cached(rules, [], blocked / "state")
    assert _answers(ruleset) == [("shelling", ("Kharkiv", "Kharkiv Oblast", "Ukraine"))]
    assert any("not written" in r.getMessage() for r in caplog.records)


def test_rules_this_process_compiled_already_are_not_written_to_a_new_folder(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    load_ruleset_cached(rules, [], tmp_path / "first")
    assert cache_file(tmp_path / "first", rules).exists()
    load_ruleset_cached(rules, [], tmp_path / "second")   # a test starting another Beacon, say
    assert not list((tmp_path / "second").glob(CACHE_PATTERN))


def _as_a_new_process_would_start() -> None:
    """Another rule set compiled last, so the next load cannot return the one this process holds."""
    compile_rules(load_rules_text(RULE.replace("id: shelling", "id: unrelated")))


def test_two_rules_folders_keep_a_file_each(tmp_path: Path) -> None:
    state = tmp_path / "state"
    shelling = _rules(tmp_path / "one")
    airstrike = _rules(tmp_path / "two", RULE.replace("id: shelling", "id: airstrike"))
    load_ruleset_cached(shelling, [], state)
    load_ruleset_cached(airstrike, [], state)
    first_file, second_file = cache_file(state, shelling), cache_file(state, airstrike)
    assert first_file != second_file
    written = {path: path.stat().st_ino for path in (first_file, second_file)}
    for rules, rule_id in ((shelling, "shelling"), (airstrike, "airstrike"), (shelling, "shelling")):
        _as_a_new_process_would_start()
        assert [m.rule_id for m in load_ruleset_cached(rules, [], state).match(ARTICLE)] == [rule_id]
    # each was read back, never written again: a compile replaces the file (a new inode)
    assert {path: path.stat().st_ino for path in written} == written


def test_a_changed_rule_file_in_a_kept_folder_is_compiled_again(tmp_path: Path) -> None:
    state, rules = tmp_path / "state", _rules(tmp_path)
    load_ruleset_cached(rules, [], state)
    _as_a_new_process_would_start()
    _rules(tmp_path, RULE.replace("shelling, shelled", "airstrike"))
    assert _answers(load_ruleset_cached(rules, [], state)) == []
    _as_a_new_process_would_start()
    assert _answers(load_ruleset_cached(rules, [], state)) == []   # the file now holds the changed rules


def test_only_the_rule_sets_used_last_are_kept(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "rules-cache.pickle").write_bytes(b"an earlier version's single file")
    folders = [_rules(tmp_path / str(n), RULE.replace("id: shelling", f"id: rule-{n}")) for n in range(6)]
    for rules in folders:
        load_ruleset_cached(rules, [], state)
    assert sorted(state.glob(CACHE_PATTERN)) == sorted(cache_file(state, rules) for rules in folders[-4:])
    assert not (state / "rules-cache.pickle").exists()
