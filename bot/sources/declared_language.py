"""A source whose language the operator declares in the config (`language: sr`).

Feeds often say nothing of their language, or say the wrong thing: a WordPress feed reports its
installation's default (`en-US`) whatever the newsroom writes in. The operator knows what an outlet
publishes, so a source's configured language is every article's language, in place of whatever the
feed declared, and detection (engine/language.py) is never needed for it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from bot.models import Validators
from bot.sources.base import PollResult, Source

# a BCP 47 tag as operators write them: "sr", "sr-Latn", "sq-XK", "uk"
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class DeclaredLanguage:
    """Wraps a source and gives each article the configured language."""

    def __init__(self, source: Source, language: str) -> None:
        self.source = source
        self.language = language.lower()
        self.name = source.name
        self.interval = source.interval
        # where it fetches from, for the poller's per-host limit (poller.host_of)
        self.url = getattr(source, "url", None)
        self.endpoint = getattr(source, "endpoint", None)

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        result = await self.source.poll(validators, now)
        articles = tuple(a if a.language == self.language else replace(a, language=self.language)
                         for a in result.articles)
        return replace(result, articles=articles)
