"""Three `beacon run` on one database share the work, and lose nothing when one is killed.

Real processes, a real database (a SQLite file in shared mode, and the test PostgreSQL), the
loopback feed server and the fake Bot API. What must hold (docs/faults.md, "Several instances"):
every alert reaches each chat once (a copy twice only when marked "possible repeat"), each
chat's messages keep their order, each source is polled by one instance at a time, exactly one
instance polls Telegram for commands, and commands are answered again soon after the leader dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.database_location import DatabaseLocation
from bot.enums import LeaseName, OutboxStatus
from bot.store import OutboxRow, Store, migrations
from tests.conftest import TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI, SentMessage
from tests.fakes.feed_server import FeedServer
from tests.faults.harness import SIMPLE_RULES, BeaconProcess, beacon_env, start_beacon
from tests.feeds import rss

# three start-ups and a failover: ~20 s each on an idle machine, up to a minute on a loaded one
pytestmark = [pytest.mark.faults, pytest.mark.timeout(180)]

CHATS = (5001, 5002, 5003)
SOURCES = ("north", "south", "east", "west")
LEASE = 3.0             # seconds: short, so a failover takes seconds here (the default is 15 s)
ANSWER_WITHIN = 30.0    # the promise for commands after the leader dies
RULE_TITLE = "Fatal armed clash"   # in every alert (tests/data/rules/simple.yaml), in no command's answer

# Alerting reports in our own words, one per place: different enough that none is a copy of another.
PLACES = ("Tetovo", "Gostivar", "Kumanovo", "Prizren", "Peja", "Gjakova", "Ferizaj", "Mitrovica", "Vushtrri",
          "Podujeva", "Gjilan", "Kacanik")
WORDINGS = (
    "Gunmen ambush a police convoy outside {place}; {n} officers killed",
    "{n} killed as a clash between smugglers and border guards breaks out near {place}",
    "Night ambush on the {place} road: {n} soldiers killed, two wounded",
)


def report(index: int) -> dict[str, str]:
    place = PLACES[index % len(PLACES)]
    title = WORDINGS[index % len(WORDINGS)].format(place=place, n=index + 2)
    return {"guid": f"report-{index}", "title": title, "link": f"https://news.example/{place.lower()}/{index}",
            "description": f"Officials in {place} said {index + 2} people were killed in the ambush on day {index}."}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseLocation]:
    """The shared state: one SQLite file (cluster.mode: shared) or a fresh PostgreSQL database."""
    if request.param == "postgresql":
        yield DatabaseLocation(postgres_url=request.getfixturevalue("postgres_url"))
    else:
        yield DatabaseLocation(sqlite_path=tmp_path / "data" / "beacon.sqlite3")


def write_shared_config(tmp_path: Path, feeds: FeedServer, bot_api: FakeBotAPI, database: DatabaseLocation) -> Path:
    sources = "".join(f"""
          - name: {name}
            type: rss
            url: {feeds.url(f"/{name}")}
            interval: 1s""" for name in SOURCES)
    setting = database.postgres_url or str(database.sqlite_path)
    path = tmp_path / "beacon.yaml"
    path.write_text(textwrap.dedent(f"""
        rules_dir: {SIMPLE_RULES}
        templates_dir: {TEMPLATES_DIR}
        data_dir: {tmp_path / "data"}
        database: "{setting}"
        sources:{sources}
        telegram:
          base_url: {bot_api.base_url}
          chats: [{", ".join(map(str, CHATS))}]
        delivery:
          chat_interval: 0.05
          group_interval: 0.05
        events: {{clustering: false}}
        polling: {{allow_private: true}}
        cluster:
          mode: shared
          lease: {LEASE}s
    """), encoding="utf-8")
    return path


def serve(feeds: FeedServer, reports: list[dict[str, str]]) -> None:
    """Deal the reports out over the sources, every feed carrying all it has had so far."""
    for position, name in enumerate(SOURCES):
        feeds.serve(f"/{name}", rss(*reports[position::len(SOURCES)]))


class Shared:
    """A view of the shared database from the test."""

    def __init__(self, database: DatabaseLocation) -> None:
        self.where = database

    def read(self) -> Store:
        return Store(self.where.sqlite_path or self.where, migrate=False)

    def rows(self) -> list[OutboxRow]:
        store = self.read()
        try:
            return store.outbox.rows("telegram")
        finally:
            store.close()

    def migrated(self) -> bool:
        """The instances created the schema (the test must not create a SQLite file before they do)."""
        path = self.where.sqlite_path
        if path is not None and (not path.exists() or path.stat().st_size == 0):
            return False   # not created yet, or being created (the test must not open it half-made)
        store = self.read()
        try:
            return migrations.status(store.database).pending == ()
        finally:
            store.close()

    def instances(self) -> int:
        store = self.read()
        try:
            return len(store.leases.instances(datetime.now(UTC) - timedelta(seconds=LEASE * 3)))
        finally:
            store.close()

    def lead_since(self) -> datetime:
        """When the current leader took the lead (the epoch when nobody leads)."""
        store = self.read()
        try:
            lease = store.leases.holder(LeaseName.COMMANDS, datetime.now(UTC))
            return datetime.fromtimestamp(0, UTC) if lease is None else lease.since
        finally:
            store.close()

    def leader(self) -> str | None:
        store = self.read()
        try:
            lease = store.leases.holder(LeaseName.COMMANDS, datetime.now(UTC))
            return None if lease is None else lease.holder
        finally:
            store.close()


async def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll `condition()` until true; how long it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout}s")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


def all_sent(shared: Shared, expected: int) -> bool:
    rows = shared.rows()
    return len(rows) >= expected and all(r.status == OutboxStatus.SENT for r in rows)


def check_delivery(shared: Shared, bot_api: FakeBotAPI) -> int:
    """Every row reached its chat once (twice only as a marked possible repeat), in each chat's order."""
    rows = shared.rows()
    received: dict[int, list[SentMessage]] = {
        chat: [m for m in bot_api.sent if m.chat_id == chat and RULE_TITLE in m.plain_text] for chat in CHATS}
    repeats = 0
    for chat in CHATS:
        expected = [r for r in rows if r.chat_id == chat]
        titles = [report_title(r.alert_id, shared) for r in expected]
        got = [next((t for t in titles if t in m.plain_text), None) for m in received[chat]]
        assert None not in got, [m.plain_text[:80] for m in received[chat]]
        for title in titles:
            copies = [m for m, t in zip(received[chat], got, strict=True) if t == title]
            assert copies, f"chat {chat} never got {title!r}"
            unmarked = [m for m in copies if "possible repeat" not in m.plain_text]
            assert len(unmarked) <= 1, f"chat {chat} got {title!r} {len(copies)} times"
            repeats += len(copies) - 1
        first_seen = list(dict.fromkeys(got))
        assert first_seen == titles, f"chat {chat}: order {first_seen} != queued {titles}"
    return repeats


