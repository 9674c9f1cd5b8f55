"""User story: one report whose feed dates it in the future does not silence the real news that follows it.

Its date is clamped to its arrival, and it is ordered there; but the incident's clock is not moved to that arrival,
so a report published after every other one (yet before the clamped one arrived) is news, told in a reply, not
context folded in silently. Real feed server, fake Bot API, real SQLite, the shipped rules; our own reports.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store
from tests.e2e.test_event_report_dates import report
from tests.e2e.test_incident_stories import Newsroom, new_messages, replies

CHAT = 6262
DAY = datetime(2026, 5, 19, tzinfo=UTC)

ATTACK = report("ridge-wire", "Three police officers killed in attack near Zvecan",
                "Three Kosovo police officers were killed when gunmen opened fire on a patrol near Zvecan in northern "
                "Kosovo, police said.", DAY + timedelta(hours=8))
AHEAD = report("ridge-wire", "Four police dead after Zvecan attack",
               "A fourth Kosovo police officer wounded in the attack near Zvecan in northern Kosovo died, police said.",
               DAY + timedelta(days=2, hours=9))   # the feed's clock is two days fast
# published at 09:30, after the attack's report and before the fast-dated one arrived (10:05); read at 11:05
ANSWER = report("lake-herald", "Serbia moves 5,000 troops to Kosovo line after Zvecan attack",
                "Serbia has deployed about 5,000 soldiers with tanks and artillery along the administrative line with "
                "Kosovo, hours after four police officers were killed in an attack near Zvecan, the defence ministry "
                "said.", DAY + timedelta(hours=9, minutes=30))


async def test_a_future_dated_report_does_not_turn_newer_real_reports_into_context(write_config, feed_server,
                                                                                    bot_api) -> None:
    room = Newsroom(write_config, feed_server, bot_api, ["ridge-wire", "lake-herald"])
    room.publish("ridge-wire", ATTACK, "attack")
    await room.poll(DAY + timedelta(hours=8, minutes=5), selectors=((CHAT, "all"),))
    [message] = new_messages(bot_api, CHAT)

    room.publish("ridge-wire", AHEAD, "ahead")
    await room.poll(DAY + timedelta(hours=10, minutes=5))
    [toll] = replies(bot_api, CHAT)
    assert "death toll now 4, was 3" in toll.plain_text

    room.publish("lake-herald", ANSWER, "answer")
    await room.poll(DAY + timedelta(hours=11, minutes=5))
    # the build-up is news: a reply under the one message, not a silent edit
    assert new_messages(bot_api, CHAT) == [message]
    [_, troops] = replies(bot_api, CHAT)
    assert troops.reply_to_message_id == message.message_id and "troops: 5,000" in troops.plain_text, troops.plain_text
    [event] = Store(room.config.database).events.recent(DAY - timedelta(days=1))
    # the incident's clock is the newest real publication time, not the fast-dated report's arrival
    assert event.latest_at == DAY + timedelta(hours=9, minutes=30)
