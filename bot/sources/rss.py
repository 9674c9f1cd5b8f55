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
from feedparser.exceptions import NonXMLContentType

from bot.errors import SourceError
from bot.models import Article, Validators
from bot.sources.base import PollResult
from bot.sources.feedxml import read_feed
from bot.sources.http import DEADLINE, MAX_BYTES, fetch
from bot.sources.normalise import normalise_entry
from bot.sources.xmlentities import defuse_entities

log = logging.getLogger(__name__)

RSS11_NAMESPACE = "http://purl.org/net/rss1.1#"


def parse_feed(source: str, body: bytes, content_type: str, now: datetime, *, url: str = "",
               language: str = "", max_items: int | None = None) -> list[Article]:
    """Parse feed bytes into Articles; SourceError when the body is not a feed at all.

    `url` is where the feed came from (after redirects): links left relative resolve against it.
    `language` (from a Content-Language header) is the articles' language when the feed names none.
    The fast reader answers for plain feeds and feedparser for the rest, with the same
    Articles either way (tests/test_sources_parse.py holds both to that). With `max_items`, only
    the first items of the document are read (feeds list the newest first; polling.max_items_per_poll).
    """
    feed = read_feed(body, content_type, max_items)
    if feed is None:
        return parse_with_feedparser(source, body, content_type, now, url=url, language=language,
                                     max_items=max_items)
    entries = _newest(source, feed.entries, feed.items, max_items)
    return _articles(entries, source, now, feed.language or language or None, url)


def _newest(source: str, entries: list[Any], items: int, max_items: int | None) -> list[Any]:
    """The newest `max_items` entries: the first ones, or the last ones in a feed that lists oldest first.

    `entries` holds the first and the last items of the document (all of them when there are few).
    """
    if max_items is None or items <= max_items:
        return entries
    first, last = _when(entries[0]), _when(entries[-1])
    oldest_first = first is not None and last is not None and last > first
    log.warning("source %s: the feed lists %d items; the %s %d are read (polling.max_items_per_poll)",
                source, items, "last" if oldest_first else "first", max_items)
    return entries[-max_items:] if oldest_first else entries[:max_items]


def _when(entry: Mapping[str, Any]) -> tuple[int, ...] | None:
    for key in ("published_parsed", "updated_parsed"):
        value = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if value:
            return tuple(value)[:6]
    return None


def parse_with_feedparser(source: str, body: bytes, content_type: str, now: datetime, *, url: str = "",
                          language: str = "", max_items: int | None = None) -> list[Article]:
    """The loose, thorough path: any encoding, malformed XML, DTDs, every feed dialect.

    feedparser answers an HTML page or an empty body with `bozo` false and no entries,
    so "no feed version" is an error here, never "no news" -- unless it found entries anyway:
    feedparser names no version for RSS 1.1 and CDF, yet reads their items.
    """
    headers = {"content-type": content_type} if content_type else {}
    # No Content-Location: feedparser would resolve every permalink guid against it too ("clash-1"
    # becoming a URL) and change the identity of articles already seen. It applies xml:base itself;
    # what stays relative is resolved in normalise_entry, links only.
    if language:
        headers["content-language"] = language   # feedparser's language until the feed declares its own
    # no sanitising: html_to_text reduces everything to plain text anyway (and drops scripts), and
    # feedparser's sanitiser is ~25% of its parse time
    parsed = feedparser.parse(defuse_entities(body), response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries and not _rss11(parsed):
        reason = "not a feed (empty body)" if not body.strip() else "not a feed (no RSS or Atom found)"
        raise SourceError(source, reason)
    if parsed.get("bozo") and not _only_no_content_type(parsed, content_type):
        log.warning("source %s: feed is malformed, parsed loosely: %s", source, parsed.get("bozo_exception"))
    feed_language = parsed.feed.get("language") if parsed.get("feed") else None
    entries = _newest(source, parsed.entries, len(parsed.entries), max_items)
    return _articles(entries, source, now, feed_language or language or None, url)


def _rss11(parsed: Mapping[str, Any]) -> bool:
    """An RSS 1.1 document (even one with no items yet): feedparser reads it but names no version."""
    return RSS11_NAMESPACE in (parsed.get("namespaces") or {}).values()


def _only_no_content_type(parsed: Mapping[str, Any], content_type: str) -> bool:
    # with any response header given, feedparser flags a missing Content-Type; a file has none
    return not content_type and isinstance(parsed.get("bozo_exception"), NonXMLContentType)


def _articles(entries: Iterable[Mapping[str, Any]], source: str, now: datetime,
              language: str | None, base: str) -> list[Article]:
    articles = []
    for entry in entries:
        article = normalise_entry(entry, source, now, language, base=base)
        if article is not None:
            articles.append(article)
    return articles


class RssSource:
    """An RSS or Atom feed at an http(s):// or file:// URL."""

    def __init__(self, name: str, url: str, interval: float, client: httpx.AsyncClient, *,
                 max_bytes: int = MAX_BYTES, deadline: float = DEADLINE, max_items: int | None = None) -> None:
        self.name = name
        self.max_items = max_items
        self.url = url
        self.interval = interval
        self.client = client
        self.max_bytes = max_bytes
        self.deadline = deadline

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        if self.url.startswith("file://"):
            body = await asyncio.to_thread(self._read_file)
            content_type, new_validators, base, language = "", Validators(), "", ""
        else:
            result = await fetch(self.client, self.name, self.url, validators, max_bytes=self.max_bytes,
                                 deadline=self.deadline)
            if result.not_modified:
                return PollResult((), validators, not_modified=True)
            body, content_type, new_validators = result.body, result.content_type, result.validators
            base, language = result.url, result.content_language   # the URL after redirects
        articles = await asyncio.to_thread(parse_feed, self.name, body, content_type, now, url=base,
                                           language=language, max_items=self.max_items)
        return PollResult(tuple(articles), new_validators)

    def _read_file(self) -> bytes:
        path = Path(self.url[len("file://"):])
        try:
            if path.stat().st_size > self.max_bytes:
                raise SourceError(self.name, f"file too large (limit {self.max_bytes} bytes)")
            return path.read_bytes()
        except OSError as exc:
            raise SourceError(self.name, f"cannot read {path}: {exc.strerror}") from exc

