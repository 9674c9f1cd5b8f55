"""Incidents as a chat lives them: one message per incident across rules, told in the order things happened.

Real feed server, fake Bot API, real SQLite, the shipped rules; one `beacon run --once` per step at a
compressed clock. The texts are ours (tests/data/incidents/banjska.jsonl and the demo feeds).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.app import Beacon
from bot.config import REPO_ROOT, Config
from bot.store import Store
from tests.conftest import DATA
from tests.e2e.telegram_setup import outlets_config
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer, Status
from tests.feeds import rss

CHAT = 6060
REPORTS = [json.loads(line) for line in (DATA / "incidents" / "banjska.jsonl").read_text("utf-8").splitlines()]
AMBUSH, SIEGE, ROUND_UP = REPORTS[0], REPORTS[1], REPORTS[2]   # balkan-wire, danube-herald, adriatic-times


def item(report: dict[str, str], guid: str) -> dict[str, str]:
    return {"guid": guid, "title": report["title"], "description": report["text"],
            "link": f"https://{report['source']}.example/{guid}",
            "pubDate": format_datetime(datetime.fromisoformat(report["published"]), usegmt=True)}


class Newsroom:
    """Outlets publishing into the feed server, and Beacon polling them once per step."""

    def __init__(self, write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI,
                 outlets: Sequence[str]) -> None:
        self.feed_server = feed_server
        self.items: dict[str, list[dict[str, str]]] = {o: [] for o in outlets}
        for outlet in outlets:
            feed_server.serve("/" + outlet, rss())
        self.config = outlets_config(write_config, feed_server, bot_api, list(outlets))
        self.subscribed = False

    def publish(self, outlet: str, report: dict[str, str], guid: str) -> None:
        self.items[outlet].insert(0, item(report, guid))
        self.feed_server.serve("/" + outlet, rss(*self.items[outlet]))

    async def poll(self, at: datetime,
                   selectors: Sequence[tuple[int, str]] = ((CHAT, "kosovo-fatal-clash"),)) -> Beacon:
        beacon = Beacon(self.config, now=lambda: at)
        if not self.subscribed:
            for chat, selector in selectors:
                beacon.store.chats.subscribe(chat, selector, at)
            self.subscribed = True
        assert await beacon.run(once=True) == 0
        return beacon


def new_messages(bot_api: FakeBotAPI, chat: int = CHAT) -> list:
    return [m for m in bot_api.sent if m.chat_id == chat and m.reply_to_message_id is None]


def replies(bot_api: FakeBotAPI, chat: int = CHAT) -> list:
    return [m for m in bot_api.sent if m.chat_id == chat and m.reply_to_message_id is not None]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (2, 0, 1)],
                         ids=["in-order", "reversed", "middle-first", "last-first"])
async def test_three_outlets_in_shuffled_order_make_one_alert_told_forwards(write_config, feed_server, bot_api,
                                                                            order) -> None:
    reports = [AMBUSH, SIEGE, ROUND_UP]
    room = Newsroom(write_config, feed_server, bot_api, [r["source"] for r in reports])
    at = datetime(2023, 9, 24, 18, 0, tzinfo=UTC)   # every report is out by then; they arrive an hour apart
    for step, index in enumerate(order):
        report = reports[index]
        room.publish(report["source"], report, f"r{index}")
        beacon = await room.poll(at + timedelta(hours=step))
    [alert] = new_messages(bot_api)
    updates = replies(bot_api)
    assert len(updates) <= 2
    for reply in updates:
        assert reply.reply_to_message_id == alert.message_id
        # only ever forwards: a figure rises from an older one, never back, never "resumed"
        assert "revised" not in reply.plain_text and "resumed" not in reply.plain_text
        assert "now 1," not in reply.plain_text and "was 4" not in reply.plain_text
    final = bot_api.message(CHAT, alert.message_id)
    assert final is not None
    assert "killed: 4" in final["text"] and "wounded: 3" in final["text"] and "3 sources" in final["text"]
    [event] = Store(beacon.config.database).events.recent(at - timedelta(days=1))
    assert event.reports == 3 and event.latest_at == datetime.fromisoformat(ROUND_UP["published"])
    # the headline is the newest report that changed the message (docs/events.md): the round-up's wounded in
    # every order, since it is the newest and the older two, arriving after it, are context
    assert event.headline["title"] == ROUND_UP["title"]


async def test_a_backfill_after_an_outage_brings_no_spurious_updates(write_config, feed_server, bot_api) -> None:
    room = Newsroom(write_config, feed_server, bot_api, ["balkan-wire", "aggregator"])
    start = datetime(2023, 9, 24, 5, 45, tzinfo=UTC)
    room.publish("balkan-wire", AMBUSH, "ambush")
    feed_server.fault("/aggregator", Status(503))
    await room.poll(start)
    room.publish("balkan-wire", SIEGE | {"source": "balkan-wire", "published": "2023-09-24T11:15:00Z"}, "siege")
    await room.poll(datetime(2023, 9, 24, 11, 20, tzinfo=UTC))
    assert len(new_messages(bot_api)) == 1
    assert [r.plain_text.split("\n")[1] for r in replies(bot_api)] == ["death toll now 4, was 1 · 1 source"]
    # six hours down, then the aggregator's twenty reports from that time at once: all retell what the
    # chat already has (older than the newest report it saw, or the same figures), one is news
    backlog = []
    for n in range(20):
        published = datetime(2023, 9, 24, 5, 50, tzinfo=UTC) + timedelta(minutes=18 * n)
        killed = "one officer was killed"
        if published.hour >= 11:
            killed = "four people were killed, one officer and three gunmen"
        text = (f"Police in northern Kosovo gave their {n + 1}th briefing on the Banjska attack: {killed}. "
                "The armed group that ambushed the patrol had retreated towards the Banjska monastery.")
        backlog.append({"source": "aggregator", "published": published.isoformat(),
                        "title": f"Banjska attack: police briefing {n + 1}", "text": text})
    backlog[-1] = ROUND_UP | {"source": "aggregator", "published": "2023-09-24T11:40:00Z"}   # wounded 1 -> 3
    for n, report in enumerate(backlog):
        room.items["aggregator"].insert(0, item(report, f"agg-{n}"))
    feed_server.serve("/aggregator", rss(*room.items["aggregator"]))
    beacon = await room.poll(datetime(2023, 9, 24, 17, 30, tzinfo=UTC))
    assert len(new_messages(bot_api)) == 1
    later = [r.plain_text for r in replies(bot_api)[1:]]
    # one reply for the backfill, saying the one thing that is new, and when it was published
    assert len(later) == 1, later
    assert "wounded now 3, was 1" in later[0] and "death toll" not in later[0]
    assert "published 24 Sep 11:40, arrived 24 Sep 17:30" in later[0]
    [event] = Store(beacon.config.database).events.recent(start - timedelta(days=1))
    assert event.reports == 22 and dict(event.facts)["killed"] == 4


async def test_one_message_per_incident_whatever_the_subscriptions(write_config, feed_server, bot_api) -> None:
    """A chat subscribed to `all`, to the tag `conflict` and to `kosovo-fatal-clash`: the Banjska reports match
    fatal-clash and kosovo-fatal-clash, one incident, one message; other chats see their own rules' titles."""
    room = Newsroom(write_config, feed_server, bot_api, ["balkan-wire", "danube-herald"])
    everything, general, kosovo = CHAT, CHAT + 1, CHAT + 2
    selectors = [(everything, "all"), (everything, "tag:conflict"), (everything, "kosovo-fatal-clash"),
                 (general, "fatal-clash"), (kosovo, "kosovo-fatal-clash")]
    room.publish("balkan-wire", AMBUSH, "ambush")
    await room.poll(datetime(2023, 9, 24, 6, 0, tzinfo=UTC), selectors)
    room.publish("danube-herald", SIEGE, "siege")
    beacon = await room.poll(datetime(2023, 9, 24, 11, 30, tzinfo=UTC), selectors)
    for chat in (everything, general, kosovo):
        assert len(new_messages(bot_api, chat)) == 1
        assert len(replies(bot_api, chat)) == 1
        assert "death toll now 4, was 1" in replies(bot_api, chat)[0].plain_text
    assert "Fatal clash in Kosovo / Fatal armed clash · CRITICAL" in new_messages(bot_api, everything)[0].plain_text
    assert "Fatal armed clash · CRITICAL" in new_messages(bot_api, general)[0].plain_text
    assert "Fatal clash in Kosovo · CRITICAL" in new_messages(bot_api, kosovo)[0].plain_text
    [event] = Store(beacon.config.database).events.recent(datetime(2023, 9, 23, tzinfo=UTC))
    assert set(event.rule_ids) == {"fatal-clash", "kosovo-fatal-clash"} and event.severity.label == "critical"


