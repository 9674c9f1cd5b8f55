"""GDELT DOC 2.0 full-text search (mode=artlist, JSON), with the API's quirks handled.

Quirks: a query it does not like is answered with status 200 and a plain-text or HTML message;
it allows about one request per 5 s and answers 429 beyond that, often without Retry-After;
articles carry no id (identity falls back to URL and title); "no results" is `{}`.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from bot.config import GDELT_API
from bot.errors import SourceError
from bot.models import Article, Validators
from bot.sources.base import PollResult
from bot.sources.http import DEADLINE, MAX_BYTES, fetch
from bot.sources.jsonapi import JSON_ACCEPT, body_preview, parse_time
from bot.sources.normalise import canonical_url, html_to_text

RATE_LIMIT_SECONDS = 5.0

# GDELT names languages in English; the pipeline uses ISO 639-1 codes like RSS feeds do.
LANGUAGES = {
    "afrikaans": "af", "albanian": "sq", "amharic": "am", "arabic": "ar", "armenian": "hy", "azerbaijani": "az",
    "basque": "eu", "belarusian": "be", "bengali": "bn", "bosnian": "bs", "bulgarian": "bg", "catalan": "ca",
    "chinese": "zh", "croatian": "hr", "czech": "cs", "danish": "da", "dutch": "nl", "english": "en",
    "estonian": "et", "finnish": "fi", "french": "fr", "galician": "gl", "georgian": "ka", "german": "de",
    "greek": "el", "gujarati": "gu", "hebrew": "he", "hindi": "hi", "hungarian": "hu", "icelandic": "is",
    "indonesian": "id", "irish": "ga", "italian": "it", "japanese": "ja", "kannada": "kn", "kazakh": "kk",
    "korean": "ko", "kurdish": "ku", "latvian": "lv", "lithuanian": "lt", "macedonian": "mk", "malay": "ms",
    "malayalam": "ml", "maltese": "mt", "marathi": "mr", "mongolian": "mn", "nepali": "ne", "norwegian": "no",
    "pashto": "ps", "persian": "fa", "polish": "pl", "portuguese": "pt", "punjabi": "pa", "romanian": "ro",
    "russian": "ru", "serbian": "sr", "sinhala": "si", "slovak": "sk", "slovenian": "sl", "somali": "so",
    "spanish": "es", "swahili": "sw", "swedish": "sv", "tagalog": "tl", "tamil": "ta", "telugu": "te",
    "thai": "th", "turkish": "tr", "ukrainian": "uk", "urdu": "ur", "uzbek": "uz", "vietnamese": "vi",
    "welsh": "cy",
}


def language_code(name: Any) -> str | None:
    """GDELT's language name ("English") as an ISO 639-1 code; None when unknown."""
    return LANGUAGES.get(name.strip().lower()) if isinstance(name, str) else None


def gdelt_url(endpoint: str, query: str, timespan: str, maxrecords: int) -> str:
    """The artlist request URL; spaces as %20 (not +) so quoted phrases survive any proxy."""
    params = {"query": query, "mode": "artlist", "format": "json", "timespan": timespan,
              "maxrecords": str(maxrecords), "sort": "datedesc"}
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params, quote_via=quote)


def parse_gdelt(source: str, body: bytes, now: datetime) -> list[Article]:
    """An artlist answer as Articles; SourceError quoting GDELT's message when it is not JSON."""
    if not body.strip():
        raise SourceError(source, "GDELT sent an empty answer")
    try:
        # strict=False: GDELT titles occasionally carry raw control characters
        data = json.loads(body, strict=False)
    except (ValueError, RecursionError) as exc:
        raise SourceError(source, f"GDELT refused the query: {body_preview(body, 200)}") from exc
    if not isinstance(data, dict):
        raise SourceError(source, f"GDELT answered a JSON {type(data).__name__}, not an object")
    items = data.get("articles", [])
    if not isinstance(items, list):
        raise SourceError(source, f"GDELT 'articles' is a {type(items).__name__}, not a list")
    articles = []
    for item in items:
        if not isinstance(item, dict):
            continue
        title = html_to_text(item["title"]) if isinstance(item.get("title"), str) else ""
        if not title:
            continue
        url = item.get("url")
        articles.append(Article(
            source=source,
            title=title,
            url=canonical_url(url) if isinstance(url, str) else None,
            published=parse_time(item.get("seendate"), now),
            language=language_code(item.get("language")),
        ))
    return articles


class GdeltSource:
    """A standing GDELT DOC 2.0 search: each poll asks for the newest articles within `timespan`."""

    def __init__(self, name: str, query: str, interval: float, client: httpx.AsyncClient, timespan: str = "1h",
                 maxrecords: int = 75, endpoint: str = GDELT_API,
                 max_bytes: int = MAX_BYTES, deadline: float = DEADLINE) -> None:
        self.name = name
        self.query = query
        self.interval = interval
        self.client = client
        self.url = gdelt_url(endpoint, query, timespan, maxrecords)
        self.max_bytes = max_bytes
        self.deadline = deadline

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        try:
            result = await fetch(self.client, self.name, self.url, validators, max_bytes=self.max_bytes,
                                 deadline=self.deadline, headers=JSON_ACCEPT)
        except SourceError as exc:
            # fetch reports the status only in its reason; GDELT's 429 rarely says how long to wait
            if exc.retry_after is None and exc.reason.startswith(("HTTP 429", "HTTP 503")):
                raise SourceError(self.name, exc.reason, retry_after=RATE_LIMIT_SECONDS) from exc
            raise
        if result.not_modified:
            return PollResult((), validators, not_modified=True)
        articles = await asyncio.to_thread(parse_gdelt, self.name, result.body, now)
        return PollResult(tuple(articles), result.validators)
