"""Prometheus metrics: what Beacon did (counters) and what is waiting (outbox depth).

Each `Metrics` owns its registry rather than using prometheus_client's global one, so tests
(and two Beacons in one process) never share counters. Values that live in the database are
read at scrape time by a collector, so they are right even after a restart.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.enums import AlertKind, DeliveryResult, OutboxStatus, PollResult
from bot.errors import StoreError
from bot.ingest import PollReport
from bot.models import Delivery
from bot.store import Store

log = logging.getLogger(__name__)

# a `*_created` timestamp series beside every counter doubles what Prometheus stores for no use here
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus_client leaves it unannotated

# what generate_latest writes (prometheus_client >= 0.22 calls its newer 1.0.0 variant "latest")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
POLL_RESULTS = tuple(PollResult)
DELIVERY_RESULTS = tuple(DeliveryResult)
# the gauge's series that exist from the start (the others appear once a row has the status)
OUTBOX_STATUSES = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.DEAD,
                   OutboxStatus.MUTED)
# from a poll that found the article to Telegram accepting the message: seconds when all is
# well, minutes under flood control or pacing of a big fan-out, hours during an outage
LATENCY_BUCKETS = (0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 3 * 3600, 12 * 3600)


def poll_result(report: PollReport) -> PollResult:
    """The `result` label of one poll."""
    if report.skipped:
        return PollResult.SKIPPED
    if report.error:
        return PollResult.ERROR
    if report.not_modified:
        return PollResult.NOT_MODIFIED
    return PollResult.OK


class OutboxCollector(Collector):
    """`beacon_outbox_depth{status}`, counted in SQLite when Prometheus scrapes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def describe(self) -> Iterable[Metric]:
        return [self._family()]

    def collect(self) -> Iterable[Metric]:
        family = self._family()
        try:
            counts = self.store.outbox.counts()
        except (sqlite3.Error, StoreError) as exc:  # a scrape must not fail: database busy, closing, or away
            log.warning("metrics: could not count the outbox: %s", exc)
            return []
        for status in sorted({*OUTBOX_STATUSES, *counts}):
            family.add_metric([status], counts.get(status, 0))
        return [family]

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily("beacon_outbox_depth", "Outbox rows by status (read from the database).",
                                 labels=["status"])


class Metrics:
    """Beacon's counters, histogram and outbox gauge in one registry."""

    def __init__(self, store: Store | None, now: Callable[[], datetime], sources: Iterable[str] = ()) -> None:
        self.now = now
        self.registry = CollectorRegistry()
        r = self.registry
        self.polls = Counter("beacon_polls", "Polls by source and result (ok, not_modified, error, skipped).",
                             ["source", "result"], registry=r)
        self.fetch_errors = Counter("beacon_fetch_errors", "Polls that failed, by source.", ["source"], registry=r)
        self.articles = Counter("beacon_articles", "New articles (not seen before) from every source.", registry=r)
        self.alerts = Counter("beacon_alerts", "Alerts decided, by rule and status (queued, held, suppressed).",
                              ["rule", "status"], registry=r)
        # the bounds on a poll's work (bot/ingest.py): cut to the length caps, left for the next poll,
        # skipped because matching took longer than polling.match_budget
        self.bounded = Counter("beacon_articles_bounded", "New articles the bounds on a poll acted on, by source "
                               "and bound (truncated, deferred, too_slow, too_old).", ["source", "bound"], registry=r)
        self.deliveries = Counter("beacon_deliveries", "Delivery attempts by result (sent, retry, dead).",
                                  ["result"], registry=r)
        # 0 from the first send that finds the API unreachable to the first answer (bot/reachability.py);
        # dead alerts are beacon_outbox_depth{status="dead"}
        self.channel_reachable = Gauge("beacon_channel_reachable",
                                       "1 while a delivery channel's API answers, 0 during an outage.",
                                       ["channel"], registry=r)
        self.poll_to_send = Histogram("beacon_poll_to_send_seconds",
                                      "Seconds from the poll that found an article to its alert being sent.",
                                      buckets=LATENCY_BUCKETS, registry=r)
        # series that exist from the start read 0 rather than "no data", so rate() and alerts work at once
        for source in sources:
            self.fetch_errors.labels(source)
            for poll in POLL_RESULTS:
                self.polls.labels(source, poll)
        for delivery in DELIVERY_RESULTS:
            self.deliveries.labels(delivery)
        if store is not None:
            r.register(OutboxCollector(store))

    def record_poll(self, report: PollReport) -> None:
        """Count one poll from what `Ingestor.poll` reported."""
        result = poll_result(report)
        self.polls.labels(report.source, result).inc()
        if result == PollResult.ERROR:
            self.fetch_errors.labels(report.source).inc()
        if report.new:
            self.articles.inc(report.new)
        for rule_id, status in report.alert_rules:
            self.alerts.labels(rule_id, status).inc()
        for bound, count in (("truncated", report.truncated), ("deferred", report.deferred),
                             ("too_slow", len(report.too_slow)), ("too_old", report.too_old)):
            if count:
                self.bounded.labels(report.source, bound).inc(count)

    def record_delivery(self, delivery: Delivery, result: DeliveryResult) -> None:
        """Count one delivery outcome; a sent alert also records how long it took since its poll."""
        self.deliveries.labels(result).inc()
        if result == DeliveryResult.SENT and delivery.alert.kind != AlertKind.NOTICE:
            self.poll_to_send.observe(max(0.0, (self.now() - delivery.alert.created_at).total_seconds()))

    def record_reachability(self, channel: str, answers: bool) -> None:
        """A channel's API stopped answering (an outage began) or answers again."""
        self.channel_reachable.labels(channel).set(1 if answers else 0)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format, as /metrics serves it."""
        return generate_latest(self.registry)
