"""Shared set-up for the Telegram user stories: tagged rules with regions, a config, start and stop."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from pathlib import Path

from bot.app import Beacon
from bot.config import Config
from tests.conftest import RULES_DIR
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer

TAGGED_RULES = """
- id: fatal-clash
  title: Fatal armed clash
  description: An armed clash, ambush or shoot-out in which someone was killed.
  severity: high
  tags: [conflict, casualties]
  when:
    all:
      - terms: [ambush*, shoot-out, clash*]
      - terms: [killed, killing]
- id: troop-buildup
  title: Troop build-up near a border
  severity: medium
  tags: [military]
  when:
    all:
      - terms: [troop*, forces]
      - terms: [build-up, deployment]
"""


def tagged_rules(tmp_path: Path, extra: str = "") -> Path:
    """Two small tagged rules plus the shipped regions (north-kosovo, in Kosovo).

    The folder is shared by the tests of this session (this xdist worker) that ask for the same rules, next to
    their own tmp_path folders and named by its content: the engine keys compiled rules by their files' paths,
    so with a fresh folder per test every Beacon start compiled them again (about 0.85 s of CPU), while the same
    folder is compiled once and reused (bot/engine/cache.py). No test writes into it."""
    text = TAGGED_RULES + extra
    regions = (RULES_DIR / "regions.yaml").read_bytes()
    digest = hashlib.sha256(text.encode() + b"\0" + regions).hexdigest()[:16]
    rules_dir = tmp_path.parent / f"tagged-rules-{digest}"
    if not rules_dir.is_dir():
        building = tmp_path / "rules-being-written"
        building.mkdir()
        (building / "rules.yaml").write_text(text, encoding="utf-8")
        (building / "regions.yaml").write_bytes(regions)
        building.rename(rules_dir)   # whole or not at all
    return rules_dir


def telegram_config(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI,
                    rules_dir: Path, *, chats: str = "[]", admins: str = "[]", allowed_chats: str = "[]",
                    database: str | None = None) -> Config:
    """One source `wire` at /feed polled every second, the fake Bot API, fast pacing; `database` (a SQLite path
    or a postgresql:// URL) instead of data_dir's SQLite file."""
    database_line = f"database: '{database}'" if database else ""
    return write_config(f"""
        rules_dir: {rules_dir}
        {database_line}
        sources:
          - name: wire
            type: rss
            url: {feed_server.url('/feed')}
            interval: 1s
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
          chats: {chats}
          admins: {admins}
          allowed_chats: {allowed_chats}
        delivery:
          chat_interval: 0.05
          group_interval: 0.05
    """)


async def start(beacon: Beacon, bot_api: FakeBotAPI) -> asyncio.Task[int]:
    """Run Beacon until it polls Telegram for commands."""
    task = asyncio.create_task(beacon.run())
    await bot_api.wait_for(lambda: bool(bot_api.calls_to("getUpdates")) or task.done(), timeout=10)
    assert not task.done(), task.result()
    return task


async def stop(beacon: Beacon, task: asyncio.Task[int]) -> None:
    beacon.stop()
    assert await asyncio.wait_for(task, 15) == 0


async def say(bot_api: FakeBotAPI, chat_id: int, text: str, **kw: object) -> str:
    """Send a command as a user (or channel) and return the plain text of the bot's answer."""
    count = len(bot_api.sent)
    bot_api.push_message(chat_id, text, **kw)  # type: ignore[arg-type]
    sent = await bot_api.wait_for_sent(count + 1, timeout=10)
    return sent[count].plain_text


def outlets_config(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI,
                   outlets: list[str], extra: str = "") -> Config:
    """The shipped rules, one source per outlet at /<outlet> on the feed server, the fake Bot API and
    fast pacing; `extra` is more YAML at the top level (`events: {clustering: false}`)."""
    sources = "\n".join(f"  - {{name: {o}, url: \"{feed_server.url('/' + o)}\", interval: 60}}" for o in outlets)
    return write_config(f"""
rules_dir: {RULES_DIR}
sources:
{sources}
telegram:
  token: "{bot_api.token}"
  base_url: {bot_api.base_url}
delivery:
  chat_interval: 0.01
  group_interval: 0.01
{extra}""")
