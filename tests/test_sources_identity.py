"""Identity chaos and odd encodings from a real loopback feed: each real article alerts exactly once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.engine import compile_rules, load_rules_text
from bot.ingest import Ingestor
from bot.models import Target
from bot.sources.http import make_client
from bot.sources.rss import RssSource
from bot.store import Store
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss

NOW = datetime(2023, 10, 5, tzinfo=UTC)
RULES = compile_rules(load_rules_text("id: all\ntitle: Everything\nwhen: {terms: [story, приштин*, kosovo]}\n"))


async def cycle(store: Store, server: FeedServer, body: str | bytes, **serve) -> int:
    server.serve("/feed", body, **serve)
    ingestor = Ingestor(store, lambda: RULES, lambda _a: [Target("telegram", 1)], lambda: NOW)
    async with make_client() as client:
        report = await ingestor.poll(RssSource("wire", server.url("/feed"), 60, client), force=True)
    assert report.error is None, report.error
    return report.alerts


async def test_identity_chaos(store: Store, feed_server: FeedServer) -> None:
    a = {"guid": "1", "title": "First story", "link": "https://news.example/a", "description": "one"}
    b = {"guid": "2", "title": "Second story", "link": "https://news.example/b", "description": "two"}
    assert await cycle(store, feed_server, rss(a, b)) == 2
    # the same article again, with a new GUID and a tracking parameter on its link
    moved = {**a, "guid": "1-v2", "link": "https://news.example/a?utm_source=rss&utm_medium=feed"}
    assert await cycle(store, feed_server, rss(moved, b)) == 0
    # a new story under a reused GUID is new, and two items sharing one GUID are two stories
    reused = {"guid": "2", "title": "Third story", "link": "https://news.example/c", "description": "three"}
    twin = {"guid": "2", "title": "Fourth story", "link": "https://news.example/d", "description": "four"}
    assert await cycle(store, feed_server, rss(reused, twin, b)) == 2
    # items with neither GUID nor link, and an old item sliding back after a deletion
    bare = {"title": "Fifth story", "description": "no id at all"}
    assert await cycle(store, feed_server, rss(bare, a)) == 1
    assert await cycle(store, feed_server, rss(bare, a, b)) == 0


async def test_windows_1251_feed_with_bom_and_wrong_declaration(store: Store, feed_server: FeedServer) -> None:
    body = ('<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Вести</title>'
            "<item><guid>c1</guid><title>Протест у Приштини</title><description>Полиција на Косову"
            "</description></item></channel></rss>")
    # declared windows-1251, but really UTF-8 with a byte-order mark
    assert await cycle(store, feed_server, b"\xef\xbb\xbf" + body.encode("utf-8"),
                       content_type="application/xml") == 1


async def test_undeclared_windows_1251_body(store: Store, feed_server: FeedServer) -> None:
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Вести</title>'
            "<item><guid>c2</guid><title>Нова вест из Приштине</title><description>Kosovo"
            "</description></item></channel></rss>")
    alerts = await cycle(store, feed_server, body.encode("cp1251"), content_type="text/xml")
    assert alerts == 1  # the Latin "Kosovo" still matches even if the Cyrillic is misdecoded


async def test_odd_dates(store: Store, feed_server: FeedServer) -> None:
    items = [{"guid": str(i), "title": f"Dated story {i}", "pubDate": date}
             for i, date in enumerate(["Mon, 02 Oct 2023 16:30:00 +0200", "2023-10-02T14:30:00Z",
                                       "02 Oct 2023 14:30 GMT", "not a date at all", "Tue, 31 Feb 2023 10:00:00 GMT"])]
    feed_server.serve("/feed", rss(*items))
    async with make_client() as client:
        result = await RssSource("wire", feed_server.url("/feed"), 60, client).poll(
            __import__("bot.models", fromlist=["Validators"]).Validators(), NOW)
    dates = [a.published for a in result.articles]
    assert dates[0] == dates[1] == datetime(2023, 10, 2, 14, 30, tzinfo=UTC)
    assert dates[2] == datetime(2023, 10, 2, 14, 30, tzinfo=UTC)
    assert dates[3] is None
    assert all(d is None or d.tzinfo is not None for d in dates)