async def test_the_demo_feeds_read_as_one_alert_per_incident(write_config, feed_server, bot_api) -> None:
    """The embedded default's sample feeds: Banjska once (both rules), the troop story as a build-up then a cut,
    and Britain's reinforcement of KFOR as a build-up of its own (new troops sent into Kosovo are one, as
    docs/languages.md says), not folded into Serbia's."""
    feeds = REPO_ROOT / "examples" / "feeds"
    room = Newsroom(write_config, feed_server, bot_api, ["balkans-wire", "regional-monitor"])
    feed_server.serve("/balkans-wire", (feeds / "balkans-wire.xml").read_bytes())
    feed_server.serve("/regional-monitor", (feeds / "regional-monitor.xml").read_bytes(),
                      content_type="application/atom+xml")
    await room.poll(datetime(2023, 10, 2, 17, 0, tzinfo=UTC), [(CHAT, "all")])
    messages = [m.plain_text for m in new_messages(bot_api)]
    assert len(messages) == 3, messages
    clash = next(m for m in messages if "Banjska" in m)
    troops = next(m for m in messages if "Troop build-up" in m and "4,500" in m)
    reinforcement = next(m for m in messages if "UK to send extra soldiers" in m)
    assert "troops: 200" in reinforcement and "increase" in reinforcement and "Serbia" not in reinforcement
    assert clash.startswith("🚨 Fatal clash in Kosovo / Fatal armed clash · CRITICAL")
    assert "killed: 4" in clash and "2 sources" in clash
    # told forwards: the cut leads, the warning it follows is named, and nothing says "resumed"
    assert "cut back to regular 4,500" in troops and "First reported: US warns of large Serbian" in troops
    assert "scaled back" in troops and "resumed" not in troops
