"""The one adaptor between a backtest and the events stage: what `Ingestor._decide` and `release_held` do
against the store, done here against memory.

`beacon run` decides alerts in `bot/ingest.py` with `bot.events`' `decide_alerts` (then
`coalesce_updates` over the poll), reading the store for three things: the open events a report may
join (`Store.open_events`: by rule id or `tag:<tag>`, newest first, at most 100), whether a rule and
key alerted within a throttle (`Store.alerted_since`, `queued` alerts only), and which rules already
alerted on a syndicated story (`Store.story_rules`). A held event is sent by the `release_held` job
once its `max_wait` is over. This module keeps the same three things in dictionaries, calls the same
functions with the same arguments, and releases held events when the simulated clock passes their
`hold_until`. When the events stage's interface changes, this file is the only one of the backtest
that has to follow.

Trend rules (bot/trends) run after the events stage as in `beacon run`: each article is a sign of life
of its source, each decided incident goes to the trend evaluator, and the clock ticks for flatlines
at every article's time (never past the last article: the end of an archive is not a silence).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.enums import AlertAction, EventStatus
from bot.events import Syndication, coalesce_updates, decide_alerts, key_region
from bot.models import Alert, Article, Event, Match
from bot.sources.syndication import StoryIndex
from bot.trends.stage import TrendStage

STORY_WINDOW_SECONDS = 2 * 86400.0   # as bot/app.py builds its StoryIndex
STORY_PRUNE_SECONDS = 6 * 3600.0     # the prune job's interval in bot/app.py
OPEN_EVENTS_LIMIT = 100              # Store.open_events reads at most this many per rule
HISTORY_RETENTION_SECONDS = 90 * 86400.0   # events.history_retention's default: the store keeps events this long


def match_region(match: Match) -> str | None:
    """The region an alert counts under in the tallies: its key's region (the country), else the event's place."""
    return key_region(match.key) or (match.regions[0] if match.regions else None)


class MemoryEvents:
    """The events clustering may join, as `Store.open_events` overlaid by `BatchEvents` gives them: found
    by one of their rules' ids or, given `tag:<tag>`, by a tag of one of their rules, newest first.

    Each lookup keeps its events sorted by their last report, as the store's index does, so a month
    of a thousand feeds (thousands of events kept for their follow-ups) costs a bisection per lookup.
    """

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}
        self.by_lookup: dict[str, list[tuple[float, str]]] = {}   # "rule:<id>" | "tag:<tag>" -> (last_at, id)

    def candidates(self, rule_id: str, since: datetime) -> list[Event]:
        lookup = rule_id if rule_id.startswith("tag:") else f"rule:{rule_id}"
        entries = self.by_lookup.get(lookup, [])
        start = max(bisect.bisect_left(entries, (since.timestamp(), "")), len(entries) - OPEN_EVENTS_LIMIT)
        return [self.events[event_id] for _, event_id in reversed(entries[start:])]

    def remember(self, event: Event) -> None:
        known = self.events.get(event.id)
        self.events[event.id] = event
        for lookup in [f"rule:{r}" for r in event.rule_ids] + [f"tag:{t}" for t in event.tags]:
            entries = self.by_lookup.setdefault(lookup, [])
            if known is not None:
                old = (known.last_at.timestamp(), event.id)
                index = bisect.bisect_left(entries, old)
                if index < len(entries) and entries[index] == old:
                    del entries[index]
            bisect.insort(entries, (event.last_at.timestamp(), event.id))

    def get(self, event_id: str) -> Event | None:
        return self.events.get(event_id)

    def forget_before(self, cutoff: datetime) -> None:
        """Drop events quiet since before `cutoff`, as `Store.prune_history` does (held ones are kept)."""
        gone = {i for i, e in self.events.items() if e.last_at < cutoff and e.status != EventStatus.HELD}
        for event_id in gone:
            del self.events[event_id]
        for lookup, entries in self.by_lookup.items():
            self.by_lookup[lookup] = [entry for entry in entries if entry[1] not in gone]


class ReplayEvents:
    """The events stage of `beacon run`, fed one article at a time on a simulated clock."""

    def __init__(self, *, clustering: bool = True, stories: bool = True,
                 history_retention: float = HISTORY_RETENTION_SECONDS, trends: TrendStage | None = None) -> None:
        self.book = MemoryEvents() if clustering else None
        self.trends = trends if trends is not None and trends.active else None
        self.history_retention = history_retention
        self.stories = StoryIndex(window_seconds=STORY_WINDOW_SECONDS, num_perm=64) if stories else None
        self.last_queued: dict[tuple[str, str], datetime] = {}   # (rule, key) -> last new alert
        self.story_rules: dict[str, set[str]] = {}               # story id -> rules that alerted on it
        self.story_of: dict[str, str] = {}                       # article key -> story id (matched ones)
        self.held: dict[str, Alert] = {}                         # event id -> its first held alert
        self.pruned_at: datetime | None = None

    def decide(self, article: Article, matches: Sequence[Match], now: datetime) -> list[Alert]:
        """The alert decisions for one new article, as `Ingestor._decide` makes them."""
        self._housekeeping(now)
        copy_of, story_id = self._story(article, now) if matches else (None, None)
        # one article is one poll here, so coalescing a poll's updates of one event spans this article's
        decided = coalesce_updates(decide_alerts(article, matches, now, self._recent, copy_of, self.book, story_id))
        for alert in decided:
            if alert.suppressed:
                continue
            if alert.held and alert.event is not None and alert.event.id not in self.held:
                self.held[alert.event.id] = alert
            elif not alert.held and alert.action == AlertAction.SEND:
                if alert.event is not None:
                    self.held.pop(alert.event.id, None)   # enough sources: the event opened with this report
                self._queued(alert, now)
        if self.trends is not None:
            decided.extend(self.trends.after(article.source, decided, now))
        return decided

    def tick(self, now: datetime) -> list[Alert]:
        """The trend alerts the clock brings by `now` (flatlines), as `beacon run`'s trend job decides them."""
        return self.trends.tick(now) if self.trends is not None else []

    def release_due(self, now: datetime | None) -> list[Alert]:
        """Held events whose wait is over by `now` (all of them with None), sent on what they have,
        as `Store.release_event` does: the first held alert, at the release time, the event opened."""
        released = []
        for event_id, first in list(self.held.items()):
            event = self._current(first)
            if event is None or event.status != EventStatus.HELD:
                del self.held[event_id]
                continue
            if event.hold_until is None or (now is not None and event.hold_until > now):
                continue
            at = event.hold_until if now is None else now
            opened = dataclasses.replace(event, status=EventStatus.OPEN, hold_until=None, updates=())
            if self.book is not None:
                self.book.remember(opened)
            alert = dataclasses.replace(first, event=opened, created_at=at, held=False)
            del self.held[event_id]
            self._queued(first, first.created_at)   # the store keeps the held row's own time
            released.append(alert)
        released.sort(key=lambda a: a.created_at)
        return released

    # -- what the store answers in `beacon run` ---------------------------------------------

    def _recent(self, rule_id: str, key: str, since: datetime) -> bool:
        last = self.last_queued.get((rule_id, key))
        return last is not None and last >= since

    def _queued(self, alert: Alert, at: datetime) -> None:
        slot = (alert.rule_id, alert.match.key)
        if slot not in self.last_queued or self.last_queued[slot] < at:
            self.last_queued[slot] = at
        story = self.story_of.get(alert.article.key)
        if story is not None:
            self.story_rules.setdefault(story, set()).add(alert.rule_id)

    def _story(self, article: Article, now: datetime) -> tuple[Syndication | None, str | None]:
        """As `Ingestor._story`: a near-copy of a recent article joins its story."""
        if self.stories is None:
            return None, None
        found = self.stories.find(article, now)
        story_id = self.stories.add(article, now, found.story_id if found else article.key)
        self.story_of[article.key] = story_id
        if found is None:
            return None, story_id
        alerted = frozenset(self.story_rules.get(found.story_id, set()))
        return Syndication(found.story_id, found.sources, alerted), story_id

    def _current(self, alert: Alert) -> Event | None:
        if alert.event is None:
            return None
        if self.book is None:
            return alert.event
        return self.book.get(alert.event.id)

    def _housekeeping(self, now: datetime) -> None:
        """What the prune job does every 6 hours: old stories, and events past `events.history_retention`,
        forgotten (an event stays a candidate as long as the store keeps it: follow-ups may reach back days)."""
        if self.pruned_at is not None and (now - self.pruned_at).total_seconds() < STORY_PRUNE_SECONDS:
            return
        self.pruned_at = now
        if self.stories is not None:
            self.stories.prune(now)
        if self.book is not None:
            self.book.forget_before(now - timedelta(seconds=self.history_retention))