_titles: dict[int, str] = {}


def report_title(alert_id: int, shared: Shared) -> str:
    if alert_id not in _titles:
        store = shared.read()
        try:
            alert = store.alerts.get(alert_id)
            assert alert is not None
            _titles[alert_id] = alert.article.title
        finally:
            store.close()
    return _titles[alert_id]


async def start_three(config: Path, env: dict[str, str], names: tuple[str, ...] = ("a", "b", "c"),
                      faults: dict[str, str] | None = None) -> dict[str, BeaconProcess]:
    started = {}
    for name in names:
        own = dict(env, BEACON_INSTANCE=name)
        if faults and name in faults:
            own["BEACON_FAULT"] = faults[name]
        started[name] = await start_beacon(config, own)
    return started


async def stop_all(processes: dict[str, BeaconProcess]) -> None:
    for process in processes.values():
        if process.proc.returncode is None:
            process.proc.send_signal(signal.SIGTERM)
    for process in processes.values():
        await process.wait(30)


async def test_three_instances_share_the_work_and_deliver_each_alert_once(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, database: DatabaseLocation) -> None:
    _titles.clear()
    reports = [report(i) for i in range(8)]
    serve(feed_server, reports)
    config = write_shared_config(tmp_path, feed_server, bot_api, database)
    processes = await start_three(config, beacon_env(bot_api))
    shared = Shared(database)
    began = time.monotonic()
    try:
        await wait_until(shared.migrated, 120, "the schema")   # three start-ups on a loaded machine
        await wait_until(lambda: all_sent(shared, len(reports) * len(CHATS)), 90, "the first reports delivered")
        serve(feed_server, reports + [report(i) for i in range(8, 12)])   # more arrive while all three run
        await wait_until(lambda: all_sent(shared, 12 * len(CHATS)), 30, "the later reports delivered")
        await wait_until(lambda: shared.instances() == 3, 60, "all three running")
        await wait_until(lambda: shared.leader() is not None, 10, "a leader")
        bot_api.push_message(CHATS[0], "/status")
        await bot_api.wait_for(lambda: any("Beacon status" in m.plain_text for m in bot_api.sent), 20)
        elapsed = time.monotonic() - began
    finally:
        # a poller's last getUpdates, as it stops, cuts its own long poll with 409: count only those before
        conflicts = [c for c in bot_api.calls_to("getUpdates") if c.response_status == 409]
        await stop_all(processes)
    for process in processes.values():
        assert process.proc.returncode == 0, process.log()[-3000:]
    assert check_delivery(shared, bot_api) == 0               # nobody died: no repeats at all
    status = next(m.plain_text for m in bot_api.sent if "Beacon status" in m.plain_text)
    assert "Instances: 3" in status and "leader, answers commands" in status, status
    # exactly one instance polled Telegram: a second poller would have cut a waiting getUpdates with 409
    assert conflicts == []
    # each source polled by one instance at a time: about once a second, not three times
    for name in SOURCES:
        assert feed_server.hits(f"/{name}") <= elapsed / 0.75 + 3, (name, feed_server.hits(f"/{name}"), elapsed)
    store = shared.read()
    try:
        pollers = {p.instance_id for p in store.sources.pollers().values()}
    finally:
        store.close()
    assert pollers <= {"a", "b", "c"} and pollers


