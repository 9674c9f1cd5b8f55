"""Full-text enrichment against the real loopback FeedServer: extraction, failures, budget, cache, bounds."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.models import Article
from bot.sources.fulltext import FullTextFetcher
from bot.sources.http import make_client
from tests.fakes.feed_server import Drip, FeedServer, Hang, Huge, Status

BODY = [
    "Militants attacked an army outpost near the northern border town of Karsa on Tuesday night, "
    "killing three soldiers and wounding five others, the defence ministry said on Wednesday.",
    "The attackers arrived in two pickup trucks shortly before midnight and fired rocket-propelled "
    "grenades at the outpost's watchtower before troops returned fire, according to the statement.",
    "Reinforcements reached the area within an hour and the attackers withdrew towards the hills. "
    "A search operation was continuing on Wednesday morning, a local police official told reporters.",
    "It was the fourth attack on security forces in the province this month, and the deadliest since "
    "a ceasefire between the government and the main armed groups collapsed in the spring.",
]
FEED_TEXT = "Militants attacked an army outpost near Karsa, officials said."

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Three soldiers killed in attack on border outpost | Daily Courier</title>
  <script>window.dataLayer = [];</script>
  <style>body {{ font-family: serif; }}</style>
</head>
<body>
  <div id="cookie-banner" class="cookie-consent">
    <p>We use cookies to improve your experience. By continuing you accept our cookie policy.</p>
    <button>Accept all cookies</button>
  </div>
  <header class="site-header">
    <a href="/" class="logo">Daily Courier</a>
    <nav class="main-nav">
      <ul>
        <li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
        <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
        <li><a href="/subscribe">Subscribe today</a></li>
      </ul>
    </nav>
  </header>
  <main>
    <article>
      <h1>Three soldiers killed in attack on border outpost</h1>
      <p class="byline">By A. Reporter, 12 March 2024</p>
      {"".join(f"<p>{p}</p>" for p in BODY)}
    </article>
    <aside class="related">
      <h2>Related stories</h2>
      <ul>
        <li><a href="/world/1">Floods displace thousands in river delta</a></li>
        <li><a href="/world/2">Parliament approves emergency budget</a></li>
        <li><a href="/world/3">Celebrity chef opens seaside restaurant</a></li>
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <p>Copyright 2024 Daily Courier Media Group. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a>
  </footer>
</body>
</html>"""

HTML = "text/html; charset=utf-8"
DEADLINE = 0.3  # short, so failure and budget tests stay fast


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as c:
        yield c


def article(url: str | None, text: str = FEED_TEXT, title: str = "Soldiers killed") -> Article:
    return Article(source="courier", title=title, text=text, url=url)


async def test_extracts_the_article_body_without_boilerplate(feed_server: FeedServer,
                                                            client: httpx.AsyncClient) -> None:
    feed_server.serve("/news/1", NEWS_PAGE, content_type=HTML)
    fetcher = FullTextFetcher(client)
    original = article(feed_server.url("/news/1"))

    [enriched] = await fetcher.enrich("courier", [original])

    assert "killing three soldiers" in enriched.text
    for paragraph in BODY:
        assert paragraph in enriched.text
    for boilerplate in ("Subscribe", "Politics", "cookies", "Related stories", "Floods displace",
                        "Celebrity chef", "All rights reserved", "Privacy policy", "dataLayer"):
        assert boilerplate not in enriched.text
    assert (enriched.title, enriched.url, enriched.source) == (original.title, original.url, original.source)
    assert fetcher.stats == {"fetched": 1, "extracted": 1, "failed": 0, "cached": 0, "skipped": 0}
    request = feed_server.requests[0]
    assert request.headers["accept"].startswith("text/html")


