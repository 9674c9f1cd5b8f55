"""Local files as sources, for demos, archives and backtests: JSON Lines or RSS/Atom, one file or a folder.

A poll re-reads from disk only when a file's size or modification time changed: the signature
travels in the validators like an HTTP ETag, so a large archive is not parsed again every interval.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.errors import SourceError
from bot.models import Article, Validators
from bot.sources.base import PollResult
from bot.sources.http import MAX_BYTES
from bot.sources.jsonapi import parse_time
from bot.sources.normalise import canonical_url
from bot.sources.rss import parse_feed

log = logging.getLogger(__name__)

JSONL_SUFFIXES = (".jsonl", ".ndjson")
MAX_LOGGED_BAD_LINES = 5  # per file and poll, so one broken archive cannot flood the log


def local_path(url: str) -> Path:
    """`file:///abs/path` (or a plain path) as a Path."""
    return Path(url[len("file://"):] if url.lower().startswith("file://") else url)


@dataclass(frozen=True, slots=True)
class JsonLine:
    """One non-blank line of a JSON Lines file: its value, or why it is not JSON (`error`, no file name)."""

    number: int
    value: Any = None
    error: str | None = None


def json_lines(lines: Iterable[str | bytes]) -> Iterator[JsonLine]:
    """Each non-blank line's JSON value, numbered from 1, a leading byte-order mark dropped."""
    for number, line in enumerate(lines, 1):
        if number == 1:
            line = _without_byte_order_mark(line)
        if line.strip():
            yield json_line(number, line)


def _without_byte_order_mark(line: str | bytes) -> str | bytes:
    if isinstance(line, bytes):
        return line.removeprefix(b"\xef\xbb\xbf")
    return line.removeprefix("\ufeff")


def json_line(number: int, line: str | bytes) -> JsonLine:
    """A line's JSON value, or why it is not JSON (broken, not UTF-8, nested too deeply, a number too long).

    Never raises, so each caller decides whether a bad line stops its command or is skipped.
    """
    try:
        return JsonLine(number, json.loads(line))
    except json.JSONDecodeError as exc:
        return JsonLine(number, error=f"not valid JSON: {exc.msg}")
    except UnicodeDecodeError:
        return JsonLine(number, error="not valid JSON: not UTF-8 text")
    except RecursionError:
        return JsonLine(number, error="not valid JSON: nested too deeply")
    except ValueError as exc:
        # a number too long to convert (Python refuses integers of more than 4,300 digits)
        return JsonLine(number, error=f"not valid JSON: {exc}")


def parse_jsonl(source: str, body: bytes, where: str, now: datetime) -> list[Article]:
    """One JSON article per line; a bad line is logged with file:line and skipped, never fatal."""
    articles: list[Article] = []
    bad = 0
    for line in json_lines(body.split(b"\n")):
        reason = line.error
        if reason is None:
            try:
                articles.append(jsonl_article(source, line.value, now))
                continue
            except ValueError as exc:
                reason = str(exc)
        bad += 1
        if bad <= MAX_LOGGED_BAD_LINES:
            log.warning("source %s: %s:%d: skipped: %s", source, where, line.number, reason)
    if bad > MAX_LOGGED_BAD_LINES:
        log.warning("source %s: %s: %d more bad lines skipped", source, where, bad - MAX_LOGGED_BAD_LINES)
    return articles


def jsonl_article(source: str, data: Any, now: datetime) -> Article:
    """A line's object as an Article: the `beacon match` format, already plain text, so no HTML stripping."""
    if not isinstance(data, dict):
        raise ValueError(f"a line must be a JSON object, not {type(data).__name__}")
    title = " ".join(_text(data.get("title")).split())
    text = _text(data.get("text")).strip()
    if not title and not text:
        raise ValueError("an article needs 'title' or 'text'")
    ident = _text(data.get("id")).strip() or None
    url = data.get("url")
    return Article(
        source=_text(data.get("source")).strip() or source,
        title=title,
        text=text,
        url=canonical_url(url) if isinstance(url, str) else None,
        guid=ident,
        published=parse_time(data.get("published"), now),
        language=_text(data.get("language")).strip().lower() or None,
        id=ident,
    )


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, dict | list | bool) else str(value)


