"""Chat settings through Telegram: each command stores its value, and bad input gets a clear answer."""

from __future__ import annotations

import pytest

from bot.app import Beacon
from bot.store import ChatSettings
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config

CHAT = 4242
GROUP, TOPIC = -1009876, 5


SCRIPT = [
    # (command, expected in the answer, settings afterwards as (timezone, quiet, digest, silent_below))
    ("/settings", "Time zone: UTC (default)", (None, None, None, None)),
    ("/timezone", "Time zone here: UTC (default)", (None, None, None, None)),
    ("/timezone Europe/Belgrad", "Unknown time zone Europe/Belgrad. Did you mean 'Europe/Belgrade'?",
     (None, None, None, None)),
    ("/timezone europe/belgrade", "Time zone set to Europe/Belgrade", ("Europe/Belgrade", None, None, None)),
    ("/quiet", "Use /quiet 23:00-07:00", ("Europe/Belgrade", None, None, None)),
    ("/quiet 25:00-07:00", "25:00-07:00 is not a time window", ("Europe/Belgrade", None, None, None)),
    ("/quiet 23:00-23:00", "different times", ("Europe/Belgrade", None, None, None)),
    ("/quiet 23:00-07:00 Mars/Base", "Unknown time zone Mars/Base", ("Europe/Belgrade", None, None, None)),
    ("/quiet 23:00-07:00", "Quiet hours 23:00–07:00 (Europe/Belgrade)",
     ("Europe/Belgrade", "23:00-07:00", None, None)),
    ("/quiet 22:30 - 6:00 America/New_York", "Quiet hours 22:30–06:00 (America/New_York)",
     ("America/New_York", "22:30-06:00", None, None)),
    ("/digest weekly", "Unknown digest weekly", ("America/New_York", "22:30-06:00", None, None)),
    ("/digest", "Use /digest hourly", ("America/New_York", "22:30-06:00", None, None)),
    ("/digest daily", "gathered into a daily digest", ("America/New_York", "22:30-06:00", "daily", None)),
    ("/silent loud", "Unknown severity loud", ("America/New_York", "22:30-06:00", "daily", None)),
    ("/silent high", "Silent: info, low, medium alerts arrive without sound",
     ("America/New_York", "22:30-06:00", "daily", "high")),
    ("/settings", "Quiet hours: 22:30–06:00 (America/New_York)", ("America/New_York", "22:30-06:00", "daily", "high")),
    ("/silent off", "every alert makes a sound", ("America/New_York", "22:30-06:00", "daily", "info")),
    ("/digest off", "Digest off", ("America/New_York", "22:30-06:00", None, "info")),
    ("/quiet off", "Quiet hours off", ("America/New_York", None, None, "info")),
    ("/timezone off", "reset to UTC", (None, None, None, "info")),
]


async def test_settings_conversation(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        names = {c["command"] for c in bot_api.commands or []}
        assert {"settings", "timezone", "quiet", "digest", "silent"} <= names
        assert "/quiet 23:00-07:00" in await say(bot_api, CHAT, "/help")
        for command, expected, after in SCRIPT:
            answer = await say(bot_api, CHAT, command)
            assert expected in answer, (command, answer)
            assert beacon.store.chats.settings(CHAT) == ChatSettings(CHAT, *after), command
        # a group's settings are the group's, whichever topic they were set in
        assert "Time zone set to Asia/Tokyo" in await say(bot_api, GROUP, "/timezone Asia/Tokyo",
                                                          chat_type="supergroup", message_thread_id=TOPIC)
        assert beacon.store.chats.settings(GROUP).timezone == "Asia/Tokyo"
        assert beacon.store.chats.settings(CHAT).timezone is None
    finally:
        await stop(beacon, task)


@pytest.mark.parametrize("command", ["/timezone Europe/Belgrade", "/quiet off", "/settings"])
async def test_settings_respect_the_allowlist(write_config, feed_server, bot_api, tmp_path, command) -> None:
    feed_server.serve("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path),
                                    allowed_chats="[1]"))
    task = await start(beacon, bot_api)
    try:
        assert "not allowed to use this Beacon" in await say(bot_api, CHAT, command)
        assert beacon.store.chats.settings(CHAT) == ChatSettings(CHAT)
    finally:
        await stop(beacon, task)
