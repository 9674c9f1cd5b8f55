"""One incident told in three languages and two scripts is one alert; two incidents of one region and day
in two languages are two.

Real feed server (one feed per outlet, each declaring its language as real outlets' feeds do, the
Cyrillic one declaring none), fake Bot API, real SQLite, the shipped rules; one `beacon run --once` per
step at a compressed clock, the reports reaching Beacon in shuffled order an hour apart. The texts are
ours (tests/data/lang/banjska-feeds.jsonl, tests/data/incidents/crosslang.jsonl).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from bot.app import Beacon
from bot.cli import main
from bot.config import REPO_ROOT, Config
from bot.store import Store
from tests.conftest import DATA, RULES_DIR
from tests.e2e.telegram_setup import outlets_config
from tests.fakes.bot_api import FakeBotAPI, SentMessage
from tests.fakes.feed_server import FeedServer

CHAT = 7170
BANJSKA = [json.loads(line) for line in (DATA / "lang" / "banjska-feeds.jsonl").read_text("utf-8").splitlines()]
CROSSLANG = [json.loads(line) for line in (DATA / "incidents" / "crosslang.jsonl").read_text("utf-8").splitlines()]
TWO_VILLAGES = [r for r in CROSSLANG if r["incident"] in ("x02", "x03")]
SLUGS = {"Zëri i Veriut": "zeri-i-veriut", "Ибарски лист": "ibarski-list", "Sever Info": "sever-info",
         "Adriatic Wire": "adriatic-wire"}
DECLARED = {"zeri-i-veriut": "sq", "ibarski-list": None, "sever-info": "sr-Latn", "adriatic-wire": "en"}


def feed(outlet: str, reports: Sequence[dict[str, str]]) -> str:
    """An RSS 2.0 feed of an outlet's reports, newest first, with the channel language it declares."""
    language = DECLARED[outlet]
    items = "".join(
        f"<item><guid>{escape(r['url'])}</guid><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link>"
        f"<description>{escape(r['text'])}</description><pubDate>"
        f"{format_datetime(datetime.fromisoformat(r['published'].replace('Z', '+00:00')), usegmt=True)}"
        f"</pubDate></item>" for r in reversed(reports))
    declared = f"<language>{language}</language>" if language else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{outlet}</title>'
            f"<link>https://{outlet}.example/</link><description>news</description>{declared}{items}</channel></rss>")


