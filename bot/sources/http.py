"""Polite, bounded HTTP fetching for feeds.

Facts behind the choices (see shared/HAZARDS.md): httpx's read timeout is per chunk, so a
server dripping a byte every half second outlives it, hence a total deadline around each
fetch; a gzip bomb passes a cap on decoded bytes through `aiter_bytes`, hence we read the
raw stream and decode it ourselves with a bounded decompressor; redirects are followed by
hand so every hop is counted and can be checked.
"""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from bot import __version__
from bot.errors import SourceError
from bot.models import Validators
from bot.sources.addresses import AddressPolicy, BlockedAddress

USER_AGENT = f"Beacon/{__version__} (news alerting bot; +https://github.com/beacon-alerts/beacon)"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
DEADLINE = 30.0
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class FetchResult:
    """A fetched body, or `not_modified` after a 304 (validators then stay as they were)."""

    url: str
    status: int
    body: bytes
    content_type: str
    validators: Validators
    not_modified: bool = False
    content_language: str = ""   # first tag of Content-Language: the articles' language when the feed names none


def make_client(policy: AddressPolicy | None = None) -> httpx.AsyncClient:
    """The shared client: explicit timeouts, a pool bound, our User-Agent, no auto-redirects, and (with a
    policy) internal addresses refused on every request, redirects included."""
    return httpx.AsyncClient(
        event_hooks={"request": [policy.on_request]} if policy is not None else {},
        timeout=httpx.Timeout(connect=10.0, read=15.0, write=10.0, pool=10.0),
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
                 "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"},
        follow_redirects=False,
    )


class _BoundedDecoder:
    """Decode gzip/deflate from raw chunks, never producing more than `cap` bytes."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.size = 0
        enc = encoding.lower().strip()
        if enc in ("", "identity"):
            self._z = None
        elif enc in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")

    def feed(self, chunk: bytes) -> bytes:
        if self._z is None:
            out = chunk
        else:
            # max_length bounds each step; the rest stays in unconsumed_tail until asked for
            out = self._z.decompress(chunk, self.cap - self.size + 1)
            while self._z.unconsumed_tail and len(out) <= self.cap - self.size:
                out += self._z.decompress(self._z.unconsumed_tail, self.cap - self.size - len(out) + 1)
        self.size += len(out)
        if self.size > self.cap:
            raise OverflowError
        return out


async def fetch(client: httpx.AsyncClient, source: str, url: str, validators: Validators | None = None,
                *, max_bytes: int = MAX_BYTES, deadline: float = DEADLINE,
                headers: Mapping[str, str] | None = None) -> FetchResult:
    """GET `url` with conditional headers, a byte cap and a total deadline; SourceError on failure.

    `headers` (e.g. an API key) are sent to the origin of `url` only, never across a redirect to another host.
    """
    try:
        async with asyncio.timeout(deadline):
            return await _fetch(client, source, url, validators or Validators(), max_bytes, headers or {})
    except TimeoutError as exc:
        raise SourceError(source, f"no complete answer within {deadline:g}s (slow or stalled server)") from exc


async def _fetch(client: httpx.AsyncClient, source: str, url: str, validators: Validators,
                 max_bytes: int, extra: Mapping[str, str]) -> FetchResult:
    headers = dict(extra)
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            async with client.stream("GET", current, headers=headers) as response:
                if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                    target = urljoin(current, response.headers["location"])
                    if extra and urlsplit(target)[:2] != urlsplit(current)[:2]:
                        headers = {k: v for k, v in headers.items() if k not in extra}
                    current = target
                    continue
                return await _read(response, source, current, validators, max_bytes)
        except BlockedAddress as exc:
            raise SourceError(source, str(exc)) from exc
        except httpx.TimeoutException as exc:
            raise SourceError(source, f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise SourceError(source, f"connection failed: {type(exc).__name__}: {exc}") from exc
    raise SourceError(source, f"more than {MAX_REDIRECTS} redirects (redirect loop?)")


async def _read(response: httpx.Response, source: str, url: str, old: Validators,
                max_bytes: int) -> FetchResult:
    status = response.status_code
    if status == 304:
        await response.aread()  # an unread response closes its connection: read the (empty) body to reuse it
        return FetchResult(url, status, b"", "", old, not_modified=True)
    if status == 429 or status == 503:
        raise SourceError(source, f"HTTP {status} (server asks us to slow down)",
                          retry_after=_retry_after(response.headers.get("retry-after")))
    if status in (404, 410):
        raise SourceError(source, f"HTTP {status} {'gone' if status == 410 else 'not found'}",
                          permanent=status == 410)
    if status >= 400:
        raise SourceError(source, f"HTTP {status}")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(source, f"response too large ({int(declared)} bytes, limit {max_bytes})")
    try:
        decoder = _BoundedDecoder(response.headers.get("content-encoding", ""), max_bytes)
    except ValueError as exc:
        raise SourceError(source, str(exc)) from exc
    parts: list[bytes] = []
    raw_size = 0
    try:
        async for chunk in response.aiter_raw():
            raw_size += len(chunk)
            if raw_size > max_bytes:
                raise OverflowError
            parts.append(decoder.feed(chunk))
    except OverflowError as exc:
        raise SourceError(source, f"response too large (over {max_bytes} bytes)") from exc
    except zlib.error as exc:
        raise SourceError(source, f"corrupt compressed body: {exc}") from exc
    validators = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
    return FetchResult(url, status, b"".join(parts), response.headers.get("content-type", ""), validators,
                       content_language=first_language(response.headers.get("content-language", "")))


def first_language(header: str) -> str:
    """The first language tag of a Content-Language header ("sr-Latn, en" -> "sr-Latn"); "" when malformed."""
    tag = header.split(",", 1)[0].strip()
    return tag if _LANGUAGE_TAG.fullmatch(tag) else ""


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
