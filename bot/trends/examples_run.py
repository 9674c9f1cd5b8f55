"""`beacon rules test` for trend rules: each example's history replayed, its firings compared with those
it expects, a failure told with the example's file:line.

A small history goes to a trend evaluator holding only the rule's own trend, step by step as the live
trends stage feeds it (the clock, the article, then its incident), so the example pins down what the
trend does with exactly those incidents. A `history:` file of articles is replayed through every rule
and the events stage by `beacon backtest`'s replay, so it also checks that the article rules make the
incidents the trend is meant to count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from bot.backtest.results import NO_REGION, Decision
from bot.engine import RuleSet
from bot.engine.load import Rule, RuleSource
from bot.enums import BacktestAction
from bot.trends.alerts import TREND_SOURCE
from bot.trends.evaluate import TrendEvaluator
from bot.trends.examples import Expected, TrendExample, step_incident
from bot.trends.model import TrendFiring


@dataclass(frozen=True)
class Outcome:
    """What one example did: the firings it gave, or why it could not run."""

    fired: tuple[Expected, ...] = ()
    problem: str | None = None


def run_trend_examples(source: RuleSource, out: TextIO, ruleset: RuleSet | None = None) -> tuple[int, int]:
    """Every trend rule's examples; prints a FAIL line for each that did not fire as it says. Small
    histories need only the loaded rules; a history of articles needs them compiled (`ruleset`).
    Returns (examples run, failures)."""
    tags = {rule.id: rule.tags for rule in source.rules}
    total = failures = 0
    for rule in source.trends:
        for example in rule.trend_examples:
            total += 1
            outcome = replay_example(rule, example, ruleset, tags)
            if outcome.problem is not None:
                failures += 1
                out.write(f"FAIL {outcome.problem}\n")
            elif outcome.fired != example.fires:
                failures += 1
                out.write(f"FAIL {example.location}: {rule.id} should fire {_told(example.fires)}, "
                          f"but fired {_told(outcome.fired)}\n")
    return total, failures


def replay_example(rule: Rule, example: TrendExample, ruleset: RuleSet | None,
                   tags: Mapping[str, Sequence[str]]) -> Outcome:
    """The firings of `rule` over the example's history, in the order they came."""
    if example.history is not None:
        return _replay_articles(rule, example, ruleset)
    for step in example.steps:
        unknown = [rule_id for rule_id in step.rule_ids if rule_id not in tags]
        if unknown:
            where = f"{example.file}:{step.line}" if step.line else example.location
            return Outcome(problem=f"{where}: {rule.id}: the example's step names unknown rule {unknown[0]!r}")
    if rule.trend is None:
        return Outcome()
    evaluator = TrendEvaluator({rule.id: rule.trend})
    firings: list[TrendFiring] = []
    for number, step in enumerate(example.steps, 1):
        firings.extend(evaluator.tick(step.at))
        evaluator.observe_article(step.source, step.at)
        if step.rule_ids:
            step_tags = sorted({tag for rule_id in step.rule_ids for tag in tags[rule_id]})
            firings.extend(evaluator.observe_incident(step_incident(step, number, step_tags)))
    if example.until is not None:
        firings.extend(evaluator.tick(example.until))
    return Outcome(tuple(Expected(firing.at, firing.region) for firing in firings))


def _replay_articles(rule: Rule, example: TrendExample, ruleset: RuleSet | None) -> Outcome:
    from bot.backtest.audience import Audience
    from bot.backtest.inputs import from_jsonl
    from bot.backtest.replay import replay

    path = example.history
    if path is None or not path.is_file():
        return Outcome(problem=f"{example.location}: {rule.id}: history file {str(path)!r} not found "
                               "(a path relative to the rule's file)")
    if ruleset is None:
        return Outcome(problem=f"{example.location}: {rule.id}: a history of articles needs the compiled rules")
    result = replay(from_jsonl(path), ruleset, "rules", Audience.everyone())
    if result.problems:
        return Outcome(problem=f"{example.location}: {rule.id}: in its history, {result.problems[0]}")
    return Outcome(tuple(Expected(d.published or d.at, _fired_where(d, rule.id)) for d in result.decisions
                         if d.rule_id == rule.id and d.action == BacktestAction.NEW))


def _fired_where(decision: Decision, rule_id: str) -> str:
    """The region of a trend alert, or for a source flatline (which has none) the source, named in its
    article's key: `guid:beacon-trends:trend:RULE:SOURCE:TIME:...` (bot/trends/alerts.py, TrendFiring.key)."""
    if decision.region != NO_REGION:
        return decision.region
    prefix = f"guid:{TREND_SOURCE}:trend:{rule_id}:"
    if decision.article_key.startswith(prefix):
        return decision.article_key[len(prefix):].split(":", 1)[0]   # source names hold no ':'
    return decision.region


def _told(fires: Sequence[Expected]) -> str:
    if not fires:
        return "nothing"
    return "; ".join(str(fire) for fire in fires)
