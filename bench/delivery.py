"""Benchmark of Beacon's delivery path: fan-out, one busy group and alert latency against a rate-limited fake Bot API.

Run from the repository root:

    .venv/bin/python bench/delivery.py            # 5,000 chats, 30 group alerts: about 11 minutes
    .venv/bin/python bench/delivery.py --quick    # 300 chats, 8 group alerts: about 2 minutes
    .venv/bin/python bench/delivery.py --rtt-ms 0 # skip the simulated-round-trip what-if

Every scenario runs against a fresh `FakeBotAPI(rate_limits=True)` (tests/fakes/bot_api.py, on
127.0.0.1, enforcing Telegram's published limits: 30 msg/s overall, 1/s per chat, 20/min per group,
429 + retry_after beyond them) and a temporary SQLite `Store`, with the real `OutboxWorker`,
`TelegramSender` (python-telegram-bot `Application.bot` pointed at the fake) and `Renderer`
(templates/). Each scenario runs once with the default `Pacing()` and once with
`Pacing(global_per_second=28)`.

Instrumentation: the worker's pacer, store, renderer and sender are wrapped per instance with timers
(a few microseconds per call) to show where the wall time goes. The fake runs on the same event loop
as the worker, so its request handling is part of the measured send time (reported separately).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import telegram
from benchlib import fs_of, machine
from telegram.ext import Application

from bot.enums import Channel
from bot.models import Alert, Article, Evidence, Match, Message, Severity, Target
from bot.outbox import OutboxWorker, Pacing, SendOutcome
from bot.render import Renderer
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.fakes.bot_api import FakeBotAPI, slow

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"

TELEGRAM_PER_SECOND = 30.0     # Telegram's overall limit: the fan-out ideal is chats / 30 s
TELEGRAM_GROUP_INTERVAL = 3.0  # 20 messages a minute per group, evenly spaced: the group ideal is (n - 1) x 3 s
TARGET_FANOUT_RATIO = 1.10     # fan-out within 10% of the ideal
TARGET_LATENCY_S = 2.0         # commit -> sendMessage received, worker idle
GROUP_CHAT = -100123
LATENCY_CHAT_BASE = 1_000_000  # latency probes go to chats no other scenario uses
LATENCY_SAMPLES = 5
LATENCY_GAP_S = 0.5            # pause between probes, so the worker is idle (waiting) when each one lands
DEFAULT_RTT_MS = 100.0         # what-if: a real Telegram round trip (Europe -> Telegram's DCs is ~30-150 ms)
RTT_CHATS = 300                # chats in the what-if fan-out (100 with --quick)
SOURCE = "bench-wire"

PACINGS: tuple[tuple[str, Pacing], ...] = (
    ("Pacing()", Pacing()),
    ("Pacing(28/s)", Pacing(global_per_second=28)),
)

# -- alerts ----------------------------------------------------------------------------------------


def make_alert(kind: str, index: int, total: int) -> Alert:
    """A realistic alert: title, facts, regions, a few hundred characters of text, a link."""
    title = f"{kind.capitalize()} alert {index:02d} of {total}: troops reported near the border"
    text = ("Officials said several units were moved overnight towards the crossing; residents reported "
            "shelling in the early hours and local authorities opened shelters. " * 3).strip()
    article = Article(source=SOURCE, title=title, text=text, url=f"https://news.example/{kind}/{index}",
                      guid=f"{kind}-{index}", published=datetime(2024, 9, 17, 6, 0, tzinfo=UTC), language="en")
    match = Match("bench-rule", "Border escalation", Severity.HIGH, ("conflict",), ("Kosovo",),
                  {"troops": 1200 + index}, (Evidence("term", "troops", "title", "…troops reported near…"),),
                  key=f"bench:{kind}:{index}")
    return Alert(article, match, datetime.now(UTC))


ALERT_INDEX = re.compile(r"alert (\d+) of \d+")


def alert_index(text: str) -> int | None:
    found = ALERT_INDEX.search(text)
    return int(found.group(1)) if found else None


# -- instrumentation -------------------------------------------------------------------------------


@dataclass
class Breakdown:
    """Seconds and calls per bucket, plus every send's duration."""

    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: Counter[str] = field(default_factory=Counter)
    sends: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)

    def add(self, bucket: str, elapsed: float) -> None:
        self.seconds[bucket] += elapsed
        self.calls[bucket] += 1

    def clear(self) -> None:
        self.seconds.clear()
        self.calls.clear()
        self.sends.clear()
        self.server.clear()


