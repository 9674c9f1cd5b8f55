"""Button data: Telegram refuses a button whose callback_data is over 64 bytes, so long rule ids go by a hash."""

from __future__ import annotations

import hashlib

from bot.engine import RuleSet
from bot.engine.load import Rule

MAX_CALLBACK_DATA = 64


def rule_hash(rule_id: str) -> str:
    return hashlib.sha256(rule_id.encode()).hexdigest()[:16]


def rule_callback_data(action: str, rule_id: str, suffix: str = "") -> str:
    """`<action>:<rule-id>[suffix]`, or `<action>:#<hash>[suffix]` when that would not fit in 64 bytes."""
    data = f"{action}:{rule_id}{suffix}"
    return data if len(data.encode()) <= MAX_CALLBACK_DATA else f"{action}:#{rule_hash(rule_id)}{suffix}"


def rule_from_callback(ref: str, rules: RuleSet) -> Rule | None:
    """The rule a button names (rule ids never start with '#')."""
    if ref.startswith("#"):
        return next((r for r in rules.rules if rule_hash(r.id) == ref[1:]), None)
    return rules.get(ref)
