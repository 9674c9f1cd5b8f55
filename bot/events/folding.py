"""Folding a report into an event in time order: a new event from its first report, and what a later report
changes (a figure, a direction, a region, the headline); a report older than the event's newest is context
and changes none of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.enums import EventStatus, UpdateKind
from bot.events.across_rules import merge_rules, rule_of
from bot.events.figures import calming_cue, corrects, with_toll
from bot.events.languages import language_tag, script_of
from bot.events.model import CONTEXT_GRACE, as_count, new_event_id, own_rule, report_places, report_time
from bot.events.terms import MAX_TERMS, Terms, fold, merge_terms
from bot.models import Article, Event, EventRule, EventUpdate, Match

HEADLINE_TEXT = 1000     # characters of the leading report's text kept with the event's headline


_FIRST_KEYS = ("title", "source", "published", "claimed_published")   # what "First reported: ..." names


def _headline(article: Article, language: str | None = None) -> dict[str, Any]:
    """The report a message leads with, in its own language (the alert says which when it is not English)."""
    return {"title": article.title, "url": article.url, "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "text": article.text[:HEADLINE_TEXT], "id": article.id, "language": language or article.language,
            "script": script_of(article.title),
            "claimed_published": article.claimed_published.isoformat() if article.claimed_published else None}


def open_event(match: Match, article: Article, now: datetime, terms: Terms,
               story_id: str | None, event_id: str | None = None,
               rules: Sequence[EventRule] = ()) -> Event:
    """A new event from its first report; held when the rule wants more than one source first."""
    policy = match.policy
    held = policy.min_sources > 1
    return Event(
        id=event_id or new_event_id(), rule_id=match.rule_id, rule_title=match.rule_title, key=match.key,
        status=EventStatus.HELD if held else EventStatus.OPEN,
        severity=policy.severity_for(match.severity, match.facts),
        first_at=now, last_at=now,
        headline=_headline(article, match.language),
        facts=dict(match.facts), regions=match.regions, region_keys=match.region_keys, sources=(article.source,),
        names=merge_terms((), terms.names), words=merge_terms((), terms.words),
        stories=(story_id,) if story_id else (),
        source_killed=with_toll({}, article.source, match.facts.get("killed")),
        hold_until=now + timedelta(seconds=policy.max_wait) if held else None,
        rules=merge_rules((), rules or (rule_of(match),)), latest_at=report_time(article, now),
        places=report_places(match), languages=_with_language((), match, article),
        earliest_at=report_time(article, now),
    )


def _with_language(languages: Sequence[str], match: Match, article: Article) -> tuple[str, ...]:
    tag = language_tag(match, article)
    return tuple(dict.fromkeys([*languages, *([tag] if tag else [])]))


def merge_report(event: Event, match: Match, article: Article, now: datetime, terms: Terms,
                 story_id: str | None, rules: Sequence[EventRule] = ()) -> tuple[Event, EventUpdate | None, bool]:
    """Fold one more report into an event: (the new event, what materially changed, whether the
    report came from a source not counted before).

    A report published before the event's newest one is context: it may add a source, a figure
    the event lacks or a region, but it changes no figure or direction and keeps the headline."""
    at = report_time(article, now)
    latest = event.latest_at or event.first_at
    context = at < latest - timedelta(seconds=CONTEXT_GRACE)
    if context:
        facts = _fold_context(event, match)
        up: list[str] = []
        down: list[str] = []
        rising = False
    else:
        facts, up, down, rising = _fold_news(event, match, article)
    regions = tuple(dict.fromkeys([*event.regions, *match.regions]))
    if not context:
        # a region is news when the report is about it (its headline names it), not when it is named in passing
        title = " " + fold(article.title).replace("-", " ") + " "
        added = [r for r in regions if r not in event.regions and f" {fold(r).replace('-', ' ')} " in title]
        if added:
            up.append("new region: " + ", ".join(added))
        if not up and not down:
            cue = calming_cue(article)
            if cue and not _cue_already_told(event, cue):
                down.append(f"“{cue}”")
    severity = max(event.severity, match.policy.severity_for(match.severity, facts))
    if severity > event.severity:
        up.append(f"severity now {severity.label}, was {event.severity.label}")
        rising = True
    fresh_source = article.source not in event.sources
    sources = (*event.sources, article.source) if fresh_source else event.sources
    update = None
    if up or down:
        kind = UpdateKind.DEESCALATION if down and not rising else UpdateKind.UPDATE
        update = EventUpdate(now, kind, tuple(down + up) if kind == UpdateKind.DEESCALATION else tuple(up + down),
                             article.source, article.title, article.published,
                             severity_before=event.severity if severity > event.severity else None)
    # the headline is the newest report that changed what the message says: it agrees with the figures shown
    # a report published before every one the event holds (a slow feed's) is the first reported from now on
    earliest = at < (event.earliest_at or at)
    headline = event.headline
    first = event.headline.get("first") or {k: event.headline.get(k) for k in _FIRST_KEYS}
    if update is not None and not context:
        headline = _headline(article, match.language)
        if not earliest:
            headline["first"] = first   # the first report is still named under it
    elif earliest:
        headline = {**headline, "first": {k: v for k, v in _headline(article).items() if k in _FIRST_KEYS}}
    merged = dataclasses.replace(
        event, facts=facts, regions=regions, sources=sources, reports=event.reports + 1, last_at=now,
        region_keys=tuple(dict.fromkeys([*event.region_keys, *match.region_keys])),
        severity=severity, names=merge_terms(event.names, terms.names), words=merge_terms(event.words, terms.words),
        stories=tuple(dict.fromkeys([*event.stories, *([story_id] if story_id else [])])),
        source_killed=with_toll(event.source_killed, article.source, match.facts.get("killed")),
        updates=(*event.updates, update) if update else event.updates, headline=headline,
        rules=merge_rules(event.rules or (own_rule(event),), rules or (rule_of(match),)),
        latest_at=_latest_after(latest, at, article),
        places=tuple(dict.fromkeys([*event.places, *report_places(match)]))[:MAX_TERMS],
        languages=_with_language(event.languages, match, article),
        earliest_at=min(event.earliest_at or at, at))
    return merged, update, fresh_source


def _latest_after(latest: datetime, at: datetime, article: Article) -> datetime:
    """The incident's clock after a report: its newest publication time. A report whose feed dates it in the future
    is ordered at its arrival but does not move the clock there: reports published after the others and before that
    arrival are newer than every other one, news, not context of a date nobody published at."""
    if article.claimed_published is not None:
        return latest
    return max(latest, at)


def _fold_context(event: Event, match: Match) -> dict[str, Any]:
    """An older report's figures: one the event lacks, and a toll higher than the event's. A toll falls only
    by a correction, so the higher count stands whichever report arrived first ("three officers killed"
    published at 20:50 and read after "officer killed" of 21:00 is a toll of 3, as in the other order); a
    troop level or a direction is never taken from an older report, nor a toll an event has had corrected."""
    facts = dict(event.facts)
    for name, value in match.facts.items():
        facts.setdefault(name, value)
    for name, label in (("killed", "death toll"), ("wounded", "wounded")):
        old_n, new_n = as_count(facts.get(name)), as_count(match.facts.get(name))
        if old_n is None or new_n is None or new_n <= old_n:
            continue
        if any(line.startswith(f"{label} revised to") for update in event.updates for line in update.changes):
            continue
        facts[name] = new_n
    return facts


def _fold_news(event: Event, match: Match, article: Article) -> tuple[dict[str, Any], list[str], list[str], bool]:
    """A report newer than everything the event holds: (facts, what went up, what went down, rising)."""
    facts = dict(event.facts)
    new = match.facts
    up: list[str] = []
    down: list[str] = []
    correction = corrects(article.title, article.text)
    for name, label in (("killed", "death toll"), ("wounded", "wounded")):
        old_n, new_n = as_count(facts.get(name)), as_count(new.get(name))
        if new_n is None or new_n == old_n:
            continue
        if old_n is None or new_n > old_n:
            up.append(f"{label} now {new_n:,}" + (f", was {old_n:,}" if old_n is not None else ""))
            facts[name] = new_n
        elif correction:  # a lower figure is usually an older report; only a correction lowers it
            down.append(f"{label} revised to {new_n:,}, was {old_n:,}")
            facts[name] = new_n
    old_t, new_t = as_count(facts.get("troops")), as_count(new.get("troops"))
    decreasing = new.get("troops_change") == "decrease"
    if new_t is not None and new_t != old_t:
        if old_t is None:
            facts["troops"] = new_t
            if not decreasing:  # a figure in a report of a cut is the old level: the cut line says it
                up.append(f"troops: {new_t:,}")
        elif new_t > old_t and not decreasing:
            up.append(f"troops now {new_t:,}, was {old_t:,}")
            facts["troops"] = new_t
        elif new_t < old_t and (decreasing or calming_cue(article)):
            down.append(f"troops reduced to {new_t:,}, was {old_t:,}")
            facts["troops"] = new_t
    if decreasing and facts.get("troops_change") == "increase":  # a reversal, not a stray "withdrew"
        facts["troops_change"] = "decrease"
        if not down:
            down.append("build-up reported scaled back")
    elif new.get("troops_change") == "increase" and facts.get("troops_change") == "decrease":
        facts["troops_change"] = "increase"
        up.append("build-up resumed")
    elif "troops_change" in new and "troops_change" not in facts:
        facts["troops_change"] = new["troops_change"]
    return facts, up, down, bool(up)   # a figure went up: the report is news of escalation, whatever else


def _cue_already_told(event: Event, cue: str) -> bool:
    return any(cue in change for u in event.updates for change in u.changes)
