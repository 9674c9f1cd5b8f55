"""What a backtest found: one record per alert decision, and the tallies people read.

Every decision the events stage made is kept (matches are a few percent of news, so a month of
a thousand feeds is some thousands of records); the tables, plots and `--compare` are all
computed from them, so the text, JSON and HTML outputs cannot disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.enums import BacktestAction

# the decisions, by the names the backtest modules use (bot/enums.py says what each means)
NEW, UPDATE, EDIT = BacktestAction.NEW, BacktestAction.UPDATE, BacktestAction.EDIT
HELD, SUPPRESSED = BacktestAction.HELD, BacktestAction.SUPPRESSED
NO_REGION = "(no region)"


REASON_KINDS = (("throttled", "throttled"), ("syndicated copy", "syndicated copy already alerted"),
                ("adds nothing", "adds nothing to its event"))


def reason_kind(reason: str | None) -> str:
    """A suppression's reason without its particulars (key, event id, sources), for counting."""
    for prefix, kind in REASON_KINDS:
        if (reason or "").startswith(prefix):
            return kind
    return (reason or "suppressed").split(":")[0]


@dataclass(frozen=True)
class Decision:
    """One decision on one article about one incident, with what a person needs to recognise the article."""

    rule_id: str                # the rule the incident is told under (of several related rules that matched)
    action: BacktestAction
    at: datetime                # the simulated clock: the article's publication time (or the release time)
    article_key: str
    title: str
    source: str
    url: str | None
    published: datetime | None
    region: str                 # where the event happened (the match's first region), or NO_REGION
    event_id: str | None = None
    reason: str | None = None   # why suppressed
    chats: tuple[str, ...] = ()   # who would have received it (NEW and UPDATE)
    released: bool = False      # a held event sent when its wait was over (not a match of its own)

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule_id, "action": self.action, "at": self.at.isoformat(),
                "article": self.article_key, "title": self.title, "source": self.source, "url": self.url,
                "published": self.published.isoformat() if self.published else None, "region": self.region,
                "event": self.event_id, "reason": self.reason, "chats": list(self.chats), "released": self.released}


@dataclass
class RuleCounts:
    """One rule's figures. An incident matched by related rules (a shared tag, `supersedes`) is one
    decision, counted under the rule it is told under; `matches` counts every rule that matched."""

    matches: int = 0
    alerts: int = 0
    incidents: int = 0
    updates: int = 0
    edits: int = 0
    suppressed: int = 0
    held_then_sent: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


@dataclass
class ChatCounts:
    alerts: int = 0     # new messages
    updates: int = 0    # threaded replies (and an edit) for an event's material change
    edits: int = 0      # edits of an event's message only

    @property
    def messages(self) -> int:
        return self.alerts + self.updates


@dataclass
class Replay:
    """The outcome of replaying one archive through one rule set."""

    input: str
    rules: str                                   # the rules folder
    rule_ids: list[str] = field(default_factory=list)
    articles: int = 0                            # read and replayed (duplicates excluded)
    duplicates: int = 0                          # already seen under another key or source, as a poll would skip
    undated: int = 0                             # replayed last, at the time of the last dated article
    truncated: int = 0                           # cut to the daemon's length caps before matching
    matched_articles: int = 0                    # articles at least one rule matched
    matches: Counter[str] = field(default_factory=Counter)   # rule -> articles it matched
    first: datetime | None = None
    last: datetime | None = None
    seconds: float = 0.0                         # wall time of the replay (reading included)
    problems: list[str] = field(default_factory=list)
    note: str = ""
    audience: str = ""                           # where the chats came from
    decisions: list[Decision] = field(default_factory=list)
    chats: dict[str, ChatCounts] = field(default_factory=dict)

    # -- tallies --------------------------------------------------------------------------------

    def per_rule(self) -> dict[str, RuleCounts]:
        counts = {rule_id: RuleCounts() for rule_id in self.rule_ids}
        incidents: dict[str, set[str]] = defaultdict(set)
        for d in self.decisions:
            c = counts.setdefault(d.rule_id, RuleCounts())
            if d.action == NEW:
                c.alerts += 1
                incidents[d.rule_id].add(d.event_id or f"alert-{c.alerts}")
                c.held_then_sent += d.released
            elif d.action == UPDATE:
                c.updates += 1
            elif d.action == EDIT:
                c.edits += 1
            elif d.action == SUPPRESSED:
                c.suppressed += 1
        for rule_id, ids in incidents.items():
            counts[rule_id].incidents = len(ids)
        for rule_id, matched in self.matches.items():
            counts.setdefault(rule_id, RuleCounts()).matches = matched
        return counts

    def alerts(self) -> list[Decision]:
        return [d for d in self.decisions if d.action == NEW]

    def per_region(self) -> Counter[str]:
        return Counter(d.region for d in self.alerts())

    def per_day(self) -> dict[str, Counter[str]]:
        """Day (UTC, ISO) -> rule -> new alerts; every day of the replayed span is present."""
        days: dict[str, Counter[str]] = {}
        if self.first is not None and self.last is not None:
            day = self.first.date()
            while day <= self.last.date():
                days[day.isoformat()] = Counter()
                day = day.fromordinal(day.toordinal() + 1)
        for d in self.alerts():
            days.setdefault(d.at.date().isoformat(), Counter())[d.rule_id] += 1
        return dict(sorted(days.items()))

    def busiest_chats(self, limit: int = 10) -> list[tuple[str, ChatCounts]]:
        ranked = sorted(self.chats.items(), key=lambda item: (-item[1].messages, -item[1].edits, item[0]))
        return ranked[:limit]

    def suppressed_reasons(self) -> Counter[str]:
        """Suppressions by kind of reason (throttle, syndicated copy, nothing new), not by their exact text."""
        return Counter(reason_kind(d.reason) for d in self.decisions if d.action == SUPPRESSED)

    def as_dict(self, *, decisions: bool = True) -> dict[str, Any]:
        per_rule = self.per_rule()
        return {
            "input": self.input, "rules": self.rules, "note": self.note or None,
            "articles": self.articles, "matched_articles": self.matched_articles,
            "duplicates": self.duplicates, "undated": self.undated,
            "truncated": self.truncated, "problems": list(self.problems),
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None, "seconds": round(self.seconds, 3),
            "totals": {"alerts": sum(c.alerts for c in per_rule.values()),
                       "incidents": sum(c.incidents for c in per_rule.values()),
                       "updates": sum(c.updates for c in per_rule.values()),
                       "edits": sum(c.edits for c in per_rule.values()),
                       "suppressed": sum(c.suppressed for c in per_rule.values()),
                       "held_then_sent": sum(c.held_then_sent for c in per_rule.values())},
            "per_rule": {rule_id: c.as_dict() for rule_id, c in per_rule.items()},
            "per_region": dict(self.per_region().most_common()),
            "per_day": {day: dict(rules) for day, rules in self.per_day().items()},
            "suppressed": dict(self.suppressed_reasons()),
            "audience": self.audience,
            "chats": [{"chat": name, "messages": c.messages, "alerts": c.alerts, "updates": c.updates,
                       "edits": c.edits} for name, c in self.busiest_chats(limit=len(self.chats))],
            **({"decisions": [d.as_dict() for d in self.decisions]} if decisions else {}),
        }
