"""Delivering events and holds through the real Telegram sender and the fake Bot API, on a compressed clock.

group_wait, quiet hours, digests, the hourly ceiling, silent severities, chat timezones, and an
acknowledgement that survives the edits an event's later reports make.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.events import decide_alerts
from bot.ingest import BatchEvents
from bot.models import Article, EventPolicy, Match, Severity, Target
from bot.outbox import OutboxWorker, Pacing
from bot.render import Renderer
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.conftest import TEMPLATES_DIR

pytestmark = pytest.mark.backends()   # the outbox's behaviour on SQLite and on PostgreSQL

CHAT = 777
START = datetime(2023, 9, 24, 5, 0, tzinfo=UTC)
KEY = "rule=clash|region=Kosovo"
AMBUSH = ("Police officer killed in ambush near Banjska",
          "A Kosovo police officer was killed when gunmen opened fire on a patrol near the village of Banjska, "
          "police said. The attackers retreated towards the Banjska monastery.")
SIEGE = ("Three gunmen die in Banjska shoot-out",
         "Three of the gunmen who had taken cover at the Banjska monastery were killed in a shoot-out with "
         "Kosovo police special units, bringing the death toll to four.")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def worker(store: Store, sender: TelegramSender, clock: Clock, **kw) -> OutboxWorker:
    return OutboxWorker(store, Renderer(TEMPLATES_DIR), {"telegram": sender}, now=clock, monotonic=time.monotonic,
                        pacing=Pacing(global_per_second=1000, chat_interval=0.01, group_interval=0.01), **kw)


def report(store: Store, clock: Clock, source: str, title: str, text: str, facts: dict, *,
           severity: Severity = Severity.HIGH, policy: EventPolicy | None = None, n: int = 0) -> None:
    """One report through clustering and the pipeline's commit, routed to CHAT."""
    article = Article(source, title, text, url=f"https://{source}.example/{n}", guid=f"{source}-{n}")
    match = Match("clash", "Fatal clash", severity, regions=("north-kosovo", "Kosovo"), facts=facts, key=KEY,
                  policy=policy or EventPolicy())
    alerts = decide_alerts(article, [match], clock(), book=BatchEvents(store))
    store.commit_articles(source, [article], alerts, lambda _a: [Target("telegram", CHAT)], clock())


async def test_update_edits_the_message_and_replies_under_it(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1})
    assert await worker(store, telegram_sender, clock).drain(10)
    [first] = bot_api.sent
    clock.now += timedelta(hours=5)
    report(store, clock, "danube-herald", *SIEGE, {"killed": 4}, n=1)
    assert await worker(store, telegram_sender, clock).drain(10)
    [_, reply] = bot_api.sent
    assert reply.reply_to_message_id == first.message_id
    assert "death toll now 4, was 1" in reply.plain_text and "2 sources" in reply.plain_text
    edited = bot_api.message(CHAT, first.message_id)
    assert "killed: 4" in edited["text"] and "2 sources" in edited["text"]
    assert [d.action for d in store.outbox.rows()] == ["send", "update"]


async def test_group_wait_turns_a_burst_into_one_message(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    policy = EventPolicy(group_wait=60)
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1}, policy=policy)
    assert not await worker(store, telegram_sender, clock).drain(0.3)   # waiting for the group
    assert bot_api.sent == []
    clock.now += timedelta(seconds=30)
    report(store, clock, "danube-herald", *SIEGE, {"killed": 4}, policy=policy, n=1)
    clock.now += timedelta(seconds=31)
    assert await worker(store, telegram_sender, clock).drain(10)
    [only] = bot_api.sent   # no reply, no edit: the one message already says it all
    assert "killed: 4" in only.plain_text and "2 sources" in only.plain_text
    assert bot_api.edits == []
    assert [d.status for d in store.outbox.rows()] == ["sent", "skipped"]


async def test_acknowledgement_survives_the_edits(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1})
    assert await worker(store, telegram_sender, clock).drain(10)
    [first] = bot_api.sent
    assert any("ack:" in b.get("callback_data", "") for row in first.reply_markup["inline_keyboard"] for b in row)
    alert_id = store.outbox.rows()[0].alert_id
    store.escalations.acknowledge(alert_id, CHAT, "@duty", clock.now)
    clock.now += timedelta(hours=1)
    report(store, clock, "danube-herald", *SIEGE, {"killed": 4}, n=1)
    assert await worker(store, telegram_sender, clock).drain(10)
    edited = bot_api.message(CHAT, first.message_id)
    assert "Acknowledged by @duty at 05:00 UTC" in edited["text"]
    buttons = [b for row in edited["reply_markup"]["inline_keyboard"] for b in row]
    assert not any(b.get("callback_data", "").startswith("ack:") for b in buttons)


