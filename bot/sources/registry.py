"""Config -> Source: one place that knows which class serves which `type`, so the app never branches on it."""

from __future__ import annotations

import httpx

from bot.config import PollingConfig, SourceConfig
from bot.sources.base import Source
from bot.sources.declared_language import DeclaredLanguage
from bot.sources.files import DirSource, FileSource
from bot.sources.gdelt import GdeltSource
from bot.sources.jsonapi import FIELD_NAMES, JsonApiSource, compile_path
from bot.sources.rss import RssSource


def _need(config: SourceConfig, key: str) -> str:
    value = getattr(config, key)
    if not value:
        raise ValueError(f"source {config.name}: a {config.type} source needs {key!r}")
    return str(value)


def build_source(config: SourceConfig, client: httpx.AsyncClient, polling: PollingConfig) -> Source:
    """The Source for one configured source; ValueError for what cannot work (e.g. bad JMESPath).
    A source with a configured `language` gives it to every article (declared_language.py)."""
    source = _build(config, client, polling)
    if config.language:
        return DeclaredLanguage(source, config.language)
    return source


def _build(config: SourceConfig, client: httpx.AsyncClient, polling: PollingConfig) -> Source:
    if config.type == "rss":
        return RssSource(config.name, _need(config, "url"), config.interval, client, max_bytes=polling.max_bytes,
                         deadline=polling.timeout, max_items=polling.max_items_per_poll)
    if config.type == "json":
        if config.fields is None:
            raise ValueError(f"source {config.name}: a json source needs 'fields'")
        return JsonApiSource(config.name, _need(config, "url"), config.interval, client, _need(config, "items"),
                             config.fields, config.headers, polling.max_bytes, polling.timeout)
    if config.type == "gdelt":
        return GdeltSource(config.name, _need(config, "query"), config.interval, client, config.timespan,
                           config.maxrecords, config.endpoint, polling.max_bytes, polling.timeout)
    if config.type == "file":
        return FileSource(config.name, _need(config, "url"), config.interval, max_bytes=polling.max_bytes)
    if config.type == "dir":
        return DirSource(config.name, _need(config, "url"), config.interval, config.pattern,
                         max_bytes=polling.max_bytes)
    raise ValueError(f"source {config.name}: unknown type {config.type!r}")


def check_source(config: SourceConfig) -> None:
    """Refuse at start, without network or disk, what would fail every poll: bad JMESPath, a bad pattern."""
    if config.type == "json":
        compile_path(_need(config, "items"), f"source {config.name}: items")
        if config.fields is not None:
            for key in FIELD_NAMES:
                expression = getattr(config.fields, key)
                if expression:
                    compile_path(expression, f"source {config.name}: fields.{key}")
    elif config.type == "dir" and (not config.pattern or config.pattern.startswith("/")):
        raise ValueError(f"source {config.name}: pattern {config.pattern!r} must be a relative glob like '*.jsonl'")
