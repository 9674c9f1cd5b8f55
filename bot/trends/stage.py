"""The trends stage: after the events stage decides a batch, its incidents and the clock go to the
evaluator, and what fires comes back as alerts. One class for `beacon run` (bot/trends/live.py) and
`beacon backtest` (bot/backtest/stage.py), so both decide trend alerts the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from bot.engine import RuleSet
from bot.engine.load import Rule
from bot.models import Alert
from bot.trends.alerts import RegionKinds, counted_incident, firing_alert
from bot.trends.evaluate import TrendEvaluator
from bot.trends.model import Trend, TrendFiring


def trend_rules(ruleset: RuleSet) -> dict[str, Rule]:
    """The rule set's trend rules by id."""
    return {rule.id: rule for rule in ruleset.source.trends}


def _kinds(ruleset: RuleSet, rules: Mapping[str, Rule]) -> RegionKinds | None:
    """The country and division names, read from the region book only when there are trends to feed."""
    return RegionKinds(ruleset.book) if rules else None


def _trends(rules: Mapping[str, Rule]) -> dict[str, Trend]:
    return {rule_id: rule.trend for rule_id, rule in rules.items() if rule.trend is not None}


class TrendStage:
    """A rule set's trend rules, their evaluator, and the names that tell a country from a division."""

    def __init__(self, ruleset: RuleSet, state: Mapping[str, Any] | None = None) -> None:
        self.rules = trend_rules(ruleset)
        self.kinds = _kinds(ruleset, self.rules)
        trends = _trends(self.rules)
        self.evaluator = TrendEvaluator.from_dict(trends, state) if state is not None else TrendEvaluator(trends)

    @property
    def active(self) -> bool:
        return bool(self.rules)

    def use(self, ruleset: RuleSet) -> None:
        """New rules (a reload): unchanged trends keep their windows."""
        self.rules = trend_rules(ruleset)
        self.kinds = _kinds(ruleset, self.rules)
        self.evaluator.use(_trends(self.rules))

    def after(self, source: str, alerts: Iterable[Alert], now: datetime, *, articles: int = 1) -> list[Alert]:
        """A batch of `articles` new articles from `source` was decided into `alerts` at `now`: the trend
        alerts its incidents complete, decided now."""
        if self.kinds is None:
            return []
        if articles:
            self.evaluator.observe_article(source, now)
        firings: list[TrendFiring] = []
        for alert in alerts:
            incident = counted_incident(alert, self.kinds)
            if incident is not None:
                firings.extend(self.evaluator.observe_incident(incident))
        return self._alerts(firings, now)

    def tick(self, now: datetime) -> list[Alert]:
        """The clock: the flatlines whose silence reached their window."""
        return self._alerts(self.evaluator.tick(now), now)

    def state(self) -> dict[str, Any]:
        return self.evaluator.to_dict()

    def _alerts(self, firings: Iterable[TrendFiring], now: datetime) -> list[Alert]:
        return [firing_alert(firing, self.rules[firing.rule_id], now) for firing in firings
                if firing.rule_id in self.rules]
