"""One poll of one source: fetch -> new articles -> rules -> alerts -> one commit.

The commit marks the new articles seen and queues their alerts in the same transaction,
so a crash either loses nothing (the articles are polled again) or has everything queued.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.engine import RuleSet
from bot.errors import SourceError, StoreError
from bot.events import Syndication, decide_alerts
from bot.faults import fault_point
from bot.models import Alert, Article, Event, Target
from bot.sources.base import Source
from bot.sources.syndication import StoryIndex
from bot.store import Store, StoryMember

log = logging.getLogger(__name__)

MAX_SOURCE_BACKOFF = 86400.0
EVENT_CACHE_SIZE = 5000   # decoded candidate events kept between polls

# (source name, new articles) -> the same articles, some with fuller text
Enricher = Callable[[str, Sequence[Article]], Awaitable[list[Article]]]


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
    alert_rules: tuple[tuple[str, str], ...] = ()    # (rule id, "queued" | "held" | "suppressed"), for metrics


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
        stored = {e.id: e for e in self.store.open_events(rule_id, since, self.decoded)}
        for event in self.changed.values():
            if event.rule_id == rule_id and event.last_at >= since:
                stored[event.id] = event
        return list(stored.values())

    def remember(self, event: Event) -> None:
        self.changed[event.id] = event


class Ingestor:
    """Polls sources and commits what they bring; never lets one source's failure escape."""

    def __init__(self, store: Store, rules: Callable[[], RuleSet], route: Callable[[Alert], Iterable[Target]],
                 now: Callable[[], datetime], on_alerts: Callable[[], None] = lambda: None,
                 enrich: Enricher | None = None, stories: StoryIndex | None = None,
                 clustering: bool = True) -> None:
        self.store = store
        self.clustering = clustering
        self._events_seen: dict[str, Event] = {}   # decoded events, reused while unchanged (see Store.open_events)
        self.rules = rules
        self.route = route
        self.now = now
        self.on_alerts = on_alerts
        self.enrich = enrich
        self.stories = stories

    async def poll(self, source: Source, *, force: bool = False) -> PollReport:
        """Poll once; a database that refuses the commit (full, locked) makes it this source's failure.

        Nothing is lost that way: the new articles were not marked seen, so the next poll brings them again.
        """
        try:
            return await self._poll(source, force=force)
        except StoreError as exc:
            log.error("source %s: poll not saved: %s; its new articles will be polled again", source.name, exc)
            failures = self.store.source_state(source.name).failures + 1
            return self._failed(source, failures, f"state database: {exc.reason}", None)

    async def _poll(self, source: Source, *, force: bool) -> PollReport:
        name = source.name
        state = self.store.source_state(name)
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
                self.store.disable_source(name, exc.reason, self.now())
                log.error("source %s: %s; disabled until re-enabled (beacon sources --enable %s)",
                          name, exc.reason, name)
                return PollReport(name, error=exc.reason, failures=state.failures + 1, disabled=True)
            return self._failed(source, state.failures + 1, exc.reason, exc.retry_after)
        except Exception as exc:
            log.exception("source %s: unexpected error while polling", name)
            return self._failed(source, state.failures + 1, f"internal error: {type(exc).__name__}: {exc}", None)
        if result.not_modified:
            self.store.record_source_success(name, result.validators, self.now())
            return PollReport(name, not_modified=True, recovered_after=state.failures)
        fresh = self.store.unseen(result.articles)
        # full text (when the source asks for it) feeds the rules; the feed's own version is what
        # is marked seen, so its keys match the next poll
        readable = await self.enrich(name, fresh) if self.enrich is not None and fresh else fresh
        readable = oldest_first(readable)
        ruleset = self.rules()
        now = self.now()
        queued_now: set[tuple[str, str]] = set()

        def recent(rule_id: str, key: str, since: datetime) -> bool:
            return (rule_id, key) in queued_now or self.store.alerted_since(rule_id, key, since)

        alerts = []
        members = []
        story_alerts: dict[str, set[str]] = {}   # rules alerted per story within this batch (not committed yet)
        if len(self._events_seen) > EVENT_CACHE_SIZE:  # only recent events are candidates: forget the rest
            self._events_seen.clear()
        book = BatchEvents(self.store, self._events_seen) if self.clustering else None
        for article in readable:
            matches = ruleset.match(article, now)
            # only an article that matched can repeat an alert, so only those join the story index
            # (about 3% of news; indexing every article cost ~12 KB and ~0.2 ms each)
            copy_of, member = self._story(article, now, story_alerts) if matches else (None, None)
            if member is not None:
                members.append(member)
            story_id = member.story_id if member is not None else None
            for alert in decide_alerts(article, matches, now, recent, copy_of, book, story_id):
                alerts.append(alert)
                if not alert.suppressed and not alert.held and alert.action == "send":
                    queued_now.add((alert.rule_id, alert.match.key))
                    if member is not None:
                        story_alerts.setdefault(member.story_id, set()).add(alert.rule_id)
        fault_point("after_match")
        # one commit for the poll: seen-marks, alerts, outbox rows and the source's success (one fsync)
        self.store.commit_articles(name, fresh, alerts, self.route, now, members, validators=result.validators)
        fault_point("after_outbox_commit")
        if state.failures:
            log.info("source %s: recovered after %d failed polls", name, state.failures)
        sent = [a for a in alerts if not a.suppressed and not a.held and a.action == "send"]
        updates = [a for a in alerts if not a.suppressed and a.action != "send"]
        quiet = len(alerts) - len(sent) - len(updates)
        if sent or updates:
            self.on_alerts()
        log.info("source %s: %d items, %d new, %d alerts, %d event updates%s", name, len(result.articles),
                 len(fresh), len(sent), len(updates), f" ({quiet} held or suppressed)" if quiet else "")
        return PollReport(name, fetched=len(result.articles), new=len(fresh), alerts=len(sent),
                          updates=len(updates), suppressed=quiet, recovered_after=state.failures,
                          alert_rules=tuple((a.rule_id, "suppressed" if a.suppressed else "held" if a.held
                                             else "queued") for a in alerts))

    def release_held(self) -> int:
        """Send held events whose wait for more sources is over, on what they have."""
        now = self.now()
        released = 0
        for event in self.store.held_events_due(now):
            if self.store.release_event(event, self.route, now) is not None:
                log.info("event %s (%s): sent after waiting for more sources (%d reported)", event.id,
                         event.rule_id, len(event.sources))
                released += 1
        if released:
            self.on_alerts()
        return released

    def _story(self, article: Article, now: datetime,
               batch: dict[str, set[str]]) -> tuple[Syndication | None, StoryMember | None]:
        """Place the article in a story: a near-copy of one seen recently joins it."""
        if self.stories is None:
            return None, None
        found = self.stories.find(article, now)
        story_id = self.stories.add(article, now, found.story_id if found else article.key)
        member = StoryMember(article.key, story_id, article.source, self.stories.signature(article))
        if found is None:
            return None, member
        alerted = self.store.story_rules(found.story_id) | batch.get(found.story_id, set())
        log.info("source %s: %r is a copy of story %s (already from %s)", article.source, article.title[:60],
                 found.story_id, ", ".join(found.sources))
        return Syndication(found.story_id, found.sources, frozenset(alerted)), member

    def _failed(self, source: Source, failures: int, reason: str, retry_after: float | None) -> PollReport:
        now = self.now()
        delay = source_backoff(source.interval, failures, retry_after)
        try:
            self.store.record_source_failure(source.name, reason, now, now + timedelta(seconds=delay))
        except StoreError as exc:   # the poll still counts as failed; its articles come again next time
            log.error("source %s: could not record the failure: %s", source.name, exc)
        log.warning("source %s: %s (failure %d in a row; next try in %.0fs)", source.name, reason, failures, delay)
        return PollReport(source.name, error=reason, failures=failures)
