"""/events in Telegram: the last day's incidents with their facts, sources and updates, in the chat's timezone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.app import Beacon
from bot.events import decide_alerts
from bot.ingest import BatchEvents
from bot.models import Article, Match, Severity, Target
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config

CHAT = 4242


async def test_events_command(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        assert "No events in the last 24 hours" in await say(bot_api, CHAT, "/events")
        beacon.store.chats.set_setting(1, "timezone", "Asia/Tokyo")
        now = beacon.now()
        for n, (source, text, killed) in enumerate([
                ("wire", "Gunmen killed a police officer near Banjska monastery, police in Banjska said.", 1),
                ("herald", "Three gunmen were killed at Banjska monastery; the Banjska toll rose to four.", 4)]):
            article = Article(source, "Banjska shooting", text, guid=f"g{n}")
            match = Match("clash", "Clash", Severity.HIGH, regions=("Kosovo",), facts={"killed": killed},
                          key="rule=clash|region=Kosovo")
            at = now + timedelta(minutes=n)
            alerts = decide_alerts(article, [match], at, book=BatchEvents(beacon.store))
            beacon.store.commit_articles(source, [article], alerts, lambda _a: [Target("telegram", 1)], at)
        # chat 1 was routed the incident: its rows recorded as sent, as the worker records them
        for row in beacon.store.outbox.rows("telegram"):
            if beacon.store.outbox.claim(row.id):
                beacon.store.outbox.mark_sent(row.id, beacon.now(), 100 + row.id)
        # a chat that was not sent it reads so, not "alerted"
        assert "2 sources · not sent to this chat" in await say(bot_api, CHAT, "/events")
        answer = await say(bot_api, 1, "/events")
        assert "Events, last 24 hours (1)" in answer
        assert "clash · high · Kosovo" in answer and "Banjska shooting" in answer
        assert "killed 4" in answer and "2 sources · alerted, 1 update" in answer
        assert now.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") in answer   # the chat's timezone
    finally:
        await stop(beacon, task)
