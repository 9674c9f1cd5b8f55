"""Disk full and a database locked by another process: a clear error, the daemon keeps running, nothing lost.

Disk full is SQLite's own SQLITE_FULL, produced by capping the daemon's connection with
`PRAGMA max_page_count`; the lock is a second process holding `BEGIN EXCLUSIVE` on the file.
Beacon runs in-process here (as in tests/e2e) so the test can reach its connection; its
busy_timeout is cut from 10 s to 0.2 s so a refused write costs the test 0.2 s, not 10.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Beacon
from bot.config import Config, load_config
from bot.errors import StoreError
from bot.store import Store
from tests.fakes.bot_api import FakeBotAPI, retry_after, slow
from tests.fakes.feed_server import FeedServer
from tests.faults.harness import ALERTING, TITLES, copies, is_marked_repeat, write_config
from tests.feeds import BUILDUP, CLASH, QUIET, rss

pytestmark = pytest.mark.faults

UNLIMITED_PAGES = 1073741823

_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


@contextlib.asynccontextmanager
async def locked_by_another_process(database: Path) -> AsyncIterator[None]:
    """Another process holds BEGIN EXCLUSIVE on the file until the block ends."""
    holder = await asyncio.create_subprocess_exec(sys.executable, "-c", _HOLDER, str(database),
                                                  stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert await asyncio.wait_for(holder.stdout.readline(), 10) == b"locked\n"
        yield
    finally:
        holder.stdin.write(b"release\n")
        await holder.stdin.drain()
        assert await asyncio.wait_for(holder.wait(), 10) == 0


def logged(caplog: pytest.LogCaptureFixture, *parts: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if all(p in r.getMessage() for p in parts)]


def filler(count: int) -> list[dict[str, str]]:
    """Items no rule matches; enough of them that marking them seen needs new database pages."""
    return [{"guid": f"filler-{i}", "title": f"Council publishes library opening hours, notice {i}",
             "link": f"https://news.example/notices/{i}", "description": "Routine notice."} for i in range(count)]


async def start_daemon(tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch,
                       ) -> tuple[Beacon, asyncio.Task[int], Config]:
    """Beacon running in this loop, with its first (quiet) poll committed."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", bot_api.token)
    config = load_config(write_config(tmp_path, feed_server, bot_api))
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(config)
    beacon.store.db.execute("PRAGMA busy_timeout=200")
    task = asyncio.create_task(beacon.run())
    await bot_api.wait_for(lambda: bool(bot_api.calls_to("getUpdates"))
                           and beacon.store.sources.state("wire").last_success is not None, timeout=15)
    return beacon, task, config


async def stop_daemon(beacon: Beacon, task: asyncio.Task[int]) -> None:
    assert not task.done(), "the daemon stopped on its own"
    beacon.stop()
    assert await asyncio.wait_for(task, 15) == 0


def test_store_error_names_the_file_and_the_cause(tmp_path: Path) -> None:
    store = Store(tmp_path / "beacon.sqlite3")
    try:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(StoreError) as full, store.transaction() as db:
            db.executemany("INSERT INTO seen (key, source, seen_at) VALUES (?, 'x', 0)",
                           [(f"key-{i:080d}",) for i in range(300)])
        assert str(full.value).startswith(f"state database {tmp_path / 'beacon.sqlite3'}: database is full")
        assert not store.db.in_transaction   # rolled back: the connection is usable
        store.db.execute(f"PRAGMA max_page_count={UNLIMITED_PAGES}")
        with pytest.raises(Exception) as bug, store.transaction() as db:   # a bug is not a storage fault
            db.execute("INSERT INTO no_such_table VALUES (1)")
        assert not isinstance(bug.value, StoreError)
        assert store.articles.prune_seen(datetime.now(UTC)) == 0   # still works
    finally:
        store.close()


