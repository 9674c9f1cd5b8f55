"""Kill -9 at every step of the pipeline, restart, and count what Telegram got.

The promise (docs/faults.md): every alert arrives exactly once, except the one message in
flight when the process died after Telegram accepted it, which may arrive a second time,
marked "possible repeat". Each test runs a real `beacon run` that dies with `os._exit(137)`
at a fault point (BEACON_FAULT), then a clean one on the same data dir.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
from pathlib import Path

import pytest

from bot.faults import parse_fault_spec
from bot.store import Store
from tests.fakes.bot_api import FakeBotAPI, slow
from tests.fakes.feed_server import FeedServer
from tests.faults.harness import (
    ALERTING,
    CHAT,
    TITLES,
    beacon_env,
    copies,
    is_marked_repeat,
    run_beacon,
    start_beacon,
    write_config,
)
from tests.feeds import QUIET, rss

pytestmark = pytest.mark.faults


def outbox_rows(tmp_path: Path) -> list[dict]:
    store = Store(tmp_path / "data" / "beacon.sqlite3")
    try:
        return store.outbox.rows("telegram")
    finally:
        store.close()


def test_fault_spec_parsing() -> None:
    assert parse_fault_spec("") is None
    assert parse_fault_spec("after_send") == ("after_send", 1)
    assert parse_fault_spec("after_match:3") == ("after_match", 3)
    with pytest.raises(ValueError, match="unknown fault point 'after_sned'"):
        parse_fault_spec("after_sned")
    with pytest.raises(ValueError, match="NAME:N"):
        parse_fault_spec("after_send:0")


@pytest.mark.parametrize("point", ["after_fetch", "after_match", "after_outbox_commit"])
async def test_killed_before_sending_every_alert_arrives_once(tmp_path: Path, feed_server: FeedServer,
                                                              bot_api: FakeBotAPI, point: str) -> None:
    feed_server.serve("/feed", rss(*ALERTING, QUIET))
    config = write_config(tmp_path, feed_server, bot_api)

    status, log = await run_beacon(config, beacon_env(bot_api, fault=point), "--once")
    assert status == 137, log
    assert f"killed at fault point {point}" in log
    assert bot_api.sent == []
    rows = outbox_rows(tmp_path)
    if point == "after_outbox_commit":   # the commit happened: the alerts wait in the outbox
        assert [r.status for r in rows] == ["pending", "pending"]
    else:                                # nothing was committed: the articles are still unseen
        assert rows == []

    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    assert feed_server.hits("/feed") == 2
    for title in TITLES:
        [message] = copies(bot_api, title)
        assert not is_marked_repeat(message)
    assert len(bot_api.sent) == len(TITLES)


@pytest.mark.parametrize("nth", [1, 2])
async def test_killed_after_a_send_the_one_in_flight_repeats_marked(tmp_path: Path, feed_server: FeedServer,
                                                                    bot_api: FakeBotAPI, nth: int) -> None:
    """Telegram accepted message `nth`, then the process died before recording it: it is resent, marked."""
    feed_server.serve("/feed", rss(*ALERTING, QUIET))
    config = write_config(tmp_path, feed_server, bot_api)

    status, log = await run_beacon(config, beacon_env(bot_api, fault=f"after_send:{nth}"), "--once")
    assert status == 137, log
    assert len(bot_api.sent) == nth
    in_flight = next(t for t in TITLES if t in bot_api.sent[-1].plain_text)

    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    for title in TITLES:
        received = copies(bot_api, title)
        if title == in_flight:
            first, second = received
            assert not is_marked_repeat(first)
            assert is_marked_repeat(second)
        else:
            [message] = received
            assert not is_marked_repeat(message)
    assert [r.status for r in outbox_rows(tmp_path)] == ["sent", "sent"]


async def test_sigterm_mid_send_exits_0_and_loses_nothing(tmp_path: Path, feed_server: FeedServer,
                                                          bot_api: FakeBotAPI) -> None:
    """SIGTERM while a send is on the wire: Beacon finishes it, records it, exits 0; the rest comes next run."""
    feed_server.serve("/feed", rss(*ALERTING, QUIET))
    config = write_config(tmp_path, feed_server, bot_api, chat_interval=0.5)
    bot_api.fail_next("sendMessage", slow(1.0))   # stored at once, answered a second later

    daemon = await start_beacon(config, beacon_env(bot_api))
    await bot_api.wait_for(lambda: len(bot_api.sent) == 1, timeout=20)
    daemon.proc.send_signal(signal.SIGTERM)
    assert await daemon.wait(20) == 0, daemon.log()
    assert "finishing the send in flight" in daemon.log()

    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    for title in TITLES:
        [message] = copies(bot_api, title)
        assert not is_marked_repeat(message)
    assert all(m.chat_id == CHAT for m in bot_api.sent)


async def test_killed_after_a_claim_the_unsent_row_goes_out_once_marked(tmp_path: Path, feed_server: FeedServer,
                                                                       bot_api: FakeBotAPI) -> None:
    """Claimed (committed as `sending`), then killed before the send: Beacon cannot know it was not sent,
    so it sends it after the restart marked "possible repeat" -- once."""
    feed_server.serve("/feed", rss(*ALERTING, QUIET))
    config = write_config(tmp_path, feed_server, bot_api)
    status, log = await run_beacon(config, beacon_env(bot_api, fault="after_claim"), "--once")
    assert status == 137, log
    assert bot_api.sent == []
    assert "sending" in [r.status for r in outbox_rows(tmp_path)]
    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    claimed = [t for t in TITLES if any(is_marked_repeat(m) for m in copies(bot_api, t))]
    assert len(claimed) == 1                          # the claimed one, marked; never twice
    assert all(len(copies(bot_api, t)) == 1 for t in TITLES)


async def test_killed_at_random_moments_nothing_is_lost(tmp_path: Path, feed_server: FeedServer,
                                                        bot_api: FakeBotAPI) -> None:
    """SIGKILL at random moments of a daemon while items keep appearing; then a clean run. Every alert
    arrives, every second copy is marked, and the database is intact."""
    rng = random.Random(7)
    places = ["Dobro Polje", "Kamena Reka", "Gornji Brod", "Suva Voda", "Crni Vrh", "Bela Stena", "Zlatni Dol",
              "Vučji Potok"]
    reasons = ["a land dispute", "cattle theft", "a smuggling route", "a blocked road", "a fuel depot",
               "an election office", "a river crossing", "a mountain pass"]
    items = [{"guid": f"c{n}", "title": f"Clash at {place} leaves {n + 2} dead", "link": f"https://x.example/{n}",
              "description": f"{n + 2} people were killed in a clash over {reasons[n]} near {place} on day {n}, "
                             f"officials from the {place} district said, with {n + 7} more hurt."}
             for n, place in enumerate(places)]
    config = write_config(tmp_path, feed_server, bot_api, interval="0.3s", chat_interval=0.01)
    # similar items would cluster into events; here each item must be its own alert
    config.write_text(config.read_text(encoding="utf-8") + "events: {clustering: false}\n", encoding="utf-8")
    for run in range(6):
        feed_server.serve("/feed", rss(*items[: 2 + run], QUIET))
        beacon = await start_beacon(config, beacon_env(bot_api))
        await asyncio.sleep(rng.uniform(0.8, 2.0))
        beacon.proc.send_signal(signal.SIGKILL)
        assert await beacon.wait() == -signal.SIGKILL
    feed_server.serve("/feed", rss(*items, QUIET))
    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    for item in items:
        received = copies(bot_api, item["title"])
        assert received, item["title"]                                   # nothing lost
        # never two plain copies: a plain copy comes first and any later one is marked; a lone marked copy is a
        # send claimed just before a kill that never reached the Bot API (it cannot know, so it says so)
        plain = [n for n, m in enumerate(received) if not is_marked_repeat(m)]
        assert plain in ([], [0]), (item["title"], received)
    db = sqlite3.connect(tmp_path / "data" / "beacon.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM outbox WHERE status NOT IN ('sent')").fetchone()[0] == 0
    finally:
        db.close()
