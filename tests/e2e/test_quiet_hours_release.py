"""User story: an alert held by quiet hours goes out as soon as the chat turns them off or moves them.

Held rows used to keep the end time of the quiet hours that held them, so `/quiet off` at 23:30 still kept the
night's alert until 07:00. Changing quiet hours, the time zone or the digest decides what is held again: what no
longer waits is sent at once, as the digest of held alerts the docs describe.

Real feed server, fake Bot API, real SQLite, a running Beacon with a clock that starts at 23:30 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Beacon
from bot.enums import OutboxStatus
from tests.clocks import SkippingClock
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.feeds import QUIET, rss

NIGHT_OWL = 9301
START = datetime(2026, 6, 2, 23, 30, tzinfo=UTC)

# our own reports; fatal-clash is `high`, so quiet hours hold it (critical alerts are never held)
SHOOT_OUT = {"guid": "s1", "title": "Two killed in shoot-out at a checkpoint near Raska",
             "link": "https://news.example/s1", "description": "Two men were killed in a shoot-out with police."}
AMBUSH = {"guid": "a1", "title": "Gunmen kill a guard in ambush on a convoy near Novi Pazar",
          "link": "https://news.example/a1", "description": "One guard was killed when gunmen ambushed a convoy."}


def held_rows(beacon: Beacon) -> list[str]:
    return [r.status for r in beacon.store.outbox.rows("telegram") if r.status == OutboxStatus.HELD]


async def test_turning_quiet_hours_off_or_moving_them_releases_what_they_hold(write_config, feed_server, bot_api,
                                                                             tmp_path) -> None:
    clock = SkippingClock(START)
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)), now=clock,
                    monotonic=clock.monotonic)
    task = await start(beacon, bot_api)
    try:
        assert "Subscribed to fatal-clash" in await say(bot_api, NIGHT_OWL, "/subscribe fatal-clash")
        assert "Quiet hours 23:00–07:00 (UTC)" in await say(bot_api, NIGHT_OWL, "/quiet 23:00-07:00")
        feed_server.serve("/feed", rss(SHOOT_OUT, QUIET))
        await bot_api.wait_for(lambda: held_rows(beacon) == ["held"], timeout=20)
        # /events tells the incident as this chat lived it: held, not "alerted"
        listed = await say(bot_api, NIGHT_OWL, "/events")
        assert "held here (quiet hours (23:00-07:00)), not sent yet" in listed and "alerted" not in listed, listed
        before = len(bot_api.sent)

        answer = await say(bot_api, NIGHT_OWL, "/quiet off")
        assert answer == "🔔 Quiet hours off: alerts arrive at any hour. 1 held alert now sent as one digest."
        [digest] = (await bot_api.wait_for_sent(before + 2, timeout=10))[before + 1:]
        assert digest.chat_id == NIGHT_OWL
        assert digest.plain_text.startswith("🗞 Digest: 1 alert held (quiet hours (23:00-07:00))")
        assert "Two killed in shoot-out" in digest.plain_text
        assert held_rows(beacon) == []
        assert "told here in a digest" in await say(bot_api, NIGHT_OWL, "/events")

        # quiet again, a second report is held; a time zone where it is morning (08:30 in Tokyo) releases it
        assert "Quiet hours" in await say(bot_api, NIGHT_OWL, "/quiet 23:00-07:00")
        feed_server.serve("/feed", rss(AMBUSH, SHOOT_OUT, QUIET))
        await bot_api.wait_for(lambda: held_rows(beacon) == ["held"], timeout=20)
        before = len(bot_api.sent)
        answer = await say(bot_api, NIGHT_OWL, "/timezone Asia/Tokyo")
        assert answer.endswith("1 held alert now sent as one digest."), answer
        [digest] = (await bot_api.wait_for_sent(before + 2, timeout=10))[before + 1:]
        assert "Gunmen kill a guard" in digest.plain_text
    finally:
        await stop(beacon, task)
