"""Telegram outages: long ones end fast, none loses an alert silently; a poll's alerts queue oldest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.engine import compile_rules, load_rules_text
from bot.ingest import Ingestor
from bot.models import Article, Target, Validators
from bot.sources.base import PollResult
from bot.store import Store

START = datetime(2023, 9, 24, 5, 0, tzinfo=UTC)
NEWS_RULES = compile_rules(load_rules_text("""
- id: any-news
  title: Any
  when: {terms: [news]}
"""))


class OneBatch:
    """A source that returns one batch of articles, as a feed lists them (newest first)."""

    name = "wire"
    interval = 60.0

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        return PollResult(tuple(self.articles), Validators('"e"'))


async def test_alerts_of_one_poll_are_queued_oldest_first(store: Store) -> None:
    def item(n: int, minutes: int | None) -> Article:
        published = START - timedelta(minutes=minutes) if minutes is not None else None
        return Article("wire", f"news item {n}", "", guid=f"g{n}", published=published)

    # newest first, as feeds list them; two share a time (feed order breaks the tie); one has no date
    feed = [item(1, 5), item(2, 20), item(3, 20), item(4, None), item(5, 60)]
    ingestor = Ingestor(store, lambda: NEWS_RULES, lambda _alert: [Target("telegram", 1)], lambda: START)
    assert (await ingestor.poll(OneBatch(feed))).alerts == 5
    queued = [store.alert(row["alert_id"]).article.title for row in store.deliveries()]
    assert queued == ["news item 5", "news item 2", "news item 3", "news item 1", "news item 4"]
