"""`beacon events` lists trend alerts after the incidents: the rule, the region, the window and the incidents
each counted (in a sequence, which came first), read back from a real SQLite state file."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Config
from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.models import Alert, Article, Match, Severity
from bot.store import Store
from bot.store.trends import TrendStore
from bot.trends.alerts import TREND_SOURCE
from bot.trends.live import LiveTrends

RULES = """
- id: clash
  title: Clash
  when: {terms: [clash]}
- id: buildup
  title: Build-up
  when: {terms: [build-up]}
- id: surge
  title: Clashes piling up
  severity: high
  trend: {count: {of: clash, at_least: 2, within: 12h}}
- id: buildup-then-clash
  title: A build-up, then a clash
  severity: critical
  trend: {sequence: {first: buildup, then: clash, within: 7d}}
- id: wire-silent
  title: A wire fell silent
  severity: low
  trend: {flatline: {sources: [wire], within: 6h}}
"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return compile_rules(load_rules_text(RULES, "rules/x.yaml"))


def report(rule: str, number: int, at: datetime, country: str) -> Alert:
    article = Article("wire", f"Report {number} from {country}", "Text.", guid=f"r{number}", published=at)
    match = Match(rule, rule.title(), Severity.MEDIUM, regions=(f"Town {number}", country),
                  key=f"rule={rule}|region={country}")
    return Alert(article, match, at)


def events(config: Path, *args: str) -> str:
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        assert main(["--log-level", "WARNING", "-c", str(config), "events", "--since", "3650d", *args]) == 0
    finally:
        sys.stdout = stdout
    return out.getvalue()


@pytest.fixture
def config(write_config: Callable[..., Config], ruleset: RuleSet, tmp_path: Path) -> Path:
    """A state file holding the trend alerts of a few polls: a surge and a sequence in Mali, a silent wire."""
    config = write_config()
    store = Store(config.store_location)
    try:
        trends = LiveTrends(ruleset, TrendStore(store.database))
        start = datetime.now(UTC) - timedelta(days=2)
        polls = [report("buildup", 1, start, "Mali"), report("clash", 2, start + timedelta(hours=5), "Mali"),
                 report("clash", 3, start + timedelta(hours=7), "Mali")]
        for alert in polls:
            fired = trends.decide(ruleset, "wire", [alert], 1, alert.created_at)
            with trends.commit(store.transaction, alert.created_at):
                for trend_alert in fired:
                    store.outbox.queue(trend_alert, lambda _alert: [])
        later = start + timedelta(hours=20)
        silent = trends.tick(ruleset, later)
        with trends.commit(store.transaction, later):
            for trend_alert in silent:
                store.outbox.queue(trend_alert, lambda _alert: [])
    finally:
        store.close()
    return tmp_path / "beacon.yaml"


def test_json_lists_each_trend_alert_with_the_incidents_it_counted(config: Path) -> None:
    lines = [json.loads(line) for line in events(config, "--format", "json").splitlines()]
    trends = [line for line in lines if line.get("kind") == "trend_alert"]
    assert [(t["rule"], t["region"], t["window"]) for t in trends] == [
        ("wire-silent", "wire", "6h"), ("surge", "Mali", "12h"), ("buildup-then-clash", "Mali", "7d")]
    silent, surge, sequence = trends
    assert [(i["headline"], i["source"], i["step"]) for i in surge["incidents"]] == [
        ("Report 2 from Mali", "wire", None), ("Report 3 from Mali", "wire", None)]
    assert surge["headline"] == "2 incidents in Mali within 12h" and surge["severity"] == "high"
    assert surge["at"] == surge["incidents"][1]["at"]
    assert [(i["id"], i["step"]) for i in sequence["incidents"]] == [
        ("alert:buildup:" + report("buildup", 1, datetime.now(UTC), "Mali").article.key, "first"),
        ("alert:clash:" + report("clash", 2, datetime.now(UTC), "Mali").article.key, "then")]
    assert silent["incidents"] == [] and silent["silent_since"] == surge["at"]
    assert silent["headline"] == "No reports from wire for 6h"


def test_the_table_lists_them_after_the_incidents(config: Path) -> None:
    text = events(config)
    head, _, trends = text.partition("trend alerts (3)\n")
    assert head.startswith("no events in this period\n")
    lines = trends.splitlines()
    assert lines[0].split() == ["time", "rule", "severity", "region", "window", "headline"]
    assert lines[1].split()[2:7] == ["wire-silent", "low", "wire", "6h", "No"]
    assert lines[2].strip().startswith("silent since ")
    assert lines[3].split()[2:7] == ["surge", "high", "Mali", "12h", "2"]
    assert lines[4].endswith("wire: Report 2 from Mali") and lines[5].endswith("wire: Report 3 from Mali")
    assert lines[7].strip().startswith("first: ") and lines[7].endswith("wire: Report 1 from Mali")
    assert lines[8].strip().startswith("then: ") and lines[8].endswith("wire: Report 2 from Mali")


def test_an_old_trend_alert_is_left_out(config: Path) -> None:
    assert "trend_alert" not in events(config, "--format", "json", "--since", "1h")


@pytest.mark.backends()
def test_the_store_reads_back_new_trend_alerts_only(store: Store, ruleset: RuleSet) -> None:
    """On SQLite and PostgreSQL alike: the trend alerts since a time, newest first; not other alerts."""
    trends = LiveTrends(ruleset, TrendStore(store.database))
    start = datetime(2026, 3, 2, 6, tzinfo=UTC)
    clashes = [report("clash", n, start + timedelta(hours=n), "Kosovo") for n in (1, 2, 3, 4)]
    for alert in clashes:
        fired = trends.decide(ruleset, "wire", [alert], 1, alert.created_at)
        with trends.commit(store.transaction, alert.created_at):
            for decided in [alert, *fired]:
                store.outbox.queue(decided, lambda _alert: [])
    found = store.alerts.sent_from_source(TREND_SOURCE, start)
    assert [(a.rule_id, a.created_at) for a in found] == [("surge", start + timedelta(hours=2))]
    assert store.alerts.sent_from_source(TREND_SOURCE, start + timedelta(hours=3)) == []
    assert len(store.alerts.sent_from_source("wire", start)) == 4
