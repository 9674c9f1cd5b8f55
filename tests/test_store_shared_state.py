"""What two instances on one database see of each other's stories and trend counts, on SQLite and PostgreSQL.

Each test opens a second `Store` on the database of `store` (another instance's connection): a copy that
instance B polls finds the original instance A indexed, and a trend reached by one incident seen by A and
one seen by B fires once (docs/operations.md, "Several instances").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.database_location import DatabaseLocation
from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.models import Alert, Article, Match, Severity, StoryMember
from bot.sources.syndication import StoryIndex
from bot.store import Store
from bot.trends.live import LiveTrends, StaleTrendState
from tests.test_sources_syndication import REPORT_A, REPRINT_HEADLINE, WIRE_TEXT, WIRE_TITLE

pytestmark = pytest.mark.backends()

T0 = datetime(2026, 3, 2, 6, tzinfo=UTC)
WINDOW = 3 * 86400.0
RULES = """
- id: clash
  title: Clash
  when: {terms: [clash]}
- id: surge
  title: Clashes piling up
  severity: high
  trend: {count: {of: clash, at_least: 2, within: 24h}}
"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return compile_rules(load_rules_text(RULES, "rules/shared.yaml"))


@pytest.fixture
def shared(store: Store, store_backend: str, request: pytest.FixtureRequest) -> Path | DatabaseLocation:
    """Where the database of `store` is, for another instance to open."""
    if store_backend == "postgresql":
        return DatabaseLocation(postgres_url=request.getfixturevalue("pg_store_url"))
    assert isinstance(store.path, Path)
    return store.path


@pytest.fixture
def other(shared: Path | DatabaseLocation) -> Iterator[Store]:
    """A second instance's store: its own connection to the database of `store`."""
    second = Store(shared)
    yield second
    second.close()


# -- stories of syndicated copies ---------------------------------------------------------------------

def indexed(index: StoryIndex, store: Store, article: Article, now: datetime) -> StoryMember:
    """What ingest does for a matched article: load the stored candidates, place it, commit its member."""
    bands = index.band_keys(article)
    index.load(store.articles.stories_sharing(bands, now - timedelta(seconds=index.window)))
    found = index.find(article, now)
    story_id = index.add(article, now, found.story_id if found else article.key)
    member = StoryMember(article.key, story_id, article.source, index.signature(article), bands=bands)
    store.commit_articles(article.source, [article], [], lambda _alert: [], now, [member])
    return member


def test_a_copy_one_instance_polls_joins_the_story_another_indexed(store: Store, other: Store) -> None:
    original = Article("wire", WIRE_TITLE, WIRE_TEXT, guid="wire-1")
    reprint = Article("herald", *REPRINT_HEADLINE, guid="herald-1")
    first = indexed(StoryIndex(window_seconds=WINDOW, num_perm=64), store, original, T0)
    assert first.story_id == original.key
    # instance B's index never saw the original: the store tells it
    index_b = StoryIndex(window_seconds=WINDOW, num_perm=64)
    candidates = other.articles.stories_sharing(index_b.band_keys(reprint), T0)
    assert [(m.article_key, m.story_id, m.source) for m in candidates] == [(original.key, original.key, "wire")]
    copy = indexed(index_b, other, reprint, T0 + timedelta(minutes=5))
    assert copy.story_id == original.key
    # and a third article of the same story, looked up from A's side, finds both members
    again = Article("gazette", *REPRINT_HEADLINE, guid="gazette-1")
    members = store.articles.stories_sharing(StoryIndex(num_perm=64).band_keys(again), T0)
    assert [(m.article_key, m.source) for m in members] == [(original.key, "wire"), (reprint.key, "herald")]


def test_an_independent_report_and_an_old_story_are_no_candidates(store: Store) -> None:
    index = StoryIndex(window_seconds=WINDOW, num_perm=64)
    indexed(index, store, Article("wire", WIRE_TITLE, WIRE_TEXT, guid="wire-1"), T0)
    independent = Article("daily", *REPORT_A, guid="daily-1")
    assert store.articles.stories_sharing(index.band_keys(independent), T0) == []
    reprint = Article("herald", *REPRINT_HEADLINE, guid="herald-1")
    assert store.articles.stories_sharing(index.band_keys(reprint), T0 + timedelta(seconds=1)) == []  # since
    assert store.articles.stories_sharing((), T0) == []


def test_pruned_stories_leave_no_band_keys(store: Store) -> None:
    index = StoryIndex(window_seconds=WINDOW, num_perm=64)
    original = Article("wire", WIRE_TITLE, WIRE_TEXT, guid="wire-1")
    member = indexed(index, store, original, T0)
    assert len(member.bands) == 32   # 64 permutations at the 0.5 threshold: 32 bands of 2 rows
    assert store.database.row("SELECT COUNT(*) FROM story_bands")[0] == 32  # type: ignore[index]
    assert store.articles.prune_stories(T0 + timedelta(seconds=1)) == 1
    assert store.database.row("SELECT COUNT(*) FROM story_bands")[0] == 0  # type: ignore[index]
    assert store.articles.stories_sharing(member.bands, T0 - timedelta(days=1)) == []


