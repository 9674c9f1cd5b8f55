"""One incident matched by several rules: which rules are related (the same, one superseding the other, a
shared tag), the matches of one report grouped by incident and combined into one, and the open events of
related rules a report may join."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.events.model import EventBook, cluster_key, own_rule
from bot.models import Event, EventRule, Match

CROSS_RULE = True        # related rules' matches are one incident (False: one event per rule, for bench what-ifs)


def rule_of(match: Match) -> EventRule:
    """The rule behind a match, as an event keeps it (its title, severity, tags and what it supersedes)."""
    return EventRule(match.rule_id, match.rule_title, match.severity, match.tags, match.policy.supersedes)


def related(a: EventRule, b: EventRule) -> bool:
    """Rules whose matches tell one incident: the same rule, one superseding the other, or a shared tag
    (fatal-clash and kosovo-fatal-clash share `conflict`; troop-buildup shares nothing with them)."""
    return a.id == b.id or a.id in b.supersedes or b.id in a.supersedes or not set(a.tags).isdisjoint(b.tags)


def incident_groups(matches: Sequence[Match]) -> list[list[Match]]:
    """The matches of one report, grouped by incident: related rules together, in the order they came."""
    groups: list[list[Match]] = []
    for match in matches:
        rule = rule_of(match)
        joined = [g for g in groups if any(related(rule, rule_of(m)) if CROSS_RULE else m.rule_id == rule.id
                                           for m in g)]
        merged = [m for g in joined for m in g] + [match]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def _lead(matches: Sequence[Match]) -> Match:
    """The rule an incident is told under: one that supersedes another of them, else the most severe,
    else the first."""
    ids = {m.rule_id for m in matches}
    superseded = {s for m in matches for s in m.policy.supersedes if s in ids}
    return max(matches, key=lambda m: (m.rule_id not in superseded, bool(set(m.policy.supersedes) & ids),
                                       m.severity, -matches.index(m)))


def combine(matches: Sequence[Match]) -> Match:
    """One match for an incident matched by several rules: the leading rule's, with the highest severity,
    the facts, regions, tags and evidence of all, and the longest window."""
    lead = _lead(matches)
    if len(matches) == 1:
        return lead
    others = [m for m in matches if m is not lead]
    facts = dict(lead.facts)
    for other in others:
        for name, value in other.facts.items():
            facts.setdefault(name, value)
    everything = [lead, *others]
    window = max(m.policy.window for m in everything)
    return dataclasses.replace(
        lead, severity=max(m.severity for m in everything), facts=facts,
        tags=tuple(dict.fromkeys(t for m in everything for t in m.tags)),
        regions=tuple(dict.fromkeys(r for m in everything for r in m.regions)),
        region_keys=tuple(dict.fromkeys(r for m in everything for r in m.region_keys)),
        mentioned=tuple(dict.fromkeys(r for m in everything for r in m.mentioned)),
        evidence=tuple(e for m in everything for e in m.evidence),
        policy=dataclasses.replace(lead.policy, window=window))


def merge_rules(old: Sequence[EventRule], new: Iterable[EventRule]) -> tuple[EventRule, ...]:
    """The rules an event is told under, the first seen of each kept and in order."""
    known = {r.id: r for r in old}
    for rule in new:
        known.setdefault(rule.id, rule)
    return tuple(known.values())


def related_events(book: EventBook, rules: Sequence[EventRule], match: Match, since: datetime) -> list[Event]:
    """Open events of rules related to these: looked up by rule id, superseded rule and tag."""
    lookups = dict.fromkeys([*(r.id for r in rules), *(s for r in rules for s in r.supersedes),
                             *(f"tag:{t}" for r in rules for t in r.tags)])
    if not CROSS_RULE:
        lookups = dict.fromkeys(r.id for r in rules)
    found: dict[str, Event] = {}
    for lookup in lookups:
        for event in book.candidates(lookup, since):
            found.setdefault(event.id, event)
    wanted = cluster_key(match.key)
    return [e for e in found.values() if e.last_at >= since and cluster_key(e.key) == wanted
            and any(related(mine, theirs) if CROSS_RULE else mine.id == theirs.id
                    for mine in rules for theirs in (e.rules or (own_rule(e),)))]
