"""`beacon run` with `database: postgresql://...`: the feed server, the fake Bot API and a real PostgreSQL.

A chat subscribes, a report is published, the alert arrives; every row lives in PostgreSQL (no SQLite
file is made), and a restarted Beacon on the same database remembers the chat and what it has seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg

from bot.app import Beacon
from bot.config import Config
from tests.conftest import DATA
from tests.e2e.telegram_setup import start, stop, telegram_config
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import CLASH, QUIET, rss

CHAT = 5150


async def test_an_alert_is_delivered_with_the_state_on_postgresql(write_config: Callable[..., Config],
                                                                   feed_server: FeedServer, bot_api: FakeBotAPI,
                                                                   postgres_url: str) -> None:
    feed_server.serve("/feed", rss(QUIET))
    config = telegram_config(write_config, feed_server, bot_api, DATA / "rules", database=postgres_url)
    assert config.store_location.kind == "postgresql"
    beacon = Beacon(config)
    task = await start(beacon, bot_api)
    try:
        bot_api.push_message(CHAT, "/subscribe fatal-clash")
        [reply] = await bot_api.wait_for_sent(1, timeout=10)
        assert "Subscribed to" in reply.text
        feed_server.serve("/feed", rss(CLASH, QUIET))
        sent = await bot_api.wait_for_sent(2, timeout=15)
        assert sent[1].chat_id == CHAT and "Police officer killed in Banjska ambush" in sent[1].text
    finally:
        await stop(beacon, task)

    assert not (config.data_dir / "beacon.sqlite3").exists()    # nothing went to a SQLite file on the side
    with psycopg.connect(postgres_url) as pg:
        assert pg.execute("SELECT chat_id, selector FROM subscriptions").fetchall() == [(CHAT, "fatal-clash")]
        assert pg.execute("SELECT chat_id, status FROM outbox").fetchall() == [(CHAT, "sent")]
        seen = pg.execute("SELECT count(*) FROM seen WHERE source = 'wire'").fetchone()
        assert seen is not None and seen[0] >= 2

    # a restart on the same database: the chat is still subscribed, the reports already seen stay quiet
    again = Beacon(telegram_config(write_config, feed_server, bot_api, DATA / "rules", database=postgres_url))
    polls = feed_server.hits("/feed")
    task = await start(again, bot_api)
    try:
        await bot_api.wait_for(lambda: feed_server.hits("/feed") >= polls + 1, timeout=10)
        await asyncio.sleep(0.3)
        assert len(bot_api.sent) == 2
        assert [s.chat_id for s in again.store.chats.subscriptions()] == [CHAT]
    finally:
        await stop(again, task)
