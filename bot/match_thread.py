"""One worker thread for the CPU work of polls, so matching never holds the event loop.

Matching a batch, clustering it into events and filtering a huge feed against the seen-set are
plain CPU work; on the event loop one 4.9 MB title stalled polling, delivery, commands, /healthz
and SIGTERM for 70 s. Here that work runs in one thread (one, so two big polls take turns
instead of competing), and what it reads from the state database it reads through a connection
of its own: a SQLite connection belongs to the thread that opened it, and the loop's connection
may be in the middle of another transaction. Writes stay on the loop's connection (the poll's
one commit), so the transaction semantics of a poll are what they were.

A Python thread cannot be killed: the caps on title and text (`bot.sources.normalise`) bound
the work of one article, and the batch loop checks `stopping` between articles.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bot.store import Store

T = TypeVar("T")


class Stopped(Exception):
    """The thread was asked to stop between two articles; nothing of the batch is committed."""


class MatchThread:
    """Runs `work(reader)` in the one worker thread, with a read-only view of the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.stopping = threading.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="beacon-match")

    async def run(self, work: Callable[[Store], T]) -> T:
        """`work` in the thread with a reader on the same file; the reader is closed after it."""
        if self.stopping.is_set():
            raise Stopped
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._call, work)
        try:
            return await future
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self.stopping.is_set() and (task is None or task.cancelling() == 0):
                # close() dropped this work before it started: an orderly stop, not a failed job (a SIGTERM
                # during a poll logged a CancelledError traceback from the scheduler)
                raise Stopped from None
            raise   # the task itself was cancelled: let that go on

    def check(self) -> None:
        """Raise Stopped when the process is stopping (called between articles)."""
        if self.stopping.is_set():
            raise Stopped

    def close(self) -> None:
        """Stop taking work; a batch in flight stops at its next article and commits nothing."""
        self.stopping.set()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _call(self, work: Callable[[Store], T]) -> T:
        reader = self.store.reader()   # a connection of this thread's own, read-only
        try:
            return work(reader)
        finally:
            reader.close()
