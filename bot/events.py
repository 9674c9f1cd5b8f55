"""Matches -> alert decisions.

A match of an unseen article becomes an alert unless its rule is throttled and an alert
with the same key went out within the throttle window; a throttled alert is still
recorded (with the reason), never silently dropped. Clustering, mutes and digests (the
events issue) will join this as further named steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.models import Alert, Article, Match

# (rule id, key, since) -> True if an alert with this key was sent or queued since then
RecentLookup = Callable[[str, str, datetime], bool]


def decide_alerts(article: Article, matches: Sequence[Match], now: datetime,
                  recent: RecentLookup | None = None) -> list[Alert]:
    """One alert per rule that matched this (new) article, throttled ones marked as such."""
    alerts = []
    for match in matches:
        reason = _throttled(match, now, recent)
        alerts.append(Alert(article=article, match=match, created_at=now, suppressed=reason))
    return alerts


def _throttled(match: Match, now: datetime, recent: RecentLookup | None) -> str | None:
    if not match.throttle or recent is None:
        return None
    since = now - timedelta(seconds=match.throttle)
    if recent(match.rule_id, match.key, since):
        return f"throttled: same {match.key} within {int(match.throttle)}s"
    return None
