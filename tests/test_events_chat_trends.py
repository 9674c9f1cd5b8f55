"""/events in the chat lists the trend alerts of the last day after the incidents, as `beacon events` does:
each one's rule, window and count, and the incidents it counted (real feed server, `beacon run` with the
trend examples polling it, python-telegram-bot and the fake Bot API)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.app import Beacon
from bot.config import Config
from bot.history import trends_html
from bot.trends.listing import CountedIncident, TrendRecord
from tests.clocks import SkippingClock
from tests.e2e.telegram_setup import say, start, stop
from tests.e2e.test_trends_live import CHAT, SOURCE, configure, item
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss
from tests.trend_history import START, TOWNS, History


async def test_events_lists_the_trend_alerts_with_their_window_count_and_incidents(
        write_config: Callable[..., Config], tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    config = configure(write_config, tmp_path, feed_server, bot_api)
    history = History.new().buildup(1, "Mali").clash(2, "Nigeria").clash(9, "Nigeria").clash(11, "Nigeria")
    history.clash(12, "Mali")
    feed_server.serve(f"/{SOURCE}", rss(*(item(a) for a in reversed(history.articles))))
    clock = SkippingClock(START + timedelta(hours=12, minutes=5))
    beacon = Beacon(config, now=clock, monotonic=clock.monotonic)
    for rule in ("fatal-clash-surge", "buildup-then-clash"):
        beacon.store.chats.subscribe(CHAT, rule, clock())
    task = await start(beacon, bot_api)
    try:
        # the poll's incidents make both patterns true: the surge and the sequence reach the chat
        await bot_api.wait_for(lambda: sum(m.chat_id == CHAT for m in bot_api.sent) == 2, timeout=15)
        answer = await say(bot_api, CHAT, "/events")
        ids = {e.rule_ids[0] + "|" + str(e.headline["title"]): e.id for e in beacon.store.events.recent(START)}
    finally:
        await stop(beacon, task)
    incidents, _, trends = answer.partition("Trend alerts, last 24 hours (2)")
    assert incidents.startswith("Events, last 24 hours (5)") and trends, answer
    # newest first: the sequence's pattern came true with the Gao clash (18:00), the surge's with Jos (17:00)
    sequence, surge = trends.strip().split("\n• ")
    assert sequence.startswith("• 18:00 ") and surge.startswith("17:00 ")
    nigeria = [a for a in history.articles
               if any(str(a["id"]).startswith(f"clash-{town.lower()}-") for town in TOWNS["Nigeria"])]

    assert "fatal-clash-surge · high · Nigeria" in surge and "3 incidents in Nigeria within 1d" in surge
    assert "window 1d · counted 3 incidents" in surge
    counted = [line for line in surge.splitlines() if line.startswith("  – ")]
    assert len(counted) == 3
    for line, article in zip(counted, nigeria, strict=True):     # oldest first, each with its incident id
        assert ids[f"fatal-clash|{article['title']}"] in line and f"sahel-wire: {article['title']}" in line
    assert counted[0].startswith("  – 02 Mar 08:00 ")

    assert "buildup-then-clash · critical · Mali" in sequence and "window 7d · counted 2 incidents" in sequence
    first, then = [line for line in sequence.splitlines() if line.startswith("  – ")]
    assert first.startswith("  – first: 02 Mar 07:00 ") and "Army masses troops and armour near the Mali" in first
    gao = str(history.articles[-1]["title"])
    assert then == f"  – then: 02 Mar 18:00 {ids['fatal-clash|' + gao]} sahel-wire: {gao}"


def test_a_flatline_says_since_when_and_many_incidents_are_cut_short() -> None:
    at = START + timedelta(hours=20)
    silent = TrendRecord(1, "wire-silent", "A wire fell silent", "low", "sahel-wire", at, at, "12h",
                         "No reports from sahel-wire for 12h", silent_since=START + timedelta(hours=8))
    counted = tuple(CountedIncident(f"ev-{n}", START + timedelta(hours=n), "wire", f"Clash {n} <b>")
                    for n in range(7))
    surge = TrendRecord(2, "surge", "Surge", "high", "Nigeria", at, at, "1d", "7 incidents in Nigeria", counted)
    text = trends_html([silent, surge], "Africa/Lagos", incidents_shown=5)
    assert "<b>wire-silent</b> · low · sahel-wire" in text
    assert "window 12h · silent since 02 Mar 15:00" in text             # 14:00 UTC in Lagos (UTC+1)
    assert "window 1d · counted 7 incidents" in text and "Clash 4 &lt;b&gt;" in text
    assert "Clash 5" not in text and "– … and 2 more" in text
    assert trends_html([]) == ""
