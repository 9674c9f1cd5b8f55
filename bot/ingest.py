"""One poll of one source: fetch -> new articles -> rules -> alerts -> one commit.

The commit marks the new articles seen and queues their alerts in the same transaction,
so a crash either loses nothing (the articles are polled again) or has everything queued.

Between the fetch and the commit the work is CPU: the seen-check of a feed of any size, the
rules, clustering. It runs in one worker thread (`bot.match_thread`) within bounds: title and
text capped, at most `max_items_per_poll` articles, `match_budget` per article (over it, the
article is skipped, marked seen and reported) and `poll_budget` per poll (over it, the rest
waits for the next poll). The commit itself stays on the loop's connection.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.engine import RuleSet
from bot.enums import AlertAction, AlertStatus
from bot.errors import SourceError, StoreError
from bot.events import Syndication, coalesce_updates, decide_alerts
from bot.faults import fault_point
from bot.match_thread import MatchThread, Stopped
from bot.models import Alert, Article, Event, Target, Validators
from bot.routing import raised_as_new
from bot.sources.base import Source
from bot.sources.normalise import TextCaps, cap_article
from bot.sources.syndication import StoryIndex
from bot.store import Store, StoryMember
from bot.trends.live import LiveTrends

if TYPE_CHECKING:
    from bot.config import PollingConfig

log = logging.getLogger(__name__)

MAX_SOURCE_BACKOFF = 86400.0
EVENT_CACHE_SIZE = 5000   # decoded candidate events kept between polls

# (source name, new articles) -> the same articles, some with fuller text
Enricher = Callable[[str, Sequence[Article]], Awaitable[list[Article]]]
NOTED = 3   # truncated or skipped articles named one by one in the log per poll; the rest are counted


@dataclass(frozen=True)
class IngestLimits:
    """Bounded work per article and per poll (`polling.*`, see docs/sources.md)."""

    caps: TextCaps = field(default_factory=TextCaps)
    max_items: int = 250           # new articles taken per poll, newest first (GDELT's own maximum)
    match_budget: float = 2.0      # seconds of matching one article may take before it is skipped
    poll_budget: float = 10.0      # seconds of matching one poll may take before the rest waits
    max_age: float | None = None   # seconds: an article published longer ago is marked seen, not matched

    @classmethod
    def from_polling(cls, polling: PollingConfig) -> IngestLimits:
        return cls(TextCaps(polling.max_title_chars, polling.max_text_chars), polling.max_items_per_poll,
                   polling.match_budget, polling.poll_budget, polling.max_age)

    def too_old(self, article: Article, now: datetime) -> bool:
        """Published longer ago than `max_age` (an undated article is never too old)."""
        if self.max_age is None or article.published is None:
            return False
        return (now - article.published).total_seconds() > self.max_age


@dataclass(frozen=True)
class SlowArticle:
    """An article whose matching took longer than `match_budget`: skipped, marked seen, reported."""

    key: str
    title: str
    url: str | None
    seconds: float


@dataclass(frozen=True)
class PollReport:
    """What one poll did, for logs, `--once` summaries and tests."""

    source: str
    fetched: int = 0
    new: int = 0
    alerts: int = 0
    not_modified: bool = False
    skipped: bool = False
    error: str | None = None
    suppressed: int = 0          # recorded, not sent: throttled, syndicated repeats, held for more sources
    updates: int = 0             # reports that updated an event already alerted (edits, threaded replies)
    failures: int = 0            # failed polls in a row, this one included
    recovered_after: int = 0     # set when this success ends a run of failures
    disabled: bool = False       # the source answered that it is gone for good (410)
    alert_rules: tuple[tuple[str, AlertStatus], ...] = ()    # (rule id, queued | held | suppressed), for metrics
    truncated: int = 0           # new articles whose title or text the caps cut before matching
    deferred: int = 0            # new articles left for the next poll (max_items_per_poll, poll_budget)
    too_slow: tuple[SlowArticle, ...] = ()   # skipped: matching took longer than match_budget
    too_old: int = 0             # new articles published before polling.max_age: marked seen, not matched


def _publication_key(article: Article) -> tuple[bool, float]:
    if article.published is None:
        return (True, 0.0)
    return (False, article.published.timestamp())


def oldest_first(articles: Sequence[Article]) -> list[Article]:
    """Publication order, then feed order (feeds list newest first): a chat reads a poll's alerts in the
    order things happened, and events fold reports in that order. Undated items keep feed order, last."""
    return sorted(articles, key=_publication_key)


def source_backoff(interval: float, failures: int, retry_after: float | None = None) -> float:
    """Seconds until the next try after `failures` failures in a row: doubling, jittered, capped."""
    delay = min(MAX_SOURCE_BACKOFF, interval * 2.0 ** max(0, failures - 1)) * random.uniform(0.8, 1.2)
    if retry_after:
        delay = max(delay, retry_after)
    return min(delay, MAX_SOURCE_BACKOFF)


class BatchEvents:
    """The open events clustering may join: the store's, overlaid with this batch's uncommitted changes."""

    def __init__(self, store: Store, decoded: dict[str, Event] | None = None) -> None:
        self.store = store
        self.decoded = {} if decoded is None else decoded   # events read before, kept across polls
        self.changed: dict[str, Event] = {}

    def candidates(self, rule_id: str, since: datetime) -> list[Event]:
        """Open events with a report since then, of this rule (or, given `tag:<tag>`, of a rule with the tag)."""
        stored = {e.id: e for e in self.store.events.open_events(rule_id, since, self.decoded)}
        for event in self.changed.values():
            found = rule_id[4:] in event.tags if rule_id.startswith("tag:") else rule_id in event.rule_ids
            if found and event.last_at >= since:
                stored[event.id] = event
        return list(stored.values())

    def remember(self, event: Event) -> None:
        self.changed[event.id] = event


@dataclass
class _Taken:
    """What `_take` keeps of a poll's articles."""

    fresh: list[Article]
    truncated: int
    deferred: int


