"""Hostile articles (issue 16, case 1): one huge item or one huge feed must not freeze the bot.

Polls go through the real fetch path against the loopback feed server while a probe task on
the same event loop measures how long it went without running. Bounds on timing are loose on
purpose (a shared two-core machine): before this work a 2 MB title held the loop for seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.config import PollingConfig
from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.ingest import IngestLimits, Ingestor, newest
from bot.metrics import Metrics
from bot.models import Article, Match, Target, Validators
from bot.poller import Poller
from bot.sources.base import PollResult
from bot.sources.http import make_client
from bot.sources.jsonapi import JsonApiSource
from bot.sources.normalise import TextCaps, cap_article, cut_at_word, normalise_entry
from bot.sources.rss import RssSource
from bot.store import Store
from tests.conftest import Commits, shipped_ruleset
from tests.fakes.feed_server import FeedServer
from tests.feeds import CLASH, rss

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
NEWS = compile_rules(load_rules_text("id: any-news\ntitle: Any news\nwhen: {terms: [news]}\n"))
ETAG = Validators('"v1"')


class Probe:
    """Ticks every 10 ms on the loop under test; the longest gap between ticks is the worst stall."""

    def __init__(self) -> None:
        self.ticks = 0
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Probe:
        self._task = asyncio.create_task(self._run())
        await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last)
            self.ticks += 1
            last = now


def hostile_title(chars: int) -> str:
    """Casualty words over and over: the text fact extraction reads slowest."""
    return ("gunmen killed an officer in an ambush near the border " * (chars // 54 + 1))[:chars]


def route(_alert: Any) -> list[Target]:
    return [Target("telegram", 1)]


async def test_a_huge_title_neither_stalls_the_loop_nor_reaches_the_rules_whole(store: Store,
                                                                               shipped_rules: RuleSet) -> None:
    title = hostile_title(4_900_000)   # the size from the issue, under the default 5 MiB max_bytes
    async with FeedServer() as server, make_client() as client:
        server.serve("/wire", rss({"guid": "huge-1", "title": title, "link": "https://news.example/huge"}, CLASH))
        source = RssSource("wire", server.url("/wire"), 60, client)
        ingestor = Ingestor(store, lambda: shipped_rules, route, lambda: NOW, clustering=False)
        try:
            async with Probe() as probe:
                started = time.perf_counter()
                report = await ingestor.poll(source)
                took = time.perf_counter() - started
        finally:
            ingestor.close()
    assert report.error is None and report.new == 2
    assert report.truncated == 1
    # the loop kept running: before, it ticked 9 times in 3.6 s while the rules read the title
    assert probe.worst < 1.0, f"the loop stalled {probe.worst:.2f}s"
    assert probe.ticks >= took / 0.01 * 0.25
    assert {a.rule_id for a in store.alerts.recent()}, "the ordinary article next to the huge one still alerts"
    assert store.db.execute("SELECT 1 FROM seen WHERE key LIKE 'guid:wire:huge-1:%'").fetchone()


async def test_a_feed_of_twenty_thousand_items_keeps_the_loop_running_and_reads_the_newest(store: Store) -> None:
    items = [{"guid": f"g{i}", "title": f"Local news item {i}", "link": f"https://news.example/{i}",
              "pubDate": (NOW - timedelta(minutes=i)).strftime("%a, %d %b %Y %H:%M:%S GMT")} for i in range(20_000)]
    async with FeedServer() as server, make_client() as client:
        server.serve("/big", rss(*items), etag='"big"')
        source = RssSource("big", server.url("/big"), 60, client)
        ingestor = Ingestor(store, lambda: NEWS, route, lambda: NOW, clustering=False,
                            limits=IngestLimits(max_items=500))
        try:
            async with Probe() as probe:
                first = await ingestor.poll(source)
            second = await ingestor.poll(source, force=True)
        finally:
            ingestor.close()
    assert probe.worst < 1.0, f"the loop stalled {probe.worst:.2f}s"
    assert (first.fetched, first.new, first.deferred) == (20_000, 500, 19_500)
    assert first.alerts == 500
    assert second.new == 500 and second.deferred == 19_000
    # the newest 500 went first, the next 500 on the next poll: a 304 could not hide them (no validators kept)
    seen = [i for i in (0, 499, 500, 999, 1000, 19_999)
            if store.db.execute("SELECT 1 FROM seen WHERE key LIKE ?", (f"guid:big:g{i}:%",)).fetchone()]
    assert seen == [0, 499, 500, 999]
    assert server.requests[-1].headers.get("if-none-match") is None
    assert store.sources.state("big").validators == Validators()


async def test_a_feed_source_reads_only_the_first_max_items(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    """Parsing stops early: 100,000 entries alive at once cost full-GC pauses of 100+ ms on the loop."""
    items = [{"guid": f"g{i}", "title": f"Local news item {i}"} for i in range(5_000)]
    async with FeedServer() as server, make_client() as client:
        server.serve("/big", rss(*items))
        source = RssSource("big", server.url("/big"), 60, client, max_items=100)
        ingestor = Ingestor(store, lambda: NEWS, route, lambda: NOW, clustering=False)
        with caplog.at_level(logging.WARNING, logger="bot.sources.rss"):
            report = await ingestor.poll(source)
        ingestor.close()
    assert (report.fetched, report.new, report.deferred) == (100, 100, 0)
    assert any("lists 5000 items; the first 100 are read" in r.getMessage() for r in caplog.records)
    assert store.db.execute("SELECT 1 FROM seen WHERE key LIKE 'guid:big:g99:%'").fetchone()
    assert not store.db.execute("SELECT 1 FROM seen WHERE key LIKE 'guid:big:g100:%'").fetchone()


@pytest.mark.parametrize("doctype", ["", '<!DOCTYPE rss SYSTEM "rss.dtd">\n'], ids=["lxml", "feedparser"])
async def test_a_feed_listing_oldest_first_is_read_from_its_end(store: Store, doctype: str) -> None:
    """Some feeds list items oldest first: cutting after the first items would never read a new one."""
    items = [{"guid": f"g{i}", "title": f"Local news item {i}",
              "pubDate": (NOW - timedelta(minutes=600 - i)).strftime("%a, %d %b %Y %H:%M:%S GMT")} for i in range(600)]
    body = rss(*items).replace("\n", "\n" + doctype, 1)   # a DOCTYPE sends the feed to feedparser
    async with FeedServer() as server, make_client() as client:
        server.serve("/old-first", body)
        source = RssSource("old", server.url("/old-first"), 60, client, max_items=50)
        result = await source.poll(Validators(), NOW)
    assert [a.guid for a in result.articles] == [f"g{i}" for i in range(550, 600)]


@dataclass
class Stopwatch:
    """A compressed clock for the budgets: matching an article whose title has a marker costs `cost` seconds."""

    marker: str
    cost: float
    seconds: float = 0.0

    def __call__(self) -> float:
        return self.seconds


@dataclass
class TimedRules:
    """The real rules; the compressed clock moves while one of the marked articles is matched."""

    rules: RuleSet
    clock: Stopwatch
    matched: list[str] = field(default_factory=list)
    on_match: Callable[[Article], None] | None = None

    def match(self, article: Article, now: datetime) -> list[Match]:
        self.matched.append(article.title)
        if self.clock.marker in article.title:
            self.clock.seconds += self.clock.cost
        if self.on_match is not None:
            self.on_match(article)
        return self.rules.match(article, now)


class ListSource:
    """Returns the batches it was given, in order."""

    def __init__(self, *batches: list[Article]) -> None:
        self.name = "wire"
        self.interval = 60.0
        self.batches = list(batches)
        self.asked: list[Validators] = []

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        self.asked.append(validators)
        return PollResult(tuple(self.batches.pop(0)), ETAG)


def news(*titles: str) -> list[Article]:
    return [Article("wire", t, "", guid=f"g{i}", url=f"https://news.example/{i}",
                    published=NOW - timedelta(minutes=i)) for i, t in enumerate(titles)]


async def test_an_article_over_the_match_budget_is_skipped_reported_and_marked_seen(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    clock = Stopwatch("pathological", cost=5.0)
    rules = TimedRules(NEWS, clock)
    articles = news("Morning news", "pathological news", "Evening news")
    ingestor = Ingestor(store, lambda: rules, route, lambda: NOW, clustering=False, timer=clock,  # type: ignore[arg-type]
                        limits=IngestLimits(match_budget=2.0, poll_budget=60.0))
    notices: list[str] = []
    metrics = Metrics(None, lambda: NOW)
    poller = Poller(ingestor, PollingConfig(match_budget=2.0), notices.append, lambda: NOW, metrics)
    commits = Commits(store)
    with caplog.at_level(logging.WARNING, logger="bot.ingest"):
        report = await poller.poll(ListSource(articles))
    ingestor.close()
    assert commits.count == 1   # seen-marks, alerts, outbox rows and source state: still one transaction
    assert report.new == 3 and report.alerts == 2
    assert [(a.key, a.title) for a in report.too_slow] == [(articles[1].key, "pathological news")]
    assert all(store.articles.is_seen(a) for a in articles)   # the slow one too: it must not stall every poll
    assert sorted(a.key for a in store.alerts.recent()) == sorted(
        [m.key for a in (articles[0], articles[2]) for m in NEWS.match(a, NOW)])
    # reported, not lost: the log names it, and so does a notice to the admins
    assert any(articles[1].key in r.getMessage() and "match_budget" in r.getMessage() for r in caplog.records)
    assert len(notices) == 1 and "pathological news" in notices[0] and "https://news.example/1" in notices[0]
    assert metrics.registry.get_sample_value("beacon_articles_bounded_total",
                                             {"source": "wire", "bound": "too_slow"}) == 1.0


async def test_articles_older_than_max_age_are_marked_seen_and_not_matched(store: Store,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    """A new source's archive, or a backfill of last year's items, does not alert as news (polling.max_age)."""
    fresh = Article("wire", "Morning news", "", guid="new", url="https://news.example/new",
                    published=NOW - timedelta(hours=2))
    old = Article("wire", "Last spring's news", "", guid="old", url="https://news.example/old",
                  published=NOW - timedelta(days=200))
    undated = Article("wire", "Undated news", "", guid="undated", url="https://news.example/undated")
    ingestor = Ingestor(store, lambda: NEWS, route, lambda: NOW, clustering=False,
                        limits=IngestLimits(max_age=3 * 86400.0))
    metrics = Metrics(None, lambda: NOW)
    poller = Poller(ingestor, PollingConfig(max_age="3d"), [].append, lambda: NOW, metrics)
    with caplog.at_level(logging.INFO, logger="bot.ingest"):
        report = await poller.poll(ListSource([fresh, old, undated]))
    ingestor.close()
    assert (report.new, report.alerts, report.too_old) == (3, 2, 1)
    assert all(store.articles.is_seen(a) for a in (fresh, old, undated))   # weighed once, not at every poll
    assert sorted(a.key for a in store.alerts.recent()) == sorted(
        [m.key for a in (fresh, undated) for m in NEWS.match(a, NOW)])
    assert any("1 older than polling.max_age" in r.getMessage() for r in caplog.records)
    assert metrics.registry.get_sample_value("beacon_articles_bounded_total",
                                             {"source": "wire", "bound": "too_old"}) == 1.0
    assert PollingConfig().max_age is None   # no limit unless configured: replays and backtests read any date


async def test_the_poll_budget_leaves_the_rest_for_the_next_poll_without_validators(store: Store) -> None:
    clock = Stopwatch("news", cost=4.0)   # every article "takes" 4 s
    rules = TimedRules(NEWS, clock)
    articles = news(*(f"Item {i} news" for i in range(5)))
    source = ListSource(articles, articles, articles)
    ingestor = Ingestor(store, lambda: rules, route, lambda: NOW, clustering=False, timer=clock,  # type: ignore[arg-type]
                        limits=IngestLimits(match_budget=30.0, poll_budget=10.0))
    first = await ingestor.poll(source)
    assert (first.new, first.deferred, first.alerts) == (3, 2, 3)   # started at 0, 4 and 8 s; 12 s is over
    assert store.sources.state("wire").validators == Validators()   # a 304 next time would hide the other two
    # matched oldest first (a poll's alerts go out in publication order): the two newest wait
    assert [store.articles.is_seen(a) for a in articles] == [False, False, True, True, True]
    second = await ingestor.poll(source, force=True)
    assert (second.new, second.deferred, second.alerts) == (2, 0, 2)
    assert store.sources.state("wire").validators == ETAG
    assert all(store.articles.is_seen(a) for a in articles)
    ingestor.close()


async def test_max_items_per_poll_takes_the_newest_and_the_rest_on_later_polls(store: Store) -> None:
    articles = news(*(f"Item {i} news" for i in range(5)))   # Item 0 is the newest
    shuffled = [articles[3], articles[0], articles[4], articles[1], articles[2]]
    source = ListSource(shuffled, shuffled, shuffled)
    ingestor = Ingestor(store, lambda: NEWS, route, lambda: NOW, clustering=False, limits=IngestLimits(max_items=2))
    first = await ingestor.poll(source)
    assert (first.new, first.deferred) == (2, 3)
    assert [store.articles.is_seen(a) for a in articles] == [True, True, False, False, False]
    second = await ingestor.poll(source, force=True)
    third = await ingestor.poll(source, force=True)
    assert (second.new, third.new, third.deferred) == (2, 1, 0)
    assert all(store.articles.is_seen(a) for a in articles)
    ingestor.close()
    assert [a.title for a in newest(shuffled, 2)] == ["Item 0 news", "Item 1 news"]   # kept in feed order


async def test_stopping_abandons_the_batch_and_commits_nothing(store: Store) -> None:
    clock = Stopwatch("never", cost=0.0)
    ingestor: Ingestor | None = None

    def stop_on_second(article: Article) -> None:
        if article.title.startswith("Item 1") and ingestor is not None:
            ingestor.close()   # as on SIGTERM, from another thread, while the batch runs

    rules = TimedRules(NEWS, clock, on_match=stop_on_second)
    articles = news(*(f"Item {i} news" for i in range(4)))
    ingestor = Ingestor(store, lambda: rules, route, lambda: NOW, clustering=False, timer=clock)  # type: ignore[arg-type]
    report = await ingestor.poll(ListSource(articles))
    assert report.skipped and report.new == 0
    assert rules.matched[-1] == "Item 1 news" and len(rules.matched) < 4   # nothing matched after the stop
    assert not any(store.articles.is_seen(a) for a in articles)
    assert store.alerts.recent() == [] and store.outbox.rows() == []


def test_caps_cut_at_a_word_boundary_and_say_so() -> None:
    assert cut_at_word("short", 10) == "short"
    assert cut_at_word("troops massed near the border", 20) == "troops massed near"
    assert cut_at_word("x" * 50, 20) == "x" * 20   # no boundary near the cap: cut at the cap
    article = Article("wire", "killed " * 400, "word " * 50_000, guid="g")
    capped = cap_article(article, TextCaps(title=1000, text=100_000))
    assert len(capped.title) <= 1000 and capped.title.endswith("killed")
    assert len(capped.text) <= 100_000 and capped.text.endswith("word")
    assert capped.truncated == f"title {len(capped.title)} of 2800 chars; text {len(capped.text)} of 250000 chars"
    assert cap_article(capped, TextCaps(title=1000, text=100_000)) is capped   # within the caps: unchanged
    assert cap_article(Article("wire", "ok", "fine"), TextCaps()) == Article("wire", "ok", "fine")


def test_normalising_a_huge_entry_cuts_the_raw_fields_before_stripping_them() -> None:
    entry = {"title": "<b>ambush</b> " * 1_000_000, "summary": "<p>border</p>" * 500_000, "id": "x"}
    started = time.perf_counter()
    article = normalise_entry(entry, "wire", NOW)
    assert article is not None
    assert len(article.title) <= 10_000 and len(article.text) <= 500_000
    assert article.truncated is not None
    assert "title read 40000 of 14000000 raw chars" in article.truncated
    assert "summary read 1000000 of 6500000 raw chars" in article.truncated
    assert time.perf_counter() - started < 10   # bounded: the 13 MB title is never stripped whole


def test_beacon_match_reads_what_a_poll_would_and_says_what_was_cut(tmp_path: Any) -> None:
    from tests.test_cli import beacon

    long = {"id": "long", "title": "Gunmen killed an officer in Banjska " + "ambush " * 400, "text": "word " * 30_000}
    result = beacon("match", "-", cwd=tmp_path, input=json.dumps(long) + "\n")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["id"] == "long" and out["matches"], "the cut title still matches"
    assert out["truncated"] == "title 994 of 2835 chars; text 99999 of 149999 chars"   # cut at a word, trimmed


def test_the_caps_and_budgets_are_configurable(write_config: Callable[..., Any]) -> None:
    config = write_config("""
        polling:
          allow_private: true
          max_title_chars: 500
          max_text_chars: 20000
          max_items_per_poll: 50
          match_budget: 0.5
          poll_budget: 1m
        """)
    limits = IngestLimits.from_polling(config.polling)
    assert limits == IngestLimits(TextCaps(500, 20_000), 50, 0.5, 60.0)
    assert IngestLimits.from_polling(PollingConfig()) == IngestLimits()


async def test_a_lone_surrogate_from_a_json_source_is_replaced_and_the_article_still_alerts(
        store: Store, shipped_rules: RuleSet) -> None:
    # JSON may escape half of a surrogate pair ("\ud83d" with its partner lost in a cut), which decodes to a
    # character no UTF-8 encoder takes: the rules' re2 patterns, the SQLite store and the Bot API would all fail
    body = (
        '{"items": [{"id": "s-1", "title": "Gunmen kill four soldiers near Gao \\ud83d",'
        ' "text": "Gunmen killed four soldiers \\udc00 near Gao, Mali, on Monday.",'
        ' "url": "https://wire.example/s-1", "published": "2023-09-24T05:00:00Z"}]}'
    )
    fields = {"title": "title", "text": "text", "url": "url", "published": "published", "id": "id"}
    async with FeedServer() as server, make_client() as client:
        server.serve("/api", body, content_type="application/json")
        source = JsonApiSource("wire", server.url("/api"), 60, client, "items", fields)
        ingestor = Ingestor(store, lambda: shipped_rules, route, lambda: NOW, clustering=False)
        try:
            report = await ingestor.poll(source)
        finally:
            ingestor.close()
    assert report.error is None and report.new == 1
    assert {a.rule_id for a in store.alerts.recent()} >= {"fatal-clash"}
    payloads = [json.loads(row[0]) for row in store.db.execute("SELECT payload FROM alerts").fetchall()]
    titles = [p["article"]["title"] for p in payloads]
    assert titles and all(t == "Gunmen kill four soldiers near Gao \ufffd" for t in titles)


def test_the_engine_reads_an_article_with_lone_surrogates_as_given_by_a_file() -> None:
    article = Article(source="file", title="Gunmen kill four soldiers \ud800 near Gao",
                      text="Gunmen killed four soldiers near Gao, Mali. \udfff", published=NOW)
    matches = shipped_ruleset().match(article)
    clash = next(m for m in matches if m.rule_id == "fatal-clash")
    assert clash.facts["killed"] == 4
    assert "Mali" in clash.regions
    capped = cap_article(article, TextCaps())
    assert capped.title == "Gunmen kill four soldiers \ufffd near Gao" and capped.text.endswith("\ufffd")
