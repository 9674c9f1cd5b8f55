"""Benchmark of Beacon's polling path: 1,000 RSS feeds from a loopback server, full and 304 cycles.

Run from the repository root:

    .venv/bin/python bench/sources.py             # 1,000 feeds x 50 items, 10 steady cycles
    .venv/bin/python bench/sources.py --quick     # 200 feeds, 3 steady cycles, a smoke run
    .venv/bin/python bench/sources.py --profile   # also cProfile the first full cycle (top 20)
    .venv/bin/python bench/sources.py --parser feedparser   # every feed through feedparser (the before-picture)

The feeds are generated with a fixed seed and served by a separate process (so the server's
CPU does not count against the poller) on 127.0.0.1..127.0.0.H, one port, HTTP/1.1 keep-alive,
ETag and 304. The poller is Beacon's own: `Poller` -> `Ingestor` -> `RssSource` with the shared
`make_client()` client, a temporary SQLite `Store`, the shipped rules and, as `bot/app.py` passes
it, the syndication `StoryIndex` (`--no-stories` leaves it out).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gzip
import io
import itertools
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import feedparser
import httpx
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import (
    RSS_TAIL,
    STOP,
    ChildServer,
    answer_pipe,
    as_html,
    bind_loopback,
    fs_of,
    machine,
    news_item,
    no_delay,
    peak_rss_mb,
    read_request,
    rss_head,
    rss_item,
    rss_mb,
)

import bot.sources.rss as rss_module
from bot.config import PollingConfig
from bot.database_location import DatabaseLocation
from bot.engine import RuleSet, compile_rules, load_rules
from bot.enums import Channel
from bot.events import decide_alerts
from bot.ingest import Ingestor, PollReport
from bot.models import Target, Validators
from bot.poller import Poller, host_of
from bot.sources.feedxml import Feed, read_feed
from bot.sources.http import make_client
from bot.sources.rss import RssSource, parse_feed, parse_with_feedparser
from bot.sources.syndication import StoryIndex
from bot.store import Store, StoryMember

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")
SEED = 20240917
TARGET_STEADY_S = 3.0         # a 304 cycle over all feeds
TARGET_FULL_S = 10.0          # the first cycle: every feed 200, every item parsed, matched, committed
TARGET_FLAT_MB = 2.0          # RSS growth allowed from the first to the last steady cycle
TRIGGER_RATE = 0.03           # share of items written to make a shipped rule fire
SWEEP = (10, 20, 50)          # PollingConfig.max_concurrency values compared
SWEEP_STEADY = 3              # steady cycles per sweep point (median reported)
SWEEP_LATENCY_MS = 50.0       # server delay per answer for the sweep's "slow server" 304 cycles
BASELINE_FEEDS = 40           # feeds timed in the per-feed stage breakdown
PROFILE_TOP = 20
PROFILE_OWN = 10              # also the top functions by own time

# -- feed generation ------------------------------------------------------------------------------

def make_feed(index: int, items: int, epoch: datetime) -> bytes:
    """RSS 2.0 document number `index`: `items` items, the same bytes for the same arguments."""
    rng = random.Random(SEED * 100_003 + index)
    site = f"site{index // 20:03d}.example"
    html_descriptions = index % 2 == 0          # half the feeds carry escaped HTML, half plain text
    out = [rss_head(f"Wire {index}", site, f"News from {site}, feed {index}")]
    for n in range(items):
        title, text = news_item(rng, TRIGGER_RATE)
        if html_descriptions:
            text = as_html(text)
        published = epoch - timedelta(minutes=index % 60 + 37 * n, seconds=rng.randint(0, 59))
        out.append(rss_item(site, title, text, published, f"{index}-{n}", f"{site}:{index}:{n}"))
    out.append(RSS_TAIL)
    return "".join(out).encode("utf-8")


EPOCH = datetime(2024, 9, 17, 6, 0, tzinfo=UTC)


def make_pooled_feeds(feeds: int, items: int, pool: int) -> list[bytes]:
    """`feeds` RSS documents whose items are drawn from `pool` generated stories, each item with its own
    GUID, link, date and last sentence (so every item is a new article): 10,000 feeds in seconds, where
    `make_feed` (which writes every item anew, ~0.5 ms each) would take minutes. A story recurs in about
    feeds * items / pool feeds, as wire copies do (the story index may take matched ones for copies)."""
    rng = random.Random(SEED)
    stories = [news_item(rng, TRIGGER_RATE) for _ in range(pool)]
    bodies = []
    for index in range(feeds):
        site = f"site{index // 20:04d}.example"
        out = [rss_head(f"Wire {index}", site, f"News from {site}, feed {index}")]
        for n in range(items):
            title, text = stories[rng.randrange(pool)]
            text += f" Filed as item {index}-{n}."   # its own content hash: every item is a new article
            if index % 2 == 0:                  # half the feeds carry escaped HTML, as in make_feed
                text = as_html(text)
            published = EPOCH - timedelta(minutes=index % 60 + 37 * n, seconds=rng.randint(0, 59))
            out.append(rss_item(site, title, text, published, f"{index}-{n}", f"{site}:{index}:{n}"))
        out.append(RSS_TAIL)
        bodies.append("".join(out).encode("utf-8"))
    return bodies


def etag_of(index: int) -> str:
    return f'"feed-{index}-v1"'


# -- the feed server (a child process) ------------------------------------------------------------


@dataclass
class ServerStats:
    connections: int = 0
    requests: int = 0
    ok: int = 0
    not_modified: int = 0
    bytes_sent: int = 0


def serve_feeds(conn: Connection, feeds: int, items: int, hosts: int, use_gzip: bool, pool: int = 0) -> None:
    """Child process entry point: generate the feeds (from a pool of `pool` stories if not 0), listen,
    answer until told to stop."""
    asyncio.run(_serve(conn, feeds, items, hosts, use_gzip, pool))


async def _serve(conn: Connection, feeds: int, items: int, hosts: int, use_gzip: bool, pool: int) -> None:
    started = time.perf_counter()
    bodies = make_pooled_feeds(feeds, items, pool) if pool else [make_feed(i, items, EPOCH) for i in range(feeds)]
    gzipped = [gzip.compress(b, 6) for b in bodies] if use_gzip else []
    etags = [etag_of(i).encode() for i in range(feeds)]
    generated = time.perf_counter() - started
    stats = ServerStats()
    latency = [0.0]  # seconds the server waits before each answer (a stand-in for a real network)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stats.connections += 1
        no_delay(writer)
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    return
                headers = request.headers
                stats.requests += 1
                if latency[0]:
                    await asyncio.sleep(latency[0])
                close = request.close
                index = request.feed_index(feeds)
                if index < 0:
                    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                elif headers.get(b"if-none-match") == etags[index]:
                    stats.not_modified += 1
                    writer.write(b"HTTP/1.1 304 Not Modified\r\nETag: " + etags[index] + b"\r\n\r\n")
                else:
                    zipped = use_gzip and b"gzip" in headers.get(b"accept-encoding", b"")
                    body = gzipped[index] if zipped else bodies[index]
                    stats.ok += 1
                    stats.bytes_sent += len(body)
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
                                 + (b"Content-Encoding: gzip\r\n" if zipped else b"")
                                 + b"Content-Length: " + str(len(body)).encode() + b"\r\nETag: " + etags[index]
                                 + b"\r\n\r\n" + body)
                await writer.drain()
                if close:
                    return
        except ConnectionError:
            return
        finally:
            writer.close()

    socks, port = bind_loopback(hosts)
    servers = [await asyncio.start_server(handle, sock=s, backlog=1024) for s in socks]

    def on_message(message: Any) -> Any:
        if message == "stats":
            return {**stats.__dict__, "cpu_s": time.process_time()}
        if isinstance(message, tuple) and message[0] == "latency":
            latency[0] = float(message[1])
            return latency[0]
        return STOP

    conn.send({"port": port, "hosts": len(socks), "bytes": sum(map(len, bodies)),
               "gzip_bytes": sum(map(len, gzipped)), "generate_s": generated})
    await answer_pipe(conn, on_message)
    for server in servers:
        server.close()


class FeedServerProcess(ChildServer):
    """The child process serving the feeds, and a way to ask it for its counters."""

    def __init__(self, feeds: int, items: int, hosts: int, use_gzip: bool, pool: int = 0) -> None:
        super().__init__(serve_feeds, (feeds, items, hosts, use_gzip, pool), "bench-feed-server")

    def url(self, index: int, feeds_per_host: int) -> str:
        host = index // feeds_per_host % self.hosts + 1
        return f"http://127.0.0.{host}:{self.port}/feed/{index}"

    def stats(self) -> dict[str, float]:
        result: dict[str, float] = self.call("stats")
        return result

    def set_latency(self, seconds: float) -> None:
        self.call(("latency", seconds))


# -- measuring the poller -------------------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Cycle:
    """One cycle's timings and totals (the PollReports themselves are not kept: 1,000 per cycle would
    show up as the benchmark's own memory growth)."""

    label: str
    wall: float
    cpu: float
    rss: float
    fetched: int = 0
    new: int = 0
    alerts: int = 0
    suppressed: int = 0
    not_modified: int = 0
    errors: list[str] = field(default_factory=list)
    server: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, label: str, wall: float, cpu: float, reports: Sequence[PollReport],
           server: dict[str, float]) -> Cycle:
        return cls(label, wall, cpu, rss_mb(), sum(r.fetched for r in reports), sum(r.new for r in reports),
                   sum(r.alerts for r in reports), sum(r.suppressed for r in reports),
                   sum(1 for r in reports if r.not_modified), [f"{r.source}: {r.error}" for r in reports if r.error],
                   server)


