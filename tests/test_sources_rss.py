"""Fetching and parsing feeds from a real loopback server, including hostile answers."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import SourceError
from bot.models import Validators
from bot.sources.http import fetch, make_client
from bot.sources.normalise import canonical_url, html_to_text
from bot.sources.rss import RssSource
from tests.fakes.feed_server import (
    CloseImmediately,
    Drip,
    FeedServer,
    GzipBomb,
    Hang,
    Huge,
    RedirectLoop,
    Status,
)
from tests.feeds import CLASH, QUIET, atom, rss

NOW = datetime(2023, 10, 5, tzinfo=UTC)


async def poll(server: FeedServer, path: str = "/feed", validators: Validators | None = None, **kw):
    async with make_client() as client:
        source = RssSource("test", server.url(path), 60, client)
        return await source.poll(validators or Validators(), NOW)


async def test_rss_items_become_articles(feed_server: FeedServer) -> None:
    feed_server.serve("/feed", rss(CLASH, QUIET))
    result = await poll(feed_server)
    first, second = result.articles
    assert first.title == "Police officer killed in Banjska ambush"
    assert first.text.startswith("Around 30 gunmen attacked a patrol")
    assert "<p>" not in first.text
    assert first.url == "https://news.example/banjska?id=7"  # tracking parameter gone
    assert first.guid == "clash-1"
    assert first.published == datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
    assert second.published is None


async def test_atom_entries_become_articles(feed_server: FeedServer) -> None:
    feed_server.serve("/feed", atom({"id": "urn:1", "title": "Army chief: troops cut to 4,500",
                                     "link": "https://news.example/cut", "summary": "<b>8,350</b> to 4,500"}),
                      content_type="application/atom+xml")
    [article] = (await poll(feed_server)).articles
    assert article.title == "Army chief: troops cut to 4,500"
    assert article.text == "8,350 to 4,500"
    assert article.published == datetime(2023, 10, 2, 10, 0, tzinfo=UTC)


async def test_conditional_get_sends_stored_validators_and_304_costs_nothing(feed_server: FeedServer) -> None:
    feed_server.serve("/feed", rss(CLASH), etag='"v1"', last_modified="Sun, 24 Sep 2023 06:00:00 GMT")
    first = await poll(feed_server)
    assert first.validators == Validators('"v1"', "Sun, 24 Sep 2023 06:00:00 GMT")
    second = await poll(feed_server, validators=first.validators)
    assert second.not_modified and second.articles == ()
    headers = feed_server.requests[-1].headers
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Sun, 24 Sep 2023 06:00:00 GMT"
    assert "beacon/" in headers["user-agent"].lower()
    # no validators stored: none made up
    feed_server.serve("/feed", rss(CLASH))
    await poll(feed_server)
    assert "if-modified-since" not in feed_server.requests[-1].headers


@pytest.mark.parametrize(("body", "reason"), [
    ("", "not a feed (empty body)"),
    ("<html><body><h1>Welcome</h1></body></html>", "not a feed"),
])
async def test_not_a_feed_is_an_error_not_no_news(feed_server: FeedServer, body: str, reason: str) -> None:
    feed_server.serve("/feed", body, content_type="text/html")
    with pytest.raises(SourceError, match=re.escape(reason)):
        await poll(feed_server)


async def test_malformed_xml_still_yields_entries(feed_server: FeedServer) -> None:
    broken = rss(CLASH).replace("</channel></rss>", "<item><title>Loose & broken</title></item>")
    feed_server.serve("/feed", broken)
    result = await poll(feed_server)
    assert result.articles[0].title == "Police officer killed in Banjska ambush"


async def test_entity_bombs_and_xxe_do_not_expand(feed_server: FeedServer) -> None:
    lol = '<!DOCTYPE rss [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    ) + '<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    doc = rss({"guid": "b", "title": "T &lol9; &xxe;", "description": "d"}).replace(
        '<?xml version="1.0" encoding="utf-8"?>\n', '<?xml version="1.0" encoding="utf-8"?>\n' + lol)
    doc = doc.replace("T &amp;lol9; &amp;xxe;", "T &lol9; &xxe;")
    feed_server.serve("/feed", doc)
    started = time.monotonic()
    try:
        result = await poll(feed_server)
    except SourceError:
        return  # refusing the document outright is also safe
    assert time.monotonic() - started < 2
    host_file = Path("/etc/hostname")
    hostname = host_file.read_text().strip() if host_file.exists() else "\0"
    for article in result.articles:
        assert len(article.title) < 200
        assert hostname not in article.title + article.text


async def test_hanging_and_dripping_servers_hit_the_total_deadline(feed_server: FeedServer) -> None:
    for path, fault in (("/hang", Hang()), ("/drip", Drip(interval=0.2))):
        feed_server.fault(path, fault)
        async with make_client() as client:
            started = time.monotonic()
            with pytest.raises(SourceError, match=r"no complete answer within 1s|timed out"):
                await fetch(client, "test", feed_server.url(path), deadline=1.0)
            assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("chunked", [False, True])
async def test_oversized_body_is_refused_at_the_cap(feed_server: FeedServer, chunked: bool) -> None:
    feed_server.fault("/feed", Huge(size=50_000_000, chunked=chunked))
    async with make_client() as client:
        with pytest.raises(SourceError, match="too large"):
            await fetch(client, "test", feed_server.url("/feed"), max_bytes=1_000_000)


async def test_gzip_bomb_is_stopped_by_bounded_decompression(feed_server: FeedServer) -> None:
    import tracemalloc

    feed_server.fault("/feed", GzipBomb(decoded_size=50 * 2**20))
    tracemalloc.start()
    try:
        async with make_client() as client:
            with pytest.raises(SourceError, match="too large"):
                await fetch(client, "test", feed_server.url("/feed"), max_bytes=2_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


async def test_gzip_feed_is_decoded(feed_server: FeedServer) -> None:
    import gzip

    feed_server.serve("/feed", gzip.compress(rss(CLASH).encode()), headers={"Content-Encoding": "gzip"})
    [article] = (await poll(feed_server)).articles
    assert article.guid == "clash-1"


async def test_redirect_loop_stops(feed_server: FeedServer) -> None:
    feed_server.fault("/loop", RedirectLoop())
    with pytest.raises(SourceError, match="redirects"):
        await poll(feed_server, "/loop")
    assert feed_server.hits("/loop") <= 6


@pytest.mark.parametrize(("status", "match", "permanent"), [
    (404, "HTTP 404 not found", False), (410, "HTTP 410 gone", True), (500, "HTTP 500", False)])
async def test_http_errors(feed_server: FeedServer, status: int, match: str, permanent: bool) -> None:
    feed_server.fault("/feed", Status(status))
    with pytest.raises(SourceError, match=match) as info:
        await poll(feed_server)
    assert info.value.permanent is permanent


async def test_429_carries_retry_after(feed_server: FeedServer) -> None:
    feed_server.fault("/feed", Status(429, retry_after=120))
    with pytest.raises(SourceError) as info:
        await poll(feed_server)
    assert info.value.retry_after == 120


async def test_connection_errors_are_source_errors(feed_server: FeedServer) -> None:
    feed_server.fault("/feed", CloseImmediately())
    with pytest.raises(SourceError, match=r"connection failed|timed out"):
        await poll(feed_server)
    async with make_client() as client:
        with pytest.raises(SourceError, match="connection failed"):
            await fetch(client, "down", "http://127.0.0.1:9/feed")


def test_canonical_url_and_text() -> None:
    assert canonical_url("HTTPS://News.Example:443/a?utm_source=x&id=3&fbclid=y#frag") == "https://news.example/a?id=3"
    assert canonical_url(None) is None
    assert html_to_text("<p>One &amp; two</p><script>alert(1)</script><p>three</p>") == "One & two\nthree"


def test_future_dates_are_clamped_to_now() -> None:
    from bot.sources.normalise import normalise_entry

    entry = {"title": "From the future", "published_parsed": (2031, 1, 1, 0, 0, 0, 2, 1, 0)}
    article = normalise_entry(entry, "s", NOW)
    assert article is not None and article.published == NOW
