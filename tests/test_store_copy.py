"""`beacon db copy`: a populated SQLite state arrives in PostgreSQL whole, table by table, row by row."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bot.cli import main
from bot.config import Config
from bot.database_location import DatabaseLocation
from bot.enums import OutboxStatus
from bot.events import decide_alerts
from bot.feedback import Judge
from bot.ingest import BatchEvents
from bot.models import Article, Match, Severity, StoryMember, Target, Validators
from bot.store import Store
from bot.store.trends import TrendStore

T0 = datetime(2024, 5, 1, 8, 0, 0, 125000, tzinfo=UTC)
SUPERGROUP = -1001987654321
BOOKKEEPING = ("meta", "schema_migrations")


def _populate(store: Store) -> None:
    """Something in every table: what a Beacon that has run for a while holds."""
    store.chats.subscribe(SUPERGROUP, "fatal-clash", T0, thread_id=12, regions=("Kosovo", "Serbia"))
    store.chats.subscribe(77, "all", T0)
    store.chats.subscribe(78, "all", T0)
    store.chats.set_setting(77, "timezone", "Europe/Belgrade")
    store.chats.set_setting(77, "max_per_hour", 5)
    store.chats.mute(77, "tag:sport", T0 + timedelta(days=1), "@ops", T0)
    store.chats.mark_gone(78, "bot was kicked", T0)
    store.sources.record_failure("wire", "HTTP 503", T0, T0 + timedelta(minutes=5))
    store.sources.record_success("agency", Validators('"etag-1"', "Wed, 01 May 2024 07:00:00 GMT"), T0)
    store.articles.add_story_members([StoryMember("guid:wire:1", "story-1", "wire", bytes(range(256)))], T0)
    # an open event with two reports (an alert and its update), routed to an on-call chat and two others
    match = Match("fatal-clash", "Fatal clash", Severity.HIGH, regions=("Kosovo",), facts={"killed": 1},
                  key="rule=fatal-clash|region=Kosovo")

    def route(_alert: Any) -> list[Target]:
        return [Target("telegram", SUPERGROUP, 12, oncall=True), Target("telegram", 77)]

    first = Article("wire", "Police officer killed near Banjska", "Gunmen killed an officer near Banjska.",
                    guid="1")
    store.commit_articles("wire", [first], decide_alerts(first, [match], T0, book=BatchEvents(store)), route, T0)
    later = Article("agency", "Banjska toll rises to four", "Three gunmen were also killed near Banjska.", guid="2")
    worse = Match("fatal-clash", "Fatal clash", Severity.HIGH, regions=("Kosovo",), facts={"killed": 4},
                  key="rule=fatal-clash|region=Kosovo")
    store.commit_articles("agency", [later], decide_alerts(later, [worse], T0 + timedelta(hours=1),
                                                           book=BatchEvents(store)), route, T0 + timedelta(hours=1))
    # deliveries in every state: sent (and acknowledged, and judged), held, dead, still pending
    due = store.outbox.due(T0 + timedelta(hours=2))
    assert len(due) == 2
    sent, other = due
    assert store.outbox.claim(sent.id)
    store.outbox.mark_sent(sent.id, T0, message_id=2_147_483_648)
    store.escalations.acknowledge(sent.alert.id or 0, SUPERGROUP, "@duty", T0 + timedelta(minutes=3))
    store.feedback.judge(sent.alert.id or 0, Judge(SUPERGROUP, 9, "@duty"), T0 + timedelta(minutes=4))
    store.outbox.mark_held(other.id, T0 + timedelta(hours=8), "quiet hours")
    store.outbox.queue_notice("source wire keeps failing", [Target("telegram", 77)], T0)
    TrendStore(store.database).save({"version": 1, "rules": {"surge": {"counts": [3, 1]}}}, T0)


def _rows(connection: Any, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    listed = ", ".join(f'"{c}"' for c in columns)
    return sorted((tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                   for row in connection.execute(f'SELECT {listed} FROM "{table}"').fetchall()), key=repr)


def test_every_row_of_every_table_arrives(tmp_path: Path, write_config: Callable[..., Config],
                                          postgres_url: str) -> None:
    config = write_config("sources: []\n")
    store = Store(config.store_location)
    _populate(store)
    due_before = [(d.id, d.target, d.alert.article.title) for d in store.outbox.due(T0 + timedelta(days=1))]
    store.close()

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["db", "copy", "-c", str(config.file), "--to", postgres_url]) == 0
    report = out.getvalue()
    assert "copied " in report and f"to {DatabaseLocation(postgres_url=postgres_url)}" in report

    with sqlite3.connect(config.database) as lite, psycopg.connect(postgres_url) as pg:
        tables = [r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                              "AND name NOT LIKE 'sqlite_%' ORDER BY name") if r[0] not in BOOKKEEPING]
        populated = {"subscriptions", "chat_settings", "mutes", "chats", "seen", "story_members", "alerts", "events",
                     "event_lookup", "outbox", "escalations", "acks", "judgements", "source_state", "trend_state"}
        assert populated <= set(tables)
        for table in tables:
            columns = [r[1] for r in lite.execute(f"PRAGMA table_info({table})")]
            expected = _rows(lite, table, columns)
            assert expected or table not in populated, f"the test left {table} empty"
            assert _rows(pg, table, columns) == expected, table
            assert f"{table} " in report

    # the copy works as the state: the same rows are due, and new ids follow the copied ones
    copied = Store(DatabaseLocation(postgres_url=postgres_url))
    try:
        assert [(d.id, d.target, d.alert.article.title) for d in copied.outbox.due(T0 + timedelta(days=1))] == \
            due_before
        assert {s.chat_id for s in copied.chats.subscriptions()} == {SUPERGROUP, 77}
        highest = max(r.id for r in copied.outbox.rows())
        copied.outbox.queue_notice("after the move", [Target("telegram", 77)], T0)
        assert max(r.id for r in copied.outbox.rows()) == highest + 1
        assert copied.outbox.counts()[OutboxStatus.HELD] == 1
    finally:
        copied.close()


def test_a_database_that_holds_state_is_never_merged_into(write_config: Callable[..., Config], postgres_url: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config("sources: []\n")
    store = Store(config.store_location)
    store.chats.subscribe(77, "all", T0)
    store.close()
    assert main(["db", "copy", "-c", str(config.file), "--to", postgres_url]) == 0
    capsys.readouterr()
    assert main(["db", "copy", "-c", str(config.file), "--to", postgres_url]) == 1
    error = capsys.readouterr().err
    assert "already holds state: chats (1 rows), subscriptions (1 rows)" in error
    with psycopg.connect(postgres_url) as pg:
        assert pg.execute("SELECT count(*) FROM subscriptions").fetchone() == (1,)


def test_copy_needs_a_postgresql_target(write_config: Callable[..., Config],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config("sources: []\n")
    Store(config.store_location).close()
    assert main(["db", "copy", "-c", str(config.file)]) == 1
    assert "not a PostgreSQL database: give --to postgresql://" in capsys.readouterr().err


def test_migrate_and_status_work_on_postgresql(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = str(DatabaseLocation(postgres_url=postgres_url))
    assert main(["db", "status", "--database", postgres_url]) == 0
    assert f"{shown}: schema version 0 of " in capsys.readouterr().out
    assert main(["db", "migrate", "--database", postgres_url]) == 0
    applied = capsys.readouterr().out
    assert "applied 0001 initial" in applied and f"{shown}: schema version 0 -> " in applied
    assert main(["db", "migrate", "--database", postgres_url]) == 0
    assert "up to date" in capsys.readouterr().out
