"""Matches -> alert decisions.

For now every match of an unseen article becomes one alert; clustering, throttles and
mutes (the events issue) will turn this into a pipeline of named decision steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.models import Alert, Article, Match


def decide_alerts(article: Article, matches: Sequence[Match], now: datetime) -> list[Alert]:
    """One alert per rule that matched this (new) article."""
    return [Alert(article=article, match=match, created_at=now) for match in matches]