class Outlets:
    """Four outlets' feeds on the feed server, and Beacon reading them once per step."""

    def __init__(self, write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
        self.feed_server = feed_server
        self.published: dict[str, list[dict[str, str]]] = {slug: [] for slug in DECLARED}
        for slug in DECLARED:
            feed_server.serve("/" + slug, feed(slug, []))
        self.config = outlets_config(write_config, feed_server, bot_api, list(DECLARED))
        self.subscribed = False

    def publish(self, report: dict[str, str]) -> None:
        slug = SLUGS[report["source"]]
        self.published[slug].append(report)
        self.feed_server.serve("/" + slug, feed(slug, self.published[slug]))

    async def poll(self, at: datetime) -> Beacon:
        beacon = Beacon(self.config, now=lambda: at)
        if not self.subscribed:
            beacon.store.chats.subscribe(CHAT, "all", at)
            self.subscribed = True
        assert await beacon.run(once=True) == 0
        return beacon


def place_line(text: str) -> str:
    """What an alert's 📍 line says: the event's place, then what encloses it."""
    return text.split("📍", 1)[1].split("\n", 1)[0].strip()


def first_messages(bot_api: FakeBotAPI) -> list[SentMessage]:
    return [m for m in bot_api.sent if m.chat_id == CHAT and m.reply_to_message_id is None]


def replies(bot_api: FakeBotAPI) -> list[SentMessage]:
    return [m for m in bot_api.sent if m.chat_id == CHAT and m.reply_to_message_id is not None]


async def replay(outlets: Outlets, reports: Sequence[dict[str, str]], seed: int, start: datetime,
                 step_every: timedelta = timedelta(hours=1)) -> Beacon:
    """The reports reach Beacon in a shuffled order, one poll per `step_every`."""
    order = list(reports)
    random.Random(seed).shuffle(order)
    beacon = None
    for step, report in enumerate(order):
        outlets.publish(report)
        beacon = await outlets.poll(start + step * step_every)
    assert beacon is not None
    return beacon


@pytest.mark.parametrize("seed", [0, 1])
async def test_banjska_in_four_feeds_and_three_languages_is_one_alert_with_the_day_s_toll(
        write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI, seed: int) -> None:
    outlets = Outlets(write_config, feed_server, bot_api)
    start = datetime(2023, 9, 24, 18, 0, tzinfo=UTC)   # all eight are out; they reach Beacon an hour apart
    beacon = await replay(outlets, BANJSKA, seed, start)
    [alert] = first_messages(bot_api)
    updates = replies(bot_api)
    assert len(updates) <= 2, [u.plain_text for u in updates]
    for reply in updates:
        assert reply.reply_to_message_id == alert.message_id
        assert "revised" not in reply.plain_text and "was 4" not in reply.plain_text
    final = bot_api.message(CHAT, alert.message_id)
    assert final is not None
    assert "killed: 4" in final["text"] and "4 sources" in final["text"]
    # the attack's place: Banjska, a village of Zvečan in the operator's north-kosovo, never Pristina or Kosovo alone;
    # reports naming the municipality ("u opštini Zvečan") add Zvečan
    places = place_line(final["text"]).split(", ")
    assert "north-kosovo" in places and set(places) <= {"Zvečan", "north-kosovo", "Kosovo"}, places
    [event] = Store(beacon.config.database).events.recent(start - timedelta(days=1))
    assert event.reports == 8 and event.facts["killed"] == 4
    assert set(event.languages) == {"sq-Latn", "sr-Cyrl", "sr-Latn", "en-Latn"}


async def test_banjska_as_the_feeds_publish_it_is_one_alert_told_forwards(
        write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    outlets = Outlets(write_config, feed_server, bot_api)
    at = datetime(2023, 9, 24, 5, 30, tzinfo=UTC)
    pending = sorted(BANJSKA, key=lambda r: r["published"])
    while at <= datetime(2023, 9, 24, 18, 0, tzinfo=UTC):
        while pending and datetime.fromisoformat(pending[0]["published"].replace("Z", "+00:00")) <= at:
            outlets.publish(pending.pop(0))
        await outlets.poll(at)
        at += timedelta(minutes=90)
    [alert] = first_messages(bot_api)
    assert [r.plain_text.split("\n")[1].split(" · ")[0] for r in replies(bot_api)] == ["death toll now 4, was 1"]
    final = bot_api.message(CHAT, alert.message_id)
    assert final is not None and "killed: 4" in final["text"]
    # the alert says the language of the report it shows, in that report's own words
    assert "🗣 Albanian" in alert.plain_text and "Sulm ndaj policisë në Banjskë" in alert.plain_text


@pytest.mark.parametrize("seed", [0, 1, 2])
async def test_two_villages_of_one_region_on_one_day_in_two_languages_stay_two_alerts(
        write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI, seed: int) -> None:
    outlets = Outlets(write_config, feed_server, bot_api)
    start = datetime(2026, 3, 14, 17, 0, tzinfo=UTC)
    # 20 minutes apart: two clashes in one country within the hour are two incidents, each alerted
    beacon = await replay(outlets, TWO_VILLAGES, seed, start, timedelta(minutes=20))
    assert len(first_messages(bot_api)) == 2
    # each in its village's municipality (Žerovnica by Zvečan; Boljetin "in Zvečan municipality", its wounded taken
    # to hospital in Mitrovica), never the town of the hospital
    assert [place_line(m.plain_text) for m in first_messages(bot_api)] == ["Zvečan, north-kosovo, Kosovo"] * 2
    events = Store(beacon.config.database).events.recent(start - timedelta(days=1))
    assert sorted(e.facts["killed"] for e in events) == [1, 2]
    assert all(e.reports == 2 and len(e.languages) == 2 for e in events)


def test_the_dry_run_prints_the_language_of_the_report_under_its_headline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`beacon run --once` through bot.cli.main in-process: what it prints is the point, not the process (the
    shipped rules are then compiled once for the session, not again in a process of its own)."""
    first_two = sorted(BANJSKA, key=lambda r: r["published"])[:2]   # the Albanian site, then the Cyrillic paper
    sources = []
    for report in first_two:
        slug = SLUGS[report["source"]]
        (tmp_path / f"{slug}.xml").write_text(feed(slug, [report]), "utf-8")
        sources.append(f"  - {{name: {slug}, url: \"{(tmp_path / f'{slug}.xml').as_uri()}\", interval: 60}}")
    joined = "\n".join(sources)
    (tmp_path / "beacon.yaml").write_text(
        f"rules_dir: {RULES_DIR}\ntemplates_dir: {REPO_ROOT / 'templates'}\ndata_dir: {tmp_path / 'data'}\n"
        f"sources:\n{joined}\n", "utf-8")
    status = main(["run", "--once", "-c", str(tmp_path / "beacon.yaml")])
    run = capsys.readouterr()
    assert status == 0, run.err
    assert run.out.count("──── alert") == 1, run.out
    # the two sources are read concurrently: the alert leads with whichever report came first, in its language
    assert ("Sulm ndaj policisë në Banjskë, vritet një polic\n🗣 Albanian\nkilled: 1" in run.out
            or "Погинуо косовски полицајац у пуцњави код Бањске\n🗣 Serbian (Cyrillic)\nkilled: 1" in run.out)
    assert "2 sources: " in run.out