async def test_a_not_relevant_judgement_survives_the_edits(store, bot_api, telegram_sender) -> None:
    from bot.feedback import Judge

    clock = Clock()
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1})
    assert await worker(store, telegram_sender, clock).drain(10)
    [first] = bot_api.sent
    alert_id = store.outbox.rows()[0].alert_id
    assert store.feedback.judge(alert_id, Judge(CHAT, 5, "@desk"), clock.now) is not None
    clock.now += timedelta(hours=1)
    report(store, clock, "danube-herald", *SIEGE, {"killed": 4}, n=1)
    assert await worker(store, telegram_sender, clock).drain(10)
    edited = bot_api.message(CHAT, first.message_id)
    assert "killed: 4" in edited["text"]
    buttons = {b["text"]: b.get("callback_data") for row in edited["reply_markup"]["inline_keyboard"] for b in row}
    assert buttons["↩️ Relevant after all"] == f"rel:{alert_id}" and "👎 Not relevant" not in buttons


async def test_an_update_whose_first_message_never_arrived_is_sent_in_full(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1})
    first_row = store.outbox.rows()[0].id
    store.outbox.claim(first_row)
    store.outbox.mark_dead(first_row, "rejected: test")
    clock.now += timedelta(hours=1)
    report(store, clock, "danube-herald", *SIEGE, {"killed": 4}, n=1)
    # the update went to nobody: its event's first row is dead, so it was not routed there
    assert [d.action for d in store.outbox.rows()] == ["send"]


async def test_quiet_hours_hold_all_but_critical_then_one_digest(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    clock.now = datetime(2023, 9, 24, 23, 0, tzinfo=UTC)
    store.chats.set_setting(CHAT, "quiet", "22:00-07:00")
    store.chats.set_setting(CHAT, "timezone", "Europe/Belgrade")    # 23:00 UTC is 01:00 there: quiet
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1}, severity=Severity.HIGH)
    report(store, clock, "valley-post", "Guard shot dead at checkpoint in Zubin Potok",
           "A guard was shot dead at a customs checkpoint near Zubin Potok; two men fled by car to Gazivode.",
           {"killed": 1}, severity=Severity.CRITICAL, n=2)
    assert await worker(store, telegram_sender, clock).drain(10)
    [critical] = bot_api.sent
    assert "Zubin Potok" in critical.plain_text
    assert [d.status for d in store.outbox.rows()] == ["held", "sent"]
    clock.now = datetime(2023, 9, 25, 5, 1, tzinfo=UTC)           # 07:01 in Belgrade: quiet is over
    assert await worker(store, telegram_sender, clock).drain(10)
    digest = bot_api.sent[-1]
    assert "Digest: 1 alert held (quiet hours (22:00-07:00))" in digest.plain_text
    assert "Police officer killed in ambush near Banjska" in digest.plain_text
    assert [d.status for d in store.outbox.rows()] == ["digested", "sent", "sent"]