async def test_the_leader_killed_commands_answered_again_and_nothing_lost(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI, database: DatabaseLocation) -> None:
    _titles.clear()
    reports = [report(i) for i in range(6)]
    serve(feed_server, reports)
    config = write_shared_config(tmp_path, feed_server, bot_api, database)
    # "c" dies right after Telegram accepted its third message, before recording it: that one may repeat
    processes = await start_three(config, beacon_env(bot_api), faults={"c": "after_send:3"})
    shared = Shared(database)
    try:
        await wait_until(shared.migrated, 120, "the schema")   # three start-ups on a loaded machine
        await wait_until(lambda: shared.instances() == 3, 120, "all three running")
        bot_api.push_message(CHATS[1], "/status")
        await bot_api.wait_for(lambda: sum("Beacon status" in m.plain_text for m in bot_api.sent) == 1, 60)

        def live_leader() -> str | None:   # "c" may have died at its fault point meanwhile: kill a live one
            holder = shared.leader()
            return holder if holder is not None and processes[holder].proc.returncode is None else None

        await wait_until(lambda: live_leader() is not None, 30, "a live leader")
        leader = live_leader()
        assert leader is not None
        with contextlib.suppress(ProcessLookupError):   # "c" may reach its fault point now: gone either way
            os.kill(processes[leader].pid, signal.SIGKILL)
        await processes[leader].wait(10)
        killed_at = time.monotonic()
        bot_api.push_message(CHATS[2], "/status")
        await bot_api.wait_for(lambda: sum("Beacon status" in m.plain_text for m in bot_api.sent) == 2,
                               ANSWER_WITHIN)
        answered_after = time.monotonic() - killed_at
        new_leader = shared.leader()
        assert new_leader not in (None, leader)

        serve(feed_server, reports + [report(i) for i in range(6, 10)])   # more come after the failover
        await wait_until(lambda: all_sent(shared, 10 * len(CHATS)), 60, "every report delivered")
    finally:
        await stop_all(processes)
    repeats = check_delivery(shared, bot_api)
    # only marked repeats (check_delivery allows no unmarked second copy), and only of what the two dead processes
    # ("c" at its fault point, the leader at a random one) were sending: chats are sent to concurrently, so each
    # may have had one message in flight per chat
    assert repeats <= 2 * len(CHATS)
    print(f"\ncommands answered again {answered_after:.1f}s after the leader ({leader}) was killed; "
          f"{repeats} possible repeat(s)")
    assert answered_after < ANSWER_WITHIN

