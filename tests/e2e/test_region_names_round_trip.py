"""User story: whatever region name the bot prints can be typed back, and a name it does not take gets the right
suggestion. "Georgia, United States" (as `/subscriptions` shows the US state) subscribes to the state and
unsubscribes from it, never the country Georgia plus the whole US; "Kosovo north" and "North Mitrovica" point at
north-kosovo, and "Kosovo north" is no longer Kosovo plus Cameroon's North division.

Real fake Bot API, real SQLite, a running Beacon and the shipped regions file.
"""

from __future__ import annotations

from bot.app import Beacon
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.feeds import QUIET, rss

ATLANTA_DESK = 631


async def test_the_names_the_bot_prints_are_taken_back(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        answer = await say(bot_api, ATLANTA_DESK, "/subscribe all Georgia, United States")
        assert "Subscribed to all rules in Georgia, United States" in answer, answer
        assert [s.regions for s in beacon.store.chats.subscriptions(ATLANTA_DESK)] == [("us-ga",)]
        listed = await say(bot_api, ATLANTA_DESK, "/subscriptions")
        assert "only Georgia, United States" in listed
        answer = await say(bot_api, ATLANTA_DESK, "/unsubscribe all Georgia, United States")
        assert "not subscribed" not in answer, answer
        assert beacon.store.chats.subscriptions(ATLANTA_DESK) == []

        for typed in ("Kosovo north", "North Mitrovica", "Mitrovica"):
            answer = await say(bot_api, ATLANTA_DESK, f"/subscribe fatal-clash {typed}")
            assert "Did you mean north-kosovo" in answer, (typed, answer)
            assert "zirovnica" not in answer and "Cameroon" not in answer
        assert beacon.store.chats.subscriptions(ATLANTA_DESK) == []
        assert "Subscribed to fatal-clash in north-kosovo" in await say(bot_api, ATLANTA_DESK,
                                                                        "/subscribe fatal-clash north-kosovo")
    finally:
        await stop(beacon, task)