async def test_disk_full_a_poll_fails_cleanly_and_its_alerts_come_later(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    beacon, task, config = await start_daemon(tmp_path, feed_server, bot_api, monkeypatch)
    try:
        pages = beacon.store.db.execute("PRAGMA page_count").fetchone()[0]
        beacon.store.db.execute(f"PRAGMA max_page_count={pages}")   # the "disk" is full from now on
        feed_server.serve("/feed", rss(*ALERTING, *filler(300)))
        await bot_api.wait_for(lambda: bool(logged(caplog, "poll not saved", "database is full")), timeout=15)
        [record, *_] = logged(caplog, "poll not saved", "database is full")
        assert record.levelno == logging.ERROR
        assert str(config.database) in record.getMessage()
        state = beacon.store.sources.state("wire")
        assert state.failures >= 1 and "database is full" in (state.last_error or "")
        assert bot_api.sent == []
        assert not task.done()

        beacon.store.db.execute(f"PRAGMA max_page_count={UNLIMITED_PAGES}")   # space again
        await bot_api.wait_for(lambda: all(copies(bot_api, t) for t in TITLES), timeout=20)
    finally:
        await stop_daemon(beacon, task)
    for title in TITLES:
        [message] = copies(bot_api, title)
        assert not is_marked_repeat(message)


async def test_locked_database_polls_and_deliveries_wait_then_all_arrive_once(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    beacon, task, config = await start_daemon(tmp_path, feed_server, bot_api, monkeypatch)
    try:
        # one alert queued and told to wait 2 s (429), so the worker meets the lock on its next try
        bot_api.fail_next("sendMessage", retry_after(2))
        feed_server.serve("/feed", rss(CLASH, QUIET))
        await bot_api.wait_for(lambda: any(c.response_status == 429 for c in bot_api.calls_to("sendMessage")),
                               timeout=15)
        async with locked_by_another_process(config.database):
            feed_server.serve("/feed", rss(CLASH, BUILDUP, QUIET))   # a new article while locked
            await bot_api.wait_for(lambda: bool(logged(caplog, "poll not saved", "locked by another process"))
                                   and bool(logged(caplog, "not recorded", "locked by another process")), timeout=15)
            [poll_error, *_] = logged(caplog, "poll not saved", "locked by another process")
            assert poll_error.levelno == logging.ERROR and str(config.database) in poll_error.getMessage()
            assert bot_api.sent == []
            assert not task.done()
        await bot_api.wait_for(lambda: all(copies(bot_api, t) for t in TITLES), timeout=20)
        await asyncio.sleep(1.5)   # another poll and pass: nothing more may come
    finally:
        await stop_daemon(beacon, task)
    for title in TITLES:
        [message] = copies(bot_api, title)
        assert not is_marked_repeat(message)


async def test_locked_after_telegram_accepted_the_send_repeats_it_marked(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The send succeeded but `sent` could not be recorded: like a crash there, the message comes again, marked."""
    beacon, task, config = await start_daemon(tmp_path, feed_server, bot_api, monkeypatch)
    try:
        bot_api.fail_next("sendMessage", slow(1.5))   # stored at once, answered 1.5 s later
        feed_server.serve("/feed", rss(CLASH, QUIET))
        await bot_api.wait_for(lambda: len(bot_api.sent) == 1, timeout=15)
        async with locked_by_another_process(config.database):
            await bot_api.wait_for(lambda: bool(logged(caplog, "not recorded", "locked by another process")),
                                   timeout=15)
            assert not task.done()
        await bot_api.wait_for(lambda: len(copies(bot_api, CLASH["title"])) == 2, timeout=20)
    finally:
        await stop_daemon(beacon, task)
    first, second = copies(bot_api, CLASH["title"])
    assert not is_marked_repeat(first)
    assert is_marked_repeat(second)
    assert [r.status for r in beacon_rows(config)] == ["sent"]


def beacon_rows(config: Config) -> list[dict]:
    store = Store(config.database)
    try:
        return store.outbox.rows("telegram")
    finally:
        store.close()
