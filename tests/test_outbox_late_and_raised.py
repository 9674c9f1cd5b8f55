"""Two things an incident's later reports bring, in the store on SQLite and PostgreSQL, delivered through the real
Telegram sender and the fake Bot API: a chat the incident reaches only from its second report on (one message,
then edits and replies), and a raise to the on-call line (its on-call message and escalation in the same commit
as the update, or nothing at all)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.enums import AlertAction, OutboxStatus
from bot.events import decide_alerts
from bot.ingest import BatchEvents
from bot.models import Alert, Article, EventPolicy, Match, Severity, Target
from bot.outbox import OutboxWorker, Pacing
from bot.render import Renderer
from bot.routing import Subscription, incident_of, plan
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.conftest import TEMPLATES_DIR

pytestmark = pytest.mark.backends()

CHAT, LATE, ONCALL = 801, 802, -100803
START = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
RAISES = EventPolicy(escalate=((Severity.CRITICAL, {"killed": 10}),))
AMBUSH = ("Police officer killed in ambush near Banjska",
          "A Kosovo police officer was killed when gunmen opened fire on a patrol near the village of Banjska, "
          "police said. The attackers retreated towards the Banjska monastery.")
SIEGE = ("Three gunmen die in Banjska shoot-out",
         "Three of the gunmen who had taken cover at the Banjska monastery were killed in a shoot-out with "
         "Kosovo police special units near Banjska, bringing the death toll to four.")
TOLL = ("Banjska ambush toll rises to twelve",
        "Twelve people have now been killed in the ambush near Banjska and the shoot-out at the Banjska "
        "monastery that followed, Kosovo police said.")
LATER = ("Banjska ambush toll rises to 14 as two wounded gunmen die",
         "Fourteen people have now been killed in the ambush near Banjska and the shoot-out at the Banjska "
         "monastery, Kosovo police said, after two wounded gunmen died in hospital.")
Route = Callable[[Alert], list[Target]]


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def router(*chats: int, oncall: tuple[int, ...] = ()) -> Route:
    """bot.routing's plan for chats subscribed to `all`, with on-call chats for critical incidents."""
    subscriptions = [Subscription(chat, None, "all") for chat in chats]
    return lambda alert: plan(incident_of(alert), subscriptions, [], alert.created_at, oncall_chats=oncall,
                              oncall_min_severity=Severity.CRITICAL).targets


def report(store: Store, clock: Clock, n: int, title: str, text: str, killed: int, route: Route,
           policy: EventPolicy = RAISES) -> list[Alert]:
    """One report through clustering and ingest's one commit."""
    article = Article(f"wire-{n}", title, text, url=f"https://wire-{n}.example/{n}", guid=f"wire-{n}")
    match = Match("clash", "Fatal clash", Severity.HIGH, regions=("north-kosovo", "Kosovo"),
                  facts={"killed": killed}, key="rule=clash|region=Kosovo", policy=policy)
    alerts = decide_alerts(article, [match], clock(), book=BatchEvents(store))
    store.commit_articles(article.source, [article], alerts, route, clock())
    return alerts


def worker(store: Store, sender: TelegramSender, clock: Clock) -> OutboxWorker:
    return OutboxWorker(store, Renderer(TEMPLATES_DIR), {"telegram": sender}, now=clock, monotonic=time.monotonic,
                        pacing=Pacing(global_per_second=1000, chat_interval=0.01, group_interval=0.01))


async def test_a_chat_reached_from_the_second_report_gets_one_message_then_edits(store, bot_api,
                                                                                telegram_sender) -> None:
    clock = Clock()
    report(store, clock, 1, *AMBUSH, 1, router(CHAT))
    assert await worker(store, telegram_sender, clock).drain(10)
    clock.now += timedelta(hours=1)
    report(store, clock, 2, *SIEGE, 4, router(CHAT, LATE))   # the incident now reaches LATE
    assert await worker(store, telegram_sender, clock).drain(10)
    [joined] = [m for m in bot_api.sent if m.chat_id == LATE]
    assert joined.reply_to_message_id is None and "killed: 4" in joined.plain_text

    clock.now += timedelta(hours=1)
    report(store, clock, 3, *LATER, 14, router(CHAT, LATE), policy=EventPolicy())
    assert await worker(store, telegram_sender, clock).drain(10)
    in_late = [m for m in bot_api.sent if m.chat_id == LATE]
    assert len(in_late) == 2 and in_late[1].reply_to_message_id == joined.message_id
    assert "death toll now 14, was 4" in in_late[1].plain_text
    assert "killed: 14" in bot_api.message(LATE, joined.message_id)["text"]
    late_rows = [(r.action, r.status) for r in store.outbox.rows() if r.chat_id == LATE]
    assert late_rows == [(AlertAction.UPDATE, OutboxStatus.SENT)] * 2


def test_a_raise_queues_the_on_call_message_and_escalation_in_the_update_s_commit(store) -> None:
    clock = Clock()
    route = router(CHAT, oncall=(ONCALL,))
    [first] = report(store, clock, 1, *AMBUSH, 1, route)
    assert store.escalations.states() == []   # high: below the on-call line
    clock.now += timedelta(hours=1)
    [raised] = report(store, clock, 2, *TOLL, 12, route)
    assert raised.action == AlertAction.UPDATE and raised.update is not None
    assert raised.update.severity_before == Severity.HIGH

    event = store.events.get(raised.event.id if raised.event else "")
    assert event is not None and event.alert_id
    [escalation] = store.escalations.states()
    assert (escalation.alert_id, escalation.chats, escalation.started_at) == (event.alert_id, (ONCALL,), clock.now)
    oncall_rows = [(r.alert_id, r.action, r.status) for r in store.outbox.rows() if r.chat_id == ONCALL]
    assert oncall_rows == [(event.alert_id, AlertAction.SEND, OutboxStatus.PENDING)]

    # already critical: the next report is an update in both chats, and no second escalation
    clock.now += timedelta(hours=1)
    report(store, clock, 3, *LATER, 14, route)
    assert len(store.escalations.states()) == 1
    oncall_actions = [r.action for r in store.outbox.rows() if r.chat_id == ONCALL]
    assert oncall_actions == [AlertAction.SEND, AlertAction.UPDATE]
    assert first.event is not None and first.event.id == event.id


def test_a_raise_whose_commit_fails_leaves_neither_the_update_nor_the_escalation(store) -> None:
    """One transaction: when queueing the on-call message fails, the update's own rows are not kept either, so
    the report is read again on the next poll and nothing is half done."""
    clock = Clock()
    route = router(CHAT, oncall=(ONCALL,))
    report(store, clock, 1, *AMBUSH, 1, route)
    before = store.outbox.rows()

    def refusing(alert: Alert) -> list[Target]:
        targets = route(alert)
        if any(t.oncall for t in targets):
            raise RuntimeError("the on-call chats cannot be routed")
        return targets

    clock.now += timedelta(hours=1)
    with pytest.raises(RuntimeError, match="on-call"):
        report(store, clock, 2, *TOLL, 12, refusing)
    assert store.outbox.rows() == before and store.escalations.states() == []
    toll = Article("wire-2", *TOLL, url="https://wire-2.example/2", guid="wire-2")
    assert store.articles.unseen([toll]) == [toll]   # not marked seen: the next poll brings it again
