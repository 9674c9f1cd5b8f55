"""Metrics and health as an operator sees them: /metrics and /healthz over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from prometheus_client.parser import text_string_to_metric_families
from telegram.ext import Application

from bot.app import Beacon
from bot.config import Config
from bot.errors import BeaconError, ConfigError
from bot.health_server import HealthCheck, HealthServer
from bot.ingest import PollReport
from bot.metrics import Metrics
from bot.models import Alert, Article, Match, Severity, Target
from bot.outbox import OutboxWorker, Pacing
from bot.render import Renderer
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.conftest import TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI, http_error, proxy_error
from tests.fakes.feed_server import FeedServer
from tests.feeds import QUIET, rss

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
CEASEFIRE = {"guid": "c1", "title": "Ceasefire agreed in the north", "description": "Both sides agreed a truce."}
CEASEFIRE_AGAIN = {"guid": "c2", "title": "Ceasefire holds for a second day", "description": "Calm on the line."}


class Clock:
    """A compressed clock for the app: tests move it forward instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text format, or None if absent."""
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return None


async def eventually(check: Callable[[], object], what: str) -> None:
    """Re-check until true (the suite's timeout bounds the wait; nothing here asserts on durations)."""
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.05)


# -- the whole app ----------------------------------------------------------------------------------


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ceasefire.yaml").write_text("id: ceasefire\ntitle: Ceasefire\nthrottle: 1h\n"
                                          "when: {terms: [ceasefire]}\n")
    return rules


async def test_metrics_and_health_of_a_running_beacon(write_config: Callable[..., Config], rules_dir: Path,
                                                       feed_server: FeedServer) -> None:
    feed_server.serve("/feed", rss(QUIET, CEASEFIRE, CEASEFIRE_AGAIN))
    config = write_config(f"""
        sources: [{{name: wire, url: "{feed_server.url('/feed')}", interval: 1h}}]
        rules_dir: {rules_dir}
        metrics: {{listen: "127.0.0.1:0", max_pending_age: 10m}}
    """)
    clock = Clock(NOW)
    beacon = Beacon(config, out=io.StringIO(), now=clock)
    task = asyncio.create_task(beacon.run())
    try:
        await eventually(lambda: beacon.health_server is not None and beacon.health_server.server is not None,
                         "server up")
        assert beacon.health_server is not None
        base = f"http://127.0.0.1:{beacon.health_server.port}"
        async with httpx.AsyncClient(base_url=base, trust_env=False) as http:

            async def scraped() -> str:
                return (await http.get("/metrics")).text

            async def polled_and_sent() -> bool:
                text = await scraped()
                return (sample(text, "beacon_polls_total", source="wire", result="ok") == 1
                        and sample(text, "beacon_deliveries_total", result="sent") == 1)

            await eventually(polled_and_sent, "first poll counted and its alert sent")
            response = await http.get("/metrics")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/plain")
            text = response.text
            assert sample(text, "beacon_polls_total", source="wire", result="error") == 0
            assert sample(text, "beacon_fetch_errors_total", source="wire") == 0
            assert sample(text, "beacon_articles_total") == 3
            # two ceasefire stories within the rule's 1h throttle: one queued, one recorded as suppressed
            assert sample(text, "beacon_alerts_total", rule="ceasefire", status="queued") == 1
            assert sample(text, "beacon_alerts_total", rule="ceasefire", status="suppressed") == 1
            assert sample(text, "beacon_outbox_depth", status="sent") == 1
            assert sample(text, "beacon_outbox_depth", status="pending") == 0
            assert sample(text, "beacon_poll_to_send_seconds_count") == 1

            health = await http.get("/healthz")
            assert health.status_code == 200, health.text
            body = health.json()
            assert body["status"] == "ok"
            assert body["scheduler"] == "running"
            assert body["telegram"] == "dry_run"
            assert body["outbox"] == {"pending": 0, "oldest_pending_seconds": None}
            assert datetime.fromisoformat(body["last_poll"]) == NOW

            # a message that cannot go out (no Telegram sender in dry-run mode) waits past max_pending_age
            beacon.store.outbox.queue_notice("stuck", [Target("telegram", 1)], clock())
            clock.at += timedelta(minutes=30)
            health = await http.get("/healthz")
            assert health.status_code == 503, health.text
            body = health.json()
            assert body["status"] == "degraded"
            assert body["outbox"] == {"pending": 1, "oldest_pending_seconds": 1800.0}
            assert body["problems"] == ["oldest queued message waiting 1800s"]
            assert sample((await http.get("/metrics")).text, "beacon_outbox_depth", status="pending") == 1

            assert (await http.get("/nope")).status_code == 404
            assert (await http.post("/metrics")).status_code == 405
            head = await http.head("/healthz")
            assert head.status_code == 503 and head.content == b""
    finally:
        beacon.stop()
        assert await asyncio.wait_for(task, 15) == 0
    assert beacon.health_server is None


