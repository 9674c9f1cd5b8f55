"""Two on-call chats narrowed to two places called Georgia (issue 11): a chat keeps a region by its key, not by
its name, so the chat on the US state and the chat on the country each get only their own report; a chat an
older version stored by a town's name ("kutaisi") is brought to the town's key at start-up and still gets it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Beacon
from bot.store import Store
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.feeds import QUIET, rss

US_STATE_WATCHER, COUNTRY_WATCHER, OLD_KUTAISI_WATCHER = 621, 622, 623

# our own reports, in the wire's words: a town written with its state, a town written with its country
SAVANNAH = {"guid": "savannah-2", "title": "Two killed in shoot-out in Savannah, Georgia",
            "link": "https://news.example/savannah-2", "description": "Two men were killed in a shoot-out outside a "
                                                                       "bar late on Saturday, police said."}
KUTAISI = {"guid": "kutaisi-1", "title": "Three killed in shoot-out in Kutaisi, Georgia",
           "link": "https://news.example/kutaisi-1", "description": "Three people were killed in a shoot-out between "
                                                                     "rival gangs in the city centre."}


async def test_a_chat_on_the_us_state_and_a_chat_on_the_country_each_get_their_own(
        write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", rss(QUIET))
    config = telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path))
    # as an older version stored it: the slug of the town's name
    older = Store(config.store_location)
    older.chats.subscribe(OLD_KUTAISI_WATCHER, "fatal-clash", datetime(2026, 1, 1, tzinfo=UTC), regions=["kutaisi"])
    older.close()
    beacon = Beacon(config)
    assert [s.regions for s in beacon.store.chats.subscriptions(OLD_KUTAISI_WATCHER)] == [("city:613607",)]
    task = await start(beacon, bot_api)
    try:
        # the reply shows the name, with its country where the name alone is not enough
        assert "Subscribed to fatal-clash in Georgia, United States" in await say(
            bot_api, US_STATE_WATCHER, "/subscribe fatal-clash us-ga")
        answer = await say(bot_api, COUNTRY_WATCHER, "/subscribe fatal-clash Georgia")
        assert "Subscribed to fatal-clash in Georgia." in answer
        assert [s.regions for s in beacon.store.chats.subscriptions(US_STATE_WATCHER)] == [("us-ga",)]
        assert [s.regions for s in beacon.store.chats.subscriptions(COUNTRY_WATCHER)] == [("georgia",)]
        assert "only Georgia, United States" in await say(bot_api, US_STATE_WATCHER, "/subscriptions")

        replies = len(bot_api.sent)
        feed_server.serve("/feed", rss(SAVANNAH, KUTAISI, QUIET))
        await bot_api.wait_for(lambda: len(beacon.store.outbox.rows("telegram")) >= 3
                               and all(r.status == "sent" for r in beacon.store.outbox.rows("telegram")),
                               timeout=20)
        got: dict[int, list[str]] = {}
        for message in bot_api.sent[replies:]:
            got.setdefault(message.chat_id, []).append(message.plain_text)
        assert [("Savannah" in text, "Kutaisi" in text) for text in got[US_STATE_WATCHER]] == [(True, False)]
        assert [("Savannah" in text, "Kutaisi" in text) for text in got[COUNTRY_WATCHER]] == [(False, True)]
        assert [("Kutaisi" in text) for text in got[OLD_KUTAISI_WATCHER]] == [True]
    finally:
        await stop(beacon, task)