async def test_hourly_digest_gathers_low_severity_alerts(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    clock.now = datetime(2023, 9, 24, 10, 20, tzinfo=UTC)
    store.chats.set_setting(CHAT, "digest", "hourly")
    for n, place in enumerate(["Banjska", "Zvečan", "Leposavić"]):
        report(store, clock, f"wire{n}", f"Shots fired near {place}", f"Police in {place} reported shots fired by "
               f"unknown men at {place} station {n}; one man was killed.", {"killed": 1}, severity=Severity.LOW, n=n)
    report(store, clock, "wire9", "Guard shot dead at checkpoint in Zubin Potok",
           "A guard was shot dead at a customs checkpoint near Zubin Potok; two men fled by car to Gazivode.",
           {"killed": 1}, severity=Severity.HIGH, n=9)
    assert await worker(store, telegram_sender, clock).drain(10)
    assert len(bot_api.sent) == 1 and "Zubin Potok" in bot_api.sent[0].plain_text   # the high one goes at once
    clock.now = datetime(2023, 9, 24, 11, 0, tzinfo=UTC)
    assert await worker(store, telegram_sender, clock).drain(10)
    digest = bot_api.sent[-1]
    assert "Digest: 3 alerts held (hourly digest)" in digest.plain_text
    assert all(place in digest.plain_text for place in ("Banjska", "Zvečan", "Leposavić"))
    assert digest.disable_notification   # low severity: no sound


async def test_hourly_ceiling_summarises_the_overflow(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    places = ["Banjska", "Zvečan", "Leposavić", "Zubin Potok"]
    for n, place in enumerate(places):
        report(store, clock, f"wire{n}", f"Gunfight in {place} leaves one dead", f"A gunfight in {place} left one "
               f"man dead on Sunday, police in {place} said; unit {n} is searching the area.", {"killed": 1}, n=n)
    assert await worker(store, telegram_sender, clock, max_per_hour=2).drain(10)
    assert len(bot_api.sent) == 2
    assert sorted(d.status for d in store.outbox.rows()) == ["held", "held", "sent", "sent"]
    clock.now += timedelta(hours=1, seconds=1)
    assert await worker(store, telegram_sender, clock, max_per_hour=2).drain(10)
    summary = bot_api.sent[-1]
    assert "Digest: 2 alerts held (over 2 alerts an hour)" in summary.plain_text
    assert "Leposavić" in summary.plain_text and "Zubin Potok" in summary.plain_text


async def test_silent_severities_and_chat_timezone(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    store.chats.set_setting(CHAT, "silent_below", "critical")
    store.chats.set_setting(CHAT, "timezone", "Asia/Tokyo")
    article = Article("wire", *AMBUSH, guid="t1", published=datetime(2023, 9, 24, 4, 40, tzinfo=UTC))
    match = Match("clash", "Fatal clash", Severity.HIGH, facts={"killed": 1}, key=KEY)
    alerts = decide_alerts(article, [match], clock(), book=BatchEvents(store))
    store.commit_articles("wire", [article], alerts, lambda _a: [Target("telegram", CHAT)], clock())
    assert await worker(store, telegram_sender, clock).drain(10)
    [sent] = bot_api.sent
    assert sent.disable_notification                     # high is below critical here
    assert "2023-09-24 13:40 JST" in sent.plain_text       # 04:40 UTC in Tokyo


async def test_min_sources_holds_then_max_wait_releases(store, bot_api, telegram_sender) -> None:
    from bot.ingest import Ingestor

    clock = Clock()
    policy = EventPolicy(min_sources=2, max_wait=1800)
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1}, policy=policy)
    assert await worker(store, telegram_sender, clock).drain(5)
    assert bot_api.sent == [] and store.outbox.rows() == []          # held: recorded, nothing queued
    assert [a.status for a in store.alerts.recent()] == ["held"]
    ingestor = Ingestor(store, lambda: None, lambda _a: [Target("telegram", CHAT)], clock)  # type: ignore[arg-type]
    clock.now += timedelta(minutes=29)
    assert ingestor.release_held() == 0
    clock.now += timedelta(minutes=2)
    assert ingestor.release_held() == 1                               # waited long enough: out on what it has
    assert await worker(store, telegram_sender, clock).drain(10)
    [sent] = bot_api.sent
    assert "Police officer killed in ambush near Banjska" in sent.plain_text
    assert [a.status for a in store.alerts.recent()] == ["queued"]
    assert ingestor.release_held() == 0                               # once


async def test_min_sources_met_sends_one_alert_with_both_sources(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    policy = EventPolicy(min_sources=2, max_wait=1800)
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1}, policy=policy)
    clock.now += timedelta(minutes=10)
    report(store, clock, "danube-herald", *SIEGE, {"killed": 4}, policy=policy, n=1)
    assert await worker(store, telegram_sender, clock).drain(10)
    [sent] = bot_api.sent
    assert "killed: 4" in sent.plain_text and "2 sources" in sent.plain_text
    assert sorted(a.status for a in store.alerts.recent()) == ["held", "queued"]


async def test_on_call_chats_are_never_held(store, bot_api, telegram_sender) -> None:
    clock = Clock()
    clock.now = datetime(2023, 9, 24, 23, 0, tzinfo=UTC)
    store.chats.set_setting(CHAT, "quiet", "22:00-07:00")
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1}, severity=Severity.HIGH)
    assert await worker(store, telegram_sender, clock, never_held=frozenset({CHAT})).drain(10)
    [sent] = bot_api.sent   # quiet hours are for people off duty, not for the on-call chat
    assert "Banjska" in sent.plain_text


async def test_a_token_revoked_mid_run_keeps_alerts_queued_until_it_works(store, bot_api, telegram_sender,
                                                                          caplog) -> None:
    from tests.fakes.bot_api import http_error

    clock = Clock()
    report(store, clock, "balkan-wire", *AMBUSH, {"killed": 1})
    bot_api.fail_next("sendMessage", http_error(401, "Unauthorized"), times=2)
    assert not await worker(store, telegram_sender, clock).drain(0.5)
    [row] = store.outbox.rows()
    assert row.status == "pending" and "token rejected" in row.last_error   # kept, and why is visible
    assert "token rejected by Telegram" in caplog.text
    for _ in range(2):                          # the second try meets the second 401, the third goes through
        clock.now += timedelta(minutes=10)      # past the backoff
        await worker(store, telegram_sender, clock).drain(1)
    assert len(bot_api.sent) == 1 and [d.status for d in store.outbox.rows()] == ["sent"]
