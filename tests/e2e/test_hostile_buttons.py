"""Buttons and arguments a modified client can send: each gets a clear answer, none a traceback or a row.

Real poller, store and python-telegram-bot against the fake Bot API; the presses are callback
queries with hand-written data, as a client that edits its buttons would send them.
"""

from __future__ import annotations

import logging

import pytest

from bot.app import Beacon
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.fakes.bot_api import FakeBotAPI
from tests.feeds import CLASH, rss

CHAT, STRANGER = 4242, 5151


async def press(bot_api: FakeBotAPI, chat_id: int, message_id: int, data: str) -> str:
    """Press a button with this data and return Telegram's toast (the answerCallbackQuery text)."""
    count = len(bot_api.answered_callbacks)
    bot_api.push_callback_query(chat_id, message_id, data, username="mallory")
    await bot_api.wait_for(lambda: len(bot_api.answered_callbacks) > count, timeout=10)
    return str(bot_api.answered_callbacks[count].get("text", ""))


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info is not None]


async def test_hostile_button_data_and_arguments(write_config, feed_server, bot_api, tmp_path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    feed_server.serve("/feed", rss(CLASH))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    beacon.store.chats.subscribe(CHAT, "all", beacon.now())
    task = await start(beacon, bot_api)
    try:
        [alert] = await bot_api.wait_for_sent(1, timeout=10)
        assert alert.chat_id == CHAT
        await bot_api.wait_for(lambda: [d.status for d in beacon.store.outbox.rows()] == ["sent"], timeout=10)
        alert_id = beacon.store.outbox.rows()[0].alert_id
        caplog.clear()
        with caplog.at_level(logging.DEBUG):
            # digits that are not ASCII, and numbers past SQLite's 64-bit integers
            for data in ("ack:²", "ack:99999999999999999999999", "ack:-1", "ack:0", "ack:", "ack: 1",
                         "mute:fatal-clash:99999999999999", "mute:fatal-clash:³", "mute:fatal-clash:0",
                         "mute:fatal-clash:", "mute::3600", "sub:Fatal Clash", "nonsense", ""):
                assert await press(bot_api, CHAT, alert.message_id, data) == "Unknown button", data

            # the Mute button names a rule that is not loaded: refused like /mute refuses it
            assert "no longer loaded" in await press(bot_api, CHAT, alert.message_id, "mute:no-such-rule:3600")
            assert "no longer loaded" in await press(bot_api, CHAT, alert.message_id, "mute:#0123456789abcdef:60")
            assert beacon.store.chats.active_mutes(beacon.now(), CHAT) == []

            # a mute longer than a year, by command: a clear refusal
            answer = await say(bot_api, CHAT, "/mute all 99999999999d")
            assert "is too long: at most 365d" in answer
            assert "too long to be a duration" in await say(bot_api, CHAT, "/mute all " + "9" * 400)
            assert beacon.store.chats.active_mutes(beacon.now(), CHAT) == []

            # a mute by an alert this chat was never sent, and by one that does not exist
            answer = await press(bot_api, STRANGER, 1, f"mute:@{alert_id}:3600")
            assert answer == "This chat was not sent that alert, so it cannot mute it here."
            assert "cannot mute it here" in await press(bot_api, CHAT, alert.message_id, "mute:@999999:3600")
            assert beacon.store.chats.active_mutes(beacon.now(), STRANGER) == []

            # an acknowledgement forged in a chat that was never sent the alert
            answer = await press(bot_api, STRANGER, 1, f"ack:{alert_id}")
            assert answer == "This chat was not sent that alert, so it cannot acknowledge it here."
            assert beacon.store.escalations.acknowledgement(alert_id, STRANGER) is None
            assert bot_api.edits == []

            # the real buttons still work
            assert (await press(bot_api, CHAT, alert.message_id, "mute:fatal-clash:3600")).startswith(
                "Muted fatal-clash here until")
            assert [m.selector for m in beacon.store.chats.active_mutes(beacon.now(), CHAT)] == ["fatal-clash"]
            assert await press(bot_api, CHAT, alert.message_id, f"ack:{alert_id}") == "Acknowledged by @mallory"
            acknowledged = beacon.store.escalations.acknowledgement(alert_id, CHAT)
            assert acknowledged is not None and acknowledged[0] == "@mallory"
        assert tracebacks(caplog) == []
    finally:
        await stop(beacon, task)
