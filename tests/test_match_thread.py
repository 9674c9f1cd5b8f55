"""The worker thread of polls at shutdown: work it had not started stops in order, as Stopped."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.match_thread import MatchThread, Stopped
from bot.store import Store


async def test_work_queued_behind_a_busy_thread_is_stopped_not_cancelled_when_the_thread_closes(
        store: Store) -> None:
    thread = MatchThread(store)
    started, release = threading.Event(), threading.Event()

    def busy(_reader: Store) -> str:
        started.set()
        release.wait(5)
        return "finished"

    running = asyncio.create_task(thread.run(busy))
    await asyncio.to_thread(started.wait, 5)
    queued = asyncio.create_task(thread.run(lambda _reader: "never run"))
    await asyncio.sleep(0.05)   # the second piece of work waits for the one worker
    thread.close()
    release.set()
    with pytest.raises(Stopped):
        await queued
    assert await running == "finished"   # work already running is left to finish (it checks `stopping` itself)
    with pytest.raises(Stopped):
        await thread.run(lambda _reader: "after close")


async def test_a_poll_task_cancelled_while_it_waits_is_still_cancelled(store: Store) -> None:
    thread = MatchThread(store)
    started, release = threading.Event(), threading.Event()

    def busy(_reader: Store) -> None:
        started.set()
        release.wait(5)

    running = asyncio.create_task(thread.run(busy))
    await asyncio.to_thread(started.wait, 5)
    waiting = asyncio.create_task(thread.run(lambda _reader: None))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await running
    thread.close()
