"""A chat that is on call and also subscribed gets one message per incident: the alert once, its follow-ups
as replies under it, and its escalation (re-notification, the chain's steps into that chat, mentions) as
replies under that same message (real feed server, store and python-telegram-bot, fake Bot API, a clock the
test moves minutes ahead)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot import app as app_module
from bot.app import Beacon
from bot.config import Config
from bot.enums import AlertAction, OutboxStatus
from bot.why import explain_delivery
from tests.clocks import SkippingClock
from tests.conftest import RULES_DIR
from tests.e2e.telegram_setup import start, stop
from tests.fakes.bot_api import FakeBotAPI, SentMessage
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss
from tests.test_events_escalation import NOW, ack_data, sent_next
from tests.test_events_late_chat import AMBUSH, SIEGE, SIEGE_RULE, TOLL

DESK = -1007001          # the duty desk: on call, and subscribed
MINUTE = timedelta(minutes=1)
CLASH_RULE = """
- id: fatal-clash
  title: Fatal armed clash
  severity: {severity}
  tags: [conflict, casualties]
  when:
    all:
      - terms: [ambush*, shoot-out, clash*]
      - terms: [killed, killing]
  events:
    escalate:
      critical: {{killed: 4}}
"""


@pytest.fixture(autouse=True)
def _no_real_escalation_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test takes each escalation step itself: the scheduler's job must not take one first."""
    monkeypatch.setattr(app_module, "ESCALATION_CHECK_SECONDS", 3600.0)


def config(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI, tmp_path: Path, *,
           severity: str, chain: str = "[]") -> Config:
    """fatal-clash at `severity` (critical from 4 dead) and the siege rule; the desk is the on-call chat."""
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "rules.yaml").write_text(CLASH_RULE.format(severity=severity) + SIEGE_RULE, encoding="utf-8")
    shutil.copy(RULES_DIR / "regions.yaml", rules_dir / "regions.yaml")
    feed_server.serve("/feed", rss(AMBUSH))
    return write_config(f"""
        rules_dir: {rules_dir}
        sources:
          - {{name: wire, type: rss, url: "{feed_server.url('/feed')}", interval: 1s}}
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
        delivery: {{chat_interval: 0.01, group_interval: 0.01}}
        oncall:
          min_severity: critical
          chats: [{DESK}]
          escalate_after: 10m
          chain: {chain}
    """)


def in_desk(bot_api: FakeBotAPI) -> list[SentMessage]:
    return [m for m in bot_api.sent if m.chat_id == DESK]


async def test_a_critical_incident_and_its_escalation_are_one_message_in_a_subscribed_on_call_chat(
        write_config, feed_server, bot_api, tmp_path) -> None:
    chain = f'[{{chat: {DESK}}}, {{chat: {DESK}, mention: ["@duty_lead"]}}]'
    clock = SkippingClock(NOW)
    cfg = config(write_config, feed_server, bot_api, tmp_path, severity="critical", chain=chain)
    beacon = Beacon(cfg, now=clock, monotonic=clock.monotonic)
    beacon.store.chats.subscribe(DESK, "all", NOW)
    task = await start(beacon, bot_api)
    try:
        [alert] = await bot_api.wait_for_sent(1, timeout=10)
        assert alert.chat_id == DESK and alert.reply_to_message_id is None and "CRITICAL" in alert.plain_text
        [escalation] = beacon.store.escalations.states()
        assert escalation.chats == (DESK,) and ack_data(alert) == f"ack:{escalation.alert_id}"
        [event] = beacon.store.events.recent(NOW.replace(hour=0))
        # one row for the desk, however many reasons it has to receive the incident
        await bot_api.wait_for(lambda: [(r.action, r.status) for r in beacon.store.events.deliveries(event.id, DESK)]
                               == [(AlertAction.SEND, OutboxStatus.SENT)], timeout=10)
        text, found = explain_delivery(beacon.store, event.id, DESK, clock(), cfg.oncall)
        assert found and "1 select: subscribed to all; on-call: severity critical" in text
        assert text.count("2 dedup: one delivery") == 1 and "4 on-call: yes" in text

        # a follow-up: a reply under the message, not a second message
        feed_server.serve("/feed", rss(SIEGE, AMBUSH))
        [follow_up] = await sent_next(bot_api)
        assert follow_up.reply_to_message_id == alert.message_id and "now 4, was 1" in follow_up.plain_text

        # the escalation: the re-notification, the chain's "send the alert to the desk" (it has it: a reply
        # instead) and the mention, each a reply under the one message
        for minutes, opening in ((10, "⏰ Not acknowledged after 10m"), (20, "⏰ Not acknowledged after 20m"),
                                 (30, "⏰ @duty_lead: not acknowledged after 30m")):
            clock.skip(10 * MINUTE)
            assert beacon.escalate_due() == 1, minutes
            [step] = await sent_next(bot_api)
            assert (step.chat_id, step.reply_to_message_id) == (DESK, alert.message_id)
            assert step.plain_text.startswith(opening), step.plain_text
        assert [m.reply_to_message_id for m in in_desk(bot_api)] == [None] + [alert.message_id] * 4
        text, _found = explain_delivery(beacon.store, event.id, DESK, clock(), cfg.oncall)
        assert "4 on-call: yes, and subscribed: one message, not two" in text
        assert "escalation: the chain is over, nobody acknowledged it; replies under this chat's one message" in text
    finally:
        await stop(beacon, task)


