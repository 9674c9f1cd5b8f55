"""RSS 0.9x/1.0/2.0 and Atom feeds, from http(s) or a local file.

Plain, well-formed UTF-8 feeds go through the lxml reader in `feedxml` (~10x faster than
feedparser); everything else, and whatever that reader declines, goes through feedparser.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import httpx

from bot.errors import SourceError
from bot.models import Article, Validators
from bot.sources.base import PollResult
from bot.sources.feedxml import read_feed
from bot.sources.http import DEADLINE, MAX_BYTES, fetch
from bot.sources.normalise import normalise_entry

log = logging.getLogger(__name__)


def parse_feed(source: str, body: bytes, content_type: str, now: datetime) -> list[Article]:
    """Parse feed bytes into Articles; SourceError when the body is not a feed at all.

    The fast reader answers for plain feeds and feedparser for the rest, with the same
    Articles either way (tests/test_sources_parse.py holds both to that).
    """
    feed = read_feed(body, content_type)
    if feed is None:
        return parse_with_feedparser(source, body, content_type, now)
    return _articles(feed.entries, source, now, feed.language)


def parse_with_feedparser(source: str, body: bytes, content_type: str, now: datetime) -> list[Article]:
    """The loose, thorough path: any encoding, malformed XML, DTDs, every feed dialect.

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
    return _articles(parsed.entries, source, now, language)


def _articles(entries: Iterable[Mapping[str, Any]], source: str, now: datetime,
              language: str | None) -> list[Article]:
    articles = []
    for entry in entries:
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

