"""Muting one region from the chat: its alerts are recorded as muted, others still arrive."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Beacon
from bot.config import MuteConfig
from bot.models import Alert, Article, Match, Severity, Target
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config

CHAT = 4242


async def test_mute_a_region_then_unmute(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        assert "Did you mean" in await say(bot_api, CHAT, "/mute region:kosovoo 1h")
        answer = await say(bot_api, CHAT, "/mute region:Kosovo 1h")
        assert "Muted alerts about Kosovo here for 1h" in answer
        assert "region:kosovo" in await say(bot_api, CHAT, "/mutes")
        now = beacon.now()
        alerts = [Alert(Article("wire", title, guid=title), Match("clash", "Clash", Severity.HIGH, regions=regions),
                        now) for title, regions in (("In Kosovo", ("north-kosovo", "Kosovo")), ("In Mali", ("Mali",)))]
        beacon.store.commit_articles("wire", [a.article for a in alerts], alerts,
                                     lambda _a: [Target("telegram", CHAT)], now)
        kosovo, mali = [r.status for r in beacon.store.outbox.rows("telegram")][-2:]
        assert kosovo == "muted"                        # recorded, never sent
        assert mali in ("pending", "sending", "sent")   # another region still goes out
        assert "Unmuted" in await say(bot_api, CHAT, "/unmute region:kosovo")
        assert beacon.store.chats.active_mutes(now + timedelta(seconds=1), CHAT) == []
    finally:
        await stop(beacon, task)


async def test_config_mutes_apply_to_every_chat(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    config = telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path))
    config = config.model_copy(update={"events": config.events.model_copy(update={"mutes": [
        MuteConfig(match="region:kosovo", until="2999-01-01T00:00:00")]})})
    beacon = Beacon(config)
    task = await start(beacon, bot_api)
    try:
        assert "region:kosovo" in await say(bot_api, 99, "/mutes") and "config" in await say(bot_api, 7, "/mutes")
        now = beacon.now()
        alert = Alert(Article("wire", "In Kosovo", guid="k"), Match("clash", "Clash", Severity.HIGH,
                                                                      regions=("Kosovo",)), now)
        beacon.store.commit_articles("wire", [alert.article], [alert], lambda _a: [Target("telegram", 7)], now)
        assert [r.status for r in beacon.store.outbox.rows("telegram")] == ["muted"]
    finally:
        await stop(beacon, task)