def parse_file(source: str, path: Path, body: bytes, now: datetime) -> list[Article]:
    """JSON Lines by suffix, anything else as RSS/Atom (which refuses what is not a feed)."""
    if path.suffix.lower() in JSONL_SUFFIXES:
        return parse_jsonl(source, body, str(path), now)
    return parse_feed(source, body, "", now)


def _signature(stats: list[tuple[Path, int, int]]) -> str:
    digest = hashlib.sha256()
    for path, size, mtime in stats:
        digest.update(f"{path}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return "files:" + digest.hexdigest()[:32]


class FileSource:
    """One local file, re-read when it changes."""

    def __init__(self, name: str, path: str, interval: float, *, max_bytes: int = MAX_BYTES) -> None:
        self.name = name
        self.path = local_path(path)
        self.interval = interval
        self.max_bytes = max_bytes

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        return await asyncio.to_thread(self._poll, validators, now)

    def _poll(self, validators: Validators, now: datetime) -> PollResult:
        try:
            stat = self.path.stat()
            if not self.path.is_file():
                raise SourceError(self.name, f"{self.path} is not a file")
            if stat.st_size > self.max_bytes:
                raise SourceError(self.name, f"{self.path} is too large ({stat.st_size} bytes, limit {self.max_bytes})")
            signature = _signature([(self.path, stat.st_size, stat.st_mtime_ns)])
            if validators.etag == signature:
                return PollResult((), validators, not_modified=True)
            body = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(self.name, f"cannot read {self.path}: {exc.strerror}") from exc
        return PollResult(tuple(parse_file(self.name, self.path, body, now)), Validators(etag=signature))


class DirSource:
    """Every file in a folder matching `pattern`, in name order; hidden files and oversized files skipped."""

    def __init__(self, name: str, path: str, interval: float, pattern: str = "*", *,
                 max_bytes: int = MAX_BYTES) -> None:
        if not pattern or Path(pattern).is_absolute():
            raise ValueError(f"source {name}: pattern {pattern!r} must be a relative glob like '*.jsonl'")
        self.name = name
        self.path = local_path(path)
        self.interval = interval
        self.pattern = pattern
        self.max_bytes = max_bytes

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        return await asyncio.to_thread(self._poll, validators, now)

    def _files(self) -> list[tuple[Path, int, int]]:
        if not self.path.is_dir():
            reason = "is not a folder" if self.path.exists() else "does not exist"
            raise SourceError(self.name, f"{self.path} {reason}")
        found = []
        for path in sorted(self.path.glob(self.pattern)):
            if any(part.startswith(".") for part in path.relative_to(self.path).parts):
                continue  # editor swap files, .DS_Store and the like
            try:
                stat = path.stat()
            except OSError:
                continue  # vanished or a dangling link since the listing
            if not path.is_file():
                continue
            if stat.st_size > self.max_bytes:
                log.warning("source %s: skipped %s: too large (%d bytes, limit %d)",
                            self.name, path, stat.st_size, self.max_bytes)
                continue
            found.append((path, stat.st_size, stat.st_mtime_ns))
        return found

    def _poll(self, validators: Validators, now: datetime) -> PollResult:
        try:
            files = self._files()
        except OSError as exc:
            raise SourceError(self.name, f"cannot list {self.path}: {exc.strerror}") from exc
        signature = _signature(files)
        if validators.etag == signature:
            return PollResult((), validators, not_modified=True)
        articles: list[Article] = []
        failed: list[str] = []
        for path, _size, _mtime in files:
            try:
                articles.extend(parse_file(self.name, path, path.read_bytes(), now))
            except (OSError, SourceError) as exc:
                reason = exc.reason if isinstance(exc, SourceError) else exc.strerror
                failed.append(f"{path.name}: {reason}")
                log.warning("source %s: skipped %s: %s", self.name, path, reason)
        if files and len(failed) == len(files):
            raise SourceError(self.name, f"no readable file in {self.path} ({failed[0]})")
        if not files:
            log.info("source %s: no file in %s matches %r", self.name, self.path, self.pattern)
        return PollResult(tuple(articles), Validators(etag=signature))
