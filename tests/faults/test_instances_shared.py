"""Two `beacon run` on one PostgreSQL see each other's stories and trend counts.

Instance A polls one source, instance B another (each config lists only its own, so the test knows who
polls what). A syndicated copy that B polls of the story A alerted on is recognised as a copy: the chat
gets one alert. A trend rule with a threshold of two is reached by one incident A saw and one B saw: it
fires once, and a third incident A sees in the same window (A's own count would make two) fires nothing.
docs/operations.md, "Several instances".
"""

from __future__ import annotations

import asyncio
import signal
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.database_location import DatabaseLocation
from bot.enums import AlertStatus, OutboxStatus
from bot.store import Store
from tests.conftest import TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.faults.harness import BeaconProcess, beacon_env, start_beacon
from tests.feeds import rss

pytestmark = [pytest.mark.faults, pytest.mark.timeout(150)]

CHAT = 6101
RULES = """
- id: fatal-clash
  title: Fatal armed clash
  severity: high
  when:
    all:
      - terms: [ambush*, clash*, gunmen]
      - terms: [killed]
- id: clash-surge
  title: Clashes piling up
  severity: high
  trend: {count: {of: fatal-clash, at_least: 2, within: 24h}}
"""
SURGE = "2 incidents in North Macedonia within 1d"
SURGE_RULE = "Clashes piling up"

# A wire story in our own words, and a reprint of it under a new headline; then two independent reports.
WIRE_BODY = ("Gunmen killed four police officers in an ambush on a patrol car near Tetovo late on Monday, the "
             "interior ministry said on Tuesday. The officers had stopped a van on the road to the ski resort "
             "when shots were fired from a wooded slope above them. A fifth officer was taken to hospital in "
             "Skopje with leg wounds. Special police units searched the villages along the road overnight and "
             "detained two men for questioning, the ministry added.")
ORIGINAL = {"guid": "wire-1", "title": "Four police officers killed in ambush near Tetovo",
            "link": "https://wire.example/tetovo-ambush", "description": WIRE_BODY}
REPRINT = {"guid": "herald-1", "title": "Tetovo ambush: patrol came under fire from wooded slope",
           "link": "https://herald.example/news/tetovo", "description": WIRE_BODY}
SECOND = {"guid": "herald-2", "title": "Two border guards killed in clash with smugglers outside Kumanovo",
          "link": "https://herald.example/news/kumanovo",
          "description": "Two border guards were killed on Tuesday evening in a clash with a group of smugglers "
                         "outside Kumanovo, close to the northern frontier, the police said."}
THIRD = {"guid": "wire-2", "title": "Gunmen kill a shepherd and his son in ambush near Gostivar",
         "link": "https://wire.example/gostivar",
         "description": "A shepherd and his teenage son were killed when gunmen opened fire on them in the hills "
                        "above Gostivar on Wednesday, local officials said; the attackers fled on foot."}


def write_config(tmp_path: Path, name: str, source: str, feeds: FeedServer, bot_api: FakeBotAPI,
                 postgres_url: str, rules_dir: Path) -> Path:
    """One instance's config: the shared database and chat, and only its own source."""
    path = tmp_path / f"beacon-{name}.yaml"
    path.write_text(textwrap.dedent(f"""
        rules_dir: {rules_dir}
        templates_dir: {TEMPLATES_DIR}
        data_dir: {tmp_path / "data"}
        database: "{postgres_url}"
        sources:
          - name: {source}
            type: rss
            url: {feeds.url(f"/{source}")}
            interval: 1s
        telegram:
          base_url: {bot_api.base_url}
          chats: [{CHAT}]
        delivery:
          chat_interval: 0.05
          group_interval: 0.05
        events: {{clustering: false}}
        polling: {{allow_private: true}}
        cluster:
          mode: shared
          lease: 3s
    """), encoding="utf-8")
    return path


async def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout}s")
        await asyncio.sleep(0.1)


def received(bot_api: FakeBotAPI, text: str, rule_title: str = "Fatal armed clash") -> int:
    """Messages of one rule carrying this text (a trend alert lists its incidents' headlines too)."""
    return sum(1 for m in bot_api.sent if m.chat_id == CHAT and rule_title in m.plain_text and text in m.plain_text)


class Shared:
    """The test's own view of the database the instances share."""

    def __init__(self, postgres_url: str) -> None:
        self.where = DatabaseLocation(postgres_url=postgres_url)

    def _read(self) -> Store:
        return Store(self.where, migrate=False)

    def suppressed_copies(self) -> int:
        try:
            store = self._read()
        except Exception:   # not created yet: the instances are starting
            return 0
        try:
            return sum(1 for r in store.alerts.recent() if r.status == AlertStatus.SUPPRESSED
                       and "syndicated copy" in (r.reason or ""))
        finally:
            store.close()

    def queued(self, rule_id: str) -> int:
        store = self._read()
        try:
            return sum(1 for r in store.alerts.recent() if r.rule_id == rule_id and r.status == AlertStatus.QUEUED)
        finally:
            store.close()

    def all_sent(self) -> bool:
        store = self._read()
        try:
            return all(r.status == OutboxStatus.SENT for r in store.outbox.rows("telegram"))
        finally:
            store.close()


async def test_a_copy_and_a_trend_seen_by_two_instances_alert_once(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, postgres_url: str) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "rules.yaml").write_text(RULES, encoding="utf-8")
    feed_server.serve("/north", rss(ORIGINAL))
    feed_server.serve("/south", rss())
    env = beacon_env(bot_api)
    processes: dict[str, BeaconProcess] = {}
    for name, source in (("a", "north"), ("b", "south")):
        config = write_config(tmp_path, name, source, feed_server, bot_api, postgres_url, rules_dir)
        processes[name] = await start_beacon(config, dict(env, BEACON_INSTANCE=name))
    shared = Shared(postgres_url)
    try:
        # A polls the original and alerts
        await bot_api.wait_for(lambda: received(bot_api, ORIGINAL["title"]) == 1, 90)
        # B polls the reprint: a copy of the story A alerted on, whose member B's own index never held
        feed_server.serve("/south", rss(REPRINT))
        await wait_until(lambda: shared.suppressed_copies() == 1, 30, "B's copy recognised")
        # B polls an independent report from the same country: with A's incident, two make the trend
        feed_server.serve("/south", rss(REPRINT, SECOND))
        await bot_api.wait_for(lambda: received(bot_api, SURGE, SURGE_RULE) == 1
                               and received(bot_api, SECOND["title"]) == 1, 30)
        # A polls a third one in the same window: its own copy of the counts would make two again
        feed_server.serve("/north", rss(ORIGINAL, THIRD))
        await bot_api.wait_for(lambda: received(bot_api, THIRD["title"]) == 1, 30)
        await wait_until(shared.all_sent, 30, "every queued message sent")
    finally:
        for process in processes.values():
            if process.proc.returncode is None:
                process.proc.send_signal(signal.SIGTERM)
        for process in processes.values():
            await process.wait(30)
    for process in processes.values():
        assert process.proc.returncode == 0, process.log()[-3000:]
    assert "is a copy of story" in processes["b"].log()
    assert received(bot_api, ORIGINAL["title"]) == 1          # the copy's headline never reached the chat
    assert received(bot_api, REPRINT["title"]) == 0
    assert received(bot_api, SURGE, SURGE_RULE) == 1 and shared.queued("clash-surge") == 1
    assert shared.queued("fatal-clash") == 3                   # the original, the second and the third
