"""PostgreSQL restarted under two running Beacons: they ride out the outage and lose nothing.

A server of the test's own (tests/pg_server.py, `restartable_server`: never the machine's, never the
session's shared one), two real `beacon run` processes sharing it, the loopback feed server and the fake
Bot API. Every connection of the instances is first cut at once (the server stays up), then the server is
stopped the way an operator or a package upgrade stops it (fast shutdown), and last killed the way the OOM
killer does (SIGKILL of the postmaster, crash recovery at the next start); new reports arrive each time.
What must hold (docs/faults.md, "PostgreSQL restarted"): the Beacons keep running without spinning and say
what is wrong; after each restart they reconnect, a leader is chosen again and answers commands, every
alert reaches each chat once (a second copy only when marked "possible repeat"), no report is alerted
twice (no seen-mark lost), and the sources are polled again under their leases.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from bot.database_location import DatabaseLocation
from bot.enums import LeaseName
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.faults.harness import BeaconProcess, beacon_env
from tests.faults.test_instances import (
    ANSWER_WITHIN,
    CHATS,
    LEASE,
    SOURCES,
    Shared,
    _titles,
    all_sent,
    check_delivery,
    report,
    serve,
    start_three,
    stop_all,
    wait_until,
    write_shared_config,
)
from tests.pg_server import RestartableServer, restartable_server

pytestmark = [pytest.mark.faults, pytest.mark.timeout(180)]

OUTAGE = 3.0          # seconds the server stays down, each time: as long as `cluster.lease` in the config (3 s)
NAMES = ("a", "b")
TOTAL = 13            # reports by the end: 4 before the first outage, 3 during each


@pytest.fixture
def controlled() -> Iterator[RestartableServer]:
    with restartable_server() as server:
        yield server


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Recovery:
    """One outage, as the test measured it."""

    how: str
    back_at: datetime            # when the server accepted connections again (wall clock, as leases are written)
    down_for: float
    cpu_during: float            # seconds of CPU both instances used while the server was down
    lead_again: float            # seconds from the restart to a leader on a new connection
    answered: float              # seconds from the restart to a command answered
    delivered: float             # seconds from the restart to every queued alert sent

    def summary(self) -> str:
        return (f"server {self.how}: down {self.down_for:.1f}s, CPU {self.cpu_during:.2f}s while down; after the "
                f"restart a leader in {self.lead_again:.1f}s, /status answered in {self.answered:.1f}s, "
                f"every alert sent in {self.delivered:.1f}s")


def cut_every_connection(url: str) -> int:
    """End every other session on the database at once (the server stays up); how many were ended."""
    with psycopg.connect(url, autocommit=True) as admin:
        row = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
    return 0 if row is None else int(row[0])


async def outage(how: str, controlled: RestartableServer, processes: dict[str, BeaconProcess], shared: Shared,
                 bot_api: FakeBotAPI, feeds: FeedServer, reports: int) -> Recovery:
    """Take the server away while `reports` are offered, bring it back, and measure the recovery: `cut` ends
    every connection of the instances (the server stays up), `stop` stops it (fast shutdown) and `kill` kills its
    postmaster, each for `OUTAGE` seconds."""
    cpu_before = sum(cpu_seconds(p.pid) for p in processes.values())
    went_down = time.monotonic()
    if how == "cut":
        cut = await asyncio.to_thread(cut_every_connection, shared.where.postgres_url or "")
        assert cut >= len(processes), cut            # at least each instance's pool and the leader's lock
    else:
        await asyncio.to_thread(controlled.stop if how == "stop" else controlled.kill)
    serve(feeds, [report(i) for i in range(reports)])        # news keeps coming while the database is away
    answers_before = sum("Beacon status" in m.plain_text for m in bot_api.sent)
    if how != "cut":
        await asyncio.sleep(OUTAGE)
    for name, process in processes.items():
        assert process.proc.returncode is None, f"{name} died while PostgreSQL was down:\n{process.log()[-3000:]}"
    cpu_during = sum(cpu_seconds(p.pid) for p in processes.values()) - cpu_before
    if how != "cut":
        await asyncio.to_thread(controlled.start)
    back, back_wall = time.monotonic(), datetime.now(UTC)
    down_for = back - went_down
    lead_again = await wait_until(lambda: shared.lead_since() > back_wall, ANSWER_WITHIN, f"a leader after {how}")
    bot_api.push_message(CHATS[0], "/status")
    await bot_api.wait_for(lambda: sum("Beacon status" in m.plain_text for m in bot_api.sent) > answers_before,
                           ANSWER_WITHIN)
    answered = time.monotonic() - back
    await wait_until(lambda: all_sent(shared, reports * len(CHATS)), 60, f"every report delivered after {how}")
    delivered = time.monotonic() - back
    return Recovery(how, back_wall, down_for, cpu_during, lead_again, answered, delivered)


async def test_postgresql_stopped_and_killed_mid_run_beacon_reconnects_and_loses_nothing(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, controlled: RestartableServer) -> None:
    _titles.clear()
    began = time.monotonic()
    database = DatabaseLocation(postgres_url=controlled.server.create_database())
    serve(feed_server, [report(i) for i in range(4)])
    config = write_shared_config(tmp_path, feed_server, bot_api, database)
    processes = await start_three(config, beacon_env(bot_api), names=NAMES)
    shared = Shared(database)
    try:
        await wait_until(shared.migrated, 120, "the schema")
        await wait_until(lambda: shared.instances() == 2 and shared.leader() is not None, 60, "two and a leader")
        await wait_until(lambda: all_sent(shared, 4 * len(CHATS)), 60, "the first reports delivered")
        running = time.monotonic() - began
        print(f"\nstarted and delivering in {running:.1f}s")
        cut = await outage("cut", controlled, processes, shared, bot_api, feed_server, 7)
        print(cut.summary())
        stopped = await outage("stop", controlled, processes, shared, bot_api, feed_server, 10)
        print(stopped.summary())
        killed = await outage("kill", controlled, processes, shared, bot_api, feed_server, TOTAL)
        await wait_until(lambda: shared.instances() == 2, 3 * LEASE, "both instances renewing again")
        leases = recovered_leases(shared, killed.back_at)
    finally:
        await stop_all(processes)
    logs = {name: process.log() for name, process in processes.items()}
    for name, process in processes.items():
        assert process.proc.returncode == 0, logs[name][-3000:]

    repeats = check_delivery(shared, bot_api)
    assert repeats <= 2           # at most the message in flight as each outage began, marked "possible repeat"
    # no seen-mark lost: each report alerted once, so exactly one row per report and chat
    assert len(shared.rows()) == TOTAL * len(CHATS)
    assert leases == set(SOURCES) | {"leader"}, leases
    for recovery in (cut, stopped, killed):
        assert recovery.cpu_during < 0.25 * OUTAGE * len(processes), recovery     # waiting, not spinning
        assert recovery.lead_again < ANSWER_WITHIN and recovery.answered < ANSWER_WITHIN
    for name, text in logs.items():
        running_log = text.split("stopping: no new polls")[0]   # (a poll cut short by the stop has its own traceback)
        assert "Traceback" not in running_log, running_log[-3000:]
        went = text.count("unreachable: ")      # the cut may find a statement in flight: away for an instant
        assert 1 <= went <= 3, f"{name} said the server went away {went} times for three outages:\n{text[-3000:]}"
        assert "answers again after" in text, text[-3000:]
    print(killed.summary())
    print(f"{TOTAL * len(CHATS)} alerts delivered, {repeats} repeat(s); {time.monotonic() - began:.1f}s in all")


def recovered_leases(shared: Shared, since: datetime) -> set[str]:
    """The leases taken again after the last restart: each source's (polled again) and the leader's."""
    store = shared.read()
    try:
        taken = {name for name, poller in store.sources.pollers().items() if poller.started_at >= since}
        leader = store.leases.holder(LeaseName.COMMANDS, datetime.now(UTC))
    finally:
        store.close()
    if leader is not None and leader.holder in NAMES and leader.since >= since:
        taken.add("leader")
    return taken
