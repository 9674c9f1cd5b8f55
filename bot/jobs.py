"""Scheduled jobs that a shutdown may catch mid-way.

On SIGTERM the scheduler's shutdown cancels every job still running (a poll waiting on a slow feed, a
trend check). APScheduler 3 logs any exception of a job, a cancellation included, as "Job ... raised an
exception" with a traceback: on every busy shutdown the log would look like a crash. A job wrapped here
ends quietly instead, with one info line, when the cancellation comes from stopping; a poll cut short
this way has marked nothing seen, so its articles are read on the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


def stoppable(job: Callable[..., Awaitable[object]], name: str,
              stopping: asyncio.Event) -> Callable[..., Awaitable[object]]:
    """`job`, ending quietly when cancelled once `stopping` is set; any other cancellation goes on."""

    async def run(*args: object, **kwargs: object) -> object:
        try:
            return await job(*args, **kwargs)
        except asyncio.CancelledError:
            if not stopping.is_set():
                raise
            log.info("%s: stopped mid-way by the shutdown; it runs again on the next start", name)
            return None

    run.__name__ = getattr(job, "__name__", name)
    run.__qualname__ = getattr(job, "__qualname__", name)
    return run
