"""RSS 0.9x/1.0/2.0 and Atom feeds, from http(s) or a local file, parsed with feedparser."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path

import feedparser
import httpx

from bot.errors import SourceError
from bot.models import Validators
from bot.sources.base import PollResult
from bot.sources.http import DEADLINE, MAX_BYTES, fetch
from bot.sources.normalise import normalise_entry

log = logging.getLogger(__name__)


def parse_feed(source: str, body: bytes, content_type: str, now: datetime) -> list:
    """Parse feed bytes into Articles; SourceError when the body is not a feed at all.

    feedparser answers an HTML page or an empty body with `bozo` false and no entries,
    so "no feed version" is an error here, never "no news".
    """
    headers = {"content-type": content_type} if content_type else {}
    # no sanitising: html_to_text reduces everything to plain text anyway (and drops scripts), and
    # feedparser's sanitiser is ~25% of its parse time
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        reason = "not a feed (empty body)" if not body.strip() else "not a feed (no RSS or Atom found)"
        raise SourceError(source, reason)
    if parsed.get("bozo"):
        log.warning("source %s: feed is malformed, parsed loosely: %s", source, parsed.get("bozo_exception"))
    language = parsed.feed.get("language") if parsed.get("feed") else None
    articles = []
    for entry in parsed.entries:
        article = normalise_entry(entry, source, now, language)
        if article is not None:
            articles.append(article)
    return articles


class RssSource:
    """An RSS or Atom feed at an http(s):// or file:// URL."""

    def __init__(self, name: str, url: str, interval: float, client: httpx.AsyncClient, *,
                 max_bytes: int = MAX_BYTES, deadline: float = DEADLINE) -> None:
        self.name = name
        self.url = url
        self.interval = interval
        self.client = client
        self.max_bytes = max_bytes
        self.deadline = deadline

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        if self.url.startswith("file://"):
            body = await asyncio.to_thread(self._read_file)
            content_type, new_validators = "", Validators()
        else:
            result = await fetch(self.client, self.name, self.url, validators, max_bytes=self.max_bytes,
                                 deadline=self.deadline)
            if result.not_modified:
                return PollResult((), validators, not_modified=True)
            body, content_type, new_validators = result.body, result.content_type, result.validators
        articles = await asyncio.to_thread(parse_feed, self.name, body, content_type, now)
        return PollResult(tuple(articles), new_validators)

    def _read_file(self) -> bytes:
        path = Path(self.url[len("file://"):])
        try:
            if path.stat().st_size > self.max_bytes:
                raise SourceError(self.name, f"file too large (limit {self.max_bytes} bytes)")
            return path.read_bytes()
        except OSError as exc:
            raise SourceError(self.name, f"cannot read {path}: {exc.strerror}") from exc

