"""Versioned migrations: a fresh database, one written by the schema-v9 `_migrate` scheme, one newer
than this Beacon, and `beacon db migrate` / `beacon db status`."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.enums import EventStatus, OutboxStatus
from bot.errors import StoreError
from bot.models import Article, Target
from bot.store import Store
from bot.store.migrations import available

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

# The schema as the single-module store left it at version 9 (its `_SCHEMA` plus migration steps 2-9,
# applied in that order), written out here so the test does not depend on the migration files it checks.
V9_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE seen (key TEXT PRIMARY KEY, source TEXT NOT NULL, seen_at REAL NOT NULL);
CREATE INDEX seen_by_time ON seen (seen_at);
CREATE TABLE source_state (name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, last_poll REAL, last_success REAL,
    last_error TEXT, last_error_at REAL, failures INTEGER NOT NULL DEFAULT 0, items_seen INTEGER NOT NULL DEFAULT 0,
    next_poll REAL, disabled TEXT, failing_since REAL);
CREATE TABLE alerts (id INTEGER PRIMARY KEY, rule_id TEXT NOT NULL, article_key TEXT NOT NULL,
    created_at REAL NOT NULL, payload TEXT NOT NULL, key TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'queued', reason TEXT, event_id TEXT);
CREATE INDEX alerts_by_key ON alerts (rule_id, key, created_at);
CREATE TABLE outbox (id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL REFERENCES alerts (id),
    channel TEXT NOT NULL, chat_id INTEGER NOT NULL, thread_id INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt REAL NOT NULL DEFAULT 0,
    possible_repeat INTEGER NOT NULL DEFAULT 0, parts_sent INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    message_id INTEGER, sent_at REAL, action TEXT NOT NULL DEFAULT 'send', event_id TEXT, escalates INTEGER,
    UNIQUE (alert_id, channel, chat_id, thread_id));
CREATE INDEX outbox_queue ON outbox (status, channel, chat_id, id);
CREATE TABLE subscriptions (chat_id INTEGER NOT NULL, thread_id INTEGER NOT NULL DEFAULT 0, selector TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1, created_at REAL NOT NULL, regions TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (chat_id, thread_id, selector));
CREATE TABLE chats (chat_id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'active', reason TEXT,
    updated_at REAL NOT NULL);
CREATE TABLE mutes (chat_id INTEGER NOT NULL, selector TEXT NOT NULL, until REAL NOT NULL, created_by TEXT,
    created_at REAL NOT NULL, PRIMARY KEY (chat_id, selector));
CREATE TABLE acks (alert_id INTEGER NOT NULL, chat_id INTEGER NOT NULL, user TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (alert_id, chat_id));
CREATE TABLE story_members (article_key TEXT PRIMARY KEY, story_id TEXT NOT NULL, source TEXT NOT NULL,
    signature BLOB NOT NULL, seen_at REAL NOT NULL);
CREATE INDEX story_members_by_story ON story_members (story_id);
CREATE TABLE events (id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,
    severity TEXT NOT NULL, first_at REAL NOT NULL, last_at REAL NOT NULL, alert_id INTEGER, state TEXT NOT NULL);
CREATE INDEX events_by_rule ON events (rule_id, last_at);
CREATE TABLE chat_settings (chat_id INTEGER PRIMARY KEY, timezone TEXT, quiet TEXT, digest TEXT, silent_below TEXT,
    max_per_hour INTEGER);
CREATE TABLE escalations (alert_id INTEGER PRIMARY KEY REFERENCES alerts (id), step INTEGER NOT NULL DEFAULT 0,
    chats TEXT NOT NULL, started_at REAL NOT NULL, since REAL NOT NULL, done_at REAL, acknowledged_by TEXT);
CREATE INDEX escalations_open ON escalations (done_at, since);
CREATE INDEX outbox_escalates ON outbox (escalates) WHERE escalates IS NOT NULL;
CREATE INDEX events_by_status ON events (status);
CREATE INDEX alerts_by_event ON alerts (event_id);
CREATE INDEX alerts_by_article ON alerts (article_key);
CREATE INDEX alerts_by_time ON alerts (created_at);
CREATE TABLE event_lookup (event_id TEXT NOT NULL, lookup TEXT NOT NULL, PRIMARY KEY (lookup, event_id));
CREATE INDEX event_lookup_by_event ON event_lookup (event_id);
INSERT INTO meta VALUES ('schema_version', '9');
"""

PAYLOAD = ('{"kind": "alert", "update": null, "article": {"source": "wire", "title": "Clash near Zvecan", "text": "", '
           '"url": "https://news.example/zvecan", "guid": "z1", "published": null, "language": "en", "id": null}, '
           '"match": {"rule_id": "fatal-clash", "rule_title": "Fatal clash", "severity": "high", "tags": [], '
           '"regions": ["Kosovo"], "facts": {"killed": 1}, "evidence": [], "template": null, "key": "Kosovo"}}')
STATE = ('{"rule_title": "Fatal clash", "headline": {"title": "Clash near Zvecan"}, "facts": {"killed": 1}, '
         '"regions": ["Kosovo"], "sources": ["wire"], "reports": 1, "names": [], "words": [], "stories": [], '
         '"updates": [], "hold_until": null}')