@dataclass
class _Decided:
    """What `_decide` made of a batch: the articles to mark seen, their alerts and stories, and the rest."""

    done: list[Article] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    members: list[StoryMember] = field(default_factory=list)
    too_slow: list[SlowArticle] = field(default_factory=list)
    too_old: int = 0
    deferred: int = 0


_UNDATED = datetime.max.replace(tzinfo=UTC)


def newest(articles: list[Article], limit: int) -> list[Article]:
    """At most `limit` articles, the newest by publication (undated ones count as newest), in their order."""
    if len(articles) <= limit:
        return articles
    order = sorted(range(len(articles)), key=lambda i: articles[i].published or _UNDATED, reverse=True)
    return [articles[i] for i in sorted(order[:limit])]



def _counted_as(alert: Alert) -> AlertStatus:
    """How `beacon_alerts` counts a decision: queued (an event's updates too), held or suppressed."""
    if alert.suppressed:
        return AlertStatus.SUPPRESSED
    if alert.held:
        return AlertStatus.HELD
    return AlertStatus.QUEUED


class TrendSettler(Protocol):
    """Inside a commit: the alerts to queue, trend alerts decided on the shared state (`TrendCommit`)."""

    def settle(self, alerts: Sequence[Alert]) -> list[Alert]: ...


class _NoTrends:
    def settle(self, alerts: Sequence[Alert]) -> list[Alert]:
        return list(alerts)


_NO_TRENDS = _NoTrends()


