"""An incident that becomes critical later: the follow-up that lifts it past the on-call line brings it to
the on-call chats then, and escalation starts then, once (real feed server, store and python-telegram-bot,
fake Bot API, a clock the test moves minutes ahead)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import app as app_module
from bot.app import Beacon
from bot.config import Config
from tests.clocks import SkippingClock
from tests.conftest import RULES_DIR
from tests.e2e.telegram_setup import start, stop
from tests.fakes.bot_api import FakeBotAPI, SentMessage
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss

ONCALL, SUBSCRIBER = -1004321, 5151
NOW = datetime(2023, 9, 24, 18, 0, tzinfo=UTC)
RULE = """
- id: fatal-clash
  title: Fatal armed clash
  severity: high
  tags: [conflict, casualties]
  when:
    all:
      - terms: [ambush*, shoot-out, clash*]
      - terms: [killed, killing]
  events:
    escalate:
      critical: {killed: 10}
"""
AMBUSH = {"guid": "a-1", "title": "Police officer killed in ambush near Banjska",
          "link": "https://news.example/a-1", "pubDate": "Sun, 24 Sep 2023 06:00:00 GMT",
          "description": "Gunmen ambushed a Kosovo police patrol near the village of Banjska, killing one officer "
                         "and wounding another, police said."}
TOLL = {"guid": "a-2", "title": "Death toll from Banjska ambush and monastery shoot-out rises to 12",
        "link": "https://news.example/a-2", "pubDate": "Sun, 24 Sep 2023 14:00:00 GMT",
        "description": "Twelve people were killed in the ambush of the Kosovo police patrol near Banjska and the "
                       "shoot-out at the monastery that followed, police said."}
LATER = {"guid": "a-3", "title": "Banjska ambush toll rises to 14 as two wounded gunmen die",
         "link": "https://news.example/a-3", "pubDate": "Sun, 24 Sep 2023 17:00:00 GMT",
         "description": "Fourteen people have now been killed in the ambush near Banjska and the shoot-out at the "
                        "monastery, police said, after two wounded gunmen died in hospital."}


def ack_data(message: SentMessage) -> str:
    [ack] = [b["callback_data"] for row in (message.reply_markup or {})["inline_keyboard"] for b in row
             if b.get("callback_data", "").startswith("ack:")]
    return str(ack)


async def sent_next(bot_api: FakeBotAPI, count: int = 1) -> list[SentMessage]:
    before = len(bot_api.sent)
    return (await bot_api.wait_for_sent(before + count, timeout=10))[before:]


@pytest.fixture(autouse=True)
def _no_real_escalation_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test takes each escalation step itself: the scheduler's job must not take one first."""
    monkeypatch.setattr(app_module, "ESCALATION_CHECK_SECONDS", 3600.0)


def config(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI,
           tmp_path: Path) -> Config:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "rules.yaml").write_text(RULE, encoding="utf-8")
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
          chats: [{ONCALL}]
          escalate_after: 10m
    """)


async def test_a_follow_up_that_makes_the_incident_critical_brings_it_to_on_call_once(
        write_config, feed_server, bot_api, tmp_path) -> None:
    clock = SkippingClock(NOW)
    beacon = Beacon(config(write_config, feed_server, bot_api, tmp_path), now=clock, monotonic=clock.monotonic)
    beacon.store.chats.subscribe(SUBSCRIBER, "all", NOW)
    task = await start(beacon, bot_api)
    try:
        [first] = await bot_api.wait_for_sent(1, timeout=10)
        assert first.chat_id == SUBSCRIBER and "HIGH" in first.plain_text   # high: below the on-call line

        feed_server.serve("/feed", rss(TOLL, AMBUSH))
        sent = await bot_api.wait_for_sent(3, timeout=15)     # the subscriber's reply, and on-call's message
        reply = next(m for m in sent[1:] if m.chat_id == SUBSCRIBER)
        assert reply.reply_to_message_id == first.message_id
        assert "death toll now 12, was 1" in reply.plain_text and "severity now critical, was high" in reply.plain_text
        [oncall] = [m for m in sent if m.chat_id == ONCALL]   # the whole incident, as it stands now
        assert oncall.reply_to_message_id is None and "CRITICAL" in oncall.plain_text
        assert "killed: 12" in oncall.plain_text and "Banjska" in oncall.plain_text

        # and it escalates from then, until acknowledged: the on-call chat is reminded under that message
        [escalation] = beacon.store.escalations.states()
        assert escalation.chats == (ONCALL,) and escalation.step == 0
        assert ack_data(oncall) == ack_data(first) == f"ack:{escalation.alert_id}"   # one incident, one ack
        clock.skip(timedelta(minutes=10))
        assert beacon.escalate_due() == 1
        [renotify] = await sent_next(bot_api)
        assert (renotify.chat_id, renotify.reply_to_message_id) == (ONCALL, oncall.message_id)
        edits = len(bot_api.edits)
        bot_api.push_callback_query(ONCALL, oncall.message_id, ack_data(oncall), username="ana")
        await bot_api.wait_for(lambda: len(bot_api.edits) > edits, timeout=10)
        [escalation] = beacon.store.escalations.states()
        assert escalation.acknowledged_by == "@ana"
        clock.skip(timedelta(minutes=30))
        assert beacon.escalate_due() == 0

        feed_server.serve("/feed", rss(LATER, TOLL, AMBUSH))
        # already critical: the next follow-up is an update in both chats (a reply under the incident's
        # message), not a new message, and no second escalation
        await bot_api.wait_for(lambda: sum("now 14" in m.plain_text for m in bot_api.sent) == 2, timeout=15)
        in_oncall = [m for m in bot_api.sent if m.chat_id == ONCALL]
        assert [m.message_id for m in in_oncall[:2]] == [oncall.message_id, renotify.message_id]
        assert len(in_oncall) == 3 and in_oncall[2].reply_to_message_id == oncall.message_id
        assert len(beacon.store.escalations.states()) == 1
        [event] = beacon.store.events.recent(NOW.replace(hour=0))
        assert event.severity.label == "critical" and event.facts["killed"] == 14
    finally:
        await stop(beacon, task)
