"""A chat subscribed to everything reads a clash that a build-up rule also matches: two messages for the first
report (the clash and the build-up it tells, as docs/events.md decides), and no third when a later report of the
same clash tells the build-up again in other words; it joins the build-up told with the clash it joins (real feed
server, store and python-telegram-bot, fake Bot API, a clock the test moves ahead)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Beacon
from tests.clocks import SkippingClock
from tests.e2e.telegram_setup import start, stop, tagged_rules, telegram_config
from tests.feeds import rss

NOW = datetime(2023, 9, 24, 18, 0, tzinfo=UTC)
EVERYTHING = 5151

# matches fatal-clash (an ambush, killed) and troop-buildup (forces, deployment) of tests/e2e/telegram_setup.py
AMBUSH = {"guid": "c-1", "title": "Officer killed in ambush near Banjska as police forces deployment is ordered",
          "link": "https://news.example/c-1", "pubDate": "Sun, 24 Sep 2023 06:00:00 GMT",
          "description": "A Kosovo police officer was killed in an ambush near the village of Banjska early on "
                         "Sunday. The government ordered a deployment of special police forces to the north."}
# fatal-clash only: the toll rises, in words the build-up never had
SHOOT_OUT = {"guid": "c-2", "title": "Three gunmen killed in Banjska monastery shoot-out, toll of attack at four",
             "link": "https://news.example/c-2", "pubDate": "Sun, 24 Sep 2023 10:00:00 GMT",
             "description": "Three gunmen who had ambushed the patrol near Banjska and barricaded themselves in the "
                            "monastery were killed in a shoot-out with special units, bringing the toll of the "
                            "attack to four, police said."}
# both rules again: it shares the shoot-out's words, and little with the first report's
AFTER = {"guid": "c-3", "title": "Monastery shoot-out over: four dead, gunmen's arms cache seized",
         "link": "https://news.example/c-3", "pubDate": "Sun, 24 Sep 2023 14:00:00 GMT",
         "description": "The shoot-out at the monastery is over and four are dead, killed in the clash between "
                        "gunmen and special units; troops continue their deployment along the boundary line."}


async def test_a_later_report_of_the_clash_telling_the_build_up_again_gives_no_second_build_up_message(
        write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", rss(AMBUSH))
    config = telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path))
    clock = SkippingClock(NOW)
    beacon = Beacon(config, now=clock, monotonic=clock.monotonic)
    beacon.store.chats.subscribe(EVERYTHING, "all", NOW)
    task = await start(beacon, bot_api)
    try:
        first = await bot_api.wait_for_sent(2, timeout=10)
        titles = sorted(m.plain_text.split("\n")[0] for m in first)
        assert any("Fatal armed clash" in t for t in titles) and any("Troop build-up" in t for t in titles)

        feed_server.serve("/feed", rss(SHOOT_OUT, AMBUSH))
        await bot_api.wait_for(lambda: any("now 4" in m.plain_text for m in bot_api.sent), timeout=15)

        feed_server.serve("/feed", rss(AFTER, SHOOT_OUT, AMBUSH))

        def clash_reports() -> int:
            return max((e.reports for e in beacon.store.events.recent(NOW.replace(hour=0))
                        if e.rule_id == "fatal-clash"), default=0)

        await bot_api.wait_for(lambda: clash_reports() == 3, timeout=15)
        events = beacon.store.events.recent(NOW.replace(hour=0))
        # the build-up shares few words with the third report; it joins as the build-up told with the clash
        assert sorted((e.rule_id, e.reports) for e in events) == [("fatal-clash", 3), ("troop-buildup", 2)]
        new_messages = [m for m in bot_api.sent if m.chat_id == EVERYTHING and m.reply_to_message_id is None]
        assert len(new_messages) == 2, [m.plain_text for m in new_messages]
    finally:
        await stop(beacon, task)
