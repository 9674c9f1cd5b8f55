"""An incident as it unfolds across sources over a day (compressed clock): one alert, updated in place.

The texts are ours (tests/data/incidents/banjska.jsonl), after the 24 September 2023 attack at
Banjska in northern Kosovo: the morning ambush (one officer killed), the afternoon shoot-out
(three gunmen killed: toll 4), the evening round-up (wounded 3) with a fourth outlet adding
nothing new, then a different incident in the same region the same evening.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from bot.app import Beacon
from bot.config import Config
from bot.store import Store
from tests.conftest import DATA
from tests.e2e.telegram_setup import outlets_config
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss

CHAT = 5150
RULE = "kosovo-fatal-clash"
REPORTS = [json.loads(line) for line in (DATA / "incidents" / "banjska.jsonl").read_text("utf-8").splitlines()]
OUTLETS = sorted({r["source"] for r in REPORTS})


def item(report: dict[str, str], n: int) -> dict[str, str]:
    return {"guid": f"{report['source']}-{n}", "title": report["title"], "description": report["text"],
            "link": f"https://{report['source']}.example/{n}",
            "pubDate": format_datetime(datetime.fromisoformat(report["published"]), usegmt=True)}


def configure(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI,
              clustering: bool) -> Config:
    return outlets_config(write_config, feed_server, bot_api, list(OUTLETS),
                          f"events:\n  clustering: {'true' if clustering else 'false'}\n")


async def replay(write_config, feed_server: FeedServer, bot_api: FakeBotAPI, clustering: bool) -> Beacon:
    """Publish the reports step by step, one `beacon run --once` per step at the report's time."""
    published: dict[str, list[dict[str, str]]] = {o: [] for o in OUTLETS}
    for outlet in OUTLETS:
        feed_server.serve("/" + outlet, rss())
    config = configure(write_config, feed_server, bot_api, clustering)
    beacon = None
    for step in sorted({r["step"] for r in REPORTS}):
        for n, report in enumerate(REPORTS):
            if report["step"] == step:
                published[report["source"]].insert(0, item(report, n))
                feed_server.serve("/" + report["source"], rss(*published[report["source"]]))
        at = max(datetime.fromisoformat(r["published"]) for r in REPORTS if r["step"] == step)
        beacon = Beacon(config, now=lambda at=at: at + timedelta(minutes=5))
        if step == 1:
            beacon.store.chats.subscribe(CHAT, RULE, beacon.now())
        assert await beacon.run(once=True) == 0
    assert beacon is not None
    return beacon


async def test_one_alert_updated_twice_then_a_second_incident(write_config, feed_server, bot_api) -> None:
    beacon = await replay(write_config, feed_server, bot_api, clustering=True)
    sent = [m for m in bot_api.sent if m.chat_id == CHAT]
    new_alerts = [m for m in sent if m.reply_to_message_id is None]
    replies = [m for m in sent if m.reply_to_message_id is not None]
    # Banjska once, then the Zubin Potok shooting as its own incident
    assert len(new_alerts) == 2, [m.plain_text[:80] for m in sent]
    first, second = new_alerts
    assert "Banjska" in first.plain_text and "Zubin Potok" in second.plain_text
    # two material updates, threaded under the first message
    assert len(replies) == 2
    assert all(r.reply_to_message_id == first.message_id for r in replies)
    assert "death toll now 4, was 1" in replies[0].plain_text and "2 sources" in replies[0].plain_text
    assert "wounded now 3, was 1" in replies[1].plain_text
    # the first message, edited in place, shows the event as it ends: toll, wounded, four outlets
    final = bot_api.message(CHAT, first.message_id)
    assert final is not None
    assert "killed: 4" in final["text"] and "wounded: 3" in final["text"]
    assert "4 sources" in final["text"]
    # one edit per update; the evening's fourth outlet adds only a source, folded into the waiting update
    assert [(e["method"], e["message_id"]) for e in bot_api.edits] == [("editMessageText", first.message_id)] * 2
    events = Store(beacon.config.database).events.recent(datetime(2023, 9, 24, tzinfo=UTC))
    banjska = [e for e in events if e.rule_id == RULE and "Banjska" in e.headline["title"]]
    assert len(banjska) == 1 and banjska[0].reports == 4 and dict(banjska[0].facts)["killed"] == 4
    assert len([e for e in events if e.rule_id == RULE]) == 2


async def test_clustering_off_sends_every_report(write_config, feed_server, bot_api) -> None:
    beacon = await replay(write_config, feed_server, bot_api, clustering=False)
    sent = [m for m in bot_api.sent if m.chat_id == CHAT]
    # each report its own alert, nothing threaded or edited (with clustering, the later ones are updates)
    assert len(sent) == len(REPORTS)
    statuses = [a.status for a in Store(beacon.config.database).alerts.recent() if a.rule_id == RULE]
    assert sorted(statuses) == ["queued"] * len(REPORTS)
    assert all(m.reply_to_message_id is None for m in sent)
    assert bot_api.edits == []
