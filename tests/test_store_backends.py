"""What differs between the backends stays invisible: the same schema, the same values back, the same errors.

Each test with `store` runs on SQLite and on PostgreSQL (the `backends` marker); the rest compare
the two or check the PostgreSQL side's own pieces (placeholders, faults, migrations).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from bot.database_location import DatabaseLocation
from bot.enums import OutboxStatus
from bot.errors import StoreError
from bot.feedback import Judge
from bot.models import Alert, Article, Match, Severity, Target
from bot.store import Store, migrations
from bot.store.chats import ChatStore
from bot.store.postgres import PostgresDatabase, PostgresDialect
from bot.store.trends import TrendStore
from tests.pg_server import started_server

pytestmark = pytest.mark.backends()

NOW = datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)   # a quarter second: times keep their fraction
SUPERGROUP = -1001234567890                                 # does not fit in 4 bytes
SECRET = "pw-that-must-not-show"


def _alert(guid: str, rule: str = "fatal-clash") -> tuple[Article, Alert]:
    article = Article("wire", f"Clash report {guid}", "Two killed near the border.", guid=guid)
    return article, Alert(article, Match(rule, "Fatal clash", Severity.HIGH, facts={"killed": 2}), NOW)


def _sent_to(store: Store, chat_id: int, guid: str = "g1") -> int:
    """An alert queued for one chat and delivered there; its id."""
    article, alert = _alert(guid)
    [alert_id] = store.commit_articles("wire", [article], [alert], lambda _: [Target("telegram", chat_id)], NOW)
    [delivery] = store.outbox.due(NOW)
    assert store.outbox.claim(delivery.id)
    store.outbox.mark_sent(delivery.id, NOW, message_id=2_000_000_001)
    return alert_id


def test_large_chat_ids_message_ids_and_fractional_times_come_back_unchanged(store: Store) -> None:
    store.chats.subscribe(SUPERGROUP, "all", NOW, thread_id=3_000_000_000)
    [subscription] = store.chats.subscriptions(SUPERGROUP)
    assert (subscription.chat_id, subscription.thread_id) == (SUPERGROUP, 3_000_000_000)
    _sent_to(store, SUPERGROUP)
    [row] = store.outbox.rows()
    assert (row.chat_id, row.message_id, row.sent_at, row.status) == (SUPERGROUP, 2_000_000_001, NOW,
                                                                      OutboxStatus.SENT)


def test_an_acknowledgement_keeps_who_pressed_it(store: Store) -> None:
    """`user` is CURRENT_USER on PostgreSQL: unquoted, it would read back the database role."""
    alert_id = _sent_to(store, 42)
    assert store.escalations.acknowledge(alert_id, 42, "@duty_lead", NOW) == ("@duty_lead", NOW)
    assert store.escalations.acknowledgement(alert_id, 42) == ("@duty_lead", NOW)


def test_judgements_are_listed_with_and_without_filters(store: Store) -> None:
    alert_id = _sent_to(store, 42)
    judged = store.feedback.judge(alert_id, Judge(42, 7, "@dana"), NOW)
    assert judged is not None and judged.rule_id == "fatal-clash"
    assert [j.alert_id for j in store.feedback.judgements()] == [alert_id]
    assert [j.alert_id for j in store.feedback.judgements(chat_id=42, rule_id="fatal-clash")] == [alert_id]
    assert store.feedback.judgements(chat_id=43) == []
    assert store.feedback.judgements(rule_id="other") == []


def test_trend_state_is_saved_and_read_back(store: Store) -> None:
    trends = TrendStore(store.database)
    trends.save({"version": 1, "rules": {"surge": {"counts": [1, 2, 3]}}}, NOW)
    trends.save({"version": 1, "rules": {"surge": {"counts": [4]}}}, NOW + timedelta(minutes=1))
    assert trends.load() == {"version": 1, "rules": {"surge": {"counts": [4]}}}


def test_ids_keep_counting_after_a_rollback(store: Store) -> None:
    first, _ = _alert("g1")
    store.commit_articles("wire", [first], [_alert("g1")[1]], lambda _: [Target("telegram", 1)], NOW)
    with pytest.raises(RuntimeError), store.transaction():
        store.commit_articles("wire", [_alert("g2")[0]], [_alert("g2")[1]], lambda _: [Target("telegram", 1)], NOW)
        raise RuntimeError("a crash before the commit")
    assert not store.articles.is_seen(_alert("g2")[0])     # nothing of the failed poll remains
    article, alert = _alert("g3")
    [alert_id] = store.commit_articles("wire", [article], [alert], lambda _: [Target("telegram", 1)], NOW)
    assert alert_id > 1 and [r.alert_id for r in store.outbox.rows()] == [1, alert_id]


@pytest.mark.backends("postgresql")
def test_the_match_threads_reader_shares_the_pool_and_sees_commits(store: Store) -> None:
    reader = store.reader()
    try:
        article, alert = _alert("g1")
        store.commit_articles("wire", [article], [alert], lambda _: [], NOW)
        assert reader.articles.is_seen(article)
    finally:
        reader.close()
    assert store.articles.is_seen(article)       # closing the reader leaves the store's pool open


def test_both_backends_migrate_to_the_same_tables_and_columns(tmp_path: Path, postgres_url: str) -> None:
    """PostgreSQL has its own migrations (one file for SQLite's first nine): after both, every table has
    the same columns in the same order, so `SELECT *` and `beacon db copy` read the same rows."""
    Store(tmp_path / "beacon.sqlite3").close()
    with sqlite3.connect(tmp_path / "beacon.sqlite3") as lite:
        tables = [r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                              "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        sqlite_columns = {t: [r[1] for r in lite.execute(f"PRAGMA table_info({t})")] for t in tables}
    Store(DatabaseLocation(postgres_url=postgres_url)).close()
    with psycopg.connect(postgres_url) as pg:
        pg_tables = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                              "ORDER BY tablename")]
        pg_columns = {t: [r[0] for r in pg.execute("SELECT column_name FROM information_schema.columns WHERE "
                                                   "table_schema = current_schema() AND table_name = %s "
                                                   "ORDER BY ordinal_position", (t,))] for t in pg_tables}
    assert pg_tables == tables
    assert pg_columns == sqlite_columns


def test_placeholders_are_rewritten_outside_quotes_and_comments_only() -> None:
    dialect = PostgresDialect()
    assert dialect.sql("SELECT a FROM t WHERE b = ? AND c LIKE 'x?%' -- why?\nAND d = \"e?\"") == \
        "SELECT a FROM t WHERE b = %s AND c LIKE 'x?%%' -- why?\nAND d = \"e?\""


def test_an_unreachable_server_is_a_store_error_without_the_password() -> None:
    closed_port = _free_port()
    url = f"postgresql://beacon:{SECRET}@127.0.0.1:{closed_port}/beacon"
    with pytest.raises(StoreError) as info:
        PostgresDatabase(url, connect_timeout=1.0)
    text = str(info.value)
    assert text.startswith(f"state database postgresql://beacon:***@127.0.0.1:{closed_port}/beacon: "
                           "cannot connect to PostgreSQL"), text
    assert SECRET not in text


def test_a_newer_schema_is_refused(postgres_url: str) -> None:
    Store(DatabaseLocation(postgres_url=postgres_url)).close()
    with psycopg.connect(postgres_url) as pg:
        pg.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
    with pytest.raises(StoreError, match=r"schema version 999 is newer than this Beacon"):
        Store(DatabaseLocation(postgres_url=postgres_url))
    assert migrations.available("postgresql")[-1].version < 999


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.backends("postgresql")
def test_connections_the_server_dropped_are_replaced(store: Store, pg_store_url: str) -> None:
    """A server restart or an administrator's pg_terminate_backend: the pool checks each connection before
    handing it out, so the next write goes through on a new one instead of failing."""
    store.chats.subscribe(77, "all", NOW)
    with psycopg.connect(pg_store_url, autocommit=True) as admin:
        dropped = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
    assert dropped is not None and dropped[0] >= 1
    store.chats.subscribe(78, "all", NOW)
    assert {s.chat_id for s in store.chats.subscriptions()} == {77, 78}


def test_a_server_that_went_away_is_a_store_error() -> None:
    """The server stops under a running store: each call fails, after the pool's wait for a connection, as
    a StoreError naming the database (what polls and deliveries already treat as "try again later"), never
    as a driver exception."""
    with started_server() as server:
        url = server.create_database()
        database = PostgresDatabase(url, connect_timeout=1.0)
        migrations.migrate(database)
        chats = ChatStore(database)
        chats.subscribe(77, "all", NOW)
    try:
        with pytest.raises(StoreError) as info:
            chats.subscribe(78, "all", NOW)
        assert str(info.value).startswith(f"state database {DatabaseLocation(postgres_url=url)}: PostgreSQL: ")
    finally:
        database.close()
