"""Telegram outages: long ones end fast, none loses an alert silently; a poll's alerts queue oldest first."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram.ext import Application

from bot.engine import compile_rules, load_rules_text
from bot.ingest import Ingestor
from bot.metrics import Metrics
from bot.models import Alert, Article, Match, Severity, Target, Validators
from bot.outbox import OutboxWorker, Pacing
from bot.render import Renderer
from bot.sources.base import PollResult
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.conftest import TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI, proxy_error

START = datetime(2023, 9, 24, 5, 0, tzinfo=UTC)
NEWS_RULES = compile_rules(load_rules_text("""
- id: any-news
  title: Any
  when: {terms: [news]}
"""))


class OneBatch:
    """A source that returns one batch of articles, as a feed lists them (newest first)."""

    name = "wire"
    interval = 60.0

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        return PollResult(tuple(self.articles), Validators('"e"'))


async def test_alerts_of_one_poll_are_queued_oldest_first(store: Store) -> None:
    def item(n: int, minutes: int | None) -> Article:
        published = START - timedelta(minutes=minutes) if minutes is not None else None
        return Article("wire", f"news item {n}", "", guid=f"g{n}", published=published)

    # newest first, as feeds list them; two share a time (feed order breaks the tie); one has no date
    feed = [item(1, 5), item(2, 20), item(3, 20), item(4, None), item(5, 60)]
    ingestor = Ingestor(store, lambda: NEWS_RULES, lambda _alert: [Target("telegram", 1)], lambda: START)
    assert (await ingestor.poll(OneBatch(feed))).alerts == 5
    queued = [store.alert(row["alert_id"]).article.title for row in store.deliveries()]
    assert queued == ["news item 5", "news item 2", "news item 3", "news item 1", "news item 4"]


# -- Telegram outages -----------------------------------------------------------------------------------------


class CompressedClock:
    """Real time plus whatever the test skips: wall and monotonic clocks move together, so the worker's
    waits (real seconds) and its schedules (these clocks) agree while hours pass in a few seconds."""

    def __init__(self) -> None:
        self.skipped = 0.0
        self.started = time.monotonic()

    def monotonic(self) -> float:
        return time.monotonic() + self.skipped

    def now(self) -> datetime:
        return START + timedelta(seconds=time.monotonic() - self.started + self.skipped)

    def skip(self, seconds: float) -> None:
        self.skipped += seconds


@pytest.fixture
async def sender(bot_api: FakeBotAPI) -> AsyncIterator[TelegramSender]:
    app = Application.builder().token(bot_api.token).base_url(bot_api.base_url).build()
    await app.initialize()
    try:
        yield TelegramSender(app.bot)
    finally:
        await app.shutdown()


def queue(store: Store, title: str, chats: list[int], at: datetime) -> None:
    article = Article("wire", title, "A report.", guid=title)
    alert = Alert(article, Match("clash", "Fatal clash", Severity.HIGH), at)
    store.commit_articles("wire", [article], [alert], lambda _a: [Target("telegram", c) for c in chats], at)


def make_worker(store: Store, sender: TelegramSender, clock: CompressedClock, **kw: Any) -> OutboxWorker:
    return OutboxWorker(store, Renderer(TEMPLATES_DIR), {"telegram": sender}, now=clock.now,
                        monotonic=clock.monotonic, pacing=Pacing(global_per_second=1000, chat_interval=0.01,
                                                                 group_interval=0.01), **kw)


def titles_in(bot_api: FakeBotAPI, chat: int) -> list[str]:
    return [m.plain_text.split("\n")[1] for m in bot_api.sent if m.chat_id == chat]


async def test_a_three_hour_outage_ends_within_seconds_of_recovery_with_nothing_lost(
        store: Store, bot_api: FakeBotAPI, sender: TelegramSender, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    clock = CompressedClock()
    metrics = Metrics(store, clock.now)
    notices: list[str] = []
    worker = make_worker(store, sender, clock, notify_admins=notices.append,
                         on_reachability=metrics.record_reachability)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    chats = [101, 102, -1003]
    try:
        await bot_api.go_down()                          # first half: connections refused outright
        queue(store, "Report 0", chats, clock.now())
        worker.notify()
        await bot_api.wait_for(lambda: all(r["last_error"] for r in store.deliveries()))
        for minute in range(1, 181):                    # three hours, a minute at a time
            if minute == 90:                            # second half: the proxy in front of Telegram answers 502
                bot_api.unavailable = proxy_error(502)
                await bot_api.come_up()
            clock.skip(60)
            if minute % 20 == 0:
                queue(store, f"Report {minute // 20}", chats, clock.now())
            worker.notify()
            if minute >= 90:                            # a minute is past the probe interval: it asks again
                probes = len(bot_api.calls_to("getMe"))
                await bot_api.wait_for(lambda n=probes: len(bot_api.calls_to("getMe")) > n)
        assert 'beacon_channel_reachable{channel="telegram"} 0.0' in metrics.exposition().decode()
        assert bot_api.calls_to("sendMessage") == []    # while it is down, only the probe is sent
        # Telegram comes back right after a probe that failed, the worst moment: the next is a probe interval away
        probes = len(bot_api.calls_to("getMe"))
        await bot_api.wait_for(lambda: len(bot_api.calls_to("getMe")) > probes
                               and bot_api.calls_to("getMe")[-1].response_status == 502)
        bot_api.unavailable = None
        recovered = time.monotonic()
        sent = await bot_api.wait_for_sent(10 * len(chats), timeout=20)
    finally:
        stop.set()
        await task
    first = min(m.at for m in sent) - recovered
    assert first < 5.0, f"first alert {first:.1f}s after Telegram answered again"
    expected = [f"Report {n}" for n in range(10)]
    for chat in chats:
        assert titles_in(bot_api, chat) == expected, chat      # everything, in order
    rows = store.deliveries()
    assert {r["status"] for r in rows} == {"sent"}               # none given up
    assert {r["attempts"] for r in rows} == {1}                  # the outage counted against no alert
    assert not any(r["possible_repeat"] for r in rows)           # a 502 or a refusal delivered nothing
    assert notices == []
    assert "beacon_channel_reachable{channel=\"telegram\"} 1.0" in metrics.exposition().decode()
    assert "telegram unreachable" in caplog.text and "telegram answers again after" in caplog.text
