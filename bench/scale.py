"""10,000 feeds shared by 1, 2 and 3 `beacon run` processes on one PostgreSQL, and the outbox pace of 3.

Run from the repository root:

    .venv/bin/python bench/scale.py                       # 10,000 feeds x 10 items; 1, 2, 3 processes; outbox
    .venv/bin/python bench/scale.py --feeds 2000          # a quicker run (~2 min on 2 busy cores)
    .venv/bin/python bench/scale.py --processes 1 3 --no-outbox

For each process count, a fresh PostgreSQL database and that many real `beacon run` processes with
one config (`cluster.mode: shared`, the shipped rules, no Telegram token: alerts are printed to a
discarded stdout) listing every feed of bench/sources.py's loopback feed server (a separate process,
50 hosts 127.0.0.1-127.0.0.50, items drawn from a pool of generated stories so that 10,000 feeds are
generated in seconds). Every source's job fires when its process starts; the interval (1 h) is long
enough that each feed is polled once. The bench watches `source_state` until every feed was polled,
and reports:

- cycle time: from the first source lease taken to the last poll recorded, and the start-up before it;
- feeds per process, read from the leases (`leased_by`): how evenly the work was shared;
- CPU seconds per process (from /proc) during the cycle and before it (start-up: config, rules);
- the CPU of PostgreSQL, of the feed server and of everything else on the machine meanwhile (the
  machine has 2 cores; other people's work counts here);
- the scaling ratio: the cycle time of 1 process over that of N.

Then the outbox: bench/instances.py's fan-out with 3 processes against the rate-limited fake Bot API;
the most messages accepted, and tried, in any 1 s window must stay at Telegram's 30 per bot.
The test suite never runs this bench.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import machine
from instances import TELEGRAM_PER_SECOND, one_run
from polling_backends import postmaster_of, process_cpu, server_cpu
from sources import FeedServerProcess

from bot.database_location import DatabaseLocation
from tests.pg_server import PostgresServer, postgres_server

REPO = Path(__file__).resolve().parent.parent
BEACON = str(Path(sys.executable).parent / "beacon")
SAMPLE_EVERY = 0.5      # seconds between looks at the database and /proc
POOL = 4000             # generated stories the feeds' items are drawn from


# -- the machine ------------------------------------------------------------------------------------


def machine_busy() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    """One look: when, feeds polled so far, and the CPU seconds of each party."""

    at: float                      # epoch seconds, as source_state stores times
    polled: int
    beacons: list[float]
    postgres: float
    feed_server: float
    bench: float
    machine: float


# -- one process count --------------------------------------------------------------------------------


@dataclass
class ScaleRun:
    processes: int
    feeds: int
    launched: float = 0.0
    first_lease: float = 0.0
    last_poll: float = 0.0
    polled: int = 0
    failed: int = 0
    new_items: int = 0
    per_instance: dict[str, int] = field(default_factory=dict)
    cycle_cpu: list[float] = field(default_factory=list)
    startup_cpu: list[float] = field(default_factory=list)
    postgres_cpu: float = 0.0
    feed_server_cpu: float = 0.0
    others_cpu: float = 0.0
    busy_cpu: float = 0.0
    transactions: int = 0          # PostgreSQL's count for the database: BEGIN..COMMITs and single statements
    exits: list[str] = field(default_factory=list)

    @property
    def cycle(self) -> float:
        return self.last_poll - self.first_lease

    @property
    def startup(self) -> float:
        return self.first_lease - self.launched

    @property
    def spread(self) -> str:
        """Feeds per instance, largest first, and the largest share over an even one."""
        counts = sorted(self.per_instance.values(), reverse=True)
        even = self.feeds / self.processes
        return " / ".join(f"{n:,}" for n in counts) + (f" (max {counts[0] / even:.2f}x even)" if counts else "")


def write_config(folder: Path, url: str, server: FeedServerProcess, feeds: int, lease: str) -> Path:
    """One beacon.yaml for every process: all the feeds, shared mode, no Telegram."""
    per_host = max(1, -(-feeds // server.hosts))
    lines = [f"rules_dir: {REPO / 'rules'}", f"templates_dir: {REPO / 'templates'}", f"data_dir: {folder / 'data'}",
             f'database: "{url}"', "polling: {allow_private: true}", f"cluster: {{mode: shared, lease: {lease}}}",
             "sources:"]
    lines += [f"  - {{name: feed{i:05d}, url: '{server.url(i, per_host)}', interval: 1h}}" for i in range(feeds)]
    path = folder / "beacon.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def beacon_env(name: str, rules_cache: Path) -> dict[str, str]:
    """No Telegram token (alerts printed), this instance's name, and the compiled rules kept across runs."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_FAULT", "BEACON_DATA_DIR", "BEACON_DATABASE_URL")}
    env["BEACON_INSTANCE"] = name
    env["BEACON_RULES_CACHE_DIR"] = str(rules_cache)
    return env


