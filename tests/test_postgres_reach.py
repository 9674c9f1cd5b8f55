"""A PostgreSQL server that goes away under a store: calls fail at once, the log says so twice, nothing waits.

The first tests drive `ServerReach` with a clock of their own (its backoff is arithmetic); the last
one stops and kills a real server of its own (tests/pg_server.py, `restartable_server`) under a store.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest

from bot.database_location import DatabaseLocation
from bot.enums import TelegramState
from bot.errors import StoreError
from bot.health_server import HealthCheck
from bot.store import Store
from bot.store.postgres import POOL_SIZE, PostgresDatabase
from bot.store.postgres_reach import LONGEST_RETRY, ServerReach, connection_lost
from tests.pg_server import RestartableServer, restartable_server

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
WHERE = "postgresql://beacon@db.internal:5432/beacon"


class Clock:
    """Seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_while_the_server_is_away_calls_fail_at_once_and_probes_back_off(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    reach = ServerReach(WHERE, clock)
    assert reach.before_connecting() is False            # nothing known wrong: connect as usual
    with caplog.at_level(logging.WARNING, logger="bot.store.postgres_reach"):
        reach.lost("connection refused")
        reach.lost("connection refused")                  # a second thread finding the same: said once
        probes = []
        for step in range(1, 401):                        # 40 s in steps of 0.1 s
            clock.now = 100.0 + step / 10
            try:
                if reach.before_connecting():
                    probes.append(round(clock.now - 100.0, 1))
                    reach.lost("connection refused")      # the probe fails: still away
            except StoreError as exc:
                assert "PostgreSQL unreachable for" in str(exc) and "connection refused" in str(exc)
        reach.answered()
        reach.answered()
    gaps = [round(later - earlier, 1) for earlier, later in itertools.pairwise(probes)]
    assert probes[0] == 0.5
    assert gaps[:3] == [1.0, 2.0, 4.0]                    # doubling...
    assert set(gaps[3:]) == {LONGEST_RETRY}               # ...up to the ceiling, never faster
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith(f"PostgreSQL {WHERE} unreachable: connection refused. Beacon keeps running")
    assert messages[1] == f"PostgreSQL {WHERE} answers again after 40.0s unreachable; resuming"
    assert reach.before_connecting() is False


def test_only_a_lost_connection_counts_as_the_server_gone() -> None:
    assert connection_lost(psycopg.OperationalError("connection refused"))            # raised by the client
    assert not connection_lost(psycopg.errors.DeadlockDetected("deadlock detected"))  # the server answered
    assert not connection_lost(psycopg.errors.DiskFull("could not extend file"))
    assert not connection_lost(ValueError("not a database error"))


@pytest.fixture
def controlled() -> Iterator[RestartableServer]:
    with restartable_server() as server:
        yield server


def test_a_store_rides_out_a_stopped_then_killed_server(controlled: RestartableServer,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    store = Store(DatabaseLocation(postgres_url=controlled.server.create_database()))
    try:
        store.chats.subscribe(1, "all", NOW)
        for chat, (how, take_down) in enumerate((("stop", controlled.stop), ("kill", controlled.kill)), start=2):
            take_down()
            began = time.monotonic()
            with pytest.raises(StoreError, match="PostgreSQL: "):
                store.chats.subscribe(chat, "all", NOW)   # the pool's dead connection seen, the server probed
            with pytest.raises(StoreError, match="PostgreSQL unreachable for"):
                store.chats.subscriptions()
            assert time.monotonic() - began < 1.0, how   # no call waited for the pool (3 s) or a timeout
            health = HealthCheck(store, lambda: NOW, lambda: TelegramState.DRY_RUN, max_pending_age=900,
                                 telegram_grace=600).report()
            assert not health.ok and health.problems[-1].startswith("state database: PostgreSQL unreachable for")
            controlled.start()
            deadline = time.monotonic() + 2 * LONGEST_RETRY
            while True:
                try:
                    store.chats.subscribe(chat, "all", NOW)
                    break
                except StoreError:
                    assert time.monotonic() < deadline, f"not back within {2 * LONGEST_RETRY}s after the {how}"
                    time.sleep(0.1)
        assert {s.chat_id for s in store.chats.subscriptions()} == {1, 2, 3}
    finally:
        store.close()
    said = [r.getMessage() for r in caplog.records if r.name == "bot.store.postgres_reach"]
    assert sum("unreachable:" in m for m in said) == 2 and sum("answers again" in m for m in said) == 2, said


def test_statements_that_fail_give_their_connection_back(postgres_url: str) -> None:
    """A bug's error (here a missing table) outside a transaction must not keep its pooled connection: more
    failures than the pool has connections, then a read still gets one at once."""
    database = PostgresDatabase(postgres_url)
    try:
        for _ in range(POOL_SIZE + 2):
            with pytest.raises(psycopg.errors.UndefinedTable):
                database.execute("SELECT 1 FROM no_such_table")
        began = time.monotonic()
        answer = database.row("SELECT 41 + 1")
        assert answer is not None and answer[0] == 42
        assert time.monotonic() - began < 1.0
    finally:
        database.close()
