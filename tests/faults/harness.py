"""A real `beacon run` process against the loopback fakes, for crash-safety tests.

Why a subprocess: a kill -9 (or `os._exit` at a fault point) must take the whole interpreter
down with nothing flushed or closed, and SIGTERM must reach Beacon's own signal handling. The
fakes run in the test's event loop, so the process is started with asyncio and awaited.
"""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from bot.engine.cache import CACHE_DIR_VARIABLE
from tests.conftest import DATA, TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI, SentMessage
from tests.fakes.feed_server import FeedServer
from tests.feeds import BUILDUP, CLASH

CHAT = 4242
SIMPLE_RULES = DATA / "rules"
ALERTING = (CLASH, BUILDUP)   # one alert each with the simple rules (fatal-clash, troop-buildup)
TITLES = tuple(item["title"] for item in ALERTING)

_ENTRY_POINT = Path(sys.executable).parent / "beacon"
BEACON = [str(_ENTRY_POINT)] if _ENTRY_POINT.exists() else [sys.executable, "-m", "bot"]


def write_config(tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, *, interval: str = "1s",
                 chat_interval: float = 0.05) -> Path:
    """A beacon.yaml for one feed and one chat subscribed to every rule; the token comes from the env."""
    path = tmp_path / "beacon.yaml"
    path.write_text(textwrap.dedent(f"""
        rules_dir: {SIMPLE_RULES}
        templates_dir: {TEMPLATES_DIR}
        data_dir: {tmp_path / "data"}
        sources:
          - name: wire
            type: rss
            url: {feed_server.url("/feed")}
            interval: {interval}
        telegram:
          base_url: {bot_api.base_url}
          chats: [{CHAT}]
        delivery:
          chat_interval: {chat_interval}
          group_interval: {chat_interval}
        polling: {{allow_private: true}}
    """), encoding="utf-8")
    return path


def beacon_env(bot_api: FakeBotAPI, fault: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_DATA_DIR", "BEACON_FAULT")}
    env["TELEGRAM_BOT_TOKEN"] = bot_api.token
    shared_cache = os.environ.get(CACHE_DIR_VARIABLE)
    if shared_cache:
        # The compiled-rules cache keeps the four rule sets used last per folder (bot/engine/cache.py). These
        # processes all read tests/data/rules; a folder of their own keeps that file from being pushed out by the
        # many rule folders other tests compile (a start then compiles again: about 2.5 s of CPU instead of 0.7 s).
        env[CACHE_DIR_VARIABLE] = str(Path(shared_cache) / "fault-tests")
    if fault:
        env["BEACON_FAULT"] = fault
    return env


@dataclass
class BeaconProcess:
    """A running `beacon run`; its log (stderr) goes to a file so a chatty daemon never blocks on a pipe."""

    proc: asyncio.subprocess.Process
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def wait(self, timeout: float = 30) -> int:
        return await asyncio.wait_for(self.proc.wait(), timeout)


async def start_beacon(config: Path, env: dict[str, str], *args: str) -> BeaconProcess:
    index = len(list(config.parent.glob("beacon-*.log")))
    log_path = config.parent / f"beacon-{index}.log"
    with log_path.open("wb") as log:   # the child keeps its own descriptor
        proc = await asyncio.create_subprocess_exec(*BEACON, "-c", str(config), "run", *args, env=env,
                                                    stdin=asyncio.subprocess.DEVNULL,
                                                    stdout=asyncio.subprocess.DEVNULL, stderr=log)
    return BeaconProcess(proc, log_path)


async def run_beacon(config: Path, env: dict[str, str], *args: str, timeout: float = 30) -> tuple[int, str]:
    """Run to the end; (exit status, log)."""
    beacon = await start_beacon(config, env, *args)
    status = await beacon.wait(timeout)
    return status, beacon.log()


def copies(bot_api: FakeBotAPI, title: str) -> list[SentMessage]:
    """Every message to the test chat that carries this article's title, in the order Telegram got them."""
    return [m for m in bot_api.sent if m.chat_id == CHAT and title in m.plain_text]


def is_marked_repeat(message: SentMessage) -> bool:
    return "possible repeat" in message.plain_text
