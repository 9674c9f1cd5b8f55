"""Polls many sources politely: bounded concurrency overall and per host, and a word to the
admins when a source keeps failing (and when it recovers)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from bot.config import PollingConfig
from bot.ingest import Ingestor, PollReport
from bot.metrics import Metrics
from bot.sources.base import Source

log = logging.getLogger(__name__)


def host_of(source: Source) -> str | None:
    """The host a source fetches from, for the per-host limit (None for local files)."""
    url = getattr(source, "url", None) or getattr(source, "endpoint", None)
    if not url or str(url).startswith("file://"):
        return None
    return urlsplit(str(url)).netloc.lower() or None


class Poller:
    """Runs `Ingestor.poll` for sources within the concurrency limits and reports on health."""

    def __init__(self, ingestor: Ingestor, polling: PollingConfig, notify_admins: Callable[[str], None],
                 now: Callable[[], datetime], metrics: Metrics | None = None) -> None:
        self.ingestor = ingestor
        self.metrics = metrics
        self.polling = polling
        self.notify_admins = notify_admins
        self.now = now
        self.slots = asyncio.Semaphore(polling.max_concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def _slot(self, source: Source) -> AsyncIterator[None]:
        """One of the `max_concurrency` slots, and one of the source's host's `per_host`."""
        host = host_of(source)
        host_slots = self.hosts.setdefault(host, asyncio.Semaphore(self.polling.per_host)) if host else None
        async with self.slots:
            if host_slots is None:
                yield
            else:
                async with host_slots:
                    yield

    async def poll(self, source: Source, *, force: bool = False) -> PollReport:
        async with self._slot(source):
            report = await self.ingestor.poll(source, force=force)
        self._after(report)
        return report

    async def poll_if_taken(self, source: Source, take: Callable[[], bool]) -> PollReport | None:
        """Several instances: `take` the source (its lease) only once a slot is free, and poll it if that
        succeeded; None if another instance has it. Taken any earlier, the instance whose jobs fire first
        would lease every source at once and poll them all while the others found nothing left to take."""
        async with self._slot(source):
            if not take():
                return None
            report = await self.ingestor.poll(source)
        self._after(report)
        return report

    def _after(self, report: PollReport) -> None:
        if self.metrics is not None:
            self.metrics.record_poll(report)
        self._health(report)

    async def poll_all(self, sources: Sequence[Source], *, force: bool = False) -> list[PollReport]:
        """One cycle over every source at once (within the limits); one failure never stops the others."""
        return list(await asyncio.gather(*(self.poll(s, force=force) for s in sources)))

    def _health(self, report: PollReport) -> None:
        threshold = self.polling.failures_before_alert
        if report.too_slow:
            self._too_slow(report)
        if report.disabled and not report.skipped:
            self.notify_admins(f"Source {report.source} is disabled: {report.error}. Fix or remove it, then run "
                               f"`beacon sources --enable {report.source}`.")
        elif report.error and report.failures == threshold:
            state = self.ingestor.store.sources.state(report.source)
            since = state.failing_since.strftime("%Y-%m-%d %H:%M UTC") if state.failing_since else "now"
            self.notify_admins(f"Source {report.source} is failing since {since} ({report.failures} polls in a "
                               f"row): {report.error}. Other sources are unaffected; Beacon keeps retrying "
                               "with backoff.")
        elif not report.error and report.recovered_after >= threshold:
            self.notify_admins(f"Source {report.source} recovered after {report.recovered_after} failed polls.")

    def _too_slow(self, report: PollReport) -> None:
        """Skipped articles are marked seen so they cannot stall every poll; the admins hear of each one."""
        named = "; ".join(f"{a.title[:80]!r} ({a.url or a.key}, {a.seconds:.1f}s)" for a in report.too_slow[:3])
        more = f" and {len(report.too_slow) - 3} more" if len(report.too_slow) > 3 else ""
        self.notify_admins(f"Source {report.source}: {len(report.too_slow)} article(s) took longer than "
                           f"polling.match_budget ({self.polling.match_budget:.0f}s) to match and were skipped "
                           f"without alerts: {named}{more}. Check them by hand (`beacon match`); they are "
                           "marked seen and will not be read again.")
