"""Two ingestors on one database, as two instances run them (`shared_stories`, the trend state held at
commit), on SQLite and PostgreSQL: a copy the second polls of the first one's story is suppressed, and a
trend reached by one incident each fires once, from whichever commits second."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.database_location import DatabaseLocation
from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.enums import AlertStatus
from bot.ingest import Ingestor
from bot.models import Article, Target, Validators
from bot.sources.base import PollResult
from bot.sources.syndication import StoryIndex
from bot.store import Store
from bot.trends.live import LiveTrends
from tests.faults.test_instances_shared import ORIGINAL, REPRINT, RULES, SECOND, THIRD

pytestmark = pytest.mark.backends()

NOW = datetime(2026, 3, 2, 6, tzinfo=UTC)


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return compile_rules(load_rules_text(RULES, "rules/shared.yaml"))


@pytest.fixture
def other(store: Store, store_backend: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A second instance's store on the database of `store`."""
    if store_backend == "postgresql":
        second = Store(DatabaseLocation(postgres_url=request.getfixturevalue("pg_store_url")))
    else:
        second = Store(store.path)
    yield second
    second.close()


class OneFeed:
    """A source that hands out the articles it is given, one batch per poll."""

    def __init__(self, name: str, *batches: list[Article]) -> None:
        self.name = name
        self.interval = 60.0
        self.batches = list(batches)

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        return PollResult(tuple(self.batches.pop(0)), Validators())


def item(source: str, fields: dict[str, str]) -> Article:
    """A feed item of the two-process story (tests/faults/test_instances_shared.py) as an article of `source`."""
    return Article(source, fields["title"], fields["description"], guid=fields["guid"], url=fields["link"])


def instance(store: Store, ruleset: RuleSet, clock: list[datetime], *, shared: bool = True) -> Ingestor:
    return Ingestor(store, lambda: ruleset, lambda alert: [Target("telegram", 1)], lambda: clock[0],
                    stories=StoryIndex(window_seconds=2 * 86400, num_perm=64), clustering=False,
                    trends=LiveTrends(ruleset, store.trends), shared_stories=shared)


async def test_a_copy_and_a_trend_across_two_ingestors(ruleset: RuleSet, store: Store, other: Store) -> None:
    clock = [NOW]
    instance_a, instance_b = instance(store, ruleset, clock), instance(other, ruleset, clock)
    report = await instance_a.poll(OneFeed("wire", [item("wire", ORIGINAL)]))
    assert report.alerts == 1
    clock[0] = NOW + timedelta(minutes=10)
    copy = item("herald", REPRINT)
    report = await instance_b.poll(OneFeed("herald", [copy]))
    assert (report.alerts, report.suppressed) == (0, 1)   # B's own index never held the original
    [record] = [r for r in store.alerts.recent() if r.status == AlertStatus.SUPPRESSED]
    assert record.reason is not None and "syndicated copy" in record.reason and "wire" in record.reason
    # the copy is no incident; an independent report B polls is the second, with A's first
    clock[0] = NOW + timedelta(hours=1)
    report = await instance_b.poll(OneFeed("herald", [item("herald", SECOND)]))
    assert sorted(rule for rule, _status in report.alert_rules) == ["clash-surge", "fatal-clash"]
    assert [r.rule_id for r in store.alerts.recent() if r.rule_id == "clash-surge"] == ["clash-surge"]
    # A's own count still has one incident: with a third it would make two, but the window was told
    clock[0] = NOW + timedelta(hours=2)
    report = await instance_a.poll(OneFeed("wire", [item("wire", THIRD)]))
    assert [rule for rule, _status in report.alert_rules] == ["fatal-clash"]


async def test_without_shared_stories_the_copy_alerts_again(ruleset: RuleSet, store: Store, other: Store) -> None:
    """What `cluster.mode: single` keeps (one instance, its index the whole truth), seen from two."""
    clock = [NOW]
    await instance(store, ruleset, clock, shared=False).poll(
        OneFeed("wire", [item("wire", ORIGINAL)]))
    report = await instance(other, ruleset, clock, shared=False).poll(
        OneFeed("herald", [item("herald", REPRINT)]))
    # the copy alerts again, and as a second incident it even completes the trend
    assert sorted(rule for rule, _status in report.alert_rules) == ["clash-surge", "fatal-clash"]
    assert store.database.row("SELECT COUNT(*) FROM story_bands")[0] == 0  # type: ignore[index]
