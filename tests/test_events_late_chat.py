"""A chat that joins an incident only through a later report: it gets the incident once, as one message, and
every further report edits that message and replies under it (real feed server, store and
python-telegram-bot, fake Bot API, a clock the test moves ahead)."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import Beacon
from bot.config import Config
from bot.enums import AlertAction, OutboxStatus
from tests.clocks import SkippingClock
from tests.e2e.telegram_setup import start, stop, tagged_rules, telegram_config
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss
from tests.test_events_escalation import NOW

EVERYTHING, SIEGE_DESK = 6161, 7272
# shares `conflict` with fatal-clash, so a report both match is one incident; it matches only once a report
# tells of the siege, the second report on
SIEGE_RULE = """
- id: monastery-siege
  title: Armed siege of a religious site
  severity: high
  tags: [conflict]
  when:
    all:
      - terms: [siege, besieged]
      - terms: [monastery, church, mosque]
"""
AMBUSH = {"guid": "s-1", "title": "Police officer killed in ambush near Banjska",
          "link": "https://news.example/s-1", "pubDate": "Sun, 24 Sep 2023 06:00:00 GMT",
          "description": "Gunmen ambushed a Kosovo police patrol near the village of Banjska, killing one officer "
                         "and wounding another, police said."}
SIEGE = {"guid": "s-2", "title": "Banjska ambush: gunmen under siege at monastery, four killed",
         "link": "https://news.example/s-2", "pubDate": "Sun, 24 Sep 2023 11:00:00 GMT",
         "description": "Four people have been killed since the ambush of the Kosovo police patrol near Banjska; "
                        "the gunmen are besieged at the monastery, where police are holding the siege."}
TOLL = {"guid": "s-3", "title": "Banjska ambush toll rises to six as monastery siege ends",
        "link": "https://news.example/s-3", "pubDate": "Sun, 24 Sep 2023 16:00:00 GMT",
        "description": "Six people have now been killed in the ambush near Banjska and the siege at the "
                       "monastery, which ended when the last gunmen fled, police said."}


def config(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI, tmp_path) -> Config:
    feed_server.serve("/feed", rss(AMBUSH))
    return telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path, SIEGE_RULE))


async def test_a_chat_that_joins_on_the_second_report_gets_one_message_then_edits_and_replies(
        write_config, feed_server, bot_api, tmp_path) -> None:
    clock = SkippingClock(NOW)
    beacon = Beacon(config(write_config, feed_server, bot_api, tmp_path), now=clock, monotonic=clock.monotonic)
    beacon.store.chats.subscribe(EVERYTHING, "all", NOW)
    beacon.store.chats.subscribe(SIEGE_DESK, "monastery-siege", NOW)
    task = await start(beacon, bot_api)
    try:
        [first] = await bot_api.wait_for_sent(1, timeout=10)
        assert first.chat_id == EVERYTHING and "Fatal armed clash" in first.plain_text

        # the siege report: the incident now matches the desk's rule, so the desk gets it whole, once
        feed_server.serve("/feed", rss(SIEGE, AMBUSH))
        await bot_api.wait_for(lambda: any(m.chat_id == SIEGE_DESK for m in bot_api.sent), timeout=15)
        [joined] = [m for m in bot_api.sent if m.chat_id == SIEGE_DESK]

        def desk_message_text() -> str:
            return str((bot_api.message(SIEGE_DESK, joined.message_id) or {}).get("text", ""))

        assert joined.reply_to_message_id is None
        assert "Armed siege of a religious site" in joined.plain_text and "killed: 4" in joined.plain_text
        await bot_api.wait_for(lambda: any(m.chat_id == EVERYTHING and m.reply_to_message_id == first.message_id
                                           for m in bot_api.sent), timeout=15)

        # the third report: an edit of the desk's message and a reply under it, never a second full message
        feed_server.serve("/feed", rss(TOLL, SIEGE, AMBUSH))
        await bot_api.wait_for(lambda: sum("now 6" in m.plain_text for m in bot_api.sent) == 2, timeout=15)
        in_desk = [m for m in bot_api.sent if m.chat_id == SIEGE_DESK]
        assert len(in_desk) == 2, [m.plain_text for m in in_desk]
        assert in_desk[1].reply_to_message_id == joined.message_id
        assert "death toll now 6, was 4" in in_desk[1].plain_text
        await bot_api.wait_for(lambda: "killed: 6" in desk_message_text(), timeout=10)   # edited in place

        [event] = beacon.store.events.recent(NOW.replace(hour=0))
        def desk_rows() -> list[tuple[AlertAction, OutboxStatus]]:
            return [(r.action, r.status) for r in beacon.store.events.deliveries(event.id, SIEGE_DESK)]

        # two update rows in the desk: the first sent the incident whole, the second edited it and replied
        await bot_api.wait_for(lambda: desk_rows() == [(AlertAction.UPDATE, OutboxStatus.SENT)] * 2, timeout=10)
        assert len([m for m in bot_api.sent if m.chat_id == SIEGE_DESK]) == 2
    finally:
        await stop(beacon, task)