class Ingestor:
    """Polls sources and commits what they bring; never lets one source's failure escape."""

    def __init__(self, store: Store, rules: Callable[[], RuleSet], route: Callable[[Alert], Iterable[Target]],
                 now: Callable[[], datetime], on_alerts: Callable[[], None] = lambda: None,
                 enrich: Enricher | None = None, stories: StoryIndex | None = None,
                 clustering: bool = True, limits: IngestLimits | None = None,
                 timer: Callable[[], float] = time.perf_counter, trends: LiveTrends | None = None,
                 shared_stories: bool = False) -> None:
        self.store = store
        self.limits = limits or IngestLimits()
        self.timer = timer             # seconds, for the budgets (tests pass a compressed clock)
        self.thread = MatchThread(store)
        # one poll at a time from its last seen-check to its commit: clustering reads the events the
        # previous poll committed, exactly as when all of it ran on the loop without a pause
        self.batch = asyncio.Lock()
        self.clustering = clustering
        self._events_seen: dict[str, Event] = {}   # decoded events, reused while unchanged (see Store.open_events)
        self.rules = rules
        self.route = route
        self.now = now
        self.on_alerts = on_alerts
        self.enrich = enrich
        self.stories = stories
        # several instances share the database: a story's copies are looked up in the store (its band keys) too
        self.shared_stories = shared_stories
        self.trends = trends   # trend rules (bot/trends): decided after each poll, their state saved in its commit

    async def poll(self, source: Source, *, force: bool = False) -> PollReport:
        """Poll once; a database that refuses the commit (full, locked) makes it this source's failure.

        Nothing is lost that way: the new articles were not marked seen, so the next poll brings them again.
        """
        try:
            return await self._poll(source, force=force)
        except Stopped:
            log.info("source %s: poll abandoned while stopping; its new articles are read on the next run",
                     source.name)
            return PollReport(source.name, skipped=True)
        except StoreError as exc:
            log.error("source %s: poll not saved: %s; its new articles will be polled again", source.name, exc)
            try:
                failures = self.store.sources.state(source.name).failures + 1
            except StoreError:   # the database is away altogether (a PostgreSQL restart): its count is out of reach
                failures = 1
            return self._failed(source, failures, f"state database: {exc.reason}", None)

    async def _poll(self, source: Source, *, force: bool) -> PollReport:
        name = source.name
        state = self.store.sources.state(name)
        started = self.now()
        if state.disabled:
            return PollReport(name, skipped=True, error=state.disabled, disabled=True)
        if not force and state.next_poll is not None and started < state.next_poll:
            return PollReport(name, skipped=True)
        try:
            result = await source.poll(state.validators, started)
            fault_point("after_fetch")
        except SourceError as exc:
            if exc.permanent:
                self.store.sources.disable(name, exc.reason, self.now())
                log.error("source %s: %s; disabled until re-enabled (beacon sources --enable %s)",
                          name, exc.reason, name)
                return PollReport(name, error=exc.reason, failures=state.failures + 1, disabled=True)
            return self._failed(source, state.failures + 1, exc.reason, exc.retry_after)
        except Exception as exc:
            log.exception("source %s: unexpected error while polling", name)
            return self._failed(source, state.failures + 1, f"internal error: {type(exc).__name__}: {exc}", None)
        if result.not_modified:
            self.store.sources.record_success(name, result.validators, self.now())
            return PollReport(name, not_modified=True, recovered_after=state.failures)
        async with self.batch:   # the worker thread runs only under the lock: a commit never competes with it
            taken = await self.thread.run(lambda reader: self._take(name, result.articles, reader))
        # full text (when the source asks for it) feeds the rules; the feed's own version is what
        # is marked seen, so its keys match the next poll
        fresh = oldest_first(taken.fresh)   # a poll's alerts are queued in publication order
        readable = await self.enrich(name, fresh) if self.enrich is not None and fresh else fresh
        ruleset = self.rules()
        async with self.batch:
            now = self.now()
            decided = await self.thread.run(lambda reader: self._decide(name, fresh, readable, ruleset, now, reader))
            fault_point("after_match")
            # one commit for the poll: seen-marks, alerts, outbox rows and the source's success (one fsync);
            # with articles left for the next poll, no validators: a 304 must not hide them
            validators = result.validators if not (taken.deferred or decided.deferred) else Validators()
            with self._trends_commit(now) as trends:   # the trend state rides in the same transaction
                # settled on the shared trend state: another instance may have counted incidents meanwhile
                decided.alerts = trends.settle(decided.alerts)
                alert_ids = self.store.commit_articles(name, decided.done, decided.alerts, self.route, now,
                                                       decided.members, validators=validators)
            # everything the poll decided is committed here, in one transaction (an incident raised to the
            # on-call line included: its on-call rows and escalation): a crash from here on loses none of it
            fault_point("after_outbox_commit")
            self._log_raised(decided.alerts, alert_ids)
        if state.failures:
            log.info("source %s: recovered after %d failed polls", name, state.failures)
        alerts = decided.alerts
        sent = [a for a in alerts if not a.suppressed and not a.held and a.action == AlertAction.SEND]
        updates = [a for a in alerts if not a.suppressed and a.action != AlertAction.SEND]
        quiet = len(alerts) - len(sent) - len(updates)
        if sent or updates:
            self.on_alerts()
        deferred = taken.deferred + decided.deferred
        bounds = [f"{len(decided.too_slow)} skipped as too slow to match" if decided.too_slow else "",
                  f"{decided.too_old} older than polling.max_age, not matched" if decided.too_old else "",
                  f"{taken.truncated} cut to the length caps" if taken.truncated else "",
                  f"{deferred} left for the next poll" if deferred else ""]
        log.info("source %s: %d items, %d new, %d alerts, %d event updates%s%s", name, len(result.articles),
                 len(decided.done), len(sent), len(updates), f" ({quiet} held or suppressed)" if quiet else "",
                 "".join(f"; {b}" for b in bounds if b))
        return PollReport(name, fetched=len(result.articles), new=len(decided.done), alerts=len(sent),
                          updates=len(updates), suppressed=quiet, recovered_after=state.failures,
                          alert_rules=tuple((a.rule_id, _counted_as(a)) for a in alerts),
                          truncated=taken.truncated, deferred=deferred, too_slow=tuple(decided.too_slow),
                          too_old=decided.too_old)

    def close(self) -> None:
        """Stop the worker thread: a batch in flight ends at its next article and commits nothing."""
        self.thread.close()

    def _take(self, name: str, articles: Sequence[Article], reader: Store) -> _Taken:
        """In the worker thread: capped, unseen, at most `max_items` of them (newest first)."""
        capped = [cap_article(a, self.limits.caps) for a in articles]
        fresh = reader.articles.unseen(capped)
        truncated = [a for a in fresh if a.truncated]
        for article in truncated[:NOTED]:
            log.info("source %s: %s: %s (%r)", name, article.key, article.truncated, article.title[:80])
        kept = newest(fresh, self.limits.max_items)
        if len(kept) < len(fresh):
            log.warning("source %s: %d new articles, more than polling.max_items_per_poll (%d): the %d newest "
                        "are read now, the rest on the next polls", name, len(fresh), self.limits.max_items,
                        len(kept))
        return _Taken(kept, len(truncated), len(fresh) - len(kept))

    def _log_raised(self, alerts: Sequence[Alert], alert_ids: Sequence[int | None]) -> None:
        """Say when an update lifted its incident to the on-call line: the commit queued the incident's message
        to the on-call chats and started its escalation (`OutboxStore.queue`, `bot.routing.raised_as_new`)."""
        for alert, alert_id in zip(alerts, alert_ids, strict=False):
            event = alert.event
            if alert_id is None:   # not queued: another instance saved its article first
                continue
            as_new = raised_as_new(alert)
            if as_new is None or event is None or not any(t.oncall for t in self.route(as_new)):
                continue
            log.info("event %s is %s after alert %s: its message goes to the on-call chats and escalates", event.id,
                     event.severity.label, alert_id)

    def _decide(self, name: str, fresh: Sequence[Article], readable: Sequence[Article], ruleset: RuleSet,
                now: datetime, reader: Store) -> _Decided:
        """In the worker thread: rules, stories and alert decisions for the batch, within the budgets.

        Reads go through `reader` (this thread's connection); nothing is written here.
        """
        still = {id(a) for a in reader.articles.unseen(fresh)}   # another poll may have committed some since _take
        pairs = [(f, r) for f, r in zip(fresh, readable, strict=True) if id(f) in still]
        queued_now: set[tuple[str, str]] = set()

        def recent(rule_id: str, key: str, since: datetime) -> bool:
            return (rule_id, key) in queued_now or reader.alerts.alerted_since(rule_id, key, since)

        out = _Decided()
        story_alerts: dict[str, set[str]] = {}   # rules alerted per story within this batch (not committed yet)
        if len(self._events_seen) > EVENT_CACHE_SIZE:  # only recent events are candidates: forget the rest
            self._events_seen.clear()
        book = BatchEvents(reader, self._events_seen) if self.clustering else None
        started = self.timer()
        for index, (seen_as, article) in enumerate(pairs):
            self.thread.check()
            if self.timer() - started > self.limits.poll_budget:
                out.deferred = len(pairs) - index
                log.warning("source %s: matching took over polling.poll_budget (%.0fs); %d new articles wait "
                            "for the next poll", name, self.limits.poll_budget, out.deferred)
                break
            if self.limits.too_old(article, now):
                out.done.append(seen_as)   # marked seen, so it is not weighed again at every poll
                out.too_old += 1
                continue
            article = cap_article(article, self.limits.caps)   # full text may have brought more
            before = self.timer()
            matches = ruleset.match(article, now)
            spent = self.timer() - before
            out.done.append(seen_as)
            if spent > self.limits.match_budget:
                slow = SlowArticle(seen_as.key, article.title[:200], article.url, spent)
                out.too_slow.append(slow)
                log.warning("source %s: article %s (%r, %s) took %.1fs to match, over polling.match_budget "
                            "(%.1fs): skipped, marked seen, no alert", name, slow.key, slow.title[:80],
                            slow.url or "no link", spent, self.limits.match_budget)
                continue
            # only an article that matched can repeat an alert, so only those join the story index
            # (about 3% of news; indexing every article cost ~12 KB and ~0.2 ms each)
            copy_of, member = self._story(article, now, story_alerts, reader) if matches else (None, None)
            if member is not None:
                out.members.append(member)
            story_id = member.story_id if member is not None else None
            for alert in decide_alerts(article, matches, now, recent, copy_of, book, story_id):
                out.alerts.append(alert)
                if not alert.suppressed and not alert.held and alert.action == AlertAction.SEND:
                    queued_now.add((alert.rule_id, alert.match.key))
                    if member is not None:
                        story_alerts.setdefault(member.story_id, set()).add(alert.rule_id)
        out.alerts = coalesce_updates(out.alerts)   # a backfill's updates of one incident: one reply
        if self.trends is not None:   # trend rules over the incidents just decided (bot/trends)
            out.alerts.extend(self.trends.decide(ruleset, name, out.alerts, len(out.done), now))
        return out

    def _trends_commit(self, now: datetime) -> AbstractContextManager[TrendSettler]:
        if self.trends is None:
            return nullcontext(_NO_TRENDS)
        return self.trends.commit(self.store.transaction, now)

    def tick_trends(self) -> int:
        """Flatlines whose silence reached their window: their alerts queued with the trend state, in one commit.

        Not while a poll is between its reads and its commit (it is deciding trends too); the job runs again
        in a minute. Returns the alerts queued.
        """
        if self.trends is None or self.batch.locked():
            return 0
        now = self.now()
        alerts = self.trends.tick(self.rules(), now)
        with self._trends_commit(now) as trends:
            alerts = trends.settle(alerts)   # another instance may have heard from a silent source meanwhile
            for alert in alerts:
                self.store.outbox.queue(alert, self.route)
        for alert in alerts:
            log.info("trend rule %s: %s", alert.rule_id, alert.article.title)
        if alerts:
            self.on_alerts()
        return len(alerts)

    def release_held(self) -> int:
        """Send held events whose wait for more sources is over, on what they have.

        Not while a poll is between its reads and its commit (it may be adding a report to one of
        these events in the worker thread); the job runs again in a few seconds.
        """
        if self.batch.locked():
            return 0
        now = self.now()
        released = 0
        for event in self.store.events.held_due(now):
            if self.store.outbox.release_held_event(event, self.route, now) is not None:
                log.info("event %s (%s): sent after waiting for more sources (%d reported)", event.id,
                         event.rule_id, len(event.sources))
                released += 1
        if released:
            self.on_alerts()
        return released

    def _story(self, article: Article, now: datetime, batch: dict[str, set[str]],
               reader: Store) -> tuple[Syndication | None, StoryMember | None]:
        """Place the article in a story: a near-copy of one seen recently joins it."""
        if self.stories is None:
            return None, None
        bands: tuple[int, ...] = ()
        if self.shared_stories:   # the stored stories it may copy, whichever instance indexed them
            bands = self.stories.band_keys(article)
            self.stories.load(reader.articles.stories_sharing(bands, now - timedelta(seconds=self.stories.window)))
        found = self.stories.find(article, now)
        story_id = self.stories.add(article, now, found.story_id if found else article.key)
        member = StoryMember(article.key, story_id, article.source, self.stories.signature(article), bands=bands)
        if found is None:
            return None, member
        alerted = reader.articles.story_rules(found.story_id) | batch.get(found.story_id, set())
        log.info("source %s: %r is a copy of story %s (already from %s)", article.source, article.title[:60],
                 found.story_id, ", ".join(found.sources))
        return Syndication(found.story_id, found.sources, frozenset(alerted)), member

    def _failed(self, source: Source, failures: int, reason: str, retry_after: float | None) -> PollReport:
        now = self.now()
        delay = source_backoff(source.interval, failures, retry_after)
        try:
            self.store.sources.record_failure(source.name, reason, now, now + timedelta(seconds=delay))
        except StoreError as exc:   # the poll still counts as failed; its articles come again next time
            log.error("source %s: could not record the failure: %s", source.name, exc)
        log.warning("source %s: %s (failure %d in a row; next try in %.0fs)", source.name, reason, failures, delay)
        return PollReport(source.name, error=reason, failures=failures)
