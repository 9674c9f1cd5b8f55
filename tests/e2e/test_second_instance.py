"""A second process polls with the same token: Telegram answers 409 Conflict to one of them.

Beacon says so once (one error line, one admin notice), not on every retry, and keeps sending.
"""

from __future__ import annotations

import logging

import httpx

from bot.app import Beacon
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.feeds import CLASH, QUIET, rss

ADMIN, USER_CHAT = 4242, 5151
CONFLICTS = 3


async def test_a_second_poller_is_reported_once(write_config, feed_server, bot_api, tmp_path, caplog) -> None:
    feed_server.serve("/feed", rss(QUIET))
    config = telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path),
                             chats=f"[{USER_CHAT}]", admins=f"[{ADMIN}]")
    beacon = Beacon(config)
    caplog.set_level(logging.INFO)
    task = await start(beacon, bot_api)

    def beacon_polling() -> bool:
        return any(c.response_status == 0 for c in bot_api.calls_to("getUpdates"))

    def conflicts() -> int:
        return sum(c.response_status == 409 for c in bot_api.calls_to("getUpdates"))

    try:
        async with httpx.AsyncClient() as other_instance:
            for n in range(1, CONFLICTS + 1):
                # the other instance polls while Beacon's long poll waits: Telegram ends Beacon's with 409
                await bot_api.wait_for(beacon_polling, timeout=10)
                answer = await other_instance.post(f"{bot_api.base_url}{bot_api.token}/getUpdates",
                                                   data={"timeout": "0"})
                assert answer.json()["ok"]
                await bot_api.wait_for(lambda n=n: conflicts() >= n, timeout=10)
            feed_server.serve("/feed", rss(CLASH, QUIET))   # meanwhile news arrives: sending is unaffected
            await bot_api.wait_for(lambda: {m.chat_id for m in bot_api.sent} >= {ADMIN, USER_CHAT}, timeout=15)
        # the other instance stopped: commands reach Beacon again
        assert "Beacon commands" in await say(bot_api, USER_CHAT, "/help")
        # (counted before stopping: at shutdown PTB's last getUpdates ends the abandoned long poll with a 409 too)
        assert conflicts() == CONFLICTS
    finally:
        await stop(beacon, task)

    notices = [m for m in bot_api.sent if m.chat_id == ADMIN]
    assert len(notices) == 1 and "Another bot instance is polling" in notices[0].plain_text
    assert any("Banjska" in m.plain_text for m in bot_api.sent if m.chat_id == USER_CHAT)
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING and "getUpdates" not in r.getMessage()]
    said = [r.getMessage() for r in loud if "another bot instance is polling with this token" in r.getMessage()]
    assert len(said) == 1
    assert not [r for r in caplog.records if r.name.startswith("telegram") and r.levelno >= logging.ERROR]
