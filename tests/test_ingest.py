"""One poll end to end on a real store: seen-set, throttles, failures and backoff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.engine import compile_rules, load_rules_text
from bot.errors import SourceError
from bot.ingest import Ingestor, source_backoff
from bot.models import Article, Target, Validators
from bot.sources.base import PollResult
from bot.store import Store

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
RULES = compile_rules(load_rules_text("""
- id: clash
  title: Clash
  throttle: 1h
  key: [region]
  when: {terms: [clash]}
- id: any-news
  title: Any
  when: {terms: [news]}
"""))


class ListSource:
    """A source that returns what the test says (the real fetch path is covered against a loopback server)."""

    def __init__(self, *batches: list[Article] | Exception) -> None:
        self.name = "wire"
        self.interval = 60.0
        self.batches = list(batches)

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        batch = self.batches.pop(0)
        if isinstance(batch, Exception):
            raise batch
        return PollResult(tuple(batch), Validators('"e"'))


def ingestor(store: Store, clock: list[datetime], clustering: bool = False) -> Ingestor:
    """Clustering off by default here: these tests are about throttles and the commit (see test_events_*)."""
    return Ingestor(store, lambda: RULES, lambda alert: [Target("telegram", 1)], lambda: clock[0],
                    clustering=clustering)


async def test_throttle_suppresses_repeats_of_the_same_key(store: Store) -> None:
    clock = [NOW]
    articles = [Article("wire", f"Clash {i} in Kosovo", "", guid=f"g{i}") for i in range(3)]
    source = ListSource(articles[:2], [articles[2]], [Article("wire", "Clash in Mali", "", guid="m")],
                        [Article("wire", "Clash again in Kosovo", "", guid="k4")])
    ing = ingestor(store, clock)
    report = await ing.poll(source)
    assert (report.alerts, report.suppressed) == (1, 1)   # same key within one batch
    clock[0] = NOW + timedelta(minutes=30)
    assert (await ing.poll(source, force=True)).suppressed == 1
    assert (await ing.poll(source, force=True)).alerts == 1  # another region is another key
    clock[0] = NOW + timedelta(hours=2)
    assert (await ing.poll(source, force=True)).alerts == 1  # the window has passed
    statuses = [a.status for a in reversed(store.alerts.recent())]
    assert statuses == ["queued", "suppressed", "suppressed", "queued", "queued"]
    assert len(store.outbox.rows()) == 3   # suppressed alerts are recorded, never queued


async def test_seen_articles_are_not_matched_again(store: Store) -> None:
    clock = [NOW]
    a = Article("wire", "Big news", "", guid="n1", url="https://news.example/n1")
    republished = Article("wire", "Big news", "", guid="n1-new-guid", url="https://news.example/n1?utm_source=x")
    source = ListSource([a], [a, republished])
    ing = ingestor(store, clock)
    assert (await ing.poll(source)).alerts == 1
    report = await ing.poll(source, force=True)
    assert (report.new, report.alerts) == (0, 0)


async def test_failures_back_off_and_recover(store: Store) -> None:
    clock = [NOW]
    source = ListSource(SourceError("wire", "HTTP 503", retry_after=600), [Article("wire", "news", "")])
    ing = ingestor(store, clock)
    report = await ing.poll(source)
    assert report.error == "HTTP 503"
    state = store.sources.state("wire")
    assert state.failures == 1 and state.next_poll >= NOW + timedelta(seconds=600)
    assert (await ing.poll(source)).skipped   # not before the backoff
    clock[0] = state.next_poll + timedelta(seconds=1)
    assert (await ing.poll(source)).alerts == 1
    assert store.sources.state("wire").failures == 0


def test_backoff_doubles_and_is_capped() -> None:
    assert 48 <= source_backoff(60, 1) <= 72
    assert 96 <= source_backoff(60, 2) <= 144
    assert 0.8 * 86400 <= source_backoff(60, 40) <= 86400
    assert source_backoff(60, 1, retry_after=120) >= 120
