"""/why in Telegram: why this chat did (not) get an incident, from the routing stages and the outbox."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Beacon
from bot.events import decide_alerts
from bot.ingest import BatchEvents
from bot.models import Article, Match, Severity
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config

SUBSCRIBED, MUTED, ELSEWHERE = 4343, 4344, 4345


async def test_why_answers_for_the_chat_that_asks(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        now = beacon.now()
        beacon.store.chats.subscribe(SUBSCRIBED, "all", now)
        beacon.store.chats.subscribe(MUTED, "tag:conflict", now)
        beacon.store.chats.mute(MUTED, "region:kosovo", now + timedelta(hours=2), "someone", now)
        beacon.store.chats.subscribe(ELSEWHERE, "all", now, regions=["Serbia"])
        article = Article("wire", "Officer killed near Banjska", "Gunmen killed a police officer near Banjska.",
                          guid="g1")
        match = Match("clash", "Clash", Severity.HIGH, ("conflict",), ("Kosovo",), {"killed": 1},
                      key="rule=clash|region=Kosovo")
        alerts = decide_alerts(article, [match], now, book=BatchEvents(beacon.store))
        beacon.store.commit_articles("wire", [article], alerts, beacon.route, now)
        incident = alerts[0].event.id
        answer = await say(bot_api, SUBSCRIBED, f"/why {incident}")
        assert f"Incident {incident}: Clash · high" in answer and "subscribed to all" in answer
        assert "not muted" in answer and "send: " in answer
        answer = await say(bot_api, MUTED, f"/why {incident}")
        assert "subscribed to tag:conflict" in answer and "muted by region:kosovo" in answer
        assert "send: muted" in answer
        answer = await say(bot_api, ELSEWHERE, f"/why {incident}")
        assert "narrowed to serbia" in answer and "not routed" in answer
        assert "no message of this incident was queued" in answer
        assert "Usage: /why" in await say(bot_api, ELSEWHERE, "/why")
        assert "No incident 'ev-x'" in await say(bot_api, ELSEWHERE, "/why ev-x")
    finally:
        await stop(beacon, task)
