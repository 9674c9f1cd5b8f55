"""Benchmark of event-loop stalls under hostile feeds (issue 16, case 1): the longest time the loop
went without running while Beacon polled them, next to a healthy source polled every second.

Run from the repository root:

    .venv/bin/python bench/stall.py              # 20 s per mode, four modes (about 110 s)
    .venv/bin/python bench/stall.py --seconds 10 # shorter
    .venv/bin/python bench/stall.py --only now   # just the current code path

Hostile sources, served by the fake feed server (tests/fakes/feed_server.py) in a child process
so serving megabytes costs the measured loop nothing:

- `huge-title`: one item whose title is 4.9 MB of casualty words (under the default 5 MiB cap);
- `big-feed`: 100,000 items in one feed (3.6 MB);
- `churn`: 2,000 items whose guids change every second, so every poll brings 2,000 "new" articles;

and `healthy`: one new matching item every second, polled every second. Polling is Beacon's own
(`Poller` -> `Ingestor` -> `RssSource`, the shipped rules, the story index, a temporary SQLite
store), one loop per source as APScheduler runs them (`max_instances=1`). A probe task sleeps
10 ms in a loop and records how late it wakes: its worst lateness is the worst stall.

Modes, in one run:
- `calm`: the healthy source alone, as `now` polls it: the floor this machine gives the probe
  (other processes on a shared machine delay it too);
- `now`: as shipped (matching in the worker thread, caps and budgets from `polling`, the long-lived
  heap frozen out of full garbage collections and a 1 ms GIL switch interval, bot/runtime.py);
- `loop`: the same, but the worker's work run inline on the event loop;
- `before`: inline on the loop, no caps (title, text, items per feed and poll), no frozen heap, the
  default 5 ms switch interval: the old path.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import machine  # noqa: E402

import bot.sources.caps as caps  # noqa: E402
import bot.sources.normalise as normalise  # noqa: E402
from bot.app import STORY_WINDOW_SECONDS  # noqa: E402
from bot.config import PollingConfig  # noqa: E402
from bot.engine import RuleSet, compile_rules, load_rules  # noqa: E402
from bot.enums import Channel  # noqa: E402
from bot.ingest import IngestLimits, Ingestor, PollReport  # noqa: E402
from bot.match_thread import MatchThread  # noqa: E402
from bot.models import Target  # noqa: E402
from bot.poller import Poller  # noqa: E402
from bot.runtime import keep_loop_responsive  # noqa: E402
from bot.sources.http import make_client  # noqa: E402
from bot.sources.normalise import TextCaps  # noqa: E402
from bot.sources.rss import RssSource  # noqa: E402
from bot.sources.syndication import StoryIndex  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.fakes.feed_server import FeedServer  # noqa: E402

T = TypeVar("T")
HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{name}</title>'
        "<link>https://{name}.example/</link><description>bench</description>")
TAIL = "</channel></rss>"
TITLE_BYTES = 4_900_000
BIG_ITEMS = 100_000
CHURN_ITEMS = 2_000
INTERVALS = {"healthy": 1.0, "huge-title": 2.0, "big-feed": 2.0, "churn": 1.0}


# -- the feeds, served from a child process ------------------------------------------------------


def rfc822(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S GMT")


def huge_title_feed() -> str:
    title = ("gunmen killed an officer in an ambush near the border " * (TITLE_BYTES // 54 + 1))[:TITLE_BYTES]
    return (HEAD.format(name="huge") + f"<item><guid>huge-1</guid><title>{title}</title>"
            "<link>https://huge.example/1</link><description>one very long headline</description></item>" + TAIL)


def big_feed() -> str:
    items = "".join(f"<item><title>n {i}</title></item>" for i in range(BIG_ITEMS))
    return HEAD.format(name="big") + items + TAIL


def churn_feed(tick: int) -> str:
    text = ("Officials said talks on the border crossing resumed after a week of delays and that trade "
            "would pick up again. ") * 5
    items = "".join(f"<item><guid>churn-{tick}-{i}</guid><title>Border talks update {tick}.{i}</title>"
                    f"<link>https://churn.example/{tick}/{i}</link><description>{text}</description></item>"
                    for i in range(CHURN_ITEMS))
    return HEAD.format(name="churn") + items + TAIL


def healthy_feed(tick: int, epoch: datetime) -> str:
    items = "".join(
        f"<item><guid>ok-{n}</guid><title>Gunmen killed police officer in Banjska ambush, report {n}</title>"
        f"<link>https://ok.example/{n}</link><description>Kosovo police said gunmen killed an officer near "
        f"Banjska in the north; report {n}.</description><pubDate>{rfc822(epoch + timedelta(seconds=n))}"
        "</pubDate></item>" for n in range(max(0, tick - 20), tick + 1))
    return HEAD.format(name="ok") + items + TAIL


def serve(conn: Connection) -> None:
    """Child process: the fake feed server, with `healthy` and `churn` changing every second."""
    asyncio.run(_serve(conn))


async def _serve(conn: Connection) -> None:
    epoch = datetime.now(UTC).replace(microsecond=0)
    async with FeedServer() as server:
        server.serve("/huge-title", huge_title_feed())
        server.serve("/big-feed", big_feed())
        tick = 0
        server.serve("/churn", churn_feed(tick))
        server.serve("/healthy", healthy_feed(tick, epoch))
        conn.send(server.port)
        while not conn.poll():
            await asyncio.sleep(1.0)
            tick += 1
            server.serve("/churn", churn_feed(tick))
            server.serve("/healthy", healthy_feed(tick, epoch))
        conn.recv()
        conn.send({path: server.hits(path) for path in ("/healthy", "/huge-title", "/big-feed", "/churn")})


# -- the probe and the modes --------------------------------------------------------------------------


@dataclass
class Probe:
    """Sleeps 10 ms in a loop; how late each wake-up is shows how long the loop was held."""

    lateness: list[float] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            self.lateness.append(time.perf_counter() - started - 0.01)


class InlineThread(MatchThread):
    """The worker's work run on the event loop with the main connection: matching as it was before."""

    async def run(self, work: Callable[[Store], T]) -> T:
        return work(self.store)


