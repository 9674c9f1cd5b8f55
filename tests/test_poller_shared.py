"""Several instances on one database share the sources between them, even when they start together.

An instance takes a source's lease only once it has a polling slot free (`Poller.poll_if_taken`).
Taken when the interval job fires, the instance whose jobs fire first leased every source at once
(bench/scale.py: 1,946 of 2,000 feeds to one of two processes, nothing to the third of three).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import PollingConfig
from bot.engine import compile_rules, load_rules_text
from bot.enums import Channel
from bot.ingest import Ingestor
from bot.models import Article, Target, Validators
from bot.poller import Poller
from bot.sources.base import PollResult
from bot.store import Store

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
RULES = compile_rules(load_rules_text("id: any\ntitle: Any\nwhen: {terms: [killed]}\n"))
LEASE = timedelta(seconds=15)
INTERVAL = 600.0


class PausingSource:
    """A feed that answers after a short pause with one article of its own (a slow network, no server)."""

    def __init__(self, name: str, host: str) -> None:
        self.name, self.url, self.interval = name, f"https://{host}/feed", INTERVAL

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        await asyncio.sleep(0.01)
        return PollResult((Article(self.name, f"item of {self.name}", guid=self.name),), Validators())


async def instance(store: Store, name: str, sources: list[PausingSource], polled: Counter[str]) -> None:
    """One instance's cycle, as `Beacon._poll_shared` runs it: every source's job fires at once."""
    ingestor = Ingestor(store, lambda: RULES, lambda _a: [Target(Channel.TERMINAL)], lambda: NOW)
    poller = Poller(ingestor, PollingConfig(max_concurrency=3, per_host=2), lambda _notice: None, lambda: NOW)

    async def job(source: PausingSource) -> None:
        def take() -> bool:
            return store.sources.acquire(source.name, name, LEASE, NOW, min_gap=INTERVAL * 0.75)

        report = await poller.poll_if_taken(source, take)
        if report is not None:
            assert report.new == 1 and not report.error
            polled[name] += 1
            store.sources.release(source.name, name)

    await asyncio.gather(*(job(source) for source in sources))


async def test_two_instances_started_together_each_poll_a_share(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first, second = Store(path), Store(path)     # two processes' connections to one shared file
    sources = [PausingSource(f"feed{i:02d}", f"host{i % 4}.example") for i in range(24)]
    polled: Counter[str] = Counter()
    try:
        await asyncio.gather(instance(first, "a", sources, polled), instance(second, "b", sources, polled))
        pollers = first.sources.pollers()
    finally:
        first.close()
        second.close()
    assert sum(polled.values()) == len(sources)                  # every source polled, and only once
    assert polled["a"] >= len(sources) // 3 and polled["b"] >= len(sources) // 3, polled
    assert Counter(p.instance_id for p in pollers.values()) == polled


async def test_a_source_another_instance_holds_is_not_polled(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.sqlite3")
    try:
        assert store.sources.acquire("feed00", "other", LEASE, NOW, min_gap=INTERVAL * 0.75)
        polled: Counter[str] = Counter()
        await instance(store, "me", [PausingSource("feed00", "host0.example")], polled)
        assert polled["me"] == 0
        assert store.sources.pollers()["feed00"].instance_id == "other"
        assert store.articles.unseen([Article("feed00", "item of feed00", guid="feed00")])   # never read here
    finally:
        store.close()