@contextlib.contextmanager
def beacons(config: Path, processes: int, run: ScaleRun,
            rules_cache: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`processes` real `beacon run`, stopped with SIGTERM (then killed) on exit; their logs beside the config."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(processes):
            with (config.parent / f"beacon-{index}.log").open("wb") as log:
                started.append(subprocess.Popen([BEACON, "-c", str(config), "run"], stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=log,
                                                env=beacon_env(f"scale-{processes}-{index}", rules_cache)))
        yield started
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for index, proc in enumerate(started):
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.returncode not in (0, -signal.SIGTERM):
                tail = (config.parent / f"beacon-{index}.log").read_text(errors="replace").splitlines()[-5:]
                run.exits.append(f"process {index} exited {proc.returncode}: " + " | ".join(tail))


def look(conn: psycopg.Connection[Any], pids: Sequence[int], postmaster: int | None,
         feed_server: int) -> Sample:
    row = conn.execute("SELECT count(*) FROM source_state WHERE last_poll IS NOT NULL").fetchone()
    return Sample(time.time(), int(row[0]) if row else 0, [process_cpu(pid) for pid in pids], server_cpu(postmaster),
                  process_cpu(feed_server), time.process_time(), machine_busy())


def at_or_before(samples: Sequence[Sample], when: float) -> Sample:
    earlier = [s for s in samples if s.at <= when]
    return earlier[-1] if earlier else samples[0]


def at_or_after(samples: Sequence[Sample], when: float) -> Sample:
    later = [s for s in samples if s.at >= when]
    return later[0] if later else samples[-1]


def one_count(pg: PostgresServer, server: FeedServerProcess, feeds: int, processes: int, lease: str,
              timeout: float, rules_cache: Path) -> ScaleRun:
    """Start `processes` Beacons on a fresh database; watch until every feed was polled once."""
    run = ScaleRun(processes, feeds)
    url = pg.create_database("beacon_bench_scale")
    postmaster = postmaster_of(pg.port)
    try:
        with tempfile.TemporaryDirectory(prefix="beacon-bench-scale-") as tmp:
            config = write_config(Path(tmp), url, server, feeds, lease)
            samples: list[Sample] = []
            run.launched = time.time()
            with beacons(config, processes, run, rules_cache) as started, \
                    psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                pids = [p.pid for p in started]
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    with contextlib.suppress(psycopg.errors.UndefinedTable):   # before the first migration
                        samples.append(look(conn, pids, postmaster, server.process.pid or 0))
                    if (samples and samples[-1].polled >= feeds) or any(p.poll() is not None for p in started):
                        break
                    time.sleep(SAMPLE_EVERY)
                summarise(run, conn, samples)
    finally:
        pg.drop_database(url)
    return run


def summarise(run: ScaleRun, conn: psycopg.Connection[Any], samples: Sequence[Sample]) -> None:
    """The run's figures from source_state (leases, polls, failures) and the CPU samples around the cycle."""
    row = conn.execute("SELECT min(leased_at), max(last_poll), count(last_poll), count(last_error), "
                       "coalesce(sum(items_seen), 0) FROM source_state").fetchone()
    if row is None or row[0] is None or not samples:
        return
    run.first_lease, run.last_poll = float(row[0]), float(row[1] or row[0])
    run.polled, run.failed, run.new_items = int(row[2]), int(row[3]), int(row[4])
    run.per_instance = {str(name): int(n) for name, n in conn.execute(
        "SELECT leased_by, count(*) FROM source_state WHERE leased_by IS NOT NULL GROUP BY leased_by")}
    counted = conn.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                           "WHERE datname = current_database()").fetchone()
    run.transactions = int(counted[0]) if counted else 0
    start, end = at_or_before(samples, run.first_lease), at_or_after(samples, run.last_poll)
    run.startup_cpu = list(start.beacons)
    run.cycle_cpu = [b - a for a, b in zip(start.beacons, end.beacons, strict=True)]
    run.postgres_cpu = end.postgres - start.postgres
    run.feed_server_cpu = end.feed_server - start.feed_server
    run.busy_cpu = end.machine - start.machine
    ours = sum(run.cycle_cpu) + run.postgres_cpu + run.feed_server_cpu + (end.bench - start.bench)
    run.others_cpu = max(0.0, run.busy_cpu - ours)


# -- report -------------------------------------------------------------------------------------------


