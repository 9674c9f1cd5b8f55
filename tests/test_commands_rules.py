"""The Subscribe buttons of /rules: callback data within Telegram's 64 bytes, found again on a press."""

from __future__ import annotations

from bot.engine import compile_rules, load_rules_text
from bot.telegram.callbacks import MAX_CALLBACK_DATA, rule_callback_data, rule_from_callback
from bot.telegram.commands import COMMANDS, _rule_text, bot_commands, help_text, rule_pages

LONG_ID = "a-rule-with-a-very-long-identifier-that-someone-wrote-to-be-descriptive-" + "x" * 20


def test_short_ids_travel_as_they_are_long_ones_by_hash() -> None:
    rules = compile_rules(load_rules_text(f"""
- id: fatal-clash
  title: Fatal armed clash
  when: {{terms: [ambush]}}
- id: {LONG_ID}
  title: Long
  when: {{terms: [siege]}}
"""))
    assert rule_callback_data("sub", "fatal-clash") == "sub:fatal-clash"
    data = rule_callback_data("unsub", LONG_ID)
    assert data.startswith("unsub:#") and len(data.encode()) <= MAX_CALLBACK_DATA
    assert rule_from_callback(data.partition(":")[2], rules).id == LONG_ID   # type: ignore[union-attr]
    assert rule_from_callback("fatal-clash", rules).id == "fatal-clash"     # type: ignore[union-attr]
    assert rule_from_callback("#0000000000000000", rules) is None
    assert rule_from_callback("gone", rules) is None


def test_every_command_is_in_the_menu_and_in_help() -> None:
    names = [c.command for c in bot_commands()]
    assert {"settings", "timezone", "quiet", "digest", "silent"} <= set(names)
    assert all(len(c.description) <= 256 for c in bot_commands())
    assert all(f"/{name}" in help_text() for name, _, _ in COMMANDS)


def test_rules_are_paged_under_telegrams_length_limit() -> None:
    text = "\n".join(f"""
- id: rule-{i}
  title: Rule number {i} with a fairly long title for the listing
  description: {"A long description of what this rule looks for in the news. " * 5}
  when: {{terms: [word{i}]}}""" for i in range(45))
    rules = compile_rules(load_rules_text(text)).rules
    pages = rule_pages(rules)
    assert [r for page in pages for r in page] == list(rules)
    assert len(pages) > 2 and all(len(page) <= 20 for page in pages)
    assert all(sum(len(_rule_text(r)) + 2 for r in page) <= 3500 for page in pages)
    assert all(len(_rule_text(r)) < 400 for r in rules)          # descriptions are cut short
