"""One `beacon run` per data dir: a second one refuses to start, naming the first; a killed one leaves no lock."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.faults.harness import ALERTING, TITLES, beacon_env, copies, run_beacon, start_beacon, write_config
from tests.feeds import QUIET, rss

pytestmark = pytest.mark.faults


def sent_rows(tmp_path: Path) -> int:
    """Outbox rows recorded as sent, read without writing (the daemon owns the database)."""
    db = sqlite3.connect(f"file:{tmp_path / 'data' / 'beacon.sqlite3'}?mode=ro", uri=True)
    try:
        return db.execute("SELECT COUNT(*) FROM outbox WHERE status='sent'").fetchone()[0]
    finally:
        db.close()


async def test_second_instance_on_the_same_data_dir_exits_1_naming_the_first(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    feed_server.serve("/feed", rss(QUIET))
    config = write_config(tmp_path, feed_server, bot_api)
    lock_file = tmp_path / "data" / "beacon.lock"

    first = await start_beacon(config, beacon_env(bot_api))
    await bot_api.wait_for(lambda: lock_file.exists() and lock_file.read_text().strip() == str(first.pid)
                           and feed_server.hits("/feed") >= 1, timeout=20)
    feed_server.serve("/feed", rss(*ALERTING, QUIET))
    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 1, log
    assert f"another Beacon (pid {first.pid}) is already running on {tmp_path / 'data'}" in log
    assert "Traceback" not in log

    # the first one is unaffected and delivers every alert, once
    await bot_api.wait_for(lambda: all(copies(bot_api, t) for t in TITLES) and sent_rows(tmp_path) == 2, timeout=20)
    first.proc.send_signal(signal.SIGKILL)
    assert await first.wait(10) == -signal.SIGKILL

    # kill -9 leaves no stale lock: the next run starts, finds nothing new, sends nothing twice
    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    assert lock_file.read_text() == ""   # released on a clean exit
    for title in TITLES:
        assert len(copies(bot_api, title)) == 1


def test_shared_instances_lock_together_and_refuse_a_single_one(tmp_path: Path) -> None:
    """`cluster.mode: shared`: any number take the lock shared; a single-instance Beacon is refused beside them,
    and they beside it (bot/instances.py). Separate opens conflict like separate processes (flock)."""
    from bot.instance_lock import AlreadyRunning, InstanceLock

    first, second = InstanceLock(tmp_path, shared=True), InstanceLock(tmp_path, shared=True)
    first.acquire()
    first.started()      # its state is open: the next may start (until then it would wait here)
    second.acquire()
    second.started()
    with pytest.raises(AlreadyRunning, match=r"Beacons sharing the database \(cluster.mode: shared\) are running"):
        InstanceLock(tmp_path).acquire()
    first.release()
    second.release()

    with InstanceLock(tmp_path):
        with pytest.raises(AlreadyRunning, match=r"a single-instance Beacon \(pid \d+\) is running"):
            InstanceLock(tmp_path, shared=True).acquire()
        # the refused one left the start lock free: another shared start is not stuck behind it
        start_lock = InstanceLock(tmp_path, shared=True)
        with pytest.raises(AlreadyRunning):
            start_lock.acquire()
    with InstanceLock(tmp_path, shared=True) as lock:
        lock.started()