@dataclass
class Outcome:
    mode: str
    seconds: float
    lateness: list[float]
    reports: dict[str, list[PollReport]]
    hits: dict[str, int]
    gc_pauses: list[float]

    def worst(self) -> float:
        return max(self.lateness, default=0.0)

    def quantile(self, q: float) -> float:
        values = sorted(self.lateness)
        return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def limits_for(mode: str) -> IngestLimits:
    if mode == "before":
        return IngestLimits(TextCaps(10**9, 10**9), max_items=10**9, match_budget=10**9, poll_budget=10**9)
    return IngestLimits.from_polling(PollingConfig())


def raw_caps(enabled: bool) -> None:
    """The parse-time cut of raw fields (normalise.py) on or off, for the `before` picture.

    The module globals normalise() reads are replaced; the limits come from bot.sources.caps, so the order in
    which modes run does not matter.
    """
    off = 10**9
    if enabled:
        limits = {"TITLE_CHARS_LIMIT": caps.TITLE_CHARS_LIMIT, "TEXT_CHARS_LIMIT": caps.TEXT_CHARS_LIMIT,
                  "_RAW_TITLE_CHARS": 4 * caps.TITLE_CHARS_LIMIT, "_RAW_TEXT_CHARS": 2 * caps.TEXT_CHARS_LIMIT}
    else:
        limits = {"TITLE_CHARS_LIMIT": off, "TEXT_CHARS_LIMIT": off, "_RAW_TITLE_CHARS": off, "_RAW_TEXT_CHARS": off}
    vars(normalise).update(limits)