def make_stories() -> StoryIndex:
    """The syndication index as `bot/app.py` builds it (empty: the database is fresh)."""
    try:
        from bot.app import STORY_WINDOW_SECONDS as window
    except ImportError:
        window = 2 * 86400.0
    return StoryIndex(window_seconds=window, num_perm=64)


class Harness:
    """Beacon's polling stack as `bot/app.py` builds it, on a temporary database."""

    def __init__(self, server: FeedServerProcess, urls: Sequence[str], ruleset: RuleSet, db: Path | DatabaseLocation,
                 polling: PollingConfig, stories: bool) -> None:
        self.server = server
        self.store = Store(db)
        self.client = make_client()
        self.sources = [RssSource(f"feed{i:04d}", url, 600.0, self.client) for i, url in enumerate(urls)]
        self.notices: list[str] = []
        ingestor = Ingestor(self.store, lambda: ruleset, lambda alert: [Target(Channel.TERMINAL)], utcnow,
                            stories=make_stories() if stories else None)
        self.poller = Poller(ingestor, polling, self.notices.append, utcnow)

    async def cycle(self, label: str) -> Cycle:
        before = self.server.stats()
        wall, cpu = time.perf_counter(), time.process_time()
        reports = await self.poller.poll_all(self.sources, force=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = self.server.stats()
        return Cycle.of(label, wall, cpu, reports, {k: after[k] - before[k] for k in after})

    async def close(self) -> None:
        await self.client.aclose()
        self.store.close()


async def run_main(server: FeedServerProcess, urls: Sequence[str], ruleset: RuleSet, tmp: Path,
                   cycles: int, stories: bool) -> list[Cycle]:
    harness = Harness(server, urls, ruleset, tmp / "main.sqlite3", PollingConfig(), stories)
    try:
        results = [await harness.cycle("full (all 200)")]
        for n in range(1, cycles + 1):
            results.append(await harness.cycle(f"steady {n} (all 304)"))
        return results
    finally:
        await harness.close()


def by_host(sources: Sequence[RssSource], *, interleave: bool) -> list[RssSource]:
    """Sources with each host's feeds adjacent, or round-robin over the hosts."""
    groups: dict[str, list[RssSource]] = {}
    for source in sources:
        groups.setdefault(host_of(source) or "", []).append(source)
    if not interleave:
        return [s for group in groups.values() for s in group]
    return [s for batch in itertools.zip_longest(*groups.values()) for s in batch if s is not None]


@dataclass
class SweepPoint:
    concurrency: int
    full: Cycle
    steady: list[Cycle]
    slow: dict[str, Cycle] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(len(c.errors) for c in [self.full, *self.steady, *self.slow.values()])


async def run_sweep_point(server: FeedServerProcess, urls: Sequence[str], ruleset: RuleSet, db: Path,
                          concurrency: int, steady: int, latency: float, stories: bool) -> SweepPoint:
    """A full cycle and `steady` 304 cycles at this max_concurrency; then, if `latency`, one 304 cycle
    with the server answering `latency` seconds late, sources grouped by host and round-robin."""
    harness = Harness(server, urls, ruleset, db, PollingConfig(max_concurrency=concurrency), stories)
    try:
        point = SweepPoint(concurrency, await harness.cycle("full"), [])
        for n in range(steady):
            point.steady.append(await harness.cycle(f"steady {n + 1}"))
        if latency:
            server.set_latency(latency)
            try:
                for order in ("grouped", "round-robin"):
                    harness.sources = by_host(harness.sources, interleave=order == "round-robin")
                    point.slow[order] = await harness.cycle(f"steady, {order}")
            finally:
                server.set_latency(0.0)
        return point
    finally:
        await harness.close()


async def raw_httpx(server: FeedServerProcess, urls: Sequence[str], polling: PollingConfig) -> tuple[Cycle, Cycle]:
    """The floor set by the HTTP client alone, within the same limits taken in the same order as
    `Poller.poll` (global slot, then host slot): every URL fetched (200), then again with If-None-Match
    (304). Unlike `bot.sources.http`, every body is read, 304s included."""
    client = make_client()
    slots = asyncio.Semaphore(polling.max_concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}

    async def get(index: int, url: str, conditional: bool) -> PollReport:
        headers = {"If-None-Match": etag_of(index)} if conditional else {}
        host = hosts.setdefault(urlsplit(url).netloc, asyncio.Semaphore(polling.per_host))
        async with slots, host, client.stream("GET", url, headers=headers) as response:
            await response.aread()
        return PollReport(url, not_modified=response.status_code == 304)

    try:
        out = []
        for label, conditional in (("httpx only, 200s", False), ("httpx only, 304s", True)):
            before = server.stats()
            wall, cpu = time.perf_counter(), time.process_time()
            reports = await asyncio.gather(*(get(i, u, conditional) for i, u in enumerate(urls)))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            after = server.stats()
            out.append(Cycle.of(label, wall, cpu, reports, {k: after[k] - before[k] for k in after}))
        return out[0], out[1]
    finally:
        await client.aclose()


# -- per-feed stage breakdown (single thread, no network) ---------------------------------------------


@dataclass
class Stages:
    feeds: int = 0
    items: int = 0
    fast: int = 0   # feeds the fast reader accepted
    same: int = 0   # feeds whose Articles equal feedparser's
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


CONTENT_TYPE = "application/rss+xml; charset=utf-8"  # as the feed server sends it
ELEMENTTREE = "xml.etree.ElementTree.fromstring"
FEEDPARSER = "feedparser.parse (as parse_with_feedparser calls it)"
PARSE_FEED = "parse_feed (fast reader or feedparser + normalise)"
LXML = "lxml.etree.fromstring"
FAST_READER = "feedxml.read_feed (the fast reader alone)"
PARSE_SLOW = "parse_with_feedparser (feedparser + normalise)"
PARSER_BASELINES = (ELEMENTTREE, LXML, FAST_READER, FEEDPARSER, "feedparser.parse, sanitize_html=True", PARSE_SLOW)
STORIES = "StoryIndex find + add + signature (matched only)"
COMMIT = "Store.commit_articles + source success (1 commit)"
BEACON_STAGES = (PARSE_FEED, "Store.source_state (1 SELECT)", "Store.unseen (1 SELECT per poll)", STORIES,
                 "RuleSet.match + decide_alerts", COMMIT)


def stage_breakdown(bodies: Sequence[bytes], ruleset: RuleSet, db: Path, stories: bool) -> Stages:
    """What one 200-poll costs, stage by stage, on the same bytes the server sends.

    Mirrors `Ingestor.poll` (parse_feed, Store.unseen, the story index, RuleSet.match + decide_alerts,
    Store.commit_articles with the validators, so the source's success commits with the articles)
    and adds parser baselines.
    """
    stages = Stages()
    store = Store(db)
    index = make_stories() if stories else None
    now = utcnow()
    try:
        for i, body in enumerate(bodies):
            name = f"stage{i:04d}"
            t = time.perf_counter()
            root = ET.fromstring(body)
            stages.add(ELEMENTTREE, time.perf_counter() - t)
            assert len(root.findall("./channel/item")) > 0
            t = time.perf_counter()
            etree.fromstring(body)
            stages.add(LXML, time.perf_counter() - t)
            t = time.perf_counter()
            fast = read_feed(body, CONTENT_TYPE)
            stages.add(FAST_READER, time.perf_counter() - t)
            stages.fast += fast is not None
            t = time.perf_counter()
            feedparser.parse(body, response_headers={"content-type": CONTENT_TYPE},
                             sanitize_html=True, resolve_relative_uris=False)
            stages.add("feedparser.parse, sanitize_html=True", time.perf_counter() - t)
            t = time.perf_counter()
            feedparser.parse(body, response_headers={"content-type": CONTENT_TYPE},
                             sanitize_html=False, resolve_relative_uris=False)
            stages.add(FEEDPARSER, time.perf_counter() - t)
            t = time.perf_counter()
            slow = parse_with_feedparser(name, body, CONTENT_TYPE, now)
            stages.add(PARSE_SLOW, time.perf_counter() - t)
            t = time.perf_counter()
            articles = parse_feed(name, body, CONTENT_TYPE, now)
            stages.add(PARSE_FEED, time.perf_counter() - t)
            stages.same += articles == slow
            t = time.perf_counter()
            fresh = store.articles.unseen(articles)
            stages.add("Store.unseen (1 SELECT per poll)", time.perf_counter() - t)
            t = time.perf_counter()
            matched = [(article, ruleset.match(article, now)) for article in fresh]
            match_s = time.perf_counter() - t
            members = []
            if index is not None:  # as Ingestor._story, and as it does only for articles that matched a rule
                t = time.perf_counter()
                for article, matches in matched:
                    if matches:
                        found = index.find(article, now)
                        story = index.add(article, now, found.story_id if found else None)
                        members.append(StoryMember(article.key, story, article.source, index.signature(article)))
                stages.add(STORIES, time.perf_counter() - t)
            t = time.perf_counter()
            alerts = []
            for article, matches in matched:
                alerts.extend(decide_alerts(article, matches, now,
                                            lambda rule, key, since: store.alerts.alerted_since(rule, key, since)))
            t -= match_s
            stages.add("RuleSet.match + decide_alerts", time.perf_counter() - t)
            t = time.perf_counter()
            store.commit_articles(name, fresh, alerts, lambda alert: [Target(Channel.TERMINAL)], now, members,
                                  validators=Validators(etag_of(i)))
            stages.add(COMMIT, time.perf_counter() - t)
            t = time.perf_counter()
            store.sources.state(name)
            stages.add("Store.source_state (1 SELECT)", time.perf_counter() - t)
            stages.feeds += 1
            stages.items += len(articles)
    finally:
        store.close()
    return stages


FASTFEEDPARSER_SNIPPET = """
import json, sys, time
import fastfeedparser
paths = sys.argv[1:]
bodies = [open(p, 'rb').read() for p in paths]
fastfeedparser.parse(bodies[0])  # warm-up, as the stage loop's first feed warms feedparser
t = time.perf_counter()
entries = sum(len(fastfeedparser.parse(b).entries) for b in bodies)
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "entries": entries, "version": getattr(fastfeedparser, '__version__', '?')}))
"""


def time_fastfeedparser(python: str, bodies: Sequence[bytes], tmp: Path) -> dict[str, Any] | None:
    """Time fastfeedparser.parse on the same bytes in another interpreter (it is not a project dependency)."""
    paths = []
    for i, body in enumerate(bodies):
        path = tmp / f"sample{i}.xml"
        path.write_bytes(body)
        paths.append(str(path))
    try:
        done = subprocess.run([python, "-c", FASTFEEDPARSER_SNIPPET, *paths], capture_output=True, text=True,
                              timeout=300, check=True)
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as exc:
        print(f"fastfeedparser timing skipped: {exc}")
        return None


# -- profiling (parse_feed runs in asyncio.to_thread workers) ----------------------------------------


class InlineExecutor(ThreadPoolExecutor):
    """Runs each submitted call at once in the calling thread: with it as the loop's default executor,
    `asyncio.to_thread` work lands in the event-loop thread, where one cProfile sees it."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def short_paths(line: str) -> str:
    """Profile lines with the repository, site-packages and standard-library prefixes cut."""
    site = next((p for p in sys.path if p.endswith("site-packages")), None)
    stdlib = str(Path(os.__file__).parent)
    for prefix, short in ((site, ""), (str(REPO), "."), (stdlib, "<stdlib>")):
        if prefix:
            line = line.replace(prefix + "/", short + ("/" if short else ""))
    return line


def profile_full_cycle(server: FeedServerProcess, urls: Sequence[str], ruleset: RuleSet, db: Path,
                       stories: bool) -> str:
    """cProfile one first full cycle on a fresh database, everything in one thread.

    cProfile sees one thread only, and parse_feed runs in worker threads; timing those with
    wall clocks would charge them the time they wait for the GIL. The GIL already serialises
    the cycle's Python work (its CPU time is ~ its wall time), so running the to_thread calls
    inline shows the same work without the threads.
    """
    profile = cProfile.Profile()

    async def go() -> Cycle:
        asyncio.get_running_loop().set_default_executor(InlineExecutor(max_workers=1))
        harness = Harness(server, urls, ruleset, db, PollingConfig(), stories)
        try:
            profile.enable()
            try:
                return await harness.cycle("profiled full")
            finally:
                profile.disable()
        finally:
            await harness.close()

    cycle = asyncio.run(go())
    stream = io.StringIO()
    pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(PROFILE_TOP)
    pstats.Stats(profile, stream=stream).sort_stats("tottime").print_stats(PROFILE_OWN)
    lines = [short_paths(line) for line in stream.getvalue().splitlines() if line.strip()]
    header = (f"profiled full cycle: {cycle.wall:.2f} s wall, {cycle.cpu:.2f} s CPU under cProfile, {cycle.fetched} "
              "items; asyncio.to_thread calls run inline in the event-loop thread (see profile_full_cycle)")
    return "\n".join([header, *lines])


# -- report ---------------------------------------------------------------------------------------


def print_cycles(cycles: Sequence[Cycle]) -> None:
    print(f"{'cycle':<22}{'wall_s':>8}{'cpu_s':>8}{'cpu%':>6}{'items':>8}{'new':>8}{'alerts':>8}{'throttled':>10}"
          f"{'304s':>6}{'errors':>7}{'items/s':>9}{'conns':>7}{'srv_cpu_s':>10}{'rss_mb':>8}")
    for c in cycles:
        items_s = f"{c.fetched / c.wall:,.0f}" if c.fetched else "-"
        print(f"{c.label:<22}{c.wall:>8.2f}{c.cpu:>8.2f}{100 * c.cpu / c.wall:>6.0f}{c.fetched:>8}{c.new:>8}"
              f"{c.alerts:>8}{c.suppressed:>10}{c.not_modified:>6}{len(c.errors):>7}{items_s:>9}"
              f"{int(c.server.get('connections', 0)):>7}{c.server.get('cpu_s', 0.0):>10.2f}{c.rss:>8.1f}")
    errors = [e for c in cycles for e in c.errors]
    if errors:
        print(f"  {len(errors)} errors, first: {errors[:3]}")


def no_fast_reader(body: bytes, content_type: str = "", max_items: int | None = None) -> Feed | None:
    """`--parser feedparser`: stands in for `read_feed`, so every feed goes to feedparser."""
    return None


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=1000, help="feeds served (default 1000)")
    parser.add_argument("--items", type=int, default=50, help="items per feed (default 50)")
    parser.add_argument("--cycles", type=int, default=10, help="steady (304) cycles after the first (default 10)")
    parser.add_argument("--hosts", type=int, default=50, help="loopback hosts 127.0.0.1..N the feeds spread over")
    parser.add_argument("--interleave", action="store_true",
                        help="list sources round-robin across hosts (default: each host's feeds adjacent, "
                             "as a config file lists an outlet's feeds together)")
    parser.add_argument("--gzip", action="store_true", help="serve gzip-encoded bodies (Beacon asks for gzip)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 feeds, 3 steady cycles")
    parser.add_argument("--profile", action="store_true", help="cProfile the first full cycle (top 20)")
    parser.add_argument("--no-sweep", action="store_true", help="skip the max_concurrency sweep")
    parser.add_argument("--sweep-latency-ms", type=float, default=SWEEP_LATENCY_MS,
                        help=f"server delay for the sweep's slow-server cycles (default {SWEEP_LATENCY_MS:g}; 0 skips)")
    parser.add_argument("--no-stories", action="store_true",
                        help="build the Ingestor without the syndication StoryIndex that bot/app.py passes it")
    parser.add_argument("--db-dir", metavar="DIR",
                        help="where the temporary databases go (default: the system temp dir; /dev/shm shows the "
                             "cost of fsync by removing it)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="server delay per answer during the main cycles (default 0: bare loopback)")
    parser.add_argument("--parser", choices=("auto", "feedparser"), default="auto",
                        help="auto: parse_feed as shipped (fast lxml reader, feedparser as the fallback); "
                             "feedparser: every feed through feedparser, the before-picture")
    parser.add_argument("--fastfeedparser-python", metavar="PYTHON",
                        help="an interpreter with fastfeedparser installed (a throwaway venv): time it too")
    args = parser.parse_args(argv)
    if args.parser == "feedparser":
        rss_module.read_feed = no_fast_reader  # type: ignore[attr-defined]  # every feed falls back
    if args.quick:
        args.feeds, args.cycles = min(args.feeds, 200), min(args.cycles, 3)
    feeds_per_host = max(1, -(-args.feeds // args.hosts))

    print(f"Beacon polling benchmark: {args.feeds} feeds x {args.items} items, {args.cycles} steady cycles, "
          f"seed {SEED}")
    print("machine: " + machine(f"feedparser {feedparser.__version__}, lxml {etree.__version__}, "
                                f"httpx {httpx.__version__}"))
    print(f"parser: {args.parser}" + (" (fast lxml reader, feedparser as the fallback)" if args.parser == "auto"
                                      else " (every feed through feedparser)"))
    ruleset = compile_rules(load_rules(REPO / "rules"))
    print(f"rules: {len(ruleset)} shipped rules from {REPO / 'rules'}")
    polling = PollingConfig()
    stories = not args.no_stories
    print("ingestor: as bot/app.py builds it, route -> Target('terminal'), "
          + ("StoryIndex(num_perm=64) for syndication" if stories else "no StoryIndex (--no-stories)"))
    print(f"polling: max_concurrency={polling.max_concurrency}, per_host={polling.per_host} (PollingConfig "
          "defaults); sources interval 600 s, poll_all(force=True)")

    started = time.perf_counter()
    server = FeedServerProcess(args.feeds, args.items, args.hosts, args.gzip)
    try:
        if server.hosts < args.hosts:
            print(f"NOTE: could not bind 127.0.0.2..127.0.0.{args.hosts}; all feeds on 127.0.0.1 (one host), so "
                  f"per_host={polling.per_host} caps the whole cycle")
            feeds_per_host = args.feeds
        if args.interleave:
            urls = [f"http://127.0.0.{i % server.hosts + 1}:{server.port}/feed/{i}" for i in range(args.feeds)]
        else:
            urls = [server.url(i, feeds_per_host) for i in range(args.feeds)]
        info = server.info
        print(f"server: separate process (pid {server.process.pid}), {server.hosts} hosts 127.0.0.1-"
              f"127.0.0.{server.hosts} on port {server.port}, "
              + ("sources round-robin over the hosts; " if args.interleave else
                 f"~{feeds_per_host} feeds per host, adjacent in the source list; ")
              + f"{info['bytes'] / 2**20:.1f} MB of feeds (mean {info['bytes'] / args.feeds / 1024:.1f} KB)"
              + (f", {info['gzip_bytes'] / 2**20:.1f} MB gzipped" if args.gzip else "")
              + f"; generated in {info['generate_s']:.1f} s; started in {time.perf_counter() - started:.1f} s")

        with tempfile.TemporaryDirectory(prefix="beacon-bench-sources-", dir=args.db_dir) as tmpdir:
            tmp = Path(tmpdir)
            print(f"database: temporary SQLite files under {tmp} ({fs_of(tmp)}), WAL, synchronous=FULL (Store's own)")
            print(f"RSS before polling: {rss_mb():.1f} MB (rules compiled)\n")

            server.set_latency(args.latency_ms / 1000)
            cycles = asyncio.run(run_main(server, urls, ruleset, tmp, args.cycles, stories))
            server.set_latency(0.0)
            peak = peak_rss_mb()
            print(f"== Poll cycles over {args.feeds} feeds (PollingConfig defaults) ==")
            print_cycles(cycles)
            full, steady = cycles[0], cycles[1:]
            steady_walls = [c.wall for c in steady]
            rss_series = [c.rss for c in steady]
            growth = rss_series[-1] - rss_series[0] if rss_series else 0.0
            print(f"peak RSS (ru_maxrss) after these cycles: {peak:.1f} MB; RSS after each steady cycle: "
                  + " ".join(f"{r:.1f}" for r in rss_series))

            print("\n== Targets ==")
            steady_ok = bool(steady_walls) and max(steady_walls) <= TARGET_STEADY_S and not any(
                c.errors for c in steady)
            full_ok = full.wall <= TARGET_FULL_S and not full.errors
            flat_ok = abs(growth) <= TARGET_FLAT_MB
            if steady_walls:
                print(f"steady cycle of {args.feeds} feeds (all 304) <= {TARGET_STEADY_S:g} s: "
                      f"median {statistics.median(steady_walls):.2f} s, worst {max(steady_walls):.2f} s"
                      f"  -> {verdict(steady_ok)}")
            print(f"first full cycle ({full.fetched} items parsed, matched, committed) <= {TARGET_FULL_S:g} s: "
                  f"{full.wall:.2f} s ({full.fetched / full.wall:,.0f} items/s, CPU {full.cpu:.2f} s)"
                  f"  -> {verdict(full_ok)}")
            if len(rss_series) > 1:
                print(f"memory flat across {len(rss_series)} steady cycles (|RSS last - first| <= "
                      f"{TARGET_FLAT_MB:g} MB): {rss_series[0]:.1f} -> {rss_series[-1]:.1f} MB ({growth:+.1f} MB)"
                      f"  -> {verdict(flat_ok)}")
            if args.feeds != 1000 or args.items != 50:
                print("(targets are stated for 1,000 feeds x 50 items; this run used other sizes)")

            print(f"\n== Baseline: the HTTP client alone (make_client(), {polling.max_concurrency} at once, "
                  f"{polling.per_host} per host; no parsing, no database) ==")
            http_full, http_steady = asyncio.run(raw_httpx(server, urls, polling))
            print_cycles([http_full, http_steady])
            print(f"({http_full.server['bytes_sent'] / 2**20:.1f} MB received in the 200s cycle)")
            if steady:
                beacon_conns = statistics.median(c.server["connections"] for c in steady)
                print(f"connections opened for {args.feeds} 304s: Beacon's steady cycle {beacon_conns:.0f} (median); "
                      f"this client, which reads the empty 304 bodies, {http_steady.server['connections']:.0f}")

            default_slow: float | None = None
            if not args.no_sweep:
                lat = args.sweep_latency_ms
                print(f"\n== max_concurrency sweep (per_host={polling.per_host}; fresh database each; steady = "
                      f"median of {SWEEP_STEADY}; last two columns: one 304 cycle with the server answering "
                      f"{lat:g} ms late, sources grouped by host / round-robin) ==")
                print(f"{'max_concurrency':>16}{'full_wall_s':>12}{'full_cpu_s':>11}{'items/s':>9}"
                      f"{'steady_wall_s':>14}{'steady_cpu_s':>13}{'conns/steady':>13}"
                      f"{f'{lat:g}ms_grouped_s':>17}{f'{lat:g}ms_rrobin_s':>16}{'errors':>7}")
                for n in SWEEP:
                    point = asyncio.run(run_sweep_point(server, urls, ruleset, tmp / f"sweep{n}.sqlite3", n,
                                                        SWEEP_STEADY, lat / 1000, stories))
                    f, st = point.full, point.steady
                    slow = {k: f"{c.wall:.2f}" for k, c in point.slow.items()}
                    print(f"{n:>16}{f.wall:>12.2f}{f.cpu:>11.2f}{f.fetched / f.wall:>9,.0f}"
                          f"{statistics.median(c.wall for c in st):>14.2f}"
                          f"{statistics.median(c.cpu for c in st):>13.2f}"
                          f"{statistics.median(c.server['connections'] for c in st):>13.0f}"
                          f"{slow.get('grouped', '-'):>17}{slow.get('round-robin', '-'):>16}{point.errors:>7}")
                    if n == polling.max_concurrency and "grouped" in point.slow:
                        default_slow = point.slow["grouped"].wall
                if default_slow is not None:
                    print(f"(informational) steady cycle <= {TARGET_STEADY_S:g} s with the server {lat:g} ms away, "
                          f"PollingConfig defaults, sources grouped by host: {default_slow:.2f} s  -> "
                          f"{verdict(default_slow <= TARGET_STEADY_S)}")

            sample = [make_feed(i, args.items, EPOCH) for i in range(min(BASELINE_FEEDS, args.feeds))]
            stages = stage_breakdown(sample, ruleset, tmp / "stages.sqlite3", stories)
            print(f"\n== Per-feed stages, single thread, no network ({stages.feeds} feeds of {args.items} items, "
                  f"mean {sum(map(len, sample)) / len(sample) / 1024:.1f} KB; same bytes as served) ==")
            print(f"{'stage':<56}{'ms/feed':>9}{'us/item':>9}{'x1000 feeds, s':>16}")

            def row(stage: str, seconds: float, feeds: int, items: int) -> None:
                print(f"{stage:<56}{1000 * seconds / feeds:>9.2f}{1e6 * seconds / items:>9.1f}"
                      f"{1000 * seconds / feeds:>16.2f}")

            for stage in BEACON_STAGES:
                if stage in stages.seconds:
                    row(stage, stages.seconds[stage], stages.feeds, stages.items)
            beacon = sum(stages.seconds.get(stage, 0.0) for stage in BEACON_STAGES)
            row("= Beacon's poll without HTTP (sum of the above)", beacon, stages.feeds, stages.items)
            row("+ HTTP, httpx only (200s cycle above, per feed)", http_full.wall * stages.feeds / len(urls),
                stages.feeds, stages.items)
            print("parser baselines, same bytes:")
            for stage in PARSER_BASELINES:
                row("  " + stage, stages.seconds[stage], stages.feeds, stages.items)
            print(f"the fast reader accepted {stages.fast} of {stages.feeds} feeds; parse_feed's Articles equal "
                  f"parse_with_feedparser's on {stages.same} of {stages.feeds}")
            fp = stages.seconds[FEEDPARSER]
            if args.fastfeedparser_python:
                ffp = time_fastfeedparser(args.fastfeedparser_python, sample, tmp)
                if ffp:
                    row(f"  fastfeedparser.parse {ffp['version']} (throwaway venv)", ffp["seconds"], len(sample),
                        max(1, ffp["entries"]))
            et = stages.seconds[ELEMENTTREE]
            print(f"feedparser.parse takes {fp / et:.0f}x the time of ElementTree.fromstring on the same bytes; "
                  f"parse_feed is {100 * stages.seconds[PARSE_FEED] / beacon:.0f}% of Beacon's poll without HTTP "
                  f"(with --parser {args.parser})")

            if args.profile:
                print(f"\n== cProfile of a first full cycle (fresh database): top {PROFILE_TOP} by cumulative time, "
                      f"then top {PROFILE_OWN} by own time ==")
                print(profile_full_cycle(server, urls, ruleset, tmp / "profile.sqlite3", stories))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
