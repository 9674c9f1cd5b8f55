"""Matches -> alert decisions.

A match of an unseen article becomes an alert unless its rule is throttled and an alert
with the same key went out within the throttle window; a throttled alert is still
recorded (with the reason), never silently dropped. Clustering, mutes and digests (the
events issue) will join this as further named steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.models import Alert, Article, Match

# (rule id, key, since) -> True if an alert with this key was sent or queued since then
RecentLookup = Callable[[str, str, datetime], bool]


@dataclass(frozen=True)
class Syndication:
    """The article is a near-copy of a story already seen: its id, its sources, the rules it alerted."""

    story_id: str
    sources: tuple[str, ...]
    alerted_rules: frozenset[str]


def decide_alerts(article: Article, matches: Sequence[Match], now: datetime,
                  recent: RecentLookup | None = None, copy_of: Syndication | None = None) -> list[Alert]:
    """One alert per rule that matched this (new) article; throttled ones and repeats of a syndicated
    story that already alerted on the same rule are recorded with the reason, not sent."""
    alerts = []
    for match in matches:
        reason = None
        if copy_of is not None and match.rule_id in copy_of.alerted_rules:
            reason = f"syndicated copy of a story already alerted (sources: {', '.join(copy_of.sources)})"
        reason = reason or _throttled(match, now, recent)
        alerts.append(Alert(article=article, match=match, created_at=now, suppressed=reason))
    return alerts


def _throttled(match: Match, now: datetime, recent: RecentLookup | None) -> str | None:
    if not match.throttle or recent is None:
        return None
    since = now - timedelta(seconds=match.throttle)
    if recent(match.rule_id, match.key, since):
        return f"throttled: same {match.key} within {int(match.throttle)}s"
    return None
