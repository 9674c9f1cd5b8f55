"""A user subscribes by tag and narrowed to regions; an alert reaches exactly the chats that asked for it."""

from __future__ import annotations

from bot.app import Beacon
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.feeds import CLASH, QUIET, rss

KOSOVO_WATCHER, UKRAINE_WATCHER, EVERYTHING, SERBIA_WATCHER = 501, 502, 503, 504


async def test_tags_and_regions_route_one_alert(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        script = [
            (KOSOVO_WATCHER, "/subscribe fatal-clash Kosovo", "Subscribed to fatal-clash in Kosovo"),
            (KOSOVO_WATCHER, "/subscribe fatal-clash kosvo", "Unknown region kosvo. Did you mean 'kosovo'?"),
            (KOSOVO_WATCHER, "/subscribe conflicts", "Did you mean 'conflict'?"),
            (UKRAINE_WATCHER, "/subscribe casualties ukraine", "Subscribed to rules tagged casualties in Ukraine"),
            (EVERYTHING, "/subscribe conflict", "Subscribed to rules tagged conflict"),
            (EVERYTHING, "/subscribe all", "Subscribed to all rules"),
            (EVERYTHING, "/subscribe fatal-clash north kosovo", "Subscribed to fatal-clash in north-kosovo"),
            (EVERYTHING, "/subscribe fatal-clash north-kosovo", "Already subscribed"),
            (SERBIA_WATCHER, "/subscribe tag:conflict Serbia, Bosnia and Herzegovina",
             "in Serbia; Bosnia and Herzegovina"),
        ]
        for chat, command, expected in script:
            assert expected in await say(bot_api, chat, command), command
        listing = await say(bot_api, EVERYTHING, "/subscriptions")
        assert "all rules — any region" in listing
        assert "fatal-clash — only north-kosovo" in listing
        assert "rules tagged conflict — any region" in listing

        replies = len(bot_api.sent)
        feed_server.serve("/feed", rss(CLASH, QUIET))   # Banjska: regions north-kosovo and Kosovo
        await bot_api.wait_for(lambda: {m.chat_id for m in bot_api.sent[replies:]} == {KOSOVO_WATCHER, EVERYTHING}
                               and all(r.status == "sent" for r in beacon.store.outbox.rows("telegram")),
                               timeout=15)
        alerts = bot_api.sent[replies:]
        assert sorted(m.chat_id for m in alerts) == [KOSOVO_WATCHER, EVERYTHING]   # one each, none elsewhere
        assert all("Banjska" in m.plain_text for m in alerts)
        assert sorted(r.chat_id for r in beacon.store.outbox.rows("telegram")) == [KOSOVO_WATCHER, EVERYTHING]

        assert "Unsubscribed from fatal-clash in Kosovo" in await say(bot_api, KOSOVO_WATCHER,
                                                                      "/unsubscribe fatal-clash kosovo")
        assert "no subscriptions" in await say(bot_api, KOSOVO_WATCHER, "/subscriptions")
        assert "about every region" in await say(bot_api, EVERYTHING, "/unsubscribe conflict kosovo")
        assert "Unsubscribed from rules tagged conflict" in await say(bot_api, EVERYTHING, "/unsubscribe conflict")
        assert "Muted rules tagged conflict here for 1h" in await say(bot_api, EVERYTHING, "/mute conflict 1h")
        assert "Unmuted" in await say(bot_api, EVERYTHING, "/unmute conflict")
    finally:
        await stop(beacon, task)
