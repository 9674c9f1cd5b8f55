"""Trend rules in `beacon run`, as a chat sees them: a history published on the feed server step by step,
one `beacon run --once` per step at the step's time (a restart every time, so the trend state must
survive them), the fake Bot API receiving the alerts of the chat subscribed to the trend rules."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from bot.app import Beacon
from bot.config import REPO_ROOT, Config
from bot.store import Store
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss
from tests.trend_history import START, WIRE_SILENT, History

CHAT = 7310
SOURCE = "sahel-wire"
# small stand-ins for the shipped rules the examples count (loading those takes a second per start)
ARTICLE_RULES = """
- id: fatal-clash
  title: Fatal armed clash
  severity: high
  tags: [conflict]
  when:
    all:
      - terms: [gunmen, armed men, militants, bandits, raiders, attackers, militias, bomber, ambush*]
      - terms: [kill*, dead, slain]
- id: kosovo-fatal-clash
  extends: fatal-clash
  title: Fatal clash in Kosovo
  regions: [kosovo]
- id: troop-buildup
  title: Troop build-up near a border
  tags: [military]
  when:
    all:
      - terms: [troops, soldiers]
      - terms: [masses, deployed, build-up]
"""


def configure(write_config: Callable[..., Config], tmp_path: Path, feed_server: FeedServer,
              bot_api: FakeBotAPI) -> Config:
    """Rules for clashes and build-ups, the two trend examples, and a flatline over the one source."""
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    for path in (REPO_ROOT / "examples" / "trends").glob("*.yaml"):
        shutil.copy(path, rules_dir / path.name)
    (rules_dir / "articles.yaml").write_text(ARTICLE_RULES, encoding="utf-8")
    (rules_dir / "wire-silent.yaml").write_text(WIRE_SILENT, encoding="utf-8")
    return write_config(f"""
        rules_dir: {rules_dir}
        sources:
          - name: {SOURCE}
            type: rss
            url: {feed_server.url('/' + SOURCE)}
            interval: 60
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
        delivery:
          chat_interval: 0.01
          group_interval: 0.01
    """)


def item(article: dict[str, object]) -> dict[str, str]:
    published = datetime.fromisoformat(str(article["published"]).replace("Z", "+00:00"))
    return {"guid": str(article["id"]), "title": str(article["title"]), "description": str(article["text"]),
            "link": str(article["url"]), "pubDate": format_datetime(published, usegmt=True)}


class Wire:
    """The outlet's feed, newest first, and one `beacon run --once` per step."""

    def __init__(self, config: Config, feed_server: FeedServer, subscriptions: list[str]) -> None:
        self.config = config
        self.feed_server = feed_server
        self.items: list[dict[str, str]] = []
        self.subscriptions = subscriptions
        feed_server.serve("/" + SOURCE, rss())

    async def run_at(self, hours: float, *articles: dict[str, object]) -> None:
        for article in articles:
            self.items.insert(0, item(article))
        self.feed_server.serve("/" + SOURCE, rss(*self.items))
        at = START + timedelta(hours=hours, minutes=5)
        beacon = Beacon(self.config, now=lambda: at)
        for selector in self.subscriptions:
            beacon.store.chats.subscribe(CHAT, selector, at)
        assert await beacon.run(once=True) == 0


def told(bot_api: FakeBotAPI) -> list[str]:
    return [m.plain_text.splitlines()[1] for m in bot_api.sent if m.chat_id == CHAT]


async def test_a_surge_and_a_sequence_reach_the_chat_once_across_restarts(
        write_config: Callable[..., Config], tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    config = configure(write_config, tmp_path, feed_server, bot_api)
    wire = Wire(config, feed_server, ["fatal-clash-surge", "buildup-then-clash"])
    history = History.new()
    steps: list[tuple[float, Callable[[], History]]] = [
        (2, lambda: history.buildup(1, "Mali").clash(2, "Nigeria")),
        (9, lambda: history.clash(9, "Nigeria")), (12, lambda: history.clash(12, "Mali")),
        (20, lambda: history.clash(20, "Nigeria")), (22, lambda: history.clash(22, "Nigeria"))]
    seen_after: dict[float, list[str]] = {}
    for hours, publish in steps:
        before = len(history.articles)
        publish()
        await wire.run_at(hours, *history.articles[before:])
        seen_after[hours] = told(bot_api)
    assert seen_after[9] == []
    [sequence] = seen_after[12]
    assert sequence.startswith('In Mali, 11h after "Army masses troops and armour near the Mali border": ')
    assert "Gao" in sequence
    assert seen_after[20][1:] == ["3 incidents in Nigeria within 1d"]
    assert seen_after[22] == seen_after[20]   # the fourth clash in the window adds no alert
    [surge] = [m for m in bot_api.sent if "3 incidents in Nigeria" in m.plain_text]
    assert "Fatal clashes piling up in one country · HIGH" in surge.plain_text
    assert "📍 Nigeria" in surge.plain_text
    store = Store(config.database)
    try:
        saved = store.trends.load()
    finally:
        store.close()
    assert saved is not None and set(saved["rules"]) == {"fatal-clash-surge", "buildup-then-clash", "wire-silent"}


async def test_a_silent_wire_is_told_once_and_again_after_it_recovers(
        write_config: Callable[..., Config], tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    config = configure(write_config, tmp_path, feed_server, bot_api)
    wire = Wire(config, feed_server, ["wire-silent"])
    history = History.new().calm(0)
    await wire.run_at(0, history.articles[-1])
    await wire.run_at(13)          # nothing new for 13 hours: silent for the window
    assert told(bot_api) == [f"No reports from {SOURCE} for 12h"]
    await wire.run_at(20)          # the same silence: not again
    history.calm(22)
    await wire.run_at(22, history.articles[-1])   # back
    assert len(told(bot_api)) == 1
    await wire.run_at(35)          # silent again since 22:05
    assert told(bot_api) == [f"No reports from {SOURCE} for 12h"] * 2
