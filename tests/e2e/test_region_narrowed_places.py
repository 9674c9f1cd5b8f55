"""On-call analysts narrowed to a region get the alerts about it (issue 11): a town the operator's regions file
lists, a town of central Serbia, a US town written with its state; and a mute of the operator's region holds."""

from __future__ import annotations

from bot.app import Beacon
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.feeds import QUIET, rss

NORTH_WATCHER, BELGRADE_WATCHER, US_GEORGIA_WATCHER, EVERY_CLASH_BUT_NORTH = 611, 612, 613, 614

# our own reports, in the wire's words
ZVECAN = {"guid": "zvecan-1", "title": "Gunmen kill police officer near Zvecan in northern Kosovo",
          "link": "https://news.example/zvecan", "description": "A patrol came under fire in an ambush before dawn; "
                                                                 "one officer was killed."}
VRANJE = {"guid": "vranje-1", "title": "Gunmen kill two police officers in Vranje",
          "link": "https://news.example/vranje", "description": "Two officers were killed in a shoot-out at a "
                                                                 "checkpoint on the southern road."}
SAVANNAH = {"guid": "savannah-1", "title": "Two killed in shoot-out in Savannah, Georgia",
            "link": "https://news.example/savannah", "description": "Two men were killed in a shoot-out near the "
                                                                     "river front late on Friday."}


async def test_region_narrowed_chats_get_the_towns_of_their_region(write_config, feed_server, bot_api,
                                                                    tmp_path) -> None:
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        script = [
            (NORTH_WATCHER, "/subscribe fatal-clash north-kosovo", "Subscribed to fatal-clash in north-kosovo"),
            (BELGRADE_WATCHER, "/subscribe fatal-clash beograd", "Subscribed to fatal-clash in Beograd, Serbia"),
            # a chat keeps a region by its key (`us-ga`), and is shown its name with its country
            (US_GEORGIA_WATCHER, "/subscribe fatal-clash us-ga", "Subscribed to fatal-clash in Georgia, United States"),
            (EVERY_CLASH_BUT_NORTH, "/subscribe fatal-clash", "Subscribed to fatal-clash"),
            (EVERY_CLASH_BUT_NORTH, "/mute region:north-kosovo 1h", "Muted alerts about north-kosovo here for 1h"),
        ]
        for chat, command, expected in script:
            assert expected in await say(bot_api, chat, command), command

        replies = len(bot_api.sent)
        feed_server.serve("/feed", rss(ZVECAN, VRANJE, SAVANNAH, QUIET))
        await bot_api.wait_for(lambda: len(beacon.store.outbox.rows("telegram")) >= 4
                               and all(r.status in ("sent", "muted") for r in beacon.store.outbox.rows("telegram")),
                               timeout=20)
        got: dict[int, list[str]] = {}
        for message in bot_api.sent[replies:]:
            got.setdefault(message.chat_id, []).append(message.plain_text)
        # Zvečan is listed under north-kosovo: the north's watcher gets it, as a report about north-kosovo
        assert [("Zvecan" in text) for text in got[NORTH_WATCHER]] == [True]
        # Vranje is in central Serbia, not in the Belgrade division: that watcher gets nothing
        assert BELGRADE_WATCHER not in got
        # "Savannah, Georgia" is the US town, in the US state
        assert [("Savannah" in text) for text in got[US_GEORGIA_WATCHER]] == [True]
        # the mute of north-kosovo silences the Zvečan report in that chat, and only it
        assert sorted("Vranje" in text for text in got[EVERY_CLASH_BUT_NORTH]) == [False, True]
        statuses = {(r.chat_id, r.status) for r in beacon.store.outbox.rows("telegram")}
        assert (EVERY_CLASH_BUT_NORTH, "muted") in statuses
    finally:
        await stop(beacon, task)
