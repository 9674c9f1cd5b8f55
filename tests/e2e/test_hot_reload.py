"""Editing rules while Beacon runs: good edits take effect, bad ones are refused and reported."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import Beacon
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import QUIET, rss

ADMIN = 777
USER = 4242
CEASEFIRE = {"guid": "c1", "title": "Ceasefire agreed in the north", "description": "Both sides agreed a truce."}
CURFEW = {"guid": "c2", "title": "Curfew imposed in the capital", "description": "Streets were empty."}


async def test_hot_reload(tmp_path: Path, write_config, feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "ceasefire.yaml").write_text("id: ceasefire\ntitle: Ceasefire\nwhen: {terms: [ceasefire]}\n")
    feed_server.serve("/feed", rss(QUIET))
    config = write_config(f"""
        sources: [{{name: wire, url: "{feed_server.url('/feed')}", interval: 1s}}]
        rules_dir: {rules_dir}
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
          admins: [{ADMIN}]
          chats: [{USER}]
        delivery: {{chat_interval: 0.05}}
    """)
    beacon = Beacon(config)
    task = asyncio.create_task(beacon.run())
    try:
        await bot_api.wait_for(lambda: bool(bot_api.calls_to("getUpdates")), timeout=10)
        # a broken edit: refused, reported to the admin with file and line, old rules keep running
        (rules_dir / "curfew.yaml").write_text("id: curfew\ntitle: Curfew\nseverity: hgh\nwhen: {terms: [curfew]}\n")
        await bot_api.wait_for(lambda: any(m.chat_id == ADMIN for m in bot_api.sent), timeout=10)
        [notice] = [m for m in bot_api.sent if m.chat_id == ADMIN]
        assert "rejected" in notice.text
        assert f"{rules_dir / 'curfew.yaml'}:3:11: unknown severity 'hgh'" in notice.text
        feed_server.serve("/feed", rss(QUIET, CEASEFIRE))
        await bot_api.wait_for(lambda: any("Ceasefire agreed" in m.text for m in bot_api.sent), timeout=10)
        # the fix takes effect without a restart
        (rules_dir / "curfew.yaml").write_text("id: curfew\ntitle: Curfew\nseverity: high\nwhen: {terms: [curfew]}\n")
        await bot_api.wait_for(lambda: beacon.ruleset.get("curfew") is not None, timeout=10)
        feed_server.serve("/feed", rss(QUIET, CEASEFIRE, CURFEW))
        await bot_api.wait_for(lambda: any("Curfew imposed" in m.text for m in bot_api.sent), timeout=10)
    finally:
        beacon.stop()
        assert await asyncio.wait_for(task, 15) == 0
    assert len([m for m in bot_api.sent if m.chat_id == ADMIN]) == 1