async def test_feed_text_is_kept_when_it_says_more(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    feed_server.serve("/news/1", NEWS_PAGE, content_type=HTML)
    long_feed = " ".join(BODY) + " And details that only the feed has." * 5

    [kept] = await FullTextFetcher(client).enrich("courier", [article(feed_server.url("/news/1"), long_feed)])

    assert kept.text == long_feed


async def test_failing_pages_keep_feed_text_and_the_batch_stays_in_budget(
        feed_server: FeedServer, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    feed_server.serve("/good", NEWS_PAGE, content_type=HTML)
    feed_server.fault("/hang", Hang())
    feed_server.fault("/drip", Drip(interval=0.05, chunk=b"<p>"))
    feed_server.fault("/huge", Huge(size=5_000_000))
    feed_server.fault("/huge-chunked", Huge(size=5_000_000, chunked=True))
    feed_server.fault("/error", Status(500))
    feed_server.serve("/data.json", '{"story": "killing three soldiers"}', content_type="application/json")
    feed_server.serve("/empty", "<html><head><title>x</title></head><body><script>go()</script></body></html>",
                      content_type=HTML)
    bad = ["/missing", "/hang", "/drip", "/huge", "/huge-chunked", "/error", "/data.json", "/empty"]
    articles = [article(feed_server.url(path), f"feed text {i}") for i, path in enumerate(bad)]
    articles.insert(3, article(feed_server.url("/good")))
    fetcher = FullTextFetcher(client, concurrency=10, per_host=10, deadline=DEADLINE, max_bytes=256 * 1024)

    caplog.set_level(logging.INFO, logger="bot.sources.fulltext")
    started = time.monotonic()
    result = await fetcher.enrich("courier", articles)
    elapsed = time.monotonic() - started

    assert elapsed < 3 * DEADLINE
    assert [a.url for a in result] == [a.url for a in articles]
    assert "killing three soldiers" in result.pop(3).text
    assert [a.text for a in result] == [f"feed text {i}" for i in range(len(bad))]
    assert fetcher.stats == {"fetched": 9, "extracted": 1, "failed": 8, "cached": 0, "skipped": 0}
    logged = [r for r in caplog.records if r.levelno == logging.INFO]
    for path in bad:
        assert any("courier" in r.getMessage() and feed_server.url(path) in r.getMessage() for r in logged), path
    assert feed_server.errors == []


async def test_one_slow_site_cannot_hold_the_batch_past_the_budget(feed_server: FeedServer,
                                                                   client: httpx.AsyncClient) -> None:
    """Six hanging pages one at a time would take 6 deadlines; the budget (2 deadlines) cuts that short."""
    for i in range(6):
        feed_server.fault(f"/slow/{i}", Hang())
    articles = [article(feed_server.url(f"/slow/{i}")) for i in range(6)]
    fetcher = FullTextFetcher(client, concurrency=1, deadline=DEADLINE)

    started = time.monotonic()
    result = await fetcher.enrich("courier", articles)
    elapsed = time.monotonic() - started

    assert 2 * DEADLINE * 0.9 < elapsed < 3 * DEADLINE
    assert result == articles
    assert fetcher.stats["failed"] == 6
    assert fetcher.stats["fetched"] < 6  # the queued ones never started


async def test_the_cache_avoids_a_second_request(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    feed_server.serve("/news/1", NEWS_PAGE, content_type=HTML)
    fetcher = FullTextFetcher(client)
    url = feed_server.url("/news/1")

    first = await fetcher.enrich("courier", [article(url)])
    # the same page again, under a tracking parameter its canonical URL drops, and twice in one batch
    again = await fetcher.enrich("wire", [article(url + "?utm_source=rss"), article(url, "other feed text")])

    assert feed_server.hits("/news/1") == 1
    assert first[0].text == again[0].text == again[1].text
    assert fetcher.stats["cached"] == 2


async def test_the_cache_is_bounded_least_recently_used_first(feed_server: FeedServer,
                                                              client: httpx.AsyncClient) -> None:
    for path in ("/a", "/b"):
        feed_server.serve(path, NEWS_PAGE, content_type=HTML)
    fetcher = FullTextFetcher(client, cache_size=1)

    for path in ("/a", "/b", "/a"):
        await fetcher.enrich("courier", [article(feed_server.url(path))])

    assert (feed_server.hits("/a"), feed_server.hits("/b")) == (2, 1)


async def test_concurrency_per_host_is_bounded(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    """Dripping pages each hold their request for one deadline, so requests arrive in waves of `per_host`."""
    for i in range(4):
        feed_server.fault(f"/drip/{i}", Drip(interval=0.05))
    fetcher = FullTextFetcher(client, concurrency=10, per_host=2, deadline=DEADLINE)
    fetcher.budget = 3 * DEADLINE  # room for the second wave to arrive

    await fetcher.enrich("courier", [article(feed_server.url(f"/drip/{i}")) for i in range(4)])

    arrivals = sorted(r.at for r in feed_server.requests)
    assert len(arrivals) == 4
    assert arrivals[1] - arrivals[0] < DEADLINE / 2  # two at once...
    assert arrivals[2] - arrivals[0] > DEADLINE * 0.9  # ...but a third only once one of them is done
    assert arrivals[3] - arrivals[1] > DEADLINE * 0.9


async def test_only_http_urls_are_fetched(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    articles = [article(None), article(""), article("ftp://127.0.0.1/x"), article("file:///etc/passwd"),
                article("javascript:alert(1)"), article("mailto:desk@example.org"), article("http:///nohost")]
    fetcher = FullTextFetcher(client)

    assert await fetcher.enrich("courier", articles) == articles
    assert feed_server.requests == []
    assert fetcher.stats["skipped"] == len(articles)
    assert await fetcher.enrich("courier", []) == []


async def test_extracted_text_is_truncated(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    feed_server.serve("/news/1", NEWS_PAGE, content_type=HTML)

    [enriched] = await FullTextFetcher(client, max_chars=120).enrich("courier", [article(feed_server.url("/news/1"),
                                                                                         "short")])

    assert 100 < len(enriched.text) <= 120
    assert enriched.text.endswith("border town of")  # cut at a word boundary


async def test_a_declared_charset_is_honoured(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    page = NEWS_PAGE.replace('<meta charset="utf-8">', "").replace("Karsa", "Kärsä")
    feed_server.serve("/latin1", page.encode("latin-1"), content_type="text/html; charset=ISO-8859-1")

    [enriched] = await FullTextFetcher(client).enrich("courier", [article(feed_server.url("/latin1"))])

    assert "town of Kärsä on Tuesday" in enriched.text


async def test_cancelling_enrich_cancels_its_page_fetches(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    feed_server.fault("/hang", Hang())
    fetcher = FullTextFetcher(client, deadline=30.0)
    task = asyncio.create_task(fetcher.enrich("courier", [article(feed_server.url("/hang"))]))
    while not feed_server.hits("/hang"):
        await asyncio.sleep(0.01)

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(100):  # the page fetch lets go of its connection too
        if not feed_server.open_connections:
            break
        await asyncio.sleep(0.01)
    assert feed_server.open_connections == 0