async def test_metrics_server_is_off_by_default(write_config: Callable[..., Config], rules_dir: Path) -> None:
    config = write_config(f"rules_dir: {rules_dir}\n")
    assert config.metrics.listen is None
    beacon = Beacon(config, out=io.StringIO())
    task = asyncio.create_task(beacon.run())
    try:
        await eventually(lambda: beacon.health.scheduler is not None, "scheduler started")
        assert beacon.health_server is None
        assert beacon.health.report().ok
    finally:
        beacon.stop()
        assert await asyncio.wait_for(task, 15) == 0


# -- pieces ---------------------------------------------------------------------------------------


def test_poll_reports_become_counters(store: Store) -> None:
    metrics = Metrics(store, lambda: NOW, ["a", "b"])
    other = Metrics(store, lambda: NOW, ["a"])   # own registry: nothing shared with `metrics`
    metrics.record_poll(PollReport("a", fetched=5, new=2, alerts=1, suppressed=1,
                                   alert_rules=(("r1", "queued"), ("r1", "suppressed"))))
    metrics.record_poll(PollReport("a", not_modified=True))
    metrics.record_poll(PollReport("b", error="HTTP 500", failures=1))
    metrics.record_poll(PollReport("b", skipped=True))
    metrics.record_poll(PollReport("b", skipped=True, error="HTTP 410 gone", disabled=True))
    text = metrics.exposition().decode()
    assert sample(text, "beacon_polls_total", source="a", result="ok") == 1
    assert sample(text, "beacon_polls_total", source="a", result="not_modified") == 1
    assert sample(text, "beacon_polls_total", source="b", result="error") == 1
    assert sample(text, "beacon_polls_total", source="b", result="skipped") == 2
    assert sample(text, "beacon_fetch_errors_total", source="b") == 1
    assert sample(text, "beacon_fetch_errors_total", source="a") == 0
    assert sample(text, "beacon_articles_total") == 2
    assert sample(text, "beacon_alerts_total", rule="r1", status="queued") == 1
    assert sample(text, "beacon_alerts_total", rule="r1", status="suppressed") == 1
    assert sample(other.exposition().decode(), "beacon_polls_total", source="a", result="ok") == 0