async def test_a_chat_brought_by_subscription_and_by_on_call_at_once_gets_one_message(
        write_config, feed_server, bot_api, tmp_path) -> None:
    """The siege report both makes the desk's rule match (the desk joins as a subscriber) and lifts the
    incident to critical (the desk joins as the on-call chat): one message, which escalates."""
    clock = SkippingClock(NOW)
    cfg = config(write_config, feed_server, bot_api, tmp_path, severity="high")
    beacon = Beacon(cfg, now=clock, monotonic=clock.monotonic)
    beacon.store.chats.subscribe(DESK, "monastery-siege", NOW)
    task = await start(beacon, bot_api)
    try:
        await bot_api.wait_for(lambda: bool(beacon.store.events.recent(NOW.replace(hour=0))), timeout=10)
        assert not in_desk(bot_api)                       # high, and not the desk's rule: nothing yet

        feed_server.serve("/feed", rss(SIEGE, AMBUSH))
        [joined] = await bot_api.wait_for_sent(1, timeout=15)
        assert joined.chat_id == DESK and joined.reply_to_message_id is None
        assert "CRITICAL" in joined.plain_text and "killed: 4" in joined.plain_text
        [escalation] = beacon.store.escalations.states()
        assert ack_data(joined) == f"ack:{escalation.alert_id}"

        clock.skip(10 * MINUTE)
        assert beacon.escalate_due() == 1
        [renotify] = await sent_next(bot_api)
        assert (renotify.chat_id, renotify.reply_to_message_id) == (DESK, joined.message_id)

        # Acknowledge on that message stops the chain, though the message came with an update, not the alert
        edits = len(bot_api.edits)
        bot_api.push_callback_query(DESK, joined.message_id, ack_data(joined), username="ana")
        await bot_api.wait_for(lambda: len(bot_api.edits) > edits, timeout=10)
        [escalation] = beacon.store.escalations.states()
        assert escalation.acknowledged_by == "@ana"
        clock.skip(30 * MINUTE)
        assert beacon.escalate_due() == 0

        feed_server.serve("/feed", rss(TOLL, SIEGE, AMBUSH))
        await bot_api.wait_for(lambda: any("now 6" in m.plain_text for m in in_desk(bot_api)), timeout=15)
        assert [m.reply_to_message_id for m in in_desk(bot_api)] == [None, joined.message_id, joined.message_id]
        [event] = beacon.store.events.recent(NOW.replace(hour=0))
        text, _found = explain_delivery(beacon.store, event.id, DESK, clock(), cfg.oncall)
        assert "1 select: subscribed to monastery-siege; on-call: severity critical" in text
        assert "acknowledged by @ana" in text, text
    finally:
        await stop(beacon, task)


async def test_an_on_call_forum_subscribed_in_a_topic_gets_the_incident_and_its_escalation_in_that_topic(
        write_config, feed_server, bot_api, tmp_path) -> None:
    """The desk is a forum whose alerts topic subscribed to `all`: the on-call copy does not land in the
    forum's General topic beside it; the one message in the topic is the on-call one, and escalates there."""
    topic = 77
    clock = SkippingClock(NOW)
    cfg = config(write_config, feed_server, bot_api, tmp_path, severity="critical")
    beacon = Beacon(cfg, now=clock, monotonic=clock.monotonic)
    beacon.store.chats.subscribe(DESK, "all", NOW, thread_id=topic)
    task = await start(beacon, bot_api)
    try:
        [alert] = await bot_api.wait_for_sent(1, timeout=10)
        assert (alert.chat_id, alert.message_thread_id) == (DESK, topic) and "CRITICAL" in alert.plain_text
        [escalation] = beacon.store.escalations.states()
        assert escalation.chats == (DESK,) and ack_data(alert) == f"ack:{escalation.alert_id}"

        clock.skip(10 * MINUTE)
        assert beacon.escalate_due() == 1
        [renotify] = await sent_next(bot_api)
        assert (renotify.message_thread_id, renotify.reply_to_message_id) == (topic, alert.message_id)
        assert len(in_desk(bot_api)) == 2
        [event] = beacon.store.events.recent(NOW.replace(hour=0))
        text, _found = explain_delivery(beacon.store, event.id, DESK, clock(), cfg.oncall)
        assert "2 dedup: one delivery to telegram chat -1007001 topic 77" in text
        assert "4 on-call: yes, and subscribed" in text
    finally:
        await stop(beacon, task)