def v9_database(path: Path) -> Path:
    """A state database as Beacon left it at schema v9, with a subscription, a seen article, an open
    incident whose alert waits in the outbox, a source's state and a mute."""
    t = NOW.timestamp()
    db = sqlite3.connect(path)
    db.executescript(V9_SCHEMA)
    db.execute("INSERT INTO seen VALUES ('url:https://news.example/zvecan', 'wire', ?)", (t,))
    db.execute("INSERT INTO subscriptions VALUES (5, 0, 'fatal-clash', 1, ?, 'kosovo')", (t,))
    db.execute("INSERT INTO chats VALUES (5, 'active', NULL, ?)", (t,))
    db.execute("INSERT INTO events VALUES ('ev-1', 'fatal-clash', 'Kosovo', 'open', 'high', ?, ?, 1, ?)", (t, t, STATE))
    db.execute("INSERT INTO event_lookup VALUES ('ev-1', 'rule:fatal-clash')")
    db.execute("INSERT INTO alerts VALUES (1, 'fatal-clash', 'guid:wire:z1', ?, ?, 'Kosovo', 'queued', NULL, 'ev-1')",
               (t, PAYLOAD))
    db.execute("INSERT INTO outbox (alert_id, channel, chat_id, status, next_attempt, event_id) "
               "VALUES (1, 'telegram', 5, 'pending', ?, 'ev-1')", (t,))
    db.execute("INSERT INTO source_state (name, etag, failures, items_seen) VALUES ('wire', '\"v1\"', 2, 40)")
    db.execute("INSERT INTO mutes VALUES (5, 'tag:sport', ?, '@ops', ?)", (t + 3600, t))
    db.commit()
    db.close()
    return path


def beacon(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def test_a_fresh_database_gets_every_migration_recorded(tmp_path: Path) -> None:
    store = Store(tmp_path / "beacon.sqlite3")
    recorded = [tuple(r) for r in store.db.execute("SELECT version, name FROM schema_migrations ORDER BY version")]
    store.close()
    assert recorded == [(m.version, m.name) for m in available("sqlite")]
    assert recorded[0] == (1, "initial") and len(recorded) >= 9


def test_a_v9_database_is_adopted_and_keeps_everything(tmp_path: Path) -> None:
    store = Store(v9_database(tmp_path / "beacon.sqlite3"))
    try:
        versions = [r[0] for r in store.db.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, len(available("sqlite")) + 1))
        assert store.articles.is_seen(Article("wire", "another title", url="https://news.example/zvecan"))
        [subscription] = store.chats.subscriptions()
        assert (subscription.chat_id, subscription.selector, subscription.regions) == (5, "fatal-clash", ("kosovo",))
        [delivery] = store.outbox.due(NOW)
        assert delivery.target == Target("telegram", 5) and delivery.alert.article.title == "Clash near Zvecan"
        event = store.events.get("ev-1")
        assert event is not None and event.status == EventStatus.OPEN and event.facts["killed"] == 1
        assert [e.id for e in store.events.open_events("fatal-clash", NOW)] == ["ev-1"]
        state = store.sources.state("wire")
        assert (state.validators.etag, state.failures, state.items_seen) == ('"v1"', 2, 40)
        assert [m.selector for m in store.chats.active_mutes(NOW, 5)] == ["tag:sport"]
        assert store.outbox.claim(delivery.id)      # and it still works: claimed, sent
        store.outbox.mark_sent(delivery.id, NOW, 77)
        assert [(r.status, r.message_id) for r in store.outbox.rows()] == [(OutboxStatus.SENT, 77)]
    finally:
        store.close()


def test_db_status_and_migrate_commands(tmp_path: Path) -> None:
    path = v9_database(tmp_path / "beacon.sqlite3")
    latest = len(available("sqlite"))
    code, out = beacon("db", "status", "--database", str(path))
    assert code == 0 and out.splitlines()[0] == f"{path}: schema version 9 of {latest}"
    code, out = beacon("db", "migrate", "--database", str(path))
    assert code == 0 and out.strip().endswith("up to date" if latest == 9 else f"9 -> {latest}")
    code, out = beacon("db", "status", "--database", str(path))
    assert out == f"{path}: schema version {latest} of {latest}\n"

    empty = tmp_path / "new.sqlite3"
    code, out = beacon("db", "migrate", "--database", str(empty))
    lines = out.splitlines()
    assert code == 0 and lines[0] == "applied 0001 initial" and lines[-1] == f"{empty}: schema version 0 -> {latest}"


def test_db_status_of_a_missing_file_says_so_and_creates_nothing(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite3"
    assert main(["db", "status", "--database", str(missing)]) == 1
    assert "no database here yet" in capsys.readouterr().err and not missing.exists()


def test_a_database_newer_than_this_beacon_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "beacon.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 0)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="schema version 999 is newer than this Beacon"):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == 999
    db.close()


def test_every_migration_file_splits_into_statements_sqlite_accepts() -> None:
    for migration in available("sqlite"):
        assert migration.statements, migration.name
        for statement in migration.statements:
            assert sqlite3.complete_statement(statement), (migration.name, statement)
