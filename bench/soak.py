"""Soak benchmark: Beacon's whole pipeline over many time-compressed poll cycles; is anything growing?

Run from the repository root:

    .venv/bin/python bench/soak.py               # 1,000 feeds, 100 rules, 48 cycles of 2 simulated hours
    .venv/bin/python bench/soak.py --quick       # 300 feeds, 12 cycles: a smoke run for CI
    .venv/bin/python bench/soak.py --tracemalloc # also the Python allocations that grew most (slower)

A child process serves the feeds on 127.0.0.1..127.0.0.H (HTTP/1.1 keep-alive, ETag, 304).
Between cycles a few feeds publish (some items written to fire a rule, one a syndicated copy of
another), most answer 304, and a few fail in rotating ways (500, a stall past the fetch deadline,
an HTML page instead of a feed, 429 with Retry-After, a truncated feed). Beacon is built as
`bot/app.py` builds it (dry run: alerts go through the outbox and the renderer to a null stream),
with an injected clock that moves `--step` per cycle, so backoffs, throttles, event windows,
holds and prunes move while the polls are driven directly through `Poller.poll_all`.
Every few cycles it records RSS, open file descriptors, asyncio tasks, threads, the SQLite file
and WAL sizes and the rows of the growing tables, then says per metric whether it stayed flat.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import (
    RSS_TAIL,
    STOP,
    TRIGGERS,
    ChildServer,
    answer_pipe,
    as_html,
    bind_loopback,
    fill,
    fs_of,
    machine,
    news_item,
    no_delay,
    open_fds,
    peak_rss_mb,
    read_request,
    rss_head,
    rss_item,
    rss_mb,
    sentence,
)
from engine import EXCLUDE_TERMS, make_rules, make_words, trigger

from bot.app import Beacon
from bot.config import Config, PollingConfig, SourceConfig
from bot.ingest import Ingestor, PollReport
from bot.outbox import OutboxWorker, Pacing
from bot.poller import Poller
from bot.sources.addresses import AddressPolicy
from bot.sources.http import make_client
from bot.sources.registry import build_source
from bot.terminal import TerminalSender

REPO = Path(__file__).resolve().parent.parent
SEED = 20241125
START = datetime(2024, 11, 25, 6, 0, tzinfo=UTC)   # the simulated clock's first reading
SHIPPED_RULES = ("fatal-clash.yaml", "kosovo-fatal-clash.yaml", "troop-buildup.yaml", "regions.yaml",
                 "contested-regions.yaml", "vocabulary-violence.yaml", "vocabulary-military.yaml")
SHIPPED_RULE_COUNT = 3
FAULTS = ("500", "timeout", "not-a-feed", "429", "truncated")
PUBLISH_SHARE = 0.01        # feeds that publish 1-2 items per cycle
FAULT_SHARE = 0.008         # feeds that fail this cycle
TRIGGER_SHARE = 0.4         # published items written to fire a rule (half shipped, half generated rules)
INITIAL_TRIGGER_RATE = 0.02
FEED_WINDOW_H = 12.0        # a feed keeps items this long (dropped when it next publishes)
RETENTION_H = 24.0          # polling.seen_retention: longer than FEED_WINDOW_H + a step, as 90 days is in real life
FETCH_TIMEOUT_S = 2.0       # polling.timeout; the stalling feeds hold their answer 1.5x this long
PRUNE_EVERY_H = 6.0         # as bot/app.py's prune job
OUTAGE_EVERY = 8            # every 8 cycles one more feed goes down (HTTP 500) for 8 cycles: backoff, notices
WARMUP = 4                  # cycles before the baseline sample: the first (all 200) and a few publishing ones
# "flat": growth over the second half of the run under these (absolute, or share of the baseline)
FLAT = {"rss_mb": (2.0, 0.02), "fds": (3, 0.0), "tasks": (0, 0.0), "threads": (1, 0.0), "py_mb": (1.0, 0.02)}


# -- the feed server (a child process) ------------------------------------------------------------


@dataclass
class Feed:
    """One feed as served: its items (published timestamp, XML), its version and the body built from them."""

    index: int
    site: str
    html: bool
    items: list[tuple[float, str]] = field(default_factory=list)
    version: int = 1
    published: int = 0
    body: bytes = b""
    etag: bytes = b""

    def rebuild(self) -> None:
        self.body = (rss_head(f"Wire {self.index}", self.site, f"News from {self.site}, feed {self.index}")
                     + "".join(xml for _, xml in self.items) + RSS_TAIL).encode("utf-8")
        self.etag = f'"soak-{self.index}-v{self.version}"'.encode()

    def add(self, title: str, text: str, when: datetime) -> None:
        n = self.published
        self.published += 1
        xml = rss_item(self.site, title, as_html(text) if self.html else text, when, f"{self.index}-{n}",
                       f"{self.site}:{self.index}:{n}")
        self.items.insert(0, (when.timestamp(), xml))


def site_of(index: int) -> str:
    return f"site{index // 20:03d}.example"


def initial_feed(index: int, items: int, now: datetime) -> Feed:
    """A feed as it stands when Beacon first polls it: `items` items from the last few hours."""
    rng = random.Random(SEED * 100_003 + index)
    feed = Feed(index, site_of(index), index % 2 == 0)
    for n in range(items - 1, -1, -1):
        title, text = news_item(rng, INITIAL_TRIGGER_RATE)
        feed.add(title, text, now - timedelta(minutes=index % 60 + 37 * n, seconds=rng.randint(0, 59)))
    feed.rebuild()
    return feed


NOT_A_FEED = (b"<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body><h1>We'll be back soon"
              b"</h1><p>Our site is being upgraded.</p></body></html>")


def serve_soak(conn: Any, feeds: int, items: int, hosts: int, start: float, stall: float) -> None:
    """Child process entry point: build the feeds, listen, answer; between cycles publish and set faults."""
    asyncio.run(_serve(conn, feeds, items, hosts, datetime.fromtimestamp(start, UTC), stall))


async def _serve(conn: Any, count: int, items: int, hosts: int, start: datetime, stall: float) -> None:
    feeds = [initial_feed(i, items, start) for i in range(count)]
    faults: dict[int, str] = {}
    stats: Counter[str] = Counter()

    def head(status: str, extra: bytes = b"", body: bytes = b"", content_type: bytes = b"") -> bytes:
        return (b"HTTP/1.1 " + status.encode() + b"\r\n" + extra
                + (b"Content-Type: " + content_type + b"\r\n" if content_type else b"")
                + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stats["connections"] += 1
        no_delay(writer)
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    return
                stats["requests"] += 1
                index = request.feed_index(count)
                fault = faults.get(index) if index >= 0 else None
                close = request.close
                if index < 0:
                    answer = head("404 Not Found")
                elif fault is not None:
                    stats[f"fault {fault}"] += 1
                    if fault == "timeout":   # hold the answer past the client's deadline, then hang up
                        with contextlib.suppress(asyncio.CancelledError):   # or the server stops first
                            await asyncio.sleep(stall)
                        return
                    if fault == "500":
                        answer = head("500 Internal Server Error", body=b"oops", content_type=b"text/plain")
                    elif fault == "429":
                        answer = head("429 Too Many Requests", b"Retry-After: 3600\r\n", b"slow down",
                                      b"text/plain")
                    elif fault == "not-a-feed":
                        answer = head("200 OK", body=NOT_A_FEED, content_type=b"text/html; charset=utf-8")
                    else:   # truncated: the new version cut in the middle of an item, and no ETag
                        body = feeds[index].body
                        answer = head("200 OK", body=body[: len(body) * 3 // 5],
                                      content_type=b"application/rss+xml; charset=utf-8")
                elif request.headers.get(b"if-none-match") == feeds[index].etag:
                    stats["304"] += 1
                    answer = head("304 Not Modified", b"ETag: " + feeds[index].etag + b"\r\n")
                else:
                    stats["200"] += 1
                    feed = feeds[index]
                    answer = head("200 OK", b"ETag: " + feed.etag + b"\r\n", feed.body,
                                  b"application/rss+xml; charset=utf-8")
                writer.write(answer)
                await writer.drain()
                if close:
                    return
        except ConnectionError:
            return
        finally:
            writer.close()

    def on_message(message: Any) -> Any:
        if message == "stats":
            return {**stats, "cpu_s": time.process_time()}
        if isinstance(message, tuple) and message[0] == "cycle":
            _, now_ts, published, new_faults = message
            now = datetime.fromtimestamp(now_ts, UTC)
            cutoff = now_ts - FEED_WINDOW_H * 3600
            for index, new_items in published.items():
                feed = feeds[index]
                for k, (title, text) in enumerate(new_items):
                    feed.add(title, text, now - timedelta(minutes=5 * (len(new_items) - k)))
                feed.items = [item for item in feed.items if item[0] >= cutoff]
                feed.version += 1
                feed.rebuild()
            faults.clear()
            faults.update(new_faults)
            return sum(len(f.items) for f in feeds)
        return STOP

    socks, port = bind_loopback(hosts)
    servers = [await asyncio.start_server(handle, sock=s, backlog=1024) for s in socks]
    conn.send({"port": port, "hosts": len(socks), "bytes": sum(len(f.body) for f in feeds)})
    await answer_pipe(conn, on_message)
    for server in servers:
        server.close()


class SoakServer(ChildServer):
    def __init__(self, feeds: int, items: int, hosts: int, start: datetime, stall: float) -> None:
        super().__init__(serve_soak, (feeds, items, hosts, start.timestamp(), stall), "bench-soak-server")

    def url(self, index: int, feeds_per_host: int) -> str:
        return f"http://127.0.0.{index // feeds_per_host % self.hosts + 1}:{self.port}/feed/{index}"

    def stats(self) -> dict[str, float]:
        result: dict[str, float] = self.call("stats")
        return result


# -- rules and news -------------------------------------------------------------------------------


def write_rules(folder: Path, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """The shipped rules plus generated ones (as bench/engine.py makes them), some with event policies
    and throttles so holds, group waits and throttles run. Returns the generated rules."""
    folder.mkdir(parents=True)
    for name in SHIPPED_RULES:
        shutil.copy(REPO / "rules" / name, folder / name)
    generated = make_rules(rng, make_words(rng), max(0, count - SHIPPED_RULE_COUNT))
    for i, rule in enumerate(generated):
        rule["id"] = f"soak-{i:04d}"
        kind = i % 10
        if kind == 1:
            rule["events"] = {"min_sources": 2, "max_wait": "3h"}   # held until a second source or 3 h
        elif kind == 2:
            rule["events"] = {"group_wait": "30m"}                  # first message waits for the burst
        elif kind == 3:
            rule["throttle"] = "6h"
        elif kind == 4:
            rule["key"] = ["source"]
            rule["events"] = {"window": "6h"}
    (folder / "generated.yaml").write_text(yaml.safe_dump(generated, sort_keys=False, allow_unicode=True))
    return generated


class Newsroom:
    """What the feeds publish each cycle: ordinary news, items written to fire a rule, syndicated copies."""

    def __init__(self, rng: random.Random, rules: Sequence[dict[str, Any]]) -> None:
        self.rng = rng
        self.rules = rules

    def item(self) -> tuple[str, str, bool]:
        """(title, text, written to fire a rule)."""
        rng = self.rng
        if rng.random() >= TRIGGER_SHARE:
            title, text = news_item(rng, 0.0)
            return title, text, False
        if not self.rules or rng.random() < 0.5:
            title_t, lead_t = rng.choice(TRIGGERS)
            title, lead = fill(rng, title_t + "\0" + lead_t).split("\0")
            return title, " ".join([lead, sentence(rng), sentence(rng)]), True
        rule = rng.choice(self.rules)
        excluded = [t.rstrip("*").lower() for t in rule["when"]["not"]["terms"]] + \
                   [t.rstrip("*").lower() for t in EXCLUDE_TERMS]
        filler = [s for s in (sentence(rng) for _ in range(6)) if not any(x in s.lower() for x in excluded)]
        text = " ".join([trigger(rule, rng), *filler[:3]])
        return f"Officials report developments, update {rng.randint(1, 99)}", text, True

    def plan(self, feeds: int) -> tuple[dict[int, list[tuple[str, str]]], int]:
        """{feed: new items} for one cycle, and how many items were written to fire a rule."""
        rng = self.rng
        chosen = rng.sample(range(feeds), max(1, round(feeds * PUBLISH_SHARE)))
        published: dict[int, list[tuple[str, str]]] = {}
        triggers: list[tuple[str, str]] = []
        for index in chosen:
            items = []
            for _ in range(rng.choice((1, 1, 2))):
                title, text, fires = self.item()
                items.append((title, text))
                if fires:
                    triggers.append((title, text))
            published[index] = items
        if triggers:   # one syndicated copy: the same story in a feed of another site
            others = [i for i in range(feeds) if i not in published and site_of(i) != site_of(chosen[0])]
            if others:
                published[rng.choice(others)] = [rng.choice(triggers)]
                triggers.append(triggers[-1])
        return published, len(triggers)


# -- Beacon, wired as bot/app.py wires it ------------------------------------------------------------


class Clock:
    """The injected clock: it moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class CountingHandler(logging.Handler):
    """Counts warnings and errors by logger, without formatting or keeping them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[f"{record.levelname} {record.name}"] += 1


@dataclass
class Harness:
    """Beacon's pieces as `Beacon.run` (bot/app.py) builds them, driven one cycle at a time."""

    beacon: Beacon
    client: httpx.AsyncClient
    sources: list[Any]
    worker: OutboxWorker
    ingestor: Ingestor
    poller: Poller
    sender: TerminalSender

    @classmethod
    def build(cls, config: Config, clock: Clock, out: Any) -> Harness:
        beacon = Beacon(config, out=out, now=clock.now)
        polling = config.polling
        client = make_client(AddressPolicy.from_config(polling.allow_private, polling.allow_hosts))
        sources = [build_source(s, client, polling) for s in config.sources]
        sender = TerminalSender(out)
        d = config.delivery
        worker = OutboxWorker(
            beacon.store, beacon.renderer, {"terminal": sender}, now=beacon.now, monotonic=beacon.monotonic,
            pacing=Pacing(d.global_per_second, d.chat_interval, d.group_interval), max_attempts=d.max_attempts,
            on_delivered=beacon.metrics.record_delivery, max_per_hour=d.max_per_hour)
        beacon.worker = worker
        ingestor = Ingestor(beacon.store, lambda: beacon.ruleset, beacon.route, beacon.now, worker.notify,
                            stories=beacon.stories, clustering=config.events.clustering)
        beacon.ingestor = ingestor
        poller = Poller(ingestor, polling, beacon.notify_admins, beacon.now, beacon.metrics)
        beacon.prune_seen()   # as run() does before the first poll
        return cls(beacon, client, sources, worker, ingestor, poller, sender)

    async def deliver(self) -> int:
        """Send every due outbox row (the terminal sender is not paced); rows not due yet wait."""
        sent = 0
        for _ in range(10_000):
            done = await self.worker.deliver_due()
            if not done:
                break
            sent += done
        return sent

    async def close(self) -> None:
        await self.client.aclose()
        self.beacon.store.close()


