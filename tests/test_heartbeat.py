"""The dead-man's switch: pings a loopback monitor while healthy, holds them back while not."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Beacon
from bot.config import Config
from bot.health_server import HealthCheck
from bot.heartbeat import Heartbeat
from bot.models import Target
from bot.store import Store
from tests.fakes.feed_server import FeedServer, Hang, Status

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SECRET_PING = "/ping/6f1c0c2e-secret-check-uuid"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


async def eventually(check: Callable[[], bool]) -> None:
    """Re-check until true; the suite's timeout bounds the wait (no assertion on durations)."""
    while not check():
        await asyncio.sleep(0.05)


def logged(caplog: pytest.LogCaptureFixture, text: str) -> bool:
    return any(text in r.getMessage() for r in caplog.records)


async def test_beacon_pings_while_healthy_and_stops_while_stuck(
        tmp_path: Path, write_config: Callable[..., Config], feed_server: FeedServer,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    rules = tmp_path / "rules"
    rules.mkdir()
    feed_server.serve(SECRET_PING, "OK", content_type="text/plain")
    config = write_config(f"""
        rules_dir: {rules}
        heartbeat: {{url: "{feed_server.url(SECRET_PING)}", interval: 1s, timeout: 5s}}
        metrics: {{max_pending_age: 10m}}
    """)
    clock = Clock(NOW)
    beacon = Beacon(config, out=io.StringIO(), now=clock)
    task = asyncio.create_task(beacon.run())
    try:
        await eventually(lambda: feed_server.hits(SECRET_PING) >= 2)     # at start, then every interval
        # stuck: a queued message that nothing can send (dry-run mode has no Telegram sender) ages past 10m
        beacon.store.outbox.queue_notice("stuck", [Target("telegram", 1)], clock())
        clock.at += timedelta(minutes=30)
        await eventually(lambda: logged(caplog, "heartbeat: not pinging"))
        held_at = feed_server.hits(SECRET_PING)
        # unstuck: the row is given up, so the outbox is healthy again and the pings resume
        [row] = [r for r in beacon.store.outbox.rows() if r.status == "pending"]
        beacon.store.outbox.mark_dead(row.id, "test")
        await eventually(lambda: logged(caplog, "heartbeat: healthy again"))
        await eventually(lambda: feed_server.hits(SECRET_PING) > held_at)
    finally:
        beacon.stop()
        assert await asyncio.wait_for(task, 15) == 0
    hold = next(r.getMessage() for r in caplog.records if "heartbeat: not pinging" in r.getMessage())
    assert "oldest queued message waiting 1800s" in hold
    assert all(r.method == "GET" for r in feed_server.requests if r.path == SECRET_PING)
    # the ping URL is a secret of its own: our logs name the host only (httpx's request log, which
    # prints it, is kept at WARNING by setup_logging, and the URL is also given to the redactor)
    assert not any("secret-check-uuid" in r.getMessage() for r in caplog.records if r.name.startswith("bot."))


async def test_ping_outcomes_are_logged_never_raised(store: Store, feed_server: FeedServer,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    scheduler = AsyncIOScheduler(timezone=UTC)
    health = HealthCheck(store, lambda: NOW, lambda: "dry_run", max_pending_age=900, telegram_grace=600)
    health.scheduler = scheduler
    heartbeat = Heartbeat(feed_server.url("/ping"), timeout=0.5, health=health.report)
    feed_server.serve("/ping", "OK", content_type="text/plain")
    try:
        assert await heartbeat.ping() is False            # scheduler not running: no ping
        assert await heartbeat.ping() is False
        assert feed_server.hits("/ping") == 0
        assert sum("not pinging" in r.getMessage() for r in caplog.records) == 1   # said once, not every time
        scheduler.start()
        assert await heartbeat.ping() is True
        assert feed_server.hits("/ping") == 1
        feed_server.fault("/ping", Status(500))
        assert await heartbeat.ping() is False
        assert logged(caplog, "answered HTTP 500")
        feed_server.fault("/ping", Hang())
        assert await heartbeat.ping() is False
        assert logged(caplog, "did not answer within 0.5s")
        closed = Heartbeat("http://127.0.0.1:9/ping", timeout=2, health=health.report)
        try:
            assert await closed.ping() is False           # connection refused: logged
            assert logged(caplog, "ping to 127.0.0.1:9 failed: ConnectError")
        finally:
            await closed.aclose()
        assert heartbeat.pings == 1
    finally:
        scheduler.shutdown(wait=False)
        await heartbeat.aclose()


def test_heartbeat_config_is_checked(write_config: Callable[..., Config]) -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match=r"heartbeat\.url: .*http:// or https://"):
        write_config("heartbeat: {url: 'ftp://monitor.example/ping'}\n")
    config = write_config("heartbeat: {url: 'https://monitor.example/ping/x', interval: 5m}\n")
    assert config.heartbeat.interval == 300.0
    assert config.heartbeat.timeout == 10.0
    assert write_config("").heartbeat.url is None
