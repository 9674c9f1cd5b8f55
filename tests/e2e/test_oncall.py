"""On-call escalation end to end: real poller, store and python-telegram-bot, fake Bot API, compressed clock.

The app's clock is one the test moves minutes ahead; the escalation job is called as the scheduler would
(`Beacon.escalate_due`), so no test waits for real minutes and none races the real job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import app as app_module
from bot.app import Beacon
from bot.config import Config
from tests.clocks import SkippingClock
from tests.e2e.telegram_setup import start, stop, tagged_rules
from tests.fakes.bot_api import FakeBotAPI, SentMessage
from tests.fakes.feed_server import FeedServer
from tests.feeds import BUILDUP, CLASH, rss

ONCALL, LEAD, SUBSCRIBER = -1001234, -1009999, 4242
START = datetime(2023, 9, 24, 7, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _no_real_escalation_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test takes each step itself: the scheduler's job must not take one first."""
    monkeypatch.setattr(app_module, "ESCALATION_CHECK_SECONDS", 3600.0)


def oncall_config(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI,
                  tmp_path: Path) -> Config:
    feed_server.serve("/feed", rss(CLASH, BUILDUP))   # fatal-clash (high) and troop-buildup (medium)
    return write_config(f"""
        rules_dir: {tagged_rules(tmp_path)}
        sources:
          - {{name: wire, type: rss, url: "{feed_server.url('/feed')}", interval: 1s}}
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
        delivery: {{chat_interval: 0.01, group_interval: 0.01}}
        oncall:
          min_severity: high
          chats: [{ONCALL}]
          escalate_after: 10m
          chain:
            - {{chat: {LEAD}}}
            - {{chat: {ONCALL}, mention: ["@duty_lead", 12345678]}}
            - {{chat: {LEAD}, mention: ["@head_of_desk"]}}
    """)


async def sent_next(bot_api: FakeBotAPI, count: int = 1) -> list[SentMessage]:
    """The next `count` messages the bot sends from now on."""
    before = len(bot_api.sent)
    return (await bot_api.wait_for_sent(before + count, timeout=10))[before:]


def ack_data(message: SentMessage) -> str:
    buttons = [b.get("callback_data", "") for row in (message.reply_markup or {})["inline_keyboard"] for b in row]
    [ack] = [b for b in buttons if b.startswith("ack:")]
    return ack


def in_chat(bot_api: FakeBotAPI, chat_id: int) -> list[SentMessage]:
    return [m for m in bot_api.sent if m.chat_id == chat_id]


