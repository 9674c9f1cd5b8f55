"""`/healthz` and `/metrics` over one minimal HTTP/1.1 server on asyncio streams.

Two GET routes do not justify a web framework at run time (aiohttp is a test dependency
only). The server answers one request per connection and bounds what a client may send
(header size, time to send it), since it may be reachable by more than Prometheus.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.enums import HealthStatus, OutboxStatus, SchedulerState, TelegramState
from bot.errors import BeaconError, StoreError
from bot.metrics import CONTENT_TYPE, Metrics
from bot.store import Store

log = logging.getLogger(__name__)

REQUEST_TIMEOUT = 5.0        # seconds a client has to send its request line and headers
MAX_HEADER_LINES = 100
READ_LIMIT = 16 * 1024       # longest request or header line
# far enough ahead that every pending row counts as "due" when looking for the oldest one
_FAR_FUTURE = timedelta(days=365 * 100)


@dataclass(frozen=True)
class HealthReport:
    """What `/healthz` answers, and what the heartbeat checks before pinging."""

    scheduler: SchedulerState
    telegram: TelegramState
    pending: int                         # outbox rows waiting to be sent (pending or sending)
    oldest_pending_seconds: float | None
    last_poll: datetime | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": HealthStatus.OK if self.ok else HealthStatus.DEGRADED,
            "scheduler": self.scheduler,
            "telegram": self.telegram,
            "outbox": {"pending": self.pending,
                       "oldest_pending_seconds": None if self.oldest_pending_seconds is None
                       else round(self.oldest_pending_seconds, 1)},
            "last_poll": self.last_poll.isoformat() if self.last_poll else None,
            "problems": list(self.problems),
        }


@dataclass
class HealthCheck:
    """Decides ok or degraded from facts the app owns.

    Degraded: the scheduler is not running (no polls will happen), the oldest queued message
    has waited longer than `max_pending_age` (delivery is stuck), or Telegram has been
    unreachable longer than `telegram_grace`.
    """

    store: Store
    now: Callable[[], datetime]
    telegram: Callable[[], TelegramState]
    max_pending_age: float
    telegram_grace: float
    monotonic: Callable[[], float] = time.monotonic
    scheduler: Any = None                # APScheduler's scheduler, once started
    _unreachable_since: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        # not connected yet counts from start-up: a Beacon that never reaches Telegram is degraded too
        self._unreachable_since = self.monotonic()

    def report(self) -> HealthReport:
        problems = []
        scheduler = SchedulerState.STARTING
        if self.scheduler is not None:
            scheduler = SchedulerState.RUNNING if self.scheduler.running else SchedulerState.STOPPED
        if scheduler != SchedulerState.RUNNING:
            problems.append(f"scheduler {scheduler}")
        telegram = self.telegram()
        if telegram == TelegramState.UNREACHABLE:
            if self._unreachable_since is None:
                self._unreachable_since = self.monotonic()
            down = self.monotonic() - self._unreachable_since
            if down > self.telegram_grace:
                problems.append(f"Telegram unreachable for {down:.0f}s")
        else:
            self._unreachable_since = None
        try:
            counts = self.store.outbox.counts()
            pending = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)
            now = self.now()
            oldest = self.store.outbox.due(now + _FAR_FUTURE, limit=1) if pending else []
            polls = [s.last_poll for s in self.store.sources.states().values() if s.last_poll]
        except StoreError as exc:   # the database away (a PostgreSQL restart): degraded, saying why
            problems.append(f"state database: {exc.reason}")
            return HealthReport(scheduler, telegram, 0, None, None, tuple(problems))
        age = max(0.0, (now - oldest[0].alert.created_at).total_seconds()) if oldest else None
        if age is not None and age > self.max_pending_age:
            problems.append(f"oldest queued message waiting {age:.0f}s")
        return HealthReport(scheduler, telegram, pending, age, max(polls) if polls else None, tuple(problems))


class HealthServer:
    """Serves `GET /metrics` (Prometheus text format) and `GET /healthz` (JSON, 200 or 503)."""

    def __init__(self, host: str, port: int, metrics: Metrics, health: HealthCheck) -> None:
        self.host = host
        self.requested_port = port
        self.metrics = metrics
        self.health = health
        self.server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """The bound port (the one the OS chose when the config says port 0)."""
        assert self.server is not None and self.server.sockets
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        try:
            self.server = await asyncio.start_server(self._handle, self.host, self.requested_port, limit=READ_LIMIT)
        except OSError as exc:
            raise BeaconError(f"metrics.listen {self.host}:{self.requested_port}: cannot listen there: "
                              f"{exc.strerror or exc}") from exc
        host = f"[{self.host}]" if ":" in self.host else self.host
        log.info("metrics on http://%s:%d/metrics, health on /healthz", host, self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.server.wait_closed(), 2.0)
            self.server = None

    def answer(self, method: str, target: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for one request."""
        path = target.split("?", 1)[0]
        if method not in ("GET", "HEAD"):
            return 405, "text/plain; charset=utf-8", b"only GET and HEAD\n"
        if path == "/metrics":
            return 200, CONTENT_TYPE, self.metrics.exposition()
        if path == "/healthz":
            report = self.health.report()
            body = json.dumps(report.as_dict()).encode() + b"\n"
            return (200 if report.ok else 503), "application/json", body
        return 404, "text/plain; charset=utf-8", b"not found: try /metrics or /healthz\n"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                request_line = (await reader.readline()).decode("latin-1").strip()
                for _ in range(MAX_HEADER_LINES):
                    if (await reader.readline()).strip() == b"":
                        break
            parts = request_line.split()
            if len(parts) != 3 or not parts[2].startswith("HTTP/"):
                status, ctype, body = 400, "text/plain; charset=utf-8", b"bad request\n"
                method = "GET"
            else:
                method = parts[0]
                try:
                    status, ctype, body = self.answer(method, parts[1])
                except Exception:
                    log.exception("metrics server: %s %s failed", method, parts[1])
                    status, ctype, body = 500, "text/plain; charset=utf-8", b"internal error\n"
            reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                      500: "Internal Server Error", 503: "Service Unavailable"}[status]
            head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                    "Cache-Control: no-store\r\nConnection: close\r\n\r\n")
            writer.write(head.encode("latin-1") + (b"" if method == "HEAD" else body))
            await writer.drain()
        except (TimeoutError, ValueError, ConnectionError, asyncio.IncompleteReadError):
            pass  # a slow, oversized or vanished client: just hang up
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