async def run_mode(mode: str, port: int, ruleset: RuleSet, db: Path, seconds: float) -> Outcome:
    raw_caps(mode != "before")
    if mode == "before":
        gc.unfreeze()   # full collections walk the rules and gazetteer again, as before bot/runtime.py
        sys.setswitchinterval(0.005)   # Python's default
    else:
        keep_loop_responsive()   # as `beacon run` does once the rules are loaded
    store = Store(db)
    stories = StoryIndex(window_seconds=STORY_WINDOW_SECONDS, num_perm=64)
    ingestor = Ingestor(store, lambda: ruleset, lambda _alert: [Target(Channel.TERMINAL)], lambda: datetime.now(UTC),
                        stories=stories, limits=limits_for(mode))
    if mode != "now":
        ingestor.thread.close()
        ingestor.thread = InlineThread(store)
    notices: list[str] = []
    poller = Poller(ingestor, PollingConfig(allow_private=True), notices.append, lambda: datetime.now(UTC))
    reports: dict[str, list[PollReport]] = {name: [] for name in INTERVALS}
    pauses: list[float] = []
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        elif info.get("generation") == 2:
            pauses.append(time.perf_counter() - gc_started[0])

    gc.callbacks.append(on_gc)
    stop = asyncio.Event()
    probe = Probe()
    async with make_client() as client:
        max_items = None if mode == "before" else PollingConfig().max_items_per_poll
        sources = [RssSource(name, f"http://127.0.0.1:{port}/{name}", interval, client, max_items=max_items)
                   for name, interval in INTERVALS.items() if mode != "calm" or name == "healthy"]

        async def loop_of(source: RssSource) -> None:
            while not stop.is_set():
                started = time.perf_counter()
                reports[source.name].append(await poller.poll(source, force=True))
                wait = source.interval - (time.perf_counter() - started)
                if wait > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), wait)

        probe_task = asyncio.create_task(probe.run(stop))
        started = time.perf_counter()
        polls = [asyncio.create_task(loop_of(s)) for s in sources]
        await asyncio.sleep(seconds)
        stop.set()
        elapsed = time.perf_counter() - started
        # a poll in flight finishes (inline ones cannot be interrupted); its stall still counts
        await asyncio.gather(probe_task, *polls)
    gc.callbacks.remove(on_gc)
    ingestor.close()
    store.close()
    raw_caps(True)
    return Outcome(mode, elapsed, probe.lateness, reports, {}, pauses)


def summary(outcome: Outcome) -> list[str]:
    ok = outcome.reports["healthy"]
    alerts = sum(r.alerts + r.updates for r in ok)
    over = sum(1 for x in outcome.lateness if x > 0.1)
    worst, p99 = outcome.worst() * 1000, outcome.quantile(0.99) * 1000
    lines = [f"{outcome.mode:7} worst stall {worst:8.1f} ms   p99 {p99:6.1f} ms   stalls >100 ms: {over:3d}   "
             f"probe ticks {len(outcome.lateness)} in {outcome.seconds:.0f} s"]
    lines.append(f"        healthy source: {len(ok)} polls in {outcome.seconds:.0f} s (interval 1 s), {alerts} alerts "
                 f"and event updates; full GC (gen 2) pauses: {len(outcome.gc_pauses)}, longest "
                 f"{max(outcome.gc_pauses, default=0) * 1000:.0f} ms")
    for name in ("huge-title", "big-feed", "churn"):
        rs = outcome.reports[name]
        if not rs:
            continue
        lines.append(f"        {name:10}: {len(rs)} polls, new {sum(r.new for r in rs)}, truncated "
                     f"{sum(r.truncated for r in rs)}, left for later {sum(r.deferred for r in rs)}, "
                     f"skipped too slow {sum(len(r.too_slow) for r in rs)}, errors {sum(1 for r in rs if r.error)}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=20.0, help="polling time per mode (default 20)")
    parser.add_argument("--only", choices=("calm", "now", "loop", "before"), action="append",
                        help="run only this mode (repeatable); default: calm, now, loop, before")
    args = parser.parse_args(argv)
    modes = args.only or ["calm", "now", "loop", "before"]
    print(machine("lxml, feedparser, ahocorasick-rs"))
    ruleset = compile_rules(load_rules(ROOT / "rules"))
    mine, theirs = multiprocessing.Pipe()
    child = multiprocessing.Process(target=serve, args=(theirs,), name="feed-server", daemon=True)
    child.start()
    port = mine.recv()
    print(f"feeds: huge-title ({TITLE_BYTES:,} byte title), big-feed ({BIG_ITEMS:,} items), churn "
          f"({CHURN_ITEMS:,} new guids a second), healthy (1 s); {args.seconds:.0f} s per mode\n")
    outcomes = []
    try:
        with tempfile.TemporaryDirectory(prefix="beacon-stall-") as tmp:
            for mode in modes:
                outcome = asyncio.run(run_mode(mode, port, ruleset, Path(tmp) / f"{mode}.sqlite3", args.seconds))
                outcomes.append(outcome)
                print("\n".join(summary(outcome)), flush=True)
    finally:
        mine.send("stop")
        hits = mine.recv() if mine.poll(10) else {}
        child.join(5)
    print(f"\nrequests served: {hits}")
    now = next((o for o in outcomes if o.mode == "now"), None)
    if now is not None:
        verdict = "met" if now.worst() <= 0.1 else "NOT met"
        print(f"target: worst stall <= 100 ms with the hostile inputs: {verdict} ({now.worst() * 1000:.1f} ms); "
              f"median lateness {statistics.median(now.lateness) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
