"""A job the shutdown catches mid-way ends with an info line, not APScheduler's traceback (a real scheduler)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import stoppable


async def _start_a_job_that_waits(stopping: asyncio.Event) -> tuple[AsyncIOScheduler, asyncio.Event]:
    started = asyncio.Event()

    async def slow_poll() -> None:
        started.set()
        await asyncio.sleep(3600)   # a feed that never answers

    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(stoppable(slow_poll, "poll slow-feed", stopping), IntervalTrigger(hours=1), id="poll:slow",
                      name="poll slow-feed", next_run_time=datetime.now(UTC))
    scheduler.start()
    await asyncio.wait_for(started.wait(), 10)
    return scheduler, started


async def _logged(caplog: pytest.LogCaptureFixture, text: str, timeout: float = 10) -> None:
    """Wait until `text` is logged: the cancelled job ends on a later turn of the loop, later still under load."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in caplog.text and loop.time() < deadline:
        await asyncio.sleep(0.02)


async def test_a_job_cancelled_by_the_shutdown_ends_quietly(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    stopping = asyncio.Event()
    scheduler, _ = await _start_a_job_that_waits(stopping)
    stopping.set()
    scheduler.shutdown(wait=False)   # cancels the job still running, as `beacon run` does on SIGTERM
    await _logged(caplog, "stopped mid-way")
    assert "raised an exception" not in caplog.text
    assert "Traceback" not in caplog.text
    assert "poll slow-feed: stopped mid-way by the shutdown" in caplog.text


async def test_a_cancellation_while_running_is_still_an_error(caplog: pytest.LogCaptureFixture) -> None:
    # not stopping: a cancelled job is something gone wrong, and APScheduler reports it as before
    caplog.set_level(logging.INFO)
    scheduler, _ = await _start_a_job_that_waits(asyncio.Event())
    scheduler.shutdown(wait=False)
    await _logged(caplog, "raised an exception")
    assert "raised an exception" in caplog.text
    assert "stopped mid-way" not in caplog.text


async def test_a_wrapped_job_gets_its_keyword_arguments() -> None:
    async def poll(source: str, *, full_text: bool) -> tuple[str, bool]:
        return source, full_text

    assert await stoppable(poll, "poll", asyncio.Event())("wire", full_text=True) == ("wire", True)
