"""/status and `beacon sources` say which instance does what when several share the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.config import Config
from bot.enums import LeaseName
from bot.status import format_rows, source_rows, sources_html, status_html
from bot.store import Store

NOW = datetime.now(UTC).replace(microsecond=0)
LEASE = timedelta(seconds=15)
SOURCES = """
sources:
  - {name: north, type: rss, url: "http://127.0.0.1:9/north", interval: 60s}
  - {name: south, type: rss, url: "http://127.0.0.1:9/south", interval: 60s}
"""


def test_status_lists_the_instances_and_who_leads(write_config: Callable[..., Config]) -> None:
    config = write_config(SOURCES + "cluster: {mode: shared}\n")
    store = Store(config.store_location)
    try:
        store.leases.seen("beacon-a", NOW - timedelta(minutes=5), NOW)
        store.leases.seen("beacon-b", NOW - timedelta(minutes=4), NOW - timedelta(seconds=3))
        store.leases.seen("beacon-gone", NOW - timedelta(hours=2), NOW - timedelta(hours=1))   # left long ago
        assert store.leases.acquire(LeaseName.COMMANDS, "beacon-a", LEASE, NOW)
        assert store.leases.acquire(LeaseName.TIMERS, "beacon-b", LEASE, NOW)
        assert store.sources.acquire("north", "beacon-b", LEASE, NOW - timedelta(seconds=30), min_gap=45)
        store.sources.release("north", "beacon-b")
        assert store.sources.acquire("south", "beacon-a", LEASE, NOW, min_gap=45)

        status = status_html(config, store, 2, NOW, dry_run=False)
        assert "Instances: 2\n• beacon-a: leader, answers commands, polled 1 sources last; seen just now\n" \
               "• beacon-b: timers, polled 1 sources last; seen 3s ago" in status
        assert "beacon-gone" not in status

        table = format_rows(source_rows(config, store, NOW))
        header, north, south = table.splitlines()
        assert "polled by" in header
        assert "beacon-b (30s ago)" in north and "beacon-a (now)" in south
        assert "polled by beacon-a (now)" in sources_html(config, store, NOW)
    finally:
        store.close()


def test_a_single_instance_shows_neither(write_config: Callable[..., Config]) -> None:
    config = write_config(SOURCES)
    store = Store(config.store_location)
    try:
        assert "Instances" not in status_html(config, store, 2, NOW, dry_run=False)
        assert "polled by" not in format_rows(source_rows(config, store, NOW))
    finally:
        store.close()
