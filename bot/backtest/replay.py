"""Replay an archive through one rule set and the events stage, on a simulated clock, sending nothing.

Per article, in publication order, the steps of a poll in `bot/ingest.py`: the daemon's length
caps, the seen-check (a repeat under any identity key is skipped, as a later poll would skip it),
the rules with `now` = the article's publication time, then the events stage through
`bot.backtest.stage` (the one adaptor to it, trend rules included). Held events are released when
the clock passes their wait. Each decision is recorded with the chats it would have reached; nothing is written
anywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from bot.backtest.audience import Audience
from bot.backtest.inputs import Archive
from bot.backtest.progress import Progress
from bot.backtest.results import EDIT, HELD, NEW, NO_REGION, SUPPRESSED, UPDATE, ChatCounts, Decision, Replay
from bot.backtest.stage import HISTORY_RETENTION_SECONDS, ReplayEvents, match_region
from bot.engine import RuleSet
from bot.enums import AlertAction, BacktestAction
from bot.models import Alert
from bot.sources.normalise import TextCaps, cap_article
from bot.trends.stage import TrendStage


@dataclass(frozen=True)
class ReplaySettings:
    """What of the config shapes a replay: the length caps, whether matches cluster into events, and how
    long the store keeps events (`events.history_retention`)."""

    caps: TextCaps = field(default_factory=TextCaps)
    clustering: bool = True
    history_retention: float = HISTORY_RETENTION_SECONDS


def replay(archive: Archive, ruleset: RuleSet, rules_label: str, audience: Audience,
           settings: ReplaySettings | None = None, progress: Progress | None = None) -> Replay:
    """Every article of `archive` through `ruleset` and the events stage; what would have been sent."""
    started = time.perf_counter()
    settings = settings or ReplaySettings()
    result = Replay(archive.label, rules_label, rule_ids=[rule.id for rule in ruleset.rules],
                    problems=list(archive.problems), note=archive.note, audience=audience.described)
    stage = ReplayEvents(clustering=settings.clustering, history_retention=settings.history_retention,
                         trends=TrendStage(ruleset))
    recorder = _Recorder(result, audience)
    seen: set[str] = set()
    clock: datetime | None = None
    for raw in archive.articles():
        if progress is not None:
            progress.step()
        article = cap_article(raw, settings.caps)   # as `Ingestor._take`: capped, then checked against seen
        keys = article.identity_keys
        if not seen.isdisjoint(keys):
            result.duplicates += 1
            continue
        seen.update(keys)
        result.articles += 1
        result.truncated += article.truncated is not None
        if article.published is not None:
            clock = article.published
            if result.first is None:
                result.first = clock
            result.last = clock
        else:
            result.undated += 1
            if clock is None:
                clock = archive.read_at
        for alert in stage.release_due(clock):
            recorder.record(alert, released=True)
        for alert in stage.tick(clock):
            recorder.record(alert)
        matches = ruleset.match(article, clock)
        if matches:
            result.matched_articles += 1
            result.matches.update(match.rule_id for match in matches)
        for alert in stage.decide(article, matches, clock):
            recorder.record(alert)
    for alert in stage.release_due(None):   # the clock runs on past the last article: every wait ends
        recorder.record(alert, released=True)
    if progress is not None:
        progress.finish()
    result.seconds = time.perf_counter() - started
    return result


def _action(alert: Alert) -> BacktestAction:
    if alert.suppressed:
        return SUPPRESSED
    if alert.held:
        return HELD
    if alert.action == AlertAction.SEND:
        return NEW
    if alert.action == AlertAction.UPDATE:
        return UPDATE
    return EDIT


class _Recorder:
    """Turns alerts into `Decision`s and counts each chat's messages."""

    def __init__(self, result: Replay, audience: Audience) -> None:
        self.result = result
        self.audience = audience

    def record(self, alert: Alert, *, released: bool = False) -> None:
        action = _action(alert)
        chats: tuple[str, ...] = ()
        if action in (NEW, UPDATE, EDIT):
            reached = self.audience.receivers(alert)
            chats = reached.first + reached.again
            for chat in reached.first:   # a new message about the incident in that chat
                self.result.chats.setdefault(chat, ChatCounts()).alerts += 1
            for chat in reached.again:
                counts = self.result.chats.setdefault(chat, ChatCounts())
                if action == UPDATE:
                    counts.updates += 1
                else:
                    counts.edits += 1
        article = alert.article
        self.result.decisions.append(Decision(
            rule_id=alert.rule_id, action=action, at=alert.created_at, article_key=article.key,
            title=article.title, source=article.source, url=article.url, published=article.published,
            region=match_region(alert.match) or NO_REGION,
            event_id=alert.event.id if alert.event is not None else None, reason=alert.suppressed,
            chats=chats, released=released))
