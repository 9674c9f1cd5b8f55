"""One commit per poll: seen-marks, alerts, outbox rows and the source's success go in together.

Each commit is an fsync (WAL, synchronous=FULL) on the event loop, so a poll that brings new
articles commits once; a 304 still records its success in a commit of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.engine import compile_rules, load_rules_text
from bot.errors import SourceError, StoreError
from bot.ingest import Ingestor
from bot.models import Alert, Article, Match, Severity, Target, Validators
from bot.sources.base import PollResult
from bot.store import Store
from tests.conftest import Commits

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
RULES = compile_rules(load_rules_text("""
- id: any-news
  title: Any
  when: {terms: [news]}
"""))
ETAG = Validators('"v2"', "Sun, 24 Sep 2023 06:00:00 GMT")


class ListSource:
    """Returns the batches it was given, in order: a list of articles, "304", or an exception."""

    def __init__(self, *batches: list[Article] | str | Exception) -> None:
        self.name = "wire"
        self.interval = 60.0
        self.batches = list(batches)
        self.asked: list[Validators] = []

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        self.asked.append(validators)
        batch = self.batches.pop(0)
        if isinstance(batch, Exception):
            raise batch
        if batch == "304":
            return PollResult((), validators, not_modified=True)
        return PollResult(tuple(batch), ETAG)


def news(n: int) -> list[Article]:
    return [Article("wire", f"Big news {i}", "", guid=f"g{i}", url=f"https://news.example/{i}") for i in range(n)]


def make_ingestor(store: Store, route=lambda _alert: [Target("telegram", 1)]) -> Ingestor:
    return Ingestor(store, lambda: RULES, route, lambda: NOW, clustering=False)


async def test_a_poll_with_new_articles_commits_once(store: Store) -> None:
    commits = Commits(store)
    report = await make_ingestor(store).poll(ListSource(news(3)))
    assert (report.new, report.alerts) == (3, 3)
    assert commits.count == 1
    state = store.sources.state("wire")
    assert state.validators == ETAG
    assert state.last_success == NOW and state.last_poll == NOW
    assert state.items_seen == 3
    assert len(store.outbox.rows()) == 3


async def test_a_poll_with_nothing_new_still_records_success_in_one_commit(store: Store) -> None:
    source = ListSource(news(2), news(2))
    ing = make_ingestor(store)
    await ing.poll(source)
    commits = Commits(store)
    report = await ing.poll(source, force=True)
    assert (report.fetched, report.new) == (2, 0)
    assert commits.count == 1
    assert store.sources.state("wire").items_seen == 2


async def test_not_modified_records_success_in_its_own_commit(store: Store) -> None:
    source = ListSource(news(1), "304")
    ing = make_ingestor(store)
    await ing.poll(source)
    commits = Commits(store)
    report = await ing.poll(source, force=True)
    assert report.not_modified
    assert commits.count == 1
    assert source.asked[-1] == ETAG
    assert store.sources.state("wire").validators == ETAG


async def test_success_after_failures_resets_them_in_the_same_commit(store: Store) -> None:
    source = ListSource(SourceError("wire", "HTTP 503"), SourceError("wire", "HTTP 503"), news(1))
    ing = make_ingestor(store)
    await ing.poll(source)
    await ing.poll(source, force=True)
    failing = store.sources.state("wire")
    assert failing.failures == 2 and failing.next_poll is not None and failing.failing_since is not None
    commits = Commits(store)
    report = await ing.poll(source, force=True)
    assert report.recovered_after == 2 and report.new == 1
    assert commits.count == 1
    state = store.sources.state("wire")
    assert (state.failures, state.next_poll, state.failing_since) == (0, None, None)
    assert state.last_error == "HTTP 503"   # kept for `beacon sources`, as record_source_success keeps it


async def test_a_refused_commit_keeps_nothing_not_even_the_validators(store: Store) -> None:
    """Had the validators been saved alone, the next conditional GET would get a 304 and lose the articles."""
    refuse = [True]

    def route(_alert: Alert) -> list[Target]:
        if refuse[0]:
            raise StoreError(store.path, "disk full")
        return [Target("telegram", 1)]

    articles = news(2)
    source = ListSource(articles, articles)
    ing = make_ingestor(store, route)
    report = await ing.poll(source)
    assert report.error == "state database: disk full" and report.failures == 1
    state = store.sources.state("wire")
    assert state.validators == Validators() and state.last_success is None and state.items_seen == 0
    assert not any(store.articles.is_seen(a) for a in articles)
    assert store.alerts.recent() == [] and store.outbox.rows() == []

    refuse[0] = False
    report = await ing.poll(source, force=True)
    assert source.asked[-1] == Validators()   # an unconditional GET: the articles come again
    assert (report.new, report.alerts) == (2, 2)
    assert store.sources.state("wire").validators == ETAG
    assert all(store.articles.is_seen(a) for a in articles)
    assert len(store.outbox.rows()) == 2


def test_commit_articles_without_validators_leaves_the_source_success_alone(store: Store) -> None:
    a = news(1)[0]
    alert = Alert(a, Match("any-news", "Any", Severity.LOW), NOW)
    store.commit_articles("wire", [a], [alert], lambda _a: [Target("telegram", 1)], NOW)
    state = store.sources.state("wire")
    assert state.last_success is None and state.validators == Validators() and state.items_seen == 1
    later = NOW + timedelta(minutes=5)
    store.commit_articles("wire", [], [], lambda _a: [], later, validators=ETAG)
    state = store.sources.state("wire")
    assert state.last_success == later and state.validators == ETAG and state.items_seen == 1


async def test_a_poll_derives_each_article_identity_once(store: Store, monkeypatch) -> None:
    """identity_keys is cached on the (frozen) Article: unseen, the commit and `key` share one computation."""
    computed: list[str] = []
    content_hash = Article.content_hash

    def counting(article: Article) -> str:
        computed.append(article.guid or "")
        return content_hash.fget(article)

    monkeypatch.setattr(Article, "content_hash", property(counting))
    report = await make_ingestor(store).poll(ListSource(news(3)))
    assert report.new == 3
    assert sorted(computed) == ["g0", "g1", "g2"]   # was three times each before the cache


def test_cached_identity_keeps_equality_and_hashing() -> None:
    a, b = news(1)[0], news(1)[0]
    keys = a.identity_keys
    assert a.identity_keys is keys
    assert a == b and hash(a) == hash(b) and b.identity_keys == keys
    assert a.key == keys[0]
    assert "identity_keys" not in repr(a)
