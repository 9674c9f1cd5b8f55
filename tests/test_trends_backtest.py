"""The shipped trend and sequence examples over replayed histories: `beacon backtest` shows their alerts
exactly when the pattern happened, and not when the clashes are in different countries, outside the
window or in the wrong order. A flatline over a source fires once per silence."""

from __future__ import annotations

import io
import json
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from bot.backtest.audience import Audience
from bot.backtest.inputs import from_jsonl
from bot.backtest.replay import replay
from bot.cli import main
from bot.config import REPO_ROOT
from bot.engine import RuleSet, compile_rules, load_rules
from bot.enums import BacktestAction
from tests.trend_history import START, WIRE_SILENT, History

EXAMPLES = REPO_ROOT / "examples" / "trends"
KOSOVO_QUIET = """
id: kosovo-quiet
title: No clash reported in Kosovo for two days
severity: info
trend: {flatline: {regions: [kosovo], of: [fatal-clash, kosovo-fatal-clash], within: 2d}}
"""
BUILDUPS_RISING = """
id: buildups-rising
title: Build-ups rising in one country
severity: medium
trend: {spike: {of: troop-buildup, within: 24h, against: 2, factor: 2, at_least: 3}}
"""


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rules, the two trend examples beside them, and a flatline over one source."""
    folder = tmp_path_factory.mktemp("rules")
    for path in [*(REPO_ROOT / "rules").glob("*.yaml"), *EXAMPLES.glob("*.yaml")]:
        shutil.copy(path, folder / path.name)
    (folder / "wire-silent.yaml").write_text(WIRE_SILENT, encoding="utf-8")
    (folder / "buildups-rising.yaml").write_text(BUILDUPS_RISING, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ruleset(rules_dir: Path) -> RuleSet:
    return compile_rules(load_rules(rules_dir))


def trend_alerts(history: History, ruleset: RuleSet, folder: Path) -> list[tuple[str, str, float]]:
    """(trend rule, region, hours after START) of every trend alert a replay of the history would send."""
    result = replay(from_jsonl(history.write(folder / "history.jsonl")), ruleset, "rules", Audience.everyone())
    trends = {rule.id for rule in ruleset.source.trends}
    return [(d.rule_id, d.region, (d.at - START) / timedelta(hours=1)) for d in result.decisions
            if d.rule_id in trends and d.action == BacktestAction.NEW]


def clashes(history: History, hours: list[float], country: str) -> History:
    for hour in hours:
        history.clash(hour, country)
    return history


def test_three_fatal_clashes_in_one_country_within_a_day_fire_once(ruleset: RuleSet, tmp_path: Path) -> None:
    history = clashes(History.new().calm(0), [2, 9, 20, 22, 23], "Nigeria")
    assert trend_alerts(history, ruleset, tmp_path) == [("fatal-clash-surge", "Nigeria", 20.0)]


def test_clashes_spread_over_countries_or_days_do_not(ruleset: RuleSet, tmp_path: Path) -> None:
    spread = History.new().calm(0).clash(2, "Nigeria").clash(3, "Mali").clash(4, "Kosovo").clash(5, "Mali")
    assert trend_alerts(spread, ruleset, tmp_path) == []
    slow = clashes(History.new().calm(0), [2, 26, 50, 74], "Nigeria")
    for hour in range(6, 80, 8):
        slow.calm(hour)   # the wire stays alive: no flatline either
    assert trend_alerts(slow, ruleset, tmp_path) == []


def test_a_build_up_then_a_clash_in_the_same_country_within_a_week(ruleset: RuleSet, tmp_path: Path) -> None:
    history = History.new().calm(0).buildup(1, "Mali")
    for hour in range(8, 110, 8):
        history.calm(hour)
    history.clash(100, "Mali")
    assert trend_alerts(history, ruleset, tmp_path) == [("buildup-then-clash", "Mali", 100.0)]


@pytest.mark.parametrize(("build_up", "clash", "why"), [
    ((30, "Mali"), (2, "Mali"), "the clash came first"),
    ((1, "Nigeria"), (20, "Mali"), "another country"),
    ((1, "Mali"), (8 * 24 + 2, "Mali"), "more than seven days later"),
])
def test_no_sequence_in_the_wrong_order_elsewhere_or_too_late(ruleset: RuleSet, tmp_path: Path,
                                                             build_up: tuple[float, str], clash: tuple[float, str],
                                                             why: str) -> None:
    history = History.new().calm(0).buildup(*build_up).clash(*clash)
    for hour in range(6, 8 * 24 + 8, 6):
        history.calm(hour)
    assert [a for a in trend_alerts(history, ruleset, tmp_path) if a[0] == "buildup-then-clash"] == [], why


@pytest.mark.parametrize(("hours", "spike"), [
    ([3, 27, 75, 78, 81], [("buildups-rising", "Nigeria", 81.0)]),   # one a day, then three in a day
    ([3, 27, 75, 81], []),                                           # two in a day: below the minimum
    ([3, 27, 51, 75], []),                                           # one a day: the usual rate
])
def test_build_ups_rising_against_the_countrys_usual_rate(ruleset: RuleSet, tmp_path: Path, hours: list[float],
                                                          spike: list[tuple[str, str, float]]) -> None:
    history = History.new().calm(0)
    for hour in hours:
        history.deployment(hour, "Nigeria")
    for hour in range(6, 90, 8):
        history.calm(hour)
    assert [a for a in trend_alerts(history, ruleset, tmp_path) if a[0] == "buildups-rising"] == spike


def test_a_silent_source_fires_once_and_recovery_rearms_it(ruleset: RuleSet, tmp_path: Path) -> None:
    history = History.new().calm(0).calm(5)
    history.calm(20, source="balkan-wire").calm(30, source="balkan-wire")   # another outlet ticks the clock
    history.calm(31)                                                       # back after 26 hours
    history.calm(40, source="balkan-wire").calm(44, source="balkan-wire")   # silent again from 31
    assert trend_alerts(history, ruleset, tmp_path) == [("wire-silent", "(no region)", 20.0),
                                                       ("wire-silent", "(no region)", 44.0)]


def test_the_backtest_command_reports_trend_alerts(rules_dir: Path, tmp_path: Path) -> None:
    history = clashes(History.new().calm(0).buildup(1, "Nigeria"), [2, 9, 20], "Nigeria")
    path = history.write(tmp_path / "history.jsonl")
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        status = main(["--log-level", "WARNING", "backtest", "--articles", str(path), "--rules", str(rules_dir),
                       "--format", "json"])
    finally:
        sys.stdout = stdout
    assert status == 0
    backtest = json.loads(out.getvalue())["backtest"]
    assert backtest["per_rule"]["fatal-clash-surge"]["alerts"] == 1
    assert backtest["per_rule"]["buildup-then-clash"]["alerts"] == 1
    [surge] = [d for d in backtest["decisions"] if d["rule"] == "fatal-clash-surge"]
    assert surge["title"] == "3 incidents in Nigeria within 1d"
    assert surge["region"] == "Nigeria"


def test_the_tutorials_history_fires_as_docs_rules_md_tells(ruleset: RuleSet) -> None:
    result = replay(from_jsonl(EXAMPLES / "history.jsonl"), ruleset, "rules", Audience.everyone())
    trends = [(d.rule_id, d.region, d.at.isoformat(), d.title) for d in result.decisions
              if d.rule_id in ("fatal-clash-surge", "buildup-then-clash")]
    assert trends == [
        ("fatal-clash-surge", "Nigeria", "2026-03-04T10:00:00+00:00", "3 incidents in Nigeria within 1d"),
        ("buildup-then-clash", "Mali", "2026-03-05T18:00:00+00:00",
         'In Mali, 3d2h after "Army masses troops and armour near the Mali border": Bandits storm mining camp in '
         "Gao, killing six"),
    ]
    assert result.articles == 30 and sum(c.alerts for c in result.per_rule().values()) == 11


def test_a_region_without_incidents_for_the_window_fires_once(rules_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    for path in rules_dir.glob("*.yaml"):
        shutil.copy(path, tmp_path / "rules" / path.name)
    (tmp_path / "rules" / "kosovo-quiet.yaml").write_text(KOSOVO_QUIET, encoding="utf-8")
    ruleset = compile_rules(load_rules(tmp_path / "rules"))
    history = History.new().calm(0).clash(2, "Kosovo").clash(30, "Nigeria")
    for hour in range(4, 130, 8):
        history.calm(hour)
    history.clash(100, "Kosovo")    # back after 98 hours: the next silence would end at 148
    assert [a for a in trend_alerts(history, ruleset, tmp_path) if a[0] == "kosovo-quiet"] == [
        ("kosovo-quiet", "Kosovo", 52.0)]