@dataclass
class CycleResult:
    cycle: int
    wall: float
    ok: int = 0
    not_modified: int = 0
    errors: int = 0
    skipped: int = 0
    new: int = 0
    alerts: int = 0
    suppressed: int = 0
    updates: int = 0
    released: int = 0
    sent: int = 0
    triggers: int = 0

    def add(self, reports: Sequence[PollReport]) -> None:
        for r in reports:
            self.skipped += r.skipped
            self.errors += bool(r.error) and not r.skipped
            self.not_modified += r.not_modified
            self.ok += not (r.skipped or r.error or r.not_modified)
            self.new += r.new
            self.alerts += r.alerts
            self.suppressed += r.suppressed
            self.updates += r.updates


TABLES = ("seen", "alerts", "outbox", "events", "story_members", "source_state")


@dataclass
class Sample:
    cycle: int
    hours: float
    values: dict[str, float]


def wal_mb(db_path: Path) -> float:
    """Size of SQLite's write-ahead log beside the database, 0 when there is none."""
    wal = db_path.with_name(db_path.name + "-wal")
    if not wal.exists():
        return 0.0
    return wal.stat().st_size / 2**20


def sample(harness: Harness, cycle: int, hours: float) -> Sample:
    gc.collect()
    store = harness.beacon.store
    db_path = Path(store.path)
    values: dict[str, float] = {
        "rss_mb": rss_mb(),
        "fds": open_fds(),
        "tasks": len(asyncio.all_tasks()),
        "threads": threading.active_count(),
        "db_mb": db_path.stat().st_size / 2**20,
        "wal_mb": wal_mb(db_path),
        "story_index": len(harness.beacon.stories),
    }
    if tracemalloc.is_tracing():
        values["py_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
    for table in TABLES:
        values[table] = store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    history = store.db.execute("SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM alerts").fetchone()[0] + \
        store.db.execute("SELECT COALESCE(SUM(LENGTH(state)), 0) FROM events").fetchone()[0]
    values["history_kb"] = history / 1024
    values["pending"] = sum(v for k, v in store.outbox.counts().items() if k in ("pending", "sending"))
    harness.beacon.metrics.exposition()   # a /metrics scrape, as Prometheus would make
    return Sample(cycle, hours, values)


async def soak(args: argparse.Namespace, tmp: Path, server: SoakServer, urls: list[str],
               rules: list[dict[str, Any]], log_counts: CountingHandler) -> tuple[list[CycleResult], list[Sample],
                                                                                  Any, Any]:
    clock = Clock(START)
    config = Config(
        sources=[SourceConfig(name=f"feed{i:04d}", url=url, interval=600.0) for i, url in enumerate(urls)],
        rules_dir=tmp / "rules", templates_dir=REPO / "templates", data_dir=tmp / "data",
        polling=PollingConfig(allow_private=True, timeout=FETCH_TIMEOUT_S, seen_retention=RETENTION_H * 3600),
    )
    newsroom = Newsroom(random.Random(SEED + 1), rules)
    faults_rng = random.Random(SEED + 2)
    outages: dict[int, int] = {}   # feed -> last cycle of its outage
    step = args.step_hours * 3600
    results: list[CycleResult] = []
    samples: list[Sample] = []
    snapshots: list[Any] = [None, None]
    with open(os.devnull, "w", encoding="utf-8") as null:
        harness = Harness.build(config, clock, null)
        last_prune = clock.now()
        try:
            for cycle in range(1, args.cycles + 1):
                if cycle > 1:
                    clock.advance(step)
                    published, triggers = newsroom.plan(args.feeds)
                    candidates = [i for i in range(args.feeds) if i not in published]
                    failing = faults_rng.sample(candidates, max(1, round(args.feeds * FAULT_SHARE)))
                    faults = {index: FAULTS[(cycle + j) % len(FAULTS)] for j, index in enumerate(failing)}
                    for index, kind in list(faults.items()):
                        if kind == "truncated":   # a truncated answer is a publish that went wrong
                            del faults[index]
                            faults[next(iter(published))] = kind
                    if cycle % OUTAGE_EVERY == 2:
                        outages[faults_rng.choice(candidates)] = cycle + OUTAGE_EVERY - 1
                    for index, until in list(outages.items()):
                        if cycle > until:
                            del outages[index]
                        else:
                            faults[index] = "500"
                else:
                    published, triggers, faults = {}, 0, {}
                server.call(("cycle", clock.now().timestamp(), published, faults))
                started = time.perf_counter()
                result = CycleResult(cycle, 0.0, triggers=triggers)
                result.add(await harness.poller.poll_all(harness.sources))
                result.released = harness.ingestor.release_held()
                await harness.beacon._check_reload()      # the hot-reload job (every 2 s in the daemon)
                if (clock.now() - last_prune).total_seconds() >= PRUNE_EVERY_H * 3600:
                    harness.beacon.prune_seen()            # the prune job (every 6 h in the daemon)
                    last_prune = clock.now()
                result.sent = await harness.deliver()
                result.wall = time.perf_counter() - started
                results.append(result)
                if cycle == 1 or cycle % args.every == 0 or cycle == args.cycles or cycle == WARMUP:
                    samples.append(sample(harness, cycle, (clock.now() - START).total_seconds() / 3600))
                    if tracemalloc.is_tracing() and cycle == WARMUP:
                        snapshots[0] = tracemalloc.take_snapshot()
                if args.progress:
                    print(f"  cycle {cycle}: {result.wall:.2f} s, {result.new} new, {result.alerts} alerts, "
                          f"{result.sent} sent", file=sys.stderr)
            if tracemalloc.is_tracing():
                gc.collect()
                snapshots[1] = tracemalloc.take_snapshot()
        finally:
            await harness.close()
    return results, samples, snapshots[0], snapshots[1]


# -- report ---------------------------------------------------------------------------------------


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of (x, y) points (0 for fewer than two)."""
    if len(points) < 2:
        return 0.0
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0


def print_samples(samples: Sequence[Sample]) -> None:
    cols = [("cycle", "{}"), ("sim_h", "{:.0f}"), ("rss_mb", "{:.1f}"), ("py_mb", "{:.1f}"), ("fds", "{:.0f}"),
            ("tasks", "{:.0f}"), ("threads", "{:.0f}"), ("db_mb", "{:.1f}"), ("wal_mb", "{:.1f}"), ("seen", "{:.0f}"),
            ("story_members", "{:.0f}"), ("story_index", "{:.0f}"), ("alerts", "{:.0f}"), ("outbox", "{:.0f}"),
            ("pending", "{:.0f}"), ("events", "{:.0f}"), ("history_kb", "{:.0f}"), ("source_state", "{:.0f}")]
    if "py_mb" not in samples[0].values:
        cols = [c for c in cols if c[0] != "py_mb"]
    rows = [{name: fmt.format({"cycle": s.cycle, "sim_h": s.hours, **s.values}[name]) for name, fmt in cols}
            for s in samples]
    widths = {name: max(len(name), *(len(r[name]) for r in rows)) for name, _ in cols}
    print(" ".join(f"{name:>{widths[name]}}" for name, _ in cols))
    for r in rows:
        print(" ".join(f"{r[name]:>{widths[name]}}" for name, _ in cols))


def verdicts(samples: Sequence[Sample], cycles: int, results: Sequence[CycleResult]) -> list[str]:
    """Per metric: baseline (the sample after the warm-up), last, ratio, slope over the second half."""
    base = next((s for s in samples if s.cycle >= WARMUP), samples[0])
    second = [s for s in samples if s.cycle >= cycles / 2]
    span = max(1, second[-1].cycle - second[0].cycle) if second else 1
    steady = [r for r in results if r.cycle > WARMUP]
    per_cycle = {name: statistics.fmean(getattr(r, name) for r in steady) if steady else 0.0
                 for name in ("new", "alerts", "suppressed", "updates")}
    lines = [f"{'metric':<14}{'baseline':>10}{'last':>10}{'ratio':>7}{'slope/cycle':>13}{'2nd-half':>10}  verdict"]
    names = [n for n in ("rss_mb", "py_mb", "fds", "tasks", "threads", "story_index", "seen", "story_members",
                         "db_mb", "alerts", "outbox", "events", "history_kb") if n in base.values]
    for name in names:
        b, last = base.values[name], samples[-1].values[name]
        k = slope([(s.cycle, s.values[name]) for s in second])
        growth = k * span
        ratio = last / b if b else float("inf") if last else 1.0
        if name in FLAT:
            absolute, share = FLAT[name]
            limit = max(absolute, share * b)
            verdict = f"FLAT (limit {limit:g})" if growth <= limit else f"GROWS {k:+.3g}/cycle (limit {limit:g})"
        elif name in ("story_index", "seen", "story_members"):   # bounded by a prune: flat once it bites
            limit = 0.05 * statistics.fmean(s.values[name] for s in second)
            verdict = f"FLAT or falling: pruned (limit {limit:.0f}, 5% of its 2nd-half mean)" if growth <= limit \
                else f"GROWS {k:+.3g}/cycle (limit {limit:.0f}; short of its retention plateau?)"
        elif name == "db_mb":
            verdict = "FLAT" if growth <= 0.5 else f"GROWS {k:+.3g} MB/cycle (rows of the tables below)"
        else:
            decided = per_cycle["alerts"] + per_cycle["suppressed"] + per_cycle["updates"]
            verdict = "FLAT" if growth <= 1 else (f"GROWS {k:+.3g}/cycle: never pruned ({decided:.1f} alert "
                                                  "decisions/cycle)")
        lines.append(f"{name:<14}{b:>10.1f}{last:>10.1f}{ratio:>7.2f}{k:>13.3f}{growth:>10.1f}  {verdict}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=1000, help="feeds served (default 1000)")
    parser.add_argument("--rules", type=int, default=100,
                        help="rules: the 3 shipped ones plus generated ones (default 100)")
    parser.add_argument("--cycles", type=int, default=48, help="poll cycles (default 48)")
    parser.add_argument("--step-hours", type=float, default=2.0,
                        help="simulated hours per cycle (default 2: 48 cycles are 4 days, twice the story window)")
    parser.add_argument("--items", type=int, default=10, help="items per feed at the start (default 10)")
    parser.add_argument("--hosts", type=int, default=50, help="loopback hosts 127.0.0.1..N (default 50)")
    parser.add_argument("--every", type=int, default=4, help="sample every N cycles (default 4)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 feeds, 12 cycles")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="trace Python allocations: py_mb column and the top growth after the warm-up (slower)")
    parser.add_argument("--progress", action="store_true", help="a line per cycle on stderr")
    parser.add_argument("--db-dir", metavar="DIR", help="where the temporary folder goes (default: system temp)")
    args = parser.parse_args(argv)
    if args.quick:
        args.feeds, args.cycles, args.every = min(args.feeds, 300), min(args.cycles, 12), min(args.every, 2)
    os.environ.pop("TELEGRAM_BOT_TOKEN", None)   # dry run: alerts go to the terminal sender
    logging.getLogger().setLevel(logging.WARNING)   # INFO lines are not even formatted
    log_counts = CountingHandler()
    logging.getLogger().addHandler(log_counts)

    print(f"Beacon soak: {args.feeds} feeds, {args.rules} rules, {args.cycles} cycles of {args.step_hours:g} simulated "
          f"hours ({args.cycles * args.step_hours / 24:.1f} days), seed {SEED}")
    print("machine: " + machine(f"httpx {httpx.__version__}"))
    per_cycle = max(1, round(args.feeds * PUBLISH_SHARE))
    print(f"each cycle: ~{per_cycle} feeds publish 1-2 items ({TRIGGER_SHARE:.0%} written to fire a rule) plus one "
          f"syndicated copy; {max(1, round(args.feeds * FAULT_SHARE))} feeds fail in turn ({', '.join(FAULTS)}); "
          "the rest answer 304")
    print(f"outages: every {OUTAGE_EVERY} cycles one more feed answers 500 for {OUTAGE_EVERY} cycles in a row")
    print(f"clock: injected, +{args.step_hours:g} h per cycle; seen_retention {RETENTION_H:g} h, feeds keep items "
          f"{FEED_WINDOW_H:g} h, prune every {PRUNE_EVERY_H:g} h, fetch deadline {FETCH_TIMEOUT_S:g} s, polls not "
          "forced (failing feeds wait out their backoff)")
    if args.tracemalloc:
        tracemalloc.start(10)

    feeds_per_host = max(1, -(-args.feeds // args.hosts))
    started = time.perf_counter()
    server = SoakServer(args.feeds, args.items, args.hosts, START, FETCH_TIMEOUT_S * 1.5)
    try:
        if server.hosts < args.hosts:
            feeds_per_host = args.feeds
            print(f"NOTE: could not bind 127.0.0.2..127.0.0.{args.hosts}; all feeds on 127.0.0.1")
        urls = [server.url(i, feeds_per_host) for i in range(args.feeds)]
        print(f"server: child process, {server.hosts} loopback hosts, {server.info['bytes'] / 2**20:.1f} MB of feeds "
              f"({args.items} items each); started in {time.perf_counter() - started:.1f} s")
        with tempfile.TemporaryDirectory(prefix="beacon-bench-soak-", dir=args.db_dir) as tmpdir:
            tmp = Path(tmpdir)
            rules = write_rules(tmp / "rules", args.rules, random.Random(SEED))
            print(f"rules: {SHIPPED_RULE_COUNT} shipped + {len(rules)} generated (bench/engine.py's shapes; a tenth "
                  "each held for 2 sources, with a 30 min group wait, throttled 6 h, keyed by source)")
            print(f"database: {tmp / 'data'} ({fs_of(tmp)}); delivery: dry run, terminal sender to {os.devnull}")
            print(f"RSS before Beacon: {rss_mb():.1f} MB\n")
            wall = time.perf_counter()
            results, samples, before, after = asyncio.run(soak(args, tmp, server, urls, rules, log_counts))
            wall = time.perf_counter() - wall
        stats = server.stats()
    finally:
        server.stop()

    print(f"== Cycles ({wall:.0f} s wall in all) ==")
    print(f"{'cycle':>5}{'wall_s':>7}{'200':>5}{'304':>6}{'err':>5}{'skip':>5}{'new':>7}{'fire':>5}{'alerts':>7}"
          f"{'supp':>5}{'upd':>5}{'held>':>6}{'sent':>6}")
    for r in results:
        print(f"{r.cycle:>5}{r.wall:>7.2f}{r.ok:>5}{r.not_modified:>6}{r.errors:>5}{r.skipped:>5}{r.new:>7}"
              f"{r.triggers:>5}{r.alerts:>7}{r.suppressed:>5}{r.updates:>5}{r.released:>6}{r.sent:>6}")
    steady = results[WARMUP:]
    if steady:
        total = {name: sum(getattr(r, name) for r in steady)
                 for name in ("new", "alerts", "updates", "suppressed", "sent", "errors", "skipped")}
        print(f"after the warm-up: {statistics.median(r.wall for r in steady):.2f} s per cycle (median), "
              f"{total['new']} new articles, {total['alerts']} alerts, {total['updates']} event updates, "
              f"{total['suppressed']} held or suppressed, {total['sent']} messages rendered and sent, "
              f"{total['errors']} failed polls, {total['skipped']} skipped (backoff)")
    faults = {k: int(v) for k, v in stats.items() if k.startswith("fault ")}
    print(f"server: {int(stats.get('connections', 0))} connections, {int(stats.get('requests', 0))} requests, "
          f"{int(stats.get('200', 0))} x 200, {int(stats.get('304', 0))} x 304; faults served: "
          + ", ".join(f"{k[6:]} {v}" for k, v in sorted(faults.items())))
    print("log lines at WARNING and above: " + (", ".join(f"{k} {v}" for k, v in log_counts.counts.most_common())
                                                 or "none"))

    print(f"\n== Samples (after gc.collect(); between cycles; sample {WARMUP} is the baseline) ==")
    print_samples(samples)
    print(f"peak RSS (ru_maxrss): {peak_rss_mb():.1f} MB")

    print(f"\n== Verdicts: growth over the second half (cycles >= {args.cycles // 2}) from the slope; ratio = last / "
          f"baseline (cycle {WARMUP}) ==")
    for line in verdicts(samples, args.cycles, results):
        print(line)
    if before is not None and after is not None:
        print("\n== tracemalloc: top growth from the baseline to the end (by line) ==")
        for stat in after.compare_to(before, "lineno")[:10]:
            frame = stat.traceback[0]
            where = frame.filename.replace(str(REPO) + "/", "")
            print(f"{stat.size_diff / 1024:+9.1f} KB {stat.count_diff:+7d} blocks  {where}:{frame.lineno}")


if __name__ == "__main__":
    main()
