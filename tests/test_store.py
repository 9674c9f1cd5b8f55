"""The state database: one atomic commit per poll, claims, recovery, chat moves."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Alert, Article, Match, Severity, Target
from bot.store import Store
from bot.store.migrations import available
from tests.routes import subscribers

pytestmark = pytest.mark.backends()   # each test of a store runs on SQLite and on PostgreSQL

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)


def article(guid: str, title: str = "t", url: str | None = None) -> Article:
    return Article("wire", title, "body " + title, url=url, guid=guid)


def alert_for(a: Article, rule: str = "fatal-clash") -> Alert:
    return Alert(a, Match(rule, "Fatal", Severity.HIGH, facts={"killed": 4}), NOW)


def test_seen_by_guid_url_or_content(store: Store) -> None:
    a = article("g1", "Shoot-out in Banjska", url="https://news.example/a")
    store.commit_articles("wire", [a], [], lambda _: [], NOW)
    assert store.articles.is_seen(a)
    same_content = article("g2", "Shoot-out in Banjska", url="https://news.example/other")
    assert store.articles.is_seen(same_content)
    assert store.articles.is_seen(article("g3", "new title", url="https://news.example/a"))  # same URL
    assert not store.articles.is_seen(article("g4", "Different story", url="https://news.example/b"))


def test_unseen_drops_repeats_within_one_batch(store: Store) -> None:
    a, b = article("g1", "one"), article("g1", "one")
    assert store.articles.unseen([a, b]) == [a]


def test_commit_is_atomic_with_outbox_rows(store: Store) -> None:
    a = article("g1", "x")
    targets = [Target("telegram", 1), Target("telegram", -100, 7)]

    def broken_route(_alert: Alert) -> list[Target]:
        raise RuntimeError("crash between seen and outbox")

    with pytest.raises(RuntimeError):
        store.commit_articles("wire", [a], [alert_for(a)], broken_route, NOW)
    assert not store.articles.is_seen(a)  # nothing half-written
    assert store.outbox.rows() == []
    store.commit_articles("wire", [a], [alert_for(a)], lambda _: targets, NOW)
    assert store.articles.is_seen(a)
    rows = store.outbox.rows()
    assert [(r.chat_id, r.thread_id, r.status) for r in rows] == [(1, 0, "pending"), (-100, 7, "pending")]


def test_due_deliveries_keep_per_chat_order_and_roundtrip_alerts(store: Store) -> None:
    a1, a2 = article("g1", "first"), article("g2", "second")
    store.commit_articles("wire", [a1, a2], [alert_for(a1), alert_for(a2)],
                          lambda _: [Target("telegram", 5), Target("telegram", 6)], NOW)
    due = store.outbox.due(NOW)
    assert [(d.target.chat_id, d.alert.article.title) for d in due] == [(5, "first"), (6, "first")]
    assert due[0].alert.match.facts == {"killed": 4}
    assert store.outbox.claim(due[0].id) and not store.outbox.claim(due[0].id)
    # chat 5's head is in flight: its second alert must wait; chat 6 is unaffected
    assert [(d.target.chat_id, d.alert.article.title) for d in store.outbox.due(NOW)] == [(6, "first")]
    store.outbox.mark_sent(due[0].id, NOW, 11)
    assert {(d.target.chat_id, d.alert.article.title) for d in store.outbox.due(NOW)} == {
        (5, "second"), (6, "first")}


def test_interrupted_send_is_recovered_as_possible_repeat(tmp_path) -> None:
    path = tmp_path / "b.sqlite3"
    first = Store(path)
    a = article("g1")
    first.commit_articles("wire", [a], [alert_for(a)], lambda _: [Target("telegram", 5)], NOW)
    [d] = first.outbox.due(NOW)
    first.outbox.claim(d.id)
    first.db.close()  # a crash right after the claim
    second = Store(path)
    assert second.outbox.recover_interrupted() == 1
    [again] = second.outbox.due(NOW)
    assert again.possible_repeat and again.attempts == 1
    assert second.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    second.close()


def test_retry_later_and_dead(store: Store) -> None:
    a = article("g1")
    store.commit_articles("wire", [a], [alert_for(a)], lambda _: [Target("telegram", 5)], NOW)
    [d] = store.outbox.due(NOW)
    store.outbox.claim(d.id)
    store.outbox.mark_retry(d.id, "transient", NOW + timedelta(seconds=30))
    assert store.outbox.due(NOW) == []
    assert len(store.outbox.due(NOW + timedelta(seconds=31))) == 1
    store.outbox.mark_dead(d.id, "rejected")
    assert store.outbox.counts() == {"dead": 1}


def test_subscriptions_and_routing(store: Store) -> None:
    assert store.chats.subscribe(1, "fatal-clash", NOW)
    assert not store.chats.subscribe(1, "fatal-clash", NOW)
    store.chats.subscribe(2, "all", NOW)
    store.chats.subscribe(-100, "troop-buildup", NOW, thread_id=9)
    assert subscribers(store, "fatal-clash") == [Target("telegram", 1), Target("telegram", 2)]
    assert subscribers(store, "troop-buildup") == [Target("telegram", -100, 9), Target("telegram", 2)]
    assert store.chats.unsubscribe(1, "fatal-clash")
    assert not store.chats.unsubscribe(1, "fatal-clash")
    assert subscribers(store, "fatal-clash") == [Target("telegram", 2)]


def test_chat_gone_pauses_subscriptions_and_parks_rows(store: Store) -> None:
    store.chats.subscribe(7, "all", NOW)
    a = article("g1")
    store.commit_articles("wire", [a], [alert_for(a)], lambda al: subscribers(store, al.rule_id), NOW)
    assert store.chats.mark_gone(7, "Forbidden: bot was blocked by the user", NOW) == 1
    assert subscribers(store, "fatal-clash") == []
    assert store.outbox.counts() == {"dead": 1}
    store.chats.subscribe(7, "all", NOW)  # the user comes back
    assert subscribers(store, "fatal-clash") == [Target("telegram", 7)]


def test_move_chat_rewrites_subscriptions_and_pending_rows(store: Store) -> None:
    store.chats.subscribe(-5, "all", NOW)
    a = article("g1")
    store.commit_articles("wire", [a], [alert_for(a)], lambda al: subscribers(store, al.rule_id), NOW)
    store.chats.move(-5, -1005, NOW)
    assert subscribers(store, "x") == [Target("telegram", -1005)]
    assert [d.target.chat_id for d in store.outbox.due(NOW)] == [-1005]


def test_source_state_roundtrip(store: Store) -> None:
    from bot.models import Validators

    store.sources.record_success("wire", Validators('"e"', "Mon"), NOW)
    assert store.sources.state("wire").validators == Validators('"e"', "Mon")
    assert store.sources.record_failure("wire", "HTTP 500", NOW, NOW + timedelta(minutes=5)) == 1
    assert store.sources.record_failure("wire", "HTTP 500", NOW, NOW + timedelta(minutes=10)) == 2
    state = store.sources.state("wire")
    assert state.failures == 2 and state.last_error == "HTTP 500"
    assert state.validators == Validators('"e"', "Mon")  # a failure keeps the validators


@pytest.mark.backends("sqlite")   # WAL and the file checks are SQLite's
def test_database_is_wal_and_checked(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw = sqlite3.connect(store.path)
    latest = len(available("sqlite"))
    assert raw.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(latest)
    assert raw.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == latest
    raw.close()


def test_upgrade_from_the_first_schema_keeps_data(tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    for statement in available("sqlite")[0].statements:   # the version-1 tables, as the first release created them
        old.execute(statement)
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute("INSERT INTO seen VALUES ('url:https://news.example/g1', 'wire', 1.0)")
    old.execute("INSERT INTO subscriptions VALUES (5, 0, 'all', 1, 1.0)")
    old.commit()
    old.close()
    store = Store(path)
    assert store.articles.is_seen(article("other-guid", "another title", url="https://news.example/g1"))
    assert subscribers(store, "x") == [Target("telegram", 5)]
    store.sources.disable("wire", "HTTP 410 gone", NOW)   # a column added by a later version
    assert store.sources.state("wire").disabled == "HTTP 410 gone"
    store.close()


def test_history_is_pruned_but_nothing_still_waiting(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.events import decide_alerts
    from bot.ingest import BatchEvents
    from bot.models import Alert, Article, Match, Severity, Target

    old = datetime(2024, 1, 1, tzinfo=UTC)
    done, waiting = Article("wire", "Done story", guid="d"), Article("wire", "Waiting story", guid="w")
    match = Match("r", "Rule", Severity.HIGH, key="rule=r|region=X")
    for article in (done, waiting):
        alerts = decide_alerts(article, [match], old, book=BatchEvents(store)) if article is done else \
            [Alert(article, match, old)]
        store.commit_articles("wire", [article], alerts, lambda _a: [Target("telegram", 1)], old)
    sent, pending = store.outbox.rows()
    store.outbox.claim(sent.id)
    store.outbox.mark_sent(sent.id, old, 7)
    store.escalations.acknowledge(sent.alert_id, 1, "@duty", old)
    assert len(store.events.recent(old - timedelta(days=1))) == 1
    assert store.articles.prune_history(old + timedelta(days=91)) == 1
    assert [a.id for a in store.alerts.recent()] == [pending.alert_id]      # still waiting: kept
    assert [d.id for d in store.outbox.rows()] == [pending.id]
    assert store.escalations.acknowledgement(sent.alert_id, 1) is None
    assert store.events.recent(old - timedelta(days=1)) == []
    assert store.articles.prune_history(old + timedelta(days=91)) == 0


def test_open_events_reuses_decoded_events_until_they_change(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.events import decide_alerts
    from bot.ingest import BatchEvents
    from bot.models import Article, Match, Severity, Target

    t = datetime(2024, 5, 1, tzinfo=UTC)
    match = Match("r", "Rule", Severity.HIGH, regions=("Kosovo",), facts={"killed": 1}, key="rule=r|region=Kosovo")
    first = Article("a", "Police officer killed near Banjska", "Gunmen killed an officer near Banjska monastery.")
    store.commit_articles("a", [first], decide_alerts(first, [match], t, book=BatchEvents(store)),
                          lambda _a: [Target("telegram", 1)], t)
    cache: dict = {}
    [event] = store.events.open_events("r", t - timedelta(hours=1), cache)
    assert store.events.open_events("r", t - timedelta(hours=1), cache)[0] is event      # not decoded again
    later = Article("b", "Banjska toll rises to four", "Three gunmen were also killed near Banjska monastery.")
    worse = Match("r", "Rule", Severity.HIGH, regions=("Kosovo",), facts={"killed": 4}, key="rule=r|region=Kosovo")
    store.commit_articles("b", [later], decide_alerts(later, [worse], t + timedelta(hours=1),
                                                       book=BatchEvents(store, cache)),
                          lambda _a: [Target("telegram", 1)], t + timedelta(hours=1))
    [updated] = store.events.open_events("r", t - timedelta(hours=1), cache)
    assert updated is not event and updated.facts["killed"] == 4 and updated.reports == 2
