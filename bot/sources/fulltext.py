"""Main text of article pages, for sources marked `full_text: true`.

Feed summaries often leave out the numbers the rules need ("killing three" is only in the body),
so each new article's page is fetched and its main text extracted. This is best effort and never
holds up alerts: pages are fetched with the same bounded `fetch` as feeds, concurrency is bounded
overall and per host, the whole batch has a time budget, and any failure keeps the feed's text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import httpx

from bot.errors import SourceError
from bot.models import Article
from bot.sources.http import fetch
from bot.sources.normalise import canonical_url

log = logging.getLogger(__name__)

ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _PageFailed(Exception):
    """A page that gave no usable text; the message says why, for the log."""


@dataclass
class _HostSlot:
    semaphore: asyncio.Semaphore
    users: int = 0


class FullTextFetcher:
    """Replaces each article's feed text with its page's main text when that says more.

    `stats` counts pages `fetched` (requests started), `extracted` (gave text), `failed` (no text,
    for any reason, including the batch budget running out), articles served from the cache
    (`cached`), and articles `skipped` for having no http(s) URL.
    """

    def __init__(self, client: httpx.AsyncClient, *, concurrency: int = 4, per_host: int = 2,
                 deadline: float = 10.0, max_bytes: int = 2 * 1024 * 1024, cache_size: int = 2048,
                 max_chars: int = 20_000) -> None:
        self.client = client
        self.per_host = per_host
        self.deadline = deadline
        self.budget = 2 * deadline  # one slow site delays a feed's alerts by at most this
        self.max_bytes = max_bytes
        self.cache_size = cache_size
        self.max_chars = max_chars
        self.stats: dict[str, int] = {"fetched": 0, "extracted": 0, "failed": 0, "cached": 0, "skipped": 0}
        self._slots = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, _HostSlot] = {}  # only hosts in use, so the dict stays small
        self._cache: OrderedDict[str, str] = OrderedDict()

    async def enrich(self, source: str, articles: Sequence[Article]) -> list[Article]:
        """The articles in the same order, with page text where it is longer than the feed's; never raises."""
        urls = [_page_url(a.url) for a in articles]
        self.stats["skipped"] += sum(1 for u in urls if u is None)
        texts: dict[str, str] = {}
        jobs: dict[str, asyncio.Task[str | None]] = {}
        for url in dict.fromkeys(u for u in urls if u is not None):  # each page once, even if listed twice
            cached = self._cache_get(url)
            if cached is not None:
                texts[url] = cached
            else:
                jobs[url] = asyncio.create_task(self._page(source, url))
        self.stats["cached"] += sum(1 for u in urls if u is not None and u in texts)
        if jobs:
            texts.update(await self._collect(source, jobs))
        return [a if u is None or len(texts.get(u, "")) <= len(a.text) else replace(a, text=texts[u])
                for a, u in zip(articles, urls, strict=True)]

    async def _collect(self, source: str, jobs: dict[str, asyncio.Task[str | None]]) -> dict[str, str]:
        """Results of the page jobs that finish within the budget; the rest are cancelled and keep feed text."""
        try:
            _done, pending = await asyncio.wait(jobs.values(), timeout=self.budget)
        except BaseException:  # cancelled from outside: take the page jobs down with us
            for task in jobs.values():
                task.cancel()
            raise
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)  # cancellation only closes sockets, so this is immediate
        texts: dict[str, str] = {}
        for url, task in jobs.items():
            if task in pending:
                self.stats["failed"] += 1
                log.info("source %s: full text of %s: not done within the %gs budget; keeping the feed text",
                         source, url, self.budget)
            elif text := task.result():
                texts[url] = text
        return texts

    async def _page(self, source: str, url: str) -> str | None:
        """The page's extracted main text, or None (logged) when there is none to be had."""
        try:
            async with self._host_slot(urlsplit(url).netloc), self._slots:
                self.stats["fetched"] += 1
                result = await fetch(self.client, source, url, max_bytes=self.max_bytes, deadline=self.deadline,
                                     headers={"Accept": ACCEPT})
            text = await asyncio.to_thread(_extract, result.body, result.content_type)
        except (SourceError, _PageFailed) as exc:
            self.stats["failed"] += 1
            log.info("source %s: full text of %s: %s; keeping the feed text", source, url, exc)
            return None
        except Exception as exc:  # an extractor or client bug must not cost the feed its alerts
            self.stats["failed"] += 1
            log.warning("source %s: full text of %s failed unexpectedly: %r; keeping the feed text",
                        source, url, exc, exc_info=True)
            return None
        text = _truncate(text, self.max_chars)
        self.stats["extracted"] += 1
        self._cache_put(url, text)
        return text

    @contextlib.asynccontextmanager
    async def _host_slot(self, host: str) -> AsyncIterator[None]:
        """At most `per_host` pages from one host at a time: many new articles must not hammer one site."""
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = _HostSlot(asyncio.Semaphore(self.per_host))
        slot.users += 1
        try:
            async with slot.semaphore:
                yield
        finally:
            slot.users -= 1
            if not slot.users:
                del self._hosts[host]

    def _cache_get(self, url: str) -> str | None:
        text = self._cache.get(url)
        if text is not None:
            self._cache.move_to_end(url)
        return text

    def _cache_put(self, url: str, text: str) -> None:
        self._cache[url] = text
        self._cache.move_to_end(url)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


def _page_url(url: str | None) -> str | None:
    """The canonical http(s) URL of an article page, or None: no other scheme is ever fetched."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return canonical_url(url)


def _extract(body: bytes, content_type: str) -> str:
    """Main text of an HTML page (boilerplate removed); runs in a worker thread."""
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    if mime and mime not in _HTML_TYPES:
        raise _PageFailed(f"not HTML ({mime})")
    if not mime and not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise _PageFailed("not HTML (no Content-Type and no markup)")
    html: str | bytes = body  # without a declared charset, trafilatura reads <meta charset> or guesses
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            with contextlib.suppress(LookupError):
                html = body.decode(value.strip().strip("\"'"), errors="replace")
    import trafilatura  # imported on first use: ~0.1 s and ~25 MB that sources without full_text never pay

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise _PageFailed("no main text found")
    return text.strip()


def _truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    head = cut.rsplit(None, 1)[0] if not text[limit].isspace() else cut
    return (head or cut).rstrip()
