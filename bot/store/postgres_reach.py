"""Whether the PostgreSQL server answers, as every thread of one Beacon sees it: fail fast while it does not.

Store calls run on the event loop. Without this, each call made while the server restarts would wait for the
pool's timeout (10 s) before failing, and polls, deliveries and the cluster's renewals would stand still for as
long as the outage lasted. Instead the first call that finds the server gone marks it unreachable and says so
once in the log; until the next try (a backoff from 0.5 s, doubling, at most 5 s) every call fails at once with
a `StoreError` that says the server is away and for how long; one call per try is let through to probe it, and
the first that gets an answer logs that the server answers again. Callers already treat a `StoreError` as
"nothing was changed, try again later" (a poll's articles stay unseen, a delivery stays queued), so nothing
is lost while the server is away.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import psycopg
from psycopg_pool import PoolTimeout

from bot.errors import StoreError

log = logging.getLogger(__name__)

FIRST_RETRY = 0.5      # seconds before the first probe of a server found gone
LONGEST_RETRY = 5.0    # the backoff's ceiling: a server back is noticed within this


def connection_lost(exc: BaseException) -> bool:
    """Whether an error means the server cannot be reached (down, restarting, or the connection cut), as opposed
    to a statement the server answered with an error (a deadlock, a full disk, a lock timeout)."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, psycopg.OperationalError):
        return False
    state = exc.sqlstate
    if state is None:      # raised by the client: refused, reset, closed before the answer came
        return True
    # 08: connection exceptions; 57P01-03: the server shuts down, crashed, or is still starting
    return state.startswith("08") or state in ("57P01", "57P02", "57P03")


class ServerReach:
    """Reachability of one server, shared by a database and its readers (their threads): a small circuit
    breaker with backoff, and the two log lines an operator needs (gone since when and why; back after how long)."""

    def __init__(self, where: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.where = where
        self._clock = clock
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._cause = ""
        self._retry_in = FIRST_RETRY
        self._next_try = 0.0

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def before_connecting(self) -> bool:
        """Called before taking a connection. Raises `StoreError` at once while the server is known gone and its
        next try is not due; returns True when this call is that try (the caller probes with a new connection)."""
        with self._lock:
            if self._down_since is None:
                return False
            now = self._clock()
            if now < self._next_try:
                raise StoreError(self.where, f"PostgreSQL unreachable for {now - self._down_since:.0f}s "
                                             f"({self._cause}); next try in {self._next_try - now:.1f}s")
            self._retry_in = min(LONGEST_RETRY, self._retry_in * 2)
            self._next_try = now + self._retry_in   # the other threads keep failing fast while this one probes
            return True

    def lost(self, cause: str) -> None:
        """A call found the server gone: the first one logs it."""
        with self._lock:
            self._cause = cause
            if self._down_since is not None:
                return
            self._down_since = self._clock()
            self._retry_in = FIRST_RETRY
            self._next_try = self._down_since + FIRST_RETRY
        log.error("PostgreSQL %s unreachable: %s. Beacon keeps running: polls are not saved (their articles come "
                  "again), alerts wait in the outbox, commands cannot be answered; reconnecting with backoff "
                  "(at most every %.0fs)", self.where, cause, LONGEST_RETRY)

    def answered(self) -> None:
        """A call got its answer: if the server was gone, it is back."""
        with self._lock:
            since, self._down_since = self._down_since, None
        if since is None:
            return
        away = self._clock() - since
        log.warning("PostgreSQL %s answers again after %.1fs unreachable; resuming", self.where, away)
