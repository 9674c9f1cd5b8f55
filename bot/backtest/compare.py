"""`--compare OTHER_RULES_DIR`: what a rule change adds and removes, article by article.

Both rule sets replay the same articles. For each rule, an article "alerts" when it brought a
new message (an event's first alert, or a held event sent when its wait ended); the comparison
lists the articles that alert only with the other rules (added) and only with the current ones
(removed). An incident matched by related rules is told under one of them, so a change can move
an article from one rule to another: such articles name the rule on the other side. Updates and
edits are counted, not listed: they follow from which events opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.backtest.results import Decision, Replay
from bot.enums import RuleChangeStatus

# what a rule's heading says after its id when it is not in both rule folders
CHANGE_LABELS = {RuleChangeStatus.NEW: " (new rule)", RuleChangeStatus.GONE: " (not in the other rules)"}


@dataclass
class RuleChange:
    """One rule's difference between the two replays."""

    rule_id: str
    added: list[Decision] = field(default_factory=list)     # alert with the other rules only
    removed: list[Decision] = field(default_factory=list)   # alert with the current rules only
    status: RuleChangeStatus = RuleChangeStatus.CHANGED
    alerts_before: int = 0
    alerts_after: int = 0
    # article key -> the rule it alerts under on the other side, when it moved rather than appeared or vanished
    moved: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        def listed(decisions: list[Decision]) -> list[dict[str, Any]]:
            return [{**d.as_dict(), "other_rule": self.moved.get(d.article_key)} for d in decisions]

        return {"rule": self.rule_id, "status": self.status, "alerts_before": self.alerts_before,
                "alerts_after": self.alerts_after, "added": listed(self.added), "removed": listed(self.removed)}


@dataclass
class Comparison:
    before: Replay   # the current rules
    after: Replay    # OTHER_RULES_DIR
    changes: list[RuleChange]

    @property
    def unchanged(self) -> bool:
        return not any(c.added or c.removed or c.status != RuleChangeStatus.CHANGED for c in self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {"rules_before": self.before.rules, "rules_after": self.after.rules,
                "rules": [c.as_dict() for c in self.changes]}


def _alerting(replay: Replay) -> dict[str, dict[str, Decision]]:
    """rule -> article key -> the decision that made the article alert (its first, if several)."""
    found: dict[str, dict[str, Decision]] = {rule_id: {} for rule_id in replay.rule_ids}
    for decision in replay.alerts():
        found.setdefault(decision.rule_id, {}).setdefault(decision.article_key, decision)
    return found


def compare(before: Replay, after: Replay) -> Comparison:
    """Per rule (in the order the current rules, then the other ones, name them), added and removed alerts."""
    old, new = _alerting(before), _alerting(after)
    changes = []
    for rule_id in dict.fromkeys([*old, *new]):
        was, now = old.get(rule_id, {}), new.get(rule_id, {})
        change = RuleChange(rule_id, alerts_before=len(was), alerts_after=len(now))
        if rule_id not in before.rule_ids:
            change.status = RuleChangeStatus.NEW
        elif rule_id not in after.rule_ids:
            change.status = RuleChangeStatus.GONE
        change.added = sorted((d for key, d in now.items() if key not in was), key=lambda d: d.at)
        change.removed = sorted((d for key, d in was.items() if key not in now), key=lambda d: d.at)
        # an incident matched by related rules is told under one of them: a change can move it to another
        for decision, other_side in [*((d, old) for d in change.added), *((d, new) for d in change.removed)]:
            elsewhere = [r for r, keys in other_side.items() if r != rule_id and decision.article_key in keys]
            if elsewhere:
                change.moved[decision.article_key] = elsewhere[0]
        changes.append(change)
    return Comparison(before, after, changes)
