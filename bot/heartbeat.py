"""A dead-man's switch: GET a monitoring URL (healthchecks.io, Uptime Kuma push, ...) every
interval while Beacon is healthy.

Metrics need someone to scrape them and notice; a heartbeat turns every kind of failure
(crash, hung loop, stuck scheduler, queue not draining, machine off) into the same signal:
the pings stop, and the monitor raises the alarm. So a ping is sent only when the health
check passes, and a failed ping is logged, never raised.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from bot.health_server import HealthReport
from bot.sources.http import USER_AGENT

log = logging.getLogger(__name__)


class Heartbeat:
    """Pings `url` when `health()` says ok; one call to `ping` per interval (an APScheduler job)."""

    def __init__(self, url: str, timeout: float, health: Callable[[], HealthReport]) -> None:
        self.url = url
        # the URL is often a secret of its own (anyone holding it can fake our pings): log the host only
        self.where = urlsplit(url).netloc
        self.timeout = timeout
        self.health = health
        # operator-configured, like the Bot API URL: not the feeds' client with its SSRF guard, so a
        # monitor on the local network works; no redirects, no retries (the next ping is the retry)
        self.client = httpx.AsyncClient(timeout=timeout, follow_redirects=False,
                                        headers={"User-Agent": USER_AGENT})
        self.pings = 0
        self.holding: str | None = None   # why pings are held back, while they are

    async def ping(self) -> bool:
        """One heartbeat: True if the monitor was pinged and answered with a success status."""
        report: HealthReport | None = None
        try:
            checked = self.health()
        except Exception as exc:  # a broken health check is itself a reason not to ping
            problems = f"health check failed: {type(exc).__name__}: {exc}"
        else:
            report, problems = checked, "; ".join(checked.problems)
        if report is None or not report.ok:
            if self.holding != problems:
                log.warning("heartbeat: not pinging %s while unhealthy: %s", self.where, problems)
            self.holding = problems
            return False
        if self.holding is not None:
            log.info("heartbeat: healthy again, pinging %s", self.where)
            self.holding = None
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.client.get(self.url)
        except TimeoutError:
            log.warning("heartbeat: %s did not answer within %gs", self.where, self.timeout)
            return False
        except Exception as exc:
            log.warning("heartbeat: ping to %s failed: %s: %s", self.where, type(exc).__name__, exc)
            return False
        if response.status_code >= 400:
            log.warning("heartbeat: %s answered HTTP %d", self.where, response.status_code)
            return False
        self.pings += 1
        return True

    async def aclose(self) -> None:
        await self.client.aclose()