def print_runs(runs: Sequence[ScaleRun]) -> None:
    base = next((r for r in runs if r.processes == 1 and r.cycle > 0), None)
    print(f"{'procs':>5}{'cycle_s':>9}{'feeds/s':>9}{'speed-up':>9}{'startup_s':>10}{'polled':>8}{'failed':>7}"
          f"{'cpu_s per process (cycle)':>28}{'startup cpu_s':>15}{'pg_cpu_s':>9}{'feeds_cpu_s':>12}"
          f"{'others_s':>9}{'cores busy':>11}")
    for r in runs:
        speed_up = f"{base.cycle / r.cycle:.2f}x" if base and r.cycle else "-"
        cores = r.busy_cpu / r.cycle if r.cycle else 0.0
        print(f"{r.processes:>5}{r.cycle:>9.1f}{r.polled / r.cycle if r.cycle else 0:>9.0f}{speed_up:>9}"
              f"{r.startup:>10.1f}{r.polled:>8}{r.failed:>7}{' '.join(f'{c:.1f}' for c in r.cycle_cpu):>28}"
              f"{' '.join(f'{c:.1f}' for c in r.startup_cpu):>15}{r.postgres_cpu:>9.1f}{r.feed_server_cpu:>12.1f}"
              f"{r.others_cpu:>9.1f}{cores:>11.2f}")
    print("feeds per process (from the leases):")
    for r in runs:
        print(f"  {r.processes} process{'es' if r.processes > 1 else ''}: {r.spread}; {r.new_items:,} new articles; "
              f"{r.transactions / max(1, r.polled):.1f} PostgreSQL transactions per feed polled")
        for problem in r.exits:
            print(f"  ! {problem}")


def outbox(pg: PostgresServer, processes: int, messages: int) -> None:
    """bench/instances.py's fan-out with `processes` Beacons on PostgreSQL: the bot's limit must hold overall."""
    url = pg.create_database("beacon_bench_scale_outbox")
    try:
        with tempfile.TemporaryDirectory(prefix="beacon-bench-scale-outbox-") as tmp:
            run = asyncio.run(one_run("postgresql", DatabaseLocation(postgres_url=url), Path(tmp), processes, messages))
    finally:
        pg.drop_database(url)
    within = run.peak_1s <= TELEGRAM_PER_SECOND and run.attempts_peak_1s <= TELEGRAM_PER_SECOND + 1
    print(f"\n== Outbox: one alert to {messages} chats, {processes} processes on PostgreSQL, shared pacing ==")
    print(f"delivered {run.delivered}/{run.messages} at {run.rate:.1f} msg/s (first to last), {run.senders} "
          f"processes sent; most accepted in any 1 s: {run.peak_1s}, most tried in any 1 s: {run.attempts_peak_1s}; "
          f"{run.throttled} x 429; {run.duplicates} duplicates")
    print(f"Telegram's {TELEGRAM_PER_SECOND} msg/s per bot held across the processes: "
          + ("yes" if within and not run.duplicates and run.delivered == messages else "NO"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=10_000, help="feeds served and configured (default 10000)")
    parser.add_argument("--items", type=int, default=10, help="items per feed (default 10)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 3], help="process counts (default 1 2 3)")
    parser.add_argument("--hosts", type=int, default=50, help="loopback hosts the feeds spread over (default 50)")
    parser.add_argument("--lease", default="15s", help="cluster.lease (default 15s, Beacon's default)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for one cycle (default 900)")
    parser.add_argument("--messages", type=int, default=300, help="the outbox fan-out's chats (default 300)")
    parser.add_argument("--no-outbox", action="store_true", help="skip the outbox throughput run")
    args = parser.parse_args(argv)
    # the Beacons started here (and by bench/instances.py) run this checkout's code, even from a copy of it
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))

    print(f"bench/scale.py: {args.feeds:,} feeds x {args.items} items, processes {args.processes}, "
          f"cluster.lease {args.lease}; code in {REPO}")
    print(f"machine: {machine(f'psycopg {psycopg.__version__}')}; load average at start "
          + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    server = FeedServerProcess(args.feeds, args.items, args.hosts, False, POOL)
    print(f"feed server: separate process, {server.hosts} loopback hosts, {server.info['bytes'] / 2**20:.0f} MB of "
          f"feeds from a pool of {POOL} stories, generated in {server.info['generate_s']:.1f} s")
    runs: list[ScaleRun] = []
    try:
        with postgres_server() as pg, tempfile.TemporaryDirectory(prefix="beacon-bench-scale-rules-") as cache:
            print(f"PostgreSQL: {pg.origin}\n")
            for processes in args.processes:
                run = one_count(pg, server, args.feeds, processes, args.lease, args.timeout, Path(cache))
                runs.append(run)
                print(f"  {processes} process{'es' if processes > 1 else '  '}: {run.polled:,} feeds polled in "
                      f"{run.cycle:.1f} s (start-up {run.startup:.1f} s), per process {run.spread}", flush=True)
            print()
            print_runs(runs)
            if not args.no_outbox:
                outbox(pg, 3, args.messages)
    finally:
        server.stop()
    print("load average at the end " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    walls = [r.cycle for r in runs if r.cycle]
    if walls:
        print(f"(median cycle {statistics.median(walls):.1f} s over {len(walls)} runs)")


if __name__ == "__main__":
    main()
