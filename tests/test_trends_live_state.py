"""`beacon run`'s trend stage over a real SQLite file: the state rides in the poll's transaction, survives a
restart, is taken back when the commit fails, and a damaged state starts the trends afresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.models import Alert, Article, Match, Severity
from bot.store import Store
from bot.store.trends import TrendStore
from bot.trends.live import LiveTrends

T0 = datetime(2026, 3, 2, 6, tzinfo=UTC)
RULES = """
- id: clash
  title: Clash
  when: {terms: [clash]}
- id: surge
  title: Clashes piling up
  severity: high
  trend: {count: {of: clash, at_least: 3, within: 24h}}
"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return compile_rules(load_rules_text(RULES, "rules/x.yaml"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "beacon.sqlite3")
    yield opened
    opened.close()


def clash(number: int, hours: float, country: str = "Nigeria") -> Alert:
    at = T0 + timedelta(hours=hours)
    article = Article("wire", f"Clash number {number}", "A clash.", guid=f"c{number}", published=at)
    match = Match("clash", "Clash", Severity.MEDIUM, regions=(f"Town {number}", country),
                  key=f"rule=clash|region={country}")
    return Alert(article, match, at)


def poll(trends: LiveTrends, ruleset: RuleSet, store: Store, *alerts: Alert) -> list[Alert]:
    """One poll of one article per alert, committed as ingest commits it."""
    now = alerts[-1].created_at
    fired = trends.decide(ruleset, "wire", alerts, len(alerts), now)
    with trends.commit(store.transaction, now):
        for alert in fired:
            store.outbox.queue(alert, lambda _alert: [])
    return fired


def test_the_state_survives_a_restart_and_the_window_fires_once(ruleset: RuleSet, store: Store) -> None:
    first = LiveTrends(ruleset, TrendStore(store.database))
    assert poll(first, ruleset, store, clash(1, 0)) == []
    assert poll(first, ruleset, store, clash(2, 5)) == []
    saved = TrendStore(store.database).load()
    assert saved is not None
    entries = saved["rules"]["surge"]["regions"]["Nigeria"]["entries"]
    assert [(e[0], e[2]) for e in entries] == [((T0 + timedelta(hours=h)).timestamp(), f"Clash number {n}")
                                               for n, h in ((1, 0), (2, 5))]
    restarted = LiveTrends(ruleset, TrendStore(store.database))
    [alert] = poll(restarted, ruleset, store, clash(3, 9))
    assert (alert.rule_id, alert.article.title, alert.match.severity) == (
        "surge", "3 incidents in Nigeria within 1d", Severity.HIGH)
    again = LiveTrends(ruleset, TrendStore(store.database))
    assert poll(again, ruleset, store, clash(4, 10)) == []     # the same window: told once
    assert [r.rule_id for r in store.alerts.recent()] == ["surge"]


def test_a_failed_commit_takes_back_what_the_poll_taught(ruleset: RuleSet, store: Store) -> None:
    trends = LiveTrends(ruleset, TrendStore(store.database))
    poll(trends, ruleset, store, clash(1, 0), clash(2, 1))
    trends.decide(ruleset, "wire", [clash(3, 2)], 1, T0 + timedelta(hours=2))
    with pytest.raises(RuntimeError), trends.commit(store.transaction, T0 + timedelta(hours=2)):
        raise RuntimeError("the database refused the poll")
    # the third clash was not committed: the poll brings it again, and then it fires
    assert len(poll(trends, ruleset, store, clash(3, 2))) == 1


def test_a_damaged_state_starts_the_trends_afresh(ruleset: RuleSet, store: Store,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    TrendStore(store.database).save({"version": 1, "rules": {"surge": {"trend": "x", "regions": 3}}}, T0)
    store.db.execute("UPDATE trend_state SET state = '{\"version\": 99}'")
    trends = LiveTrends(ruleset, TrendStore(store.database))
    assert "could not be read" in caplog.text
    assert poll(trends, ruleset, store, clash(1, 0), clash(2, 1), clash(3, 2))[0].rule_id == "surge"
    store.db.execute("UPDATE trend_state SET state = 'not json'")
    assert TrendStore(store.database).load() is None


def test_without_trend_rules_nothing_is_read_or_saved(store: Store) -> None:
    plain = compile_rules(load_rules_text("id: clash\ntitle: Clash\nwhen: {terms: [clash]}\n", "rules/y.yaml"))
    trends = LiveTrends(plain, TrendStore(store.database))
    assert not trends.active
    assert poll(trends, plain, store, clash(1, 0)) == []
    assert TrendStore(store.database).load() is None


def test_a_poll_that_brings_nothing_a_trend_keeps_writes_nothing(ruleset: RuleSet, store: Store) -> None:
    trends = LiveTrends(ruleset, TrendStore(store.database))
    poll(trends, ruleset, store, clash(1, 0))
    saved_at = store.db.execute("SELECT saved_at FROM trend_state").fetchone()[0]
    other = Alert(Article("wire", "Ceasefire talks", guid="x"), Match("talks", "Talks", Severity.LOW,
                                                                       regions=("Nigeria",)), T0 + timedelta(hours=1))
    poll(trends, ruleset, store, other)
    assert store.db.execute("SELECT saved_at FROM trend_state").fetchone()[0] == saved_at