# -- trend counts -------------------------------------------------------------------------------------

def clash(number: int, hours: float) -> Alert:
    at = T0 + timedelta(hours=hours)
    article = Article("wire", f"Clash number {number}", "A clash.", guid=f"c{number}", published=at)
    match = Match("clash", "Clash", Severity.MEDIUM, regions=(f"Town {number}", "Nigeria"),
                  key="rule=clash|region=Nigeria")
    return Alert(article, match, at)


def poll(trends: LiveTrends, ruleset: RuleSet, store: Store, alert: Alert) -> list[Alert]:
    """One poll of one article, committed as ingest commits it; the trend alerts it queued."""
    now = alert.created_at
    fired = trends.decide(ruleset, "wire", [alert], 1, now)
    with trends.commit(store.transaction, now) as commit:
        queued = commit.settle([alert, *fired])
        for decided in queued:
            store.outbox.queue(decided, lambda _alert: [])
    return [a for a in queued if a.rule_id == "surge"]


def test_a_trend_counts_what_every_instance_saw_and_fires_once(ruleset: RuleSet, store: Store,
                                                               other: Store) -> None:
    instance_a = LiveTrends(ruleset, store.trends)
    instance_b = LiveTrends(ruleset, other.trends)   # started before A counted anything
    assert poll(instance_a, ruleset, store, clash(1, 0)) == []
    [surge] = poll(instance_b, ruleset, other, clash(2, 3))   # B's own copy had one; the saved state two
    assert surge.article.title == "2 incidents in Nigeria within 1d"
    assert "Clash number 1" in surge.article.text and "Clash number 2" in surge.article.text
    # A's copy still has clash 1 alone: with clash 3 it would make two, but the window was told already
    assert poll(instance_a, ruleset, store, clash(3, 4)) == []
    assert [r.rule_id for r in store.alerts.recent() if r.rule_id == "surge"] == ["surge"]
    assert store.trends.saved().generation == 3


def test_two_instances_completing_the_same_window_fire_it_once(ruleset: RuleSet, store: Store,
                                                                other: Store) -> None:
    instance_a = LiveTrends(ruleset, store.trends)
    instance_b = LiveTrends(ruleset, other.trends)
    assert poll(instance_a, ruleset, store, clash(1, 0)) == []
    assert poll(instance_b, ruleset, other, clash(2, 1)) != []
    # both now hold the same saved state; each completes the next window on its own copy at once
    fired_a = instance_a.decide(ruleset, "wire", [clash(3, 30)], 1, T0 + timedelta(hours=30))
    fired_b = instance_b.decide(ruleset, "wire", [clash(4, 30.5)], 1, T0 + timedelta(hours=30.5))
    assert fired_a == [] and fired_b == []   # one new incident each: neither copy reaches two
    queued: list[Alert] = []
    for trends, own in ((instance_a, store), (instance_b, other)):
        with trends.commit(own.transaction, T0 + timedelta(hours=31)) as commit:
            queued += commit.settle([])
    [late] = [a for a in queued if a.rule_id == "surge"]   # the second to commit saw the first one's incident
    assert late.article.title == "2 incidents in Nigeria within 1d"


def test_a_commit_that_skips_settling_is_refused_when_another_instance_saved(ruleset: RuleSet, store: Store,
                                                                             other: Store) -> None:
    instance_a = LiveTrends(ruleset, store.trends)
    instance_b = LiveTrends(ruleset, other.trends)
    instance_a.decide(ruleset, "wire", [clash(1, 0)], 1, T0)
    assert poll(instance_b, ruleset, other, clash(2, 1)) == []
    with pytest.raises(StaleTrendState), instance_a.commit(store.transaction, T0):
        pass   # a caller that queues trend alerts without `settle` would send what the shared state forbids
    assert poll(instance_a, ruleset, store, clash(1, 0)) != []   # the poll comes again: settled, it fires


def test_the_state_is_held_until_the_holder_commits(store: Store, shared: Path | DatabaseLocation) -> None:
    """A second instance's hold waits for the first one's commit (a row lock, or SQLite's one writer)."""
    assert store.trends.saved().generation == 0
    with pytest.raises(RuntimeError, match="transaction"):
        store.trends.hold(T0)
    waited: list[float] = []

    def second() -> None:
        other = Store(shared, migrate=False)   # its own thread's connection (SQLite's belong to one thread)
        try:
            started = time.monotonic()
            with other.transaction():
                other.trends.hold(T0)
            waited.append(time.monotonic() - started)
        finally:
            other.close()

    with store.transaction():
        assert store.trends.hold(T0) == 0
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        assert waited == []
        assert store.trends.save({"version": 1}, T0) == 1
    thread.join(5)
    assert waited and waited[0] >= 0.25
    assert store.trends.saved().generation == 1 and store.trends.load() == {"version": 1}