async def test_delivery_outcomes_and_latency(store: Store, bot_api: FakeBotAPI) -> None:
    """The outbox worker's hook, with the real Telegram sender: a 502 is a retry, a 400 is dead."""
    clock = Clock(NOW)
    metrics = Metrics(store, clock)
    for n in (1, 2):
        article = Article("wire", f"Story {n}", "text", guid=f"g{n}")
        alert = Alert(article, Match("r", "Rule", Severity.HIGH), NOW)
        store.commit_articles("wire", [article], [alert], lambda _a: [Target("telegram", 7)], NOW)
    app = Application.builder().token(bot_api.token).base_url(bot_api.base_url).build()
    await app.initialize()
    try:
        worker = OutboxWorker(store, Renderer(TEMPLATES_DIR), {"telegram": TelegramSender(app.bot)},
                              now=clock, monotonic=time.monotonic, on_delivered=metrics.record_delivery,
                              pacing=Pacing(global_per_second=1000, chat_interval=0.001, group_interval=0.001))
        bot_api.fail_next("sendMessage", proxy_error(502))
        assert await worker.deliver_due() == 0       # story 1 meets a 502: retried later
        assert sample(metrics.exposition().decode(), "beacon_deliveries_total", result="retry") == 1
        clock.at += timedelta(minutes=10)            # past the retry's backoff

        async def step(status: str) -> bool:
            await worker.deliver_due()
            return store.outbox.counts().get(status) == 1

        await eventually(lambda: step("sent"), "story 1 sent")
        bot_api.fail_next("sendMessage", http_error(400, "Bad Request: message is too long"))
        await eventually(lambda: step("dead"), "story 2 given up")
    finally:
        await app.shutdown()
    text = metrics.exposition().decode()
    assert sample(text, "beacon_deliveries_total", result="sent") == 1
    assert sample(text, "beacon_deliveries_total", result="retry") == 1
    assert sample(text, "beacon_deliveries_total", result="dead") == 1
    assert sample(text, "beacon_poll_to_send_seconds_count") == 1
    assert sample(text, "beacon_poll_to_send_seconds_sum") == 600.0
    assert sample(text, "beacon_outbox_depth", status="dead") == 1


async def test_health_degrades_when_scheduler_stopped_or_telegram_down_too_long(store: Store) -> None:
    ticks = [1000.0]
    telegram = ["unreachable"]
    health = HealthCheck(store, lambda: NOW, lambda: telegram[0], max_pending_age=900, telegram_grace=600,
                         monotonic=lambda: ticks[0])
    assert health.report().problems == ("scheduler starting",)
    scheduler = AsyncIOScheduler(timezone=UTC)
    health.scheduler = scheduler
    assert health.report().problems == ("scheduler stopped",)
    scheduler.start()
    try:
        assert health.report().ok                       # Telegram unreachable, but within the grace period
        ticks[0] += 601
        assert health.report().problems == ("Telegram unreachable for 601s",)
        telegram[0] = "connected"
        assert health.report().ok
        telegram[0] = "unreachable"                     # down again: the grace period starts over
        assert health.report().ok
        ticks[0] += 601
        assert not health.report().ok
        telegram[0] = "dry_run"
        assert health.report().ok
    finally:
        scheduler.shutdown(wait=False)
    await asyncio.sleep(0)   # AsyncIOScheduler shuts down in a callback on the loop
    assert health.report().problems == ("scheduler stopped",)


async def test_bad_listen_address_and_busy_port(store: Store, write_config: Callable[..., Config]) -> None:
    with pytest.raises(ConfigError) as info:
        write_config("metrics: {listen: 9464}\n")
    assert "metrics.listen" in str(info.value) and "not host:port" in str(info.value)
    metrics = Metrics(store, lambda: NOW)
    health = HealthCheck(store, lambda: NOW, lambda: "dry_run", 900, 600)
    first = HealthServer("127.0.0.1", 0, metrics, health)
    await first.start()
    try:
        second = HealthServer("127.0.0.1", first.port, metrics, health)
        with pytest.raises(BeaconError, match=r"metrics\.listen 127\.0\.0\.1:\d+: cannot listen"):
            await second.start()
    finally:
        await first.stop()


async def test_raw_requests_are_bounded(store: Store) -> None:
    """Garbage gets a 400 and a closed connection; an oversized header line just a closed connection."""
    server = HealthServer("127.0.0.1", 0, Metrics(store, lambda: NOW), HealthCheck(store, lambda: NOW,
                                                                                   lambda: "dry_run", 900, 600))
    await server.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"hello\r\n\r\n")
        assert (await reader.read()).startswith(b"HTTP/1.1 400 ")
        writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /metrics HTTP/1.1\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
        assert await reader.read() == b""
        writer.close()
    finally:
        await server.stop()