async def test_an_unacknowledged_alert_escalates_until_acknowledged(write_config, feed_server, bot_api,
                                                                     tmp_path) -> None:
    clock = SkippingClock(START)
    beacon = Beacon(oncall_config(write_config, feed_server, bot_api, tmp_path), now=clock, monotonic=clock.monotonic)
    beacon.store.chats.subscribe(SUBSCRIBER, "all", clock())
    task = await start(beacon, bot_api)
    try:
        await bot_api.wait_for_sent(3, timeout=10)   # both alerts to the subscriber, the high one on call
        [original] = in_chat(bot_api, ONCALL)        # not subscribed, yet it receives the high alert
        assert "Banjska" in original.plain_text
        data = ack_data(original)
        alert_id = int(data.removeprefix("ack:"))

        clock.skip(9 * MINUTE)
        assert beacon.escalate_due() == 0             # still within escalate_after
        clock.skip(MINUTE)
        assert beacon.escalate_due() == 1
        [renotify] = await sent_next(bot_api)
        assert (renotify.chat_id, renotify.reply_to_message_id) == (ONCALL, original.message_id)
        assert renotify.plain_text.startswith("⏰ Not acknowledged after 10m — re-sending")
        assert not renotify.disable_notification and ack_data(renotify) == data

        clock.skip(10 * MINUTE)
        assert beacon.escalate_due() == 1
        [to_lead] = await sent_next(bot_api)          # the alert itself, to the next chat in the chain
        assert to_lead.chat_id == LEAD and "Banjska" in to_lead.plain_text and ack_data(to_lead) == data

        clock.skip(10 * MINUTE)
        assert beacon.escalate_due() == 1
        [mention] = await sent_next(bot_api)
        assert (mention.chat_id, mention.reply_to_message_id) == (ONCALL, original.message_id)
        assert mention.plain_text.startswith("⏰ @duty_lead user 12345678: not acknowledged after 30m")
        assert {"type": "text_link", "url": "tg://user?id=12345678"}.items() <= mention.entities[0].items()

        # a press on the original stops everything
        edits, sent = len(bot_api.edits), len(bot_api.sent)
        bot_api.push_callback_query(ONCALL, original.message_id, data, username="ana")
        await bot_api.wait_for(lambda: len(bot_api.edits) > edits, timeout=10)
        shown = bot_api.message(ONCALL, original.message_id)
        assert shown is not None and "Acknowledged by @ana at 07:30 UTC" in shown["text"]
        [row] = beacon.store.escalations.states()
        assert (row.alert_id, row.acknowledged_by, row.step) == (alert_id, "@ana", 3)
        clock.skip(60 * MINUTE)
        assert beacon.escalate_due() == 0
        assert not beacon.store.outbox.counts().get("pending")
        assert len(bot_api.sent) == sent               # nothing after the acknowledgement

        # the medium alert went to its subscriber only, and never escalated
        assert [e.alert_id for e in beacon.store.escalations.states()] == [alert_id]
        assert not any("troop" in m.plain_text.lower() for m in bot_api.sent if m.chat_id != SUBSCRIBER)
        assert sum("troop" in m.plain_text.lower() for m in in_chat(bot_api, SUBSCRIBER)) == 1
    finally:
        await stop(beacon, task)


async def test_a_restart_continues_the_chain_and_an_ack_elsewhere_stops_it(write_config, feed_server, bot_api,
                                                                            tmp_path) -> None:
    clock = SkippingClock(START)
    config = oncall_config(write_config, feed_server, bot_api, tmp_path)
    first = Beacon(config, now=clock, monotonic=clock.monotonic)
    task = await start(first, bot_api)
    try:
        [original] = await bot_api.wait_for_sent(1, timeout=10)
        assert original.chat_id == ONCALL
        clock.skip(10 * MINUTE)
        assert first.escalate_due() == 1
        [renotify] = await sent_next(bot_api)
        assert renotify.reply_to_message_id == original.message_id
    finally:
        await stop(first, task)

    # a new process on the same database, once (as from cron): the next step, not the re-notification again
    clock.skip(10 * MINUTE)
    before = len(bot_api.sent)
    assert await Beacon(config, now=clock, monotonic=clock.monotonic).run(once=True) == 0
    [to_lead] = bot_api.sent[before:]
    assert to_lead.chat_id == LEAD and "Banjska" in to_lead.plain_text

    # and another, polling: the chain chat acknowledges; the on-call chat is told under its alert
    third = Beacon(config, now=clock, monotonic=clock.monotonic)
    task = await start(third, bot_api)
    try:
        clock.skip(2 * MINUTE)
        bot_api.push_callback_query(LEAD, to_lead.message_id, ack_data(to_lead), username="bo")
        [note] = await sent_next(bot_api)
        assert (note.chat_id, note.reply_to_message_id) == (ONCALL, original.message_id)
        assert note.plain_text.startswith("✅ Acknowledged by @bo at 07:22 UTC") and note.reply_markup is None
        lead_view = bot_api.message(LEAD, to_lead.message_id)
        assert lead_view is not None and "Acknowledged by @bo" in lead_view["text"]
        clock.skip(60 * MINUTE)
        assert third.escalate_due() == 0
        [row] = third.store.escalations.states()
        assert (row.step, row.acknowledged_by) == (2, "@bo")
    finally:
        await stop(third, task)
    assert len(in_chat(bot_api, ONCALL)) == 3 and len(in_chat(bot_api, LEAD)) == 1
