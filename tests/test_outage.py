"""Telegram outages: long ones end fast, none loses an alert silently; a poll's alerts queue oldest first."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Beacon
from bot.config import Config
from bot.engine import compile_rules, load_rules_text
from bot.ingest import Ingestor
from bot.metrics import Metrics
from bot.models import Alert, Article, Match, Severity, Target, Validators
from bot.outbox import OutboxWorker, Pacing
from bot.reachability import Reachability
from bot.render import Renderer
from bot.sources.base import PollResult
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.conftest import TEMPLATES_DIR
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.fakes.bot_api import FakeBotAPI, proxy_error
from tests.fakes.feed_server import FeedServer
from tests.feeds import CLASH, rss

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
    queued = [store.alerts.get(row.alert_id).article.title for row in store.outbox.rows()]
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
        store: Store, bot_api: FakeBotAPI, telegram_sender: TelegramSender, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    clock = CompressedClock()
    metrics = Metrics(store, clock.now)
    notices: list[str] = []
    worker = make_worker(store, telegram_sender, clock, notify_admins=notices.append,
                         on_reachability=metrics.record_reachability)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    chats = [101, 102, -1003]
    try:
        await bot_api.go_down()                          # first half: connections refused outright
        queue(store, "Report 0", chats, clock.now())
        worker.notify()
        await bot_api.wait_for(lambda: all(r.last_error for r in store.outbox.rows()))
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
    rows = store.outbox.rows()
    assert {r.status for r in rows} == {"sent"}               # none given up
    assert {r.attempts for r in rows} == {1}                  # the outage counted against no alert
    assert not any(r.possible_repeat for r in rows)           # a 502 or a refusal delivered nothing
    assert notices == []
    assert "beacon_channel_reachable{channel=\"telegram\"} 1.0" in metrics.exposition().decode()
    assert "telegram unreachable" in caplog.text and "telegram answers again after" in caplog.text


async def test_an_alert_refused_for_itself_is_given_up_reported_shown_and_requeued(
        tmp_path: Path, write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    chat, admin = 5151, 7001
    feed_server.serve("/feed", rss(CLASH))
    config = telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path), chats=f"[{chat}]",
                             admins=f"[{admin}]")
    bot_api.refused_texts["Around 30 gunmen"] = "message text is refused here"   # this alert only, not the notice
    beacon = Beacon(config)
    task = await start(beacon, bot_api)
    try:
        await bot_api.wait_for(lambda: any(m.chat_id == admin for m in bot_api.sent), timeout=15)
        [row] = [r for r in beacon.store.outbox.rows() if r.chat_id == chat]
        assert row.status == "dead" and "text is refused here" in row.last_error
        [notice] = [m.plain_text for m in bot_api.sent if m.chat_id == admin]
        assert "given up" in notice and "Police officer killed in Banjska ambush" in notice
        assert f"To: chat {chat}" in notice and f"beacon outbox retry --id {row.id}" in notice

        status = await say(bot_api, admin, "/status")
        assert "1 given up" in status and f"#{row.id} to chat {chat}" in status
        assert "text is refused here" in status

        exposition = beacon.metrics.exposition().decode()
        assert 'beacon_outbox_depth{status="dead"} 1.0' in exposition
        assert 'beacon_deliveries_total{result="dead"} 1.0' in exposition

        bot_api.refused_texts.clear()
        wrong = await asyncio.to_thread(beacon_cli, "outbox", "retry", "--id", "99999", "-c", str(config.file))
        assert wrong.returncode == 1 and "outbox row 99999 is not a dead alert" in wrong.stderr
        retry = await asyncio.to_thread(beacon_cli, "outbox", "retry", "--id", str(row.id), "-c", str(config.file))
        assert retry.returncode == 0, retry.stderr
        assert f"requeued 1 alert: {row.id}" in retry.stdout
        await bot_api.wait_for(lambda: any(m.chat_id == chat for m in bot_api.sent), timeout=10)
        [alert] = [m.plain_text for m in bot_api.sent if m.chat_id == chat]
        assert "Police officer killed in Banjska ambush" in alert
        await bot_api.wait_for(lambda: [r.status for r in beacon.store.outbox.rows() if r.chat_id == chat]
                               == ["sent"])
    finally:
        await stop(beacon, task)


def beacon_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The `beacon` command as an operator runs it, in a process of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_DATA_DIR")}
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True, timeout=60)


async def test_messages_found_mid_send_at_start_are_requeued_and_logged(
        store: Store, bot_api: FakeBotAPI, telegram_sender: TelegramSender, caplog: pytest.LogCaptureFixture) -> None:
    clock = CompressedClock()
    queue(store, "Report interrupted", [101, 102], clock.now())
    queue(store, "Report waiting", [101], clock.now())
    for row in store.outbox.rows()[:2]:
        assert store.outbox.claim(row.id)               # claimed, then the process died before the answer came
    caplog.set_level(logging.INFO)
    assert await make_worker(store, telegram_sender, clock).drain(10)
    assert "2 messages found mid-send" in caplog.text and "possible repeats" in caplog.text
    interrupted = [m.plain_text for m in bot_api.sent if "Report interrupted" in m.plain_text]
    assert len(interrupted) == 2 and all("possible repeat" in text for text in interrupted)
    assert titles_in(bot_api, 101) == ["Report interrupted", "Report waiting"]


def test_a_failure_counts_against_an_alert_only_while_the_api_answers_others() -> None:
    clock = [100.0]
    reach = Reachability(lambda: clock[0], probe_interval=3.0)
    reach.sending(1)
    reach.sending(2)
    clock[0] += 0.2
    assert reach.answered("telegram") is None         # another message went through meanwhile ...
    clock[0] += 0.1
    assert reach.unreachable("telegram", 1)           # ... so this failure is the alert's own
    assert not reach.is_down("telegram")
    clock[0] += 10
    reach.sending(3)
    reach.sending(4)
    clock[0] += 0.1
    assert not reach.unreachable("telegram", 3)       # nothing answered since they began: an outage
    assert not reach.unreachable("telegram", 4)
    assert reach.is_down("telegram") and reach.probes_due() == []
    clock[0] += 3.0
    assert reach.probes_due() == ["telegram"]
    reach.probe_failed("telegram", started=clock[0])
    assert reach.next_probe_in() == pytest.approx(3.0)
    clock[0] += 60
    assert reach.answered("telegram") == pytest.approx(63.0)   # the outage lasted from row 3's failure
    assert not reach.is_down("telegram") and reach.next_probe_in() is None
    assert reach.unreachable("telegram", 3)           # the probe answered after row 3 failed: now it is its own
