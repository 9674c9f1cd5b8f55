"""Delivering incidents across rules through the real Telegram sender and the fake Bot API: each chat's own
titles, and a chat the incident reaches only with a later report."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from bot.events import decide_alerts
from bot.ingest import BatchEvents
from bot.models import Article, EventPolicy, Match, Severity, Target
from bot.outbox import OutboxWorker, Pacing
from bot.render import Renderer
from bot.routing import incident_of, plan
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.conftest import TEMPLATES_DIR

START = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
GENERAL_CHAT, KOSOVO_CHAT = 801, 802
AMBUSH = Article("balkan-wire", "Police officer killed in ambush near Banjska",
                 "A police officer was killed when gunmen opened fire on a patrol near the village of Banjska. "
                 "The attackers retreated towards the Banjska monastery.", guid="a")
SIEGE = Article("danube-herald", "Three gunmen die in Banjska shoot-out",
                "Three of the gunmen who had taken cover at the Banjska monastery were killed in a shoot-out "
                "with Kosovo police special units, bringing the death toll to four.", guid="b")


def general(facts: dict) -> Match:
    return Match("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict",), ("Banjska",), facts,
                 key="rule=fatal-clash|region=Kosovo", policy=EventPolicy())


def kosovo(facts: dict) -> Match:
    return Match("kosovo-fatal-clash", "Fatal clash in Kosovo", Severity.CRITICAL, ("conflict", "balkans"),
                 ("Banjska", "Kosovo"), facts, key="rule=kosovo-fatal-clash|region=Kosovo",
                 policy=EventPolicy(supersedes=("fatal-clash",)))


async def test_a_chat_the_incident_reaches_later_gets_it_whole_and_each_chat_its_own_title(
        store: Store, bot_api, telegram_sender: TelegramSender) -> None:
    store.chats.subscribe(GENERAL_CHAT, "fatal-clash", START)
    store.chats.subscribe(KOSOVO_CHAT, "kosovo-fatal-clash", START)

    def route(alert):
        subscriptions, gone = store.chats.routable()
        return plan(incident_of(alert), subscriptions, store.chats.active_mutes(START), START, gone=gone).targets

    clock = [START]
    worker = OutboxWorker(store, Renderer(TEMPLATES_DIR), {"telegram": telegram_sender}, now=lambda: clock[0],
                          monotonic=time.monotonic, pacing=Pacing(1000, 0.01, 0.01))
    # the first report does not name Kosovo: only the general rule matches it
    first = decide_alerts(AMBUSH, [general({"killed": 1})], START, book=BatchEvents(store))
    store.commit_articles("balkan-wire", [AMBUSH], first, route, START)
    assert await worker.drain(10)
    assert [m.chat_id for m in bot_api.sent] == [GENERAL_CHAT]
    # the second does: both rules, one incident; the Kosovo chat now gets the whole incident
    later = clock[0] = START + timedelta(hours=5)
    second = decide_alerts(SIEGE, [general({"killed": 4}), kosovo({"killed": 4})], later, book=BatchEvents(store))
    assert [a.action for a in second] == ["update"]
    store.commit_articles("danube-herald", [SIEGE], second, route, later)
    assert await worker.drain(10)
    to_general = [m for m in bot_api.sent if m.chat_id == GENERAL_CHAT]
    to_kosovo = [m for m in bot_api.sent if m.chat_id == KOSOVO_CHAT]
    assert len(to_general) == 2 and to_general[1].reply_to_message_id == to_general[0].message_id
    assert "death toll now 4, was 1" in to_general[1].plain_text
    assert "Fatal armed clash" in to_general[1].plain_text and "Kosovo" not in to_general[1].plain_text.split("\n")[0]
    [whole] = to_kosovo
    assert whole.reply_to_message_id is None
    assert whole.plain_text.startswith("🚨 Fatal clash in Kosovo · CRITICAL") and "killed: 4" in whole.plain_text
    edited = bot_api.message(GENERAL_CHAT, to_general[0].message_id)
    assert edited is not None and "Fatal armed clash · CRITICAL" in edited["text"]
    assert Target("telegram", KOSOVO_CHAT) in route(second[0])
