"""The one interface every source type implements, and what a poll hands back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.models import Article, Validators


@dataclass(frozen=True)
class PollResult:
    """What one poll of one source produced."""

    articles: tuple[Article, ...]
    validators: Validators
    not_modified: bool = False


class Source(Protocol):
    """A news source: given its last validators, fetch and return normalised articles."""

    name: str
    interval: float

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        """Fetch and parse; raises SourceError with a readable reason on any failure."""
        ...
