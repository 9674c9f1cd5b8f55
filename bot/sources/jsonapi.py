"""Generic JSON news APIs (ReliefWeb, NewsAPI style): JMESPath picks the items and each item's fields."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import jmespath
from jmespath.exceptions import JMESPathError
from jmespath.parser import ParsedResult

from bot.config import FieldMap
from bot.errors import SourceError
from bot.models import Article, Validators
from bot.sources.base import PollResult
from bot.sources.http import DEADLINE, MAX_BYTES, fetch
from bot.sources.normalise import canonical_url, clamped, future_claim, html_to_text

log = logging.getLogger(__name__)

FIELD_NAMES = ("title", "text", "url", "published", "id", "language")
JSON_ACCEPT = {"Accept": "application/json, */*;q=0.5"}
_MS_EPOCH = 1e11  # an epoch above this (year 5138 in seconds) can only be milliseconds


def compile_path(expression: str, what: str) -> ParsedResult:
    """Compile a JMESPath once; ValueError naming the expression, so a config typo fails at start."""
    try:
        return jmespath.compile(expression)
    except JMESPathError as exc:
        raise ValueError(f"{what}: bad JMESPath {expression!r}: {exc}") from exc


def body_preview(body: bytes, limit: int = 120) -> str:
    """The start of a body as one readable line, so an error quotes what the server actually said."""
    text = body[:4096].decode("utf-8", errors="replace")
    if "<" in text:
        text = html_to_text(text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def load_json(source: str, body: bytes) -> Any:
    """Decode a JSON body; an HTML error page served with 200 is a failure, never "no news"."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        preview = body_preview(body) or "(empty body)"
        raise SourceError(source, f"not JSON: {preview}") from exc


def parse_time(value: Any, now: datetime) -> datetime | None:
    """ISO 8601, RFC 822 or epoch seconds -> UTC; naive means UTC; a future date is clamped to `now`.

    The clamp allows the same slack as RSS entries, so a slightly fast server clock is not "the future".
    """
    return clamped(claimed_time(value), now)


def claimed_time(value: Any) -> datetime | None:
    """ISO 8601, RFC 822 or epoch seconds -> UTC, as the source gives it (naive means UTC)."""
    when: datetime | None = None
    if isinstance(value, str):
        when = _parse_date_string(value.strip())
        if when is None:
            try:
                value = float(value)
            except ValueError:
                return None
    if when is None and isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > _MS_EPOCH else value
        try:
            when = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _parse_date_string(value: str) -> datetime | None:
    """ISO 8601 first (so a basic date like 20231002 is not read as an epoch), then RFC 822."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def as_text(value: Any) -> str:
    """A field value as text: strings as they are, numbers printed, lists of scalars joined."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return " ".join(t for t in (as_text(v) for v in value if not isinstance(v, list)) if t)
    return str(value)


def _first_string(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int) and not isinstance(v, bool)), None)
    if value is None or isinstance(value, dict | bool):
        return None
    return str(value).strip() or None


class JsonApiSource:
    """A JSON news API: `items` is a JMESPath to the list of items, `fields` map one item to an Article."""

    def __init__(self, name: str, url: str, interval: float, client: httpx.AsyncClient, items: str,
                 fields: FieldMap | Mapping[str, str | None], headers: Mapping[str, str] | None = None,
                 max_bytes: int = MAX_BYTES, deadline: float = DEADLINE) -> None:
        self.name = name
        self.url = url
        self.interval = interval
        self.client = client
        self.headers = {**JSON_ACCEPT, **(headers or {})}
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.items_expression = items
        self.items = compile_path(items, f"source {name}: items")
        mapping = fields.model_dump() if isinstance(fields, FieldMap) else dict(fields)
        unknown = set(mapping) - set(FIELD_NAMES)
        if unknown:
            raise ValueError(f"source {name}: unknown fields {sorted(unknown)} (known: {', '.join(FIELD_NAMES)})")
        if not (mapping.get("title") or mapping.get("text")):
            raise ValueError(f"source {name}: fields need at least 'title' or 'text'")
        self.fields = {key: compile_path(expr, f"source {name}: fields.{key}")
                       for key, expr in mapping.items() if expr}

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        result = await fetch(self.client, self.name, self.url, validators, max_bytes=self.max_bytes,
                             deadline=self.deadline, headers=self.headers)
        if result.not_modified:
            return PollResult((), validators, not_modified=True)
        articles = await asyncio.to_thread(self.parse, result.body, now, result.content_language)
        return PollResult(tuple(articles), result.validators)

    def parse(self, body: bytes, now: datetime, language: str = "") -> list[Article]:
        """Body -> Articles; SourceError when it is not JSON or `items` does not lead to a list.

        An item without a language of its own takes the document's (a JSON Feed's top-level
        `language`), else `language` (the server's Content-Language), as an RSS item does."""
        data = load_json(self.name, body)
        items = self.items.search(data)
        if not isinstance(items, list):
            found = "nothing" if items is None else f"a {type(items).__name__}"
            raise SourceError(self.name, f"items {self.items_expression!r} gave {found}, not a list")
        declared = data.get("language") if isinstance(data, dict) else None
        default = (declared if isinstance(declared, str) and declared.strip() else language).strip().lower() or None
        articles = [a for a in (self.article(item, now, default) for item in items) if a is not None]
        if items and not articles:
            log.warning("source %s: %d items but none had a title or text; check 'fields'", self.name, len(items))
        return articles

    def article(self, item: Any, now: datetime, language: str | None = None) -> Article | None:
        """One item as an Article, or None when it has neither title nor text; `language` when the
        item names none."""
        values = {key: expr.search(item) for key, expr in self.fields.items()}
        title = html_to_text(as_text(values.get("title")))
        text = html_to_text(as_text(values.get("text")))
        if not title and not text:
            return None
        url = values.get("url")
        return Article(
            source=self.name,
            title=title,
            text=text,
            url=canonical_url(url) if isinstance(url, str) else None,
            guid=_first_string(values.get("id")),
            published=parse_time(values.get("published"), now),
            claimed_published=future_claim(claimed_time(values.get("published")), now),
            language=(_first_string(values.get("language")) or "").lower() or language,
        )