def time_sync(obj: object, name: str, breakdown: Breakdown, bucket: str) -> None:
    """Replace `obj.name` (a plain method) on this instance with a timed wrapper."""
    original: Callable[..., Any] = getattr(obj, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            breakdown.add(bucket, time.perf_counter() - started)

    setattr(obj, name, timed)


def time_async(obj: object, name: str, breakdown: Breakdown, bucket: str) -> None:
    """Replace `obj.name` (a coroutine method) on this instance with a timed wrapper."""
    original: Callable[..., Awaitable[Any]] = getattr(obj, name)

    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - started
            breakdown.add(bucket, elapsed)
            if bucket == "fake server":
                breakdown.server.append(elapsed)

    setattr(obj, name, timed)


class TimedSender:
    """The real TelegramSender, with each send's duration recorded (PTB -> HTTP -> fake -> PTB)."""

    def __init__(self, inner: TelegramSender, breakdown: Breakdown) -> None:
        self.inner = inner
        self.breakdown = breakdown

    async def send(self, target: Target, message: Message, *, reply_to: int | None = None) -> SendOutcome:
        started = time.perf_counter()
        try:
            return await self.inner.send(target, message, reply_to=reply_to)
        finally:
            elapsed = time.perf_counter() - started
            self.breakdown.add("send", elapsed)
            self.breakdown.sends.append(elapsed)

    async def edit(self, target: Target, message_id: int, message: Message) -> SendOutcome:
        return await self.inner.edit(target, message_id, message)


STORE_BUCKETS = {  # methods of `store.outbox`, the outbox worker's part of the store
    "due": "due query",
    "claim": "claim/mark",
    "mark_sent": "claim/mark",
    "mark_progress": "claim/mark",
    "mark_retry": "claim/mark",
    "mark_dead": "claim/mark",
    "counts": "store other",
    "next_due_time": "store other",
    "recover_interrupted": "store other",
}


class LogCounter(logging.Handler):
    """Counts the outbox worker's log records (flood-control waits, retries, give-ups)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text.startswith("flood control"):
            self.messages["flood-control waits"] += 1
        elif record.levelno >= logging.WARNING:
            self.messages[f"{record.levelname.lower()}: {text[:80]}"] += 1


# -- harness ---------------------------------------------------------------------------------------


@dataclass
class Harness:
    fake: FakeBotAPI
    store: Store
    worker: OutboxWorker
    breakdown: Breakdown
    logs: LogCounter


@contextlib.asynccontextmanager
async def harness(pacing: Pacing, rtt: float = 0.0) -> AsyncIterator[Harness]:
    """A fresh fake Bot API, temp store, PTB application and instrumented worker."""
    breakdown = Breakdown()
    fake = FakeBotAPI(rate_limits=True)
    if hasattr(fake, "_handle"):  # time the fake's request handling (it shares our event loop)
        time_async(fake, "_handle", breakdown, "fake server")
    await fake.start()
    tmp = tempfile.TemporaryDirectory(prefix="beacon-bench-delivery-")
    store = Store(Path(tmp.name) / "beacon.db")
    application = Application.builder().token(fake.token).base_url(fake.base_url).build()
    logs = LogCounter()
    outbox_log = logging.getLogger("bot.outbox")
    outbox_log.addHandler(logs)
    try:
        await application.initialize()
        if rtt > 0:  # every answer is held back `rtt` seconds after the fake processed the request
            fake.fail_next("sendMessage", slow(rtt, accept=True), times=10**9)
        worker = OutboxWorker(store, Renderer(TEMPLATES), {"telegram": TimedSender(TelegramSender(application.bot),
                                                                                   breakdown)},
                              now=lambda: datetime.now(UTC), monotonic=time.monotonic, pacing=pacing)
        time_async(worker.pacer, "acquire", breakdown, "pacer wait")
        time_sync(worker.renderer, "render", breakdown, "render")
        for method, bucket in STORE_BUCKETS.items():
            time_sync(store.outbox, method, breakdown, bucket)
        breakdown.clear()  # drop getMe
        yield Harness(fake, store, worker, breakdown, logs)
    finally:
        outbox_log.removeHandler(logs)
        with contextlib.suppress(Exception):
            await application.shutdown()
        store.close()
        await fake.stop()
        tmp.cleanup()


def commit(store: Store, alerts: Sequence[Alert], targets: Sequence[Target]) -> float:
    """Queue the alerts for the targets as the ingest path does (one transaction); returns seconds."""
    started = time.perf_counter()
    store.commit_articles(SOURCE, [a.article for a in alerts], alerts, lambda _alert: targets, datetime.now(UTC))
    return time.perf_counter() - started


# -- results ---------------------------------------------------------------------------------------


@dataclass
class Result:
    pacing: str
    scenario: str
    expected: int                  # messages that should arrive
    delivered: int = 0             # sendMessage calls the fake accepted
    wall: float = 0.0              # start of delivery -> last accepted message
    ideal: float | None = None
    throttled: int = 0             # 429s the fake answered
    duplicates: int = 0            # messages beyond the first per (chat, alert)
    losses: int = 0                # (chat, alert) pairs that got nothing
    order_ok: bool | None = None   # per-chat order preserved (group scenario)
    paced_ideal: float | None = None  # the time the worker's own Pacing allows (its margin below Telegram's limits)
    max_gap: float = 0.0           # longest pause between two consecutive accepted messages
    statuses: dict[str, int] = field(default_factory=dict)
    finished: bool = True          # drain() emptied the outbox before its deadline
    cpu: float = 0.0
    commit_s: float = 0.0
    breakdown: Breakdown = field(default_factory=Breakdown)
    latencies: list[float] = field(default_factory=list)
    no_notify: list[float] = field(default_factory=list)
    logs: dict[str, int] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.wall / self.ideal if self.ideal else None

    @property
    def rate(self) -> float:
        return self.delivered / self.wall if self.wall > 0 else 0.0


def max_gap(times: Sequence[float]) -> float:
    ordered = sorted(times)
    return max((b - a for a, b in itertools.pairwise(ordered)), default=0.0)


def statuses(store: Store) -> dict[str, int]:
    return dict(sorted(Counter(str(row.status) for row in store.outbox.rows()).items()))


# -- scenarios -------------------------------------------------------------------------------------


async def fan_out(label: str, pacing: Pacing, chats: int, *, rtt: float = 0.0, name: str = "") -> Result:
    """One alert to private chats 1..chats; time until every chat has it."""
    result = Result(label, name or f"fan-out {chats}", chats, ideal=chats / TELEGRAM_PER_SECOND,
                    paced_ideal=chats / pacing.global_per_second)
    async with harness(pacing, rtt) as h:
        alert = make_alert("fan-out", 1, 1)
        result.commit_s = commit(h.store, [alert], [Target(Channel.TELEGRAM, chat) for chat in range(1, chats + 1)])
        deadline = 3 * (result.ideal or 0) + chats * (rtt + 0.05) + 60
        cpu0, t0 = time.process_time(), time.monotonic()
        result.finished = await h.worker.drain(deadline)
        drained = time.monotonic() - t0
        result.cpu = time.process_time() - cpu0
        sent = h.fake.sent
        result.wall = max(m.at for m in sent) - t0 if sent else drained
        per_chat = Counter(m.chat_id for m in sent)
        result.delivered = len(sent)
        result.max_gap = max_gap([m.at for m in sent])
        result.duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
        result.losses = sum(1 for chat in range(1, chats + 1) if not per_chat[chat])
        result.throttled = h.fake.throttled
        result.statuses = statuses(h.store)
        result.breakdown = h.breakdown
        result.logs = dict(h.logs.messages)
    return result


async def one_group(label: str, pacing: Pacing, alerts: int) -> Result:
    """`alerts` alerts to one group, queued at once; time, order, 429s."""
    result = Result(label, f"group {alerts} alerts", alerts, ideal=(alerts - 1) * TELEGRAM_GROUP_INTERVAL,
                    paced_ideal=(alerts - 1) * pacing.group_interval)
    async with harness(pacing) as h:
        batch = [make_alert("group", i, alerts) for i in range(1, alerts + 1)]
        result.commit_s = commit(h.store, batch, [Target(Channel.TELEGRAM, GROUP_CHAT)])
        deadline = 2 * (result.ideal or 0) + 60
        cpu0, t0 = time.process_time(), time.monotonic()
        result.finished = await h.worker.drain(deadline)
        drained = time.monotonic() - t0
        result.cpu = time.process_time() - cpu0
        sent = [m for m in h.fake.sent if m.chat_id == GROUP_CHAT]
        result.wall = max(m.at for m in sent) - t0 if sent else drained
        sequence = [alert_index(m.plain_text or m.text) for m in sent]
        counts = Counter(sequence)
        result.delivered = len(sent)
        result.max_gap = max_gap([m.at for m in sent])
        result.duplicates = sum(n - 1 for n in counts.values() if n > 1)
        result.losses = sum(1 for i in range(1, alerts + 1) if not counts[i])
        firsts = list(dict.fromkeys(i for i in sequence if i is not None))
        result.order_ok = None not in counts and firsts == sorted(firsts)
        result.throttled = h.fake.throttled
        result.statuses = statuses(h.store)
        result.breakdown = h.breakdown
        result.logs = dict(h.logs.messages)
    return result


async def latency(label: str, pacing: Pacing, samples: int) -> Result:
    """Idle worker in `run()`: commit one alert for one chat, notify, time until the fake has it."""
    result = Result(label, "latency", samples + 1)
    async with harness(pacing) as h:
        stop = asyncio.Event()
        task = asyncio.create_task(h.worker.run(stop))
        try:
            await asyncio.sleep(LATENCY_GAP_S)
            for i in range(samples + 1):
                notify = i < samples  # the last probe skips notify(): the worker finds it on its idle tick
                before = len(h.fake.sent)
                alert = make_alert("latency", i + 1, samples + 1)
                t0 = time.monotonic()
                result.commit_s += commit(h.store, [alert], [Target(Channel.TELEGRAM, LATENCY_CHAT_BASE + i)])
                if notify:
                    h.worker.notify()
                with contextlib.suppress(AssertionError):
                    await h.fake.wait_for_sent(before + 1, timeout=15)
                if len(h.fake.sent) > before:
                    (result.latencies if notify else result.no_notify).append(h.fake.sent[-1].at - t0)
                await asyncio.sleep(LATENCY_GAP_S)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
        per_chat = Counter(m.chat_id for m in h.fake.sent)
        result.delivered = len(h.fake.sent)
        result.wall = max(result.latencies, default=0.0)
        result.duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
        result.losses = sum(1 for i in range(samples + 1) if not per_chat[LATENCY_CHAT_BASE + i])
        result.throttled = h.fake.throttled
        result.statuses = statuses(h.store)
        result.breakdown = h.breakdown
        result.logs = dict(h.logs.messages)
    return result


# -- report ----------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def fmt_statuses(counts: dict[str, int]) -> str:
    return " ".join(f"{k}={v}" for k, v in counts.items()) or "-"


def ms(values: Sequence[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]:.1f}"


def print_results(results: Sequence[Result]) -> None:
    print(f"{'pacing':<14}{'scenario':<22}{'msgs':>6}{'sent':>6}{'wall_s':>9}{'ideal_s':>9}{'ratio':>7}"
          f"{'msg/s':>7}{'429s':>6}{'dup':>5}{'lost':>6}{'order':>7}{'commit_ms':>10}{'cpu%':>6}  outbox")
    for r in results:
        ideal = f"{r.ideal:.1f}" if r.ideal else "-"
        ratio = f"{r.ratio:.3f}" if r.ratio else "-"
        order = "-" if r.order_ok is None else ("yes" if r.order_ok else "NO")
        rate = f"{r.rate:.1f}" if r.scenario != "latency" else "-"
        wall = f"{r.wall:.2f}" + ("" if r.finished else "!")
        cpu = f"{100 * r.cpu / r.wall:.0f}" if r.wall and r.scenario != "latency" else "-"
        print(f"{r.pacing:<14}{r.scenario:<22}{r.expected:>6}{r.delivered:>6}{wall:>9}{ideal:>9}{ratio:>7}"
              f"{rate:>7}{r.throttled:>6}{r.duplicates:>5}{r.losses:>6}{order:>7}{1000 * r.commit_s:>10.1f}"
              f"{cpu:>6}  {fmt_statuses(r.statuses)}")
    if any(not r.finished for r in results):
        print("  ! drain() hit its deadline with rows still queued")
    for r in results:
        for text, n in r.logs.items():
            print(f"  {r.pacing} {r.scenario}: worker log {text} x{n}")


def print_latency(results: Sequence[Result]) -> None:
    print(f"{'pacing':<14}{'probes':>7}{'min_ms':>9}{'median_ms':>11}{'max_ms':>9}{'no_notify_s':>13}")
    for r in results:
        if not r.latencies:
            print(f"{r.pacing:<14}{0:>7}  (nothing arrived)")
            continue
        no_notify = f"{r.no_notify[0]:.2f}" if r.no_notify else "never"
        print(f"{r.pacing:<14}{len(r.latencies):>7}{1000 * min(r.latencies):>9.1f}"
              f"{1000 * statistics.median(r.latencies):>11.1f}{1000 * max(r.latencies):>9.1f}{no_notify:>13}")


def print_breakdown(results: Sequence[Result]) -> None:
    """Where the wall time goes, per scenario (seconds; the worker is one sequential loop)."""
    cols = ("pacer wait", "send", "fake server", "due query", "claim/mark", "store other", "render")
    print(f"{'pacing':<14}{'scenario':<22}{'wall_s':>8}{'pacer':>8}{'send':>8}{'(fake)':>8}{'due_q':>8}"
          f"{'db_mark':>8}{'st_oth':>8}{'render':>8}{'other':>8}{'send_p50':>9}{'send_p95':>9}{'busy_ms':>8}"
          f"{'cap/s':>7}{'vs_pacer':>9}{'gap_max':>8}")
    for r in results:
        b = r.breakdown
        s = {c: b.seconds.get(c, 0.0) for c in cols}
        inside = s["pacer wait"] + s["send"] + s["due query"] + s["claim/mark"] + s["store other"] + s["render"]
        other = r.wall - inside
        busy = s["send"] + s["due query"] + s["claim/mark"] + s["store other"] + s["render"]
        busy_ms = 1000 * busy / max(1, len(b.sends))
        cap = 1000 / busy_ms if busy_ms else 0.0
        vs_pacer = f"{r.wall / r.paced_ideal:.3f}" if r.paced_ideal else "-"
        print(f"{r.pacing:<14}{r.scenario:<22}{r.wall:>8.1f}{s['pacer wait']:>8.1f}{s['send']:>8.1f}"
              f"{s['fake server']:>8.1f}{s['due query']:>8.2f}{s['claim/mark']:>8.2f}{s['store other']:>8.2f}"
              f"{s['render']:>8.2f}{other:>8.1f}{ms(b.sends, 0.5):>9}{ms(b.sends, 0.95):>9}{busy_ms:>8.1f}{cap:>7.0f}"
              f"{vs_pacer:>9}{r.max_gap:>8.3f}")


def targets_table(by_pacing: dict[str, list[Result]]) -> list[tuple[str, dict[str, tuple[bool, str]]]]:
    rows: list[tuple[str, dict[str, tuple[bool, str]]]] = []
    checks: dict[str, dict[str, tuple[bool, str]]] = defaultdict(dict)
    for label, results in by_pacing.items():
        fan = next((r for r in results if r.scenario.startswith("fan-out")), None)
        group = next((r for r in results if r.scenario.startswith("group")), None)
        lat = next((r for r in results if r.scenario == "latency"), None)
        if fan:
            ok = (fan.finished and fan.ratio is not None and fan.ratio <= TARGET_FANOUT_RATIO and fan.throttled == 0
                  and fan.losses == 0)
            checks["fan-out <= 1.10 x ideal, 0 x 429"][label] = (ok, f"{fan.ratio or 0:.4f}x, {fan.throttled} x 429")
        if group:
            checks["group pacing: 0 x 429"][label] = (group.throttled == 0,
                                                      f"{group.throttled} x 429, {group.ratio or 0:.3f}x ideal")
            checks["group order preserved"][label] = (bool(group.order_ok), "yes" if group.order_ok else "no")
        dup = sum(r.duplicates for r in results)
        lost = sum(r.losses for r in results)
        checks["duplicates 0"][label] = (dup == 0, str(dup))
        checks["losses 0"][label] = (lost == 0, str(lost))
        if lat:
            worst = max(lat.latencies, default=float("inf"))
            ok = bool(lat.latencies) and len(lat.latencies) == lat.expected - 1 and worst < TARGET_LATENCY_S
            checks[f"latency < {TARGET_LATENCY_S:g} s (max of probes)"][label] = (ok, f"{1000 * worst:.0f} ms")
    rows.extend(checks.items())
    return rows


def print_targets(by_pacing: dict[str, list[Result]]) -> None:
    labels = list(by_pacing)
    print(f"{'target':<36}" + "".join(f"{label:<30}" for label in labels))
    for name, per_label in targets_table(by_pacing):
        cells = []
        for label in labels:
            if label in per_label:
                ok, detail = per_label[label]
                cells.append(f"{verdict(ok)} ({detail})")
            else:
                cells.append("-")
        print(f"{name:<36}" + "".join(f"{cell:<30}" for cell in cells))


# -- main ------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    by_pacing: dict[str, list[Result]] = {label: [] for label, _ in PACINGS}
    started = time.monotonic()

    def done(result: Result) -> None:
        by_pacing[result.pacing].append(result)
        print(f"  [{time.monotonic() - started:6.0f}s] {result.pacing} {result.scenario}: {result.delivered}"
              f"/{result.expected} sent, wall {result.wall:.2f}s, {result.throttled} x 429", flush=True)

    for label, pacing in PACINGS:
        done(await fan_out(label, pacing, args.chats))
        done(await one_group(label, pacing, args.group_alerts))
        done(await latency(label, pacing, LATENCY_SAMPLES))
    what_if: Result | None = None
    if args.rtt_ms > 0:
        rtt_chats = min(args.chats, 100 if args.quick else RTT_CHATS)
        what_if = await fan_out(PACINGS[0][0], PACINGS[0][1], rtt_chats, rtt=args.rtt_ms / 1000,
                                name=f"fan-out {rtt_chats} +{args.rtt_ms:g}ms")
        print(f"  [{time.monotonic() - started:6.0f}s] what-if {what_if.scenario}: {what_if.delivered}"
              f"/{what_if.expected} sent, wall {what_if.wall:.2f}s", flush=True)

    everything = [r for results in by_pacing.values() for r in results]
    print("\nResults (wall_s: start of delivery -> last message accepted by the fake; for latency: the worst probe)")
    print_results(everything)
    print(f"\nLatency: commit + notify() -> sendMessage received, idle worker in run(), {LATENCY_SAMPLES} probes "
          f"{LATENCY_GAP_S:g}s apart; no_notify_s: one probe committed without notify()")
    print_latency([r for r in everything if r.scenario == "latency"])
    print("\nWhere the time goes, seconds of wall time. pacer: Pacer.acquire sleeping for the global rate; send: "
          "TelegramSender.send,\nPTB -> HTTP -> fake -> PTB, of which (fake) is the fake's handler on the same loop "
          "(in the what-if row it\nincludes the simulated delay); due_q: Store.due_deliveries; db_mark: claim + "
          "mark_sent commits (synchronous=FULL);\nst_oth: outbox_counts, next_due_time; render: Renderer.render; "
          "other: the rest, mostly drain()'s sleeps while\nthe only due chat is paced (where the group's 3.1 s "
          "spacing happens). busy_ms: worker time per message outside\nthe sleeps; cap/s: 1000 / busy_ms, the "
          "ceiling of a sequential worker; vs_pacer: wall / what the worker's own\nPacing allows (slot slip); "
          "gap_max: longest pause between two accepted messages, seconds.")
    print_breakdown([r for r in everything if r.scenario != "latency"] + ([what_if] if what_if else []))
    if what_if:
        print(f"\nWhat-if: every sendMessage answered {args.rtt_ms:g} ms late (a real round trip to Telegram), "
              f"{what_if.expected} chats, {what_if.pacing}")
        print_results([what_if])
    print("\nTargets")
    print_targets(by_pacing)
    print(f"\ntotal {time.monotonic() - started:.0f}s")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chats", type=int, default=5000, help="private chats in the fan-out (default 5000)")
    parser.add_argument("--group-alerts", type=int, default=30, help="alerts to the one group (default 30)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 chats, 8 group alerts")
    parser.add_argument("--rtt-ms", type=float, default=DEFAULT_RTT_MS,
                        help=f"what-if fan-out with every answer delayed this much (default {DEFAULT_RTT_MS:g}; "
                             "0 skips)")
    args = parser.parse_args(argv)
    if args.quick:
        args.chats, args.group_alerts = min(args.chats, 300), min(args.group_alerts, 8)
    if args.chats < 1 or args.group_alerts < 2:
        parser.error("need at least 1 chat and 2 group alerts")
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    logging.basicConfig(level=logging.WARNING, handlers=[handler], format="%(levelname)s %(name)s: %(message)s")
    outbox_log = logging.getLogger("bot.outbox")
    outbox_log.setLevel(logging.INFO)  # flood-control waits are INFO: counted by LogCounter, listed with the results
    outbox_log.propagate = False

    tmp = Path(tempfile.gettempdir())
    print(f"Beacon delivery benchmark: fan-out to {args.chats} private chats, {args.group_alerts} alerts to one "
          f"group, {LATENCY_SAMPLES} latency probes; pacings {', '.join(label for label, _ in PACINGS)}")
    host = machine(f"python-telegram-bot {telegram.__version__}")
    print(f"machine: {host}; store in {tmp} ({fs_of(tmp)})")
    print(f"ideal: fan-out {args.chats}/{TELEGRAM_PER_SECOND:g} = {args.chats / TELEGRAM_PER_SECOND:.1f}s, "
          f"group ({args.group_alerts} - 1) x {TELEGRAM_GROUP_INTERVAL:g} = "
          f"{(args.group_alerts - 1) * TELEGRAM_GROUP_INTERVAL:.0f}s", flush=True)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
