"""The articles a backtest replays, in publication order: a JSON Lines archive, a folder, or the store's history.

A month of a thousand feeds does not fit comfortably in memory as `Article`s, so JSON Lines files
are read twice: once to index each good line by its publication time (bad lines are noted with
file:line and skipped), then line by line in time order, seeking to each. RSS/Atom files in a
folder, and the store's history, are small enough to be held whole.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from bot.enums import AlertKind
from bot.errors import BeaconError, SourceError
from bot.models import Article
from bot.sources.files import JSONL_SUFFIXES, json_line, jsonl_article
from bot.sources.rss import parse_feed
from bot.store import Store

log = logging.getLogger(__name__)

UNDATED = math.inf   # sort key of an article without a date: after every dated one, in file order


@dataclass(frozen=True)
class _Line:
    """Where one good JSON Lines article is: which file, at which byte, on which line."""

    published: float
    order: int
    file: int
    offset: int
    number: int


@dataclass
class Archive:
    """Articles to replay, read lazily in publication order (ties and undated ones in reading order)."""

    label: str                      # what was read, for reports: a path, or "state history (…)"
    files: list[Path] = field(default_factory=list)
    source_names: list[str] = field(default_factory=list)   # the default source of each file's articles
    lines: list[_Line] = field(default_factory=list)
    held: list[tuple[float, int, Article]] = field(default_factory=list)   # articles read whole
    problems: list[str] = field(default_factory=list)        # "file:line: why", one per bad line or file
    note: str = ""                  # what this input cannot show (the store's history keeps little)
    read_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __len__(self) -> int:
        return len(self.lines) + len(self.held)

    @property
    def undated(self) -> int:
        return sum(1 for line in self.lines if line.published == UNDATED) + sum(
            1 for when, _, _ in self.held if when == UNDATED)

    def articles(self) -> Iterator[Article]:
        """Every article once, oldest first; re-reads the files, so it can be called again (for --compare)."""
        order: list[tuple[float, int, int]] = [(line.published, line.order, i) for i, line in enumerate(self.lines)]
        order += [(when, seq, -1 - i) for i, (when, seq, _) in enumerate(self.held)]
        order.sort()
        handles: dict[int, BinaryIO] = {}
        try:
            for _, _, index in order:
                if index < 0:
                    yield self.held[-1 - index][2]
                    continue
                line = self.lines[index]
                handle = handles.get(line.file)
                if handle is None:
                    handle = handles[line.file] = self.files[line.file].open("rb")
                handle.seek(line.offset)
                raw = handle.readline()
                yield jsonl_article(self.source_names[line.file], json.loads(raw), self.read_at)
        finally:
            for handle in handles.values():
                handle.close()

    # -- building ---------------------------------------------------------------------------

    def add_jsonl(self, path: Path, source: str) -> None:
        """Index a JSON Lines file: each good line by its time; each bad one noted as file:line, skipped."""
        file_index = len(self.files)
        self.files.append(path)
        self.source_names.append(source)
        order = len(self)
        try:
            handle = path.open("rb")
        except OSError as exc:
            self.problems.append(f"{path}: cannot read: {exc.strerror or exc}")
            return
        with handle:
            offset = 0
            for number, raw in enumerate(handle, 1):
                start, offset = offset, offset + len(raw)
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                    start += 3
                if not raw.strip():
                    continue
                line = json_line(number, raw.rstrip(b"\r\n"))
                if line.error is not None:
                    self.problems.append(f"{path}:{number}: {line.error}")
                    continue
                try:
                    article = jsonl_article(source, line.value, self.read_at)
                except ValueError as exc:   # our own checks
                    self.problems.append(f"{path}:{number}: {exc}")
                    continue
                self.lines.append(_Line(_time_key(article), order, file_index, start, number))
                order += 1

    def add_feed_file(self, path: Path, source: str) -> None:
        """An RSS/Atom file, parsed whole; a file that is not a feed is noted and skipped."""
        try:
            articles = parse_feed(source, path.read_bytes(), "", self.read_at)
        except (OSError, SourceError) as exc:
            reason = exc.reason if isinstance(exc, SourceError) else exc.strerror or str(exc)
            self.problems.append(f"{path}: skipped: {reason}")
            return
        self.hold(articles)

    def hold(self, articles: Sequence[Article]) -> None:
        order = len(self)
        for article in articles:
            self.held.append((_time_key(article), order, article))
            order += 1


def _time_key(article: Article) -> float:
    return UNDATED if article.published is None else article.published.timestamp()


def from_jsonl(path: Path) -> Archive:
    """`--articles FILE.jsonl`: the format `beacon match` reads; articles without `source` get the file's stem."""
    if not path.is_file():
        raise BeaconError(f"--articles: {path} is not a file")
    archive = Archive(str(path))
    archive.add_jsonl(path, path.stem)
    return archive


def from_dir(path: Path, pattern: str = "*", source: str | None = None) -> Archive:
    """A `dir` source's folder: every non-hidden file matching `pattern`, JSON Lines by suffix, else RSS/Atom."""
    if not path.is_dir():
        raise BeaconError(f"{path} is not a folder")
    archive = Archive(f"{path}/{pattern}")
    for file in sorted(path.glob(pattern)):
        if any(part.startswith(".") for part in file.relative_to(path).parts) or not file.is_file():
            continue
        if file.suffix.lower() in JSONL_SUFFIXES:
            archive.add_jsonl(file, source or file.stem)
        else:
            archive.add_feed_file(file, source or file.stem)
    if not archive.files and not archive.held and not archive.problems:
        raise BeaconError(f"no file in {path} matches {pattern!r}")
    return archive


HISTORY_NOTE = ("the state database keeps only articles that alerted (or were suppressed or held) under the "
                "rules in force when they arrived, until events.history_retention removes them; other articles "
                "are remembered by key alone, so a new or wider rule shows no new alerts from this input: replay "
                "an archive (--articles, --dir) for that")


def from_history(store: Store) -> Archive:
    """The articles in the state database's alert history, once each (an article alerting two rules is one)."""
    archive = Archive(f"state history ({store.path})", note=HISTORY_NOTE)
    seen: set[str] = set()
    articles = []
    for row in reversed(store.alerts.recent(limit=2**62)):   # oldest first, as recorded
        alert = store.alerts.get(row.id)
        if alert is None or alert.kind != AlertKind.ALERT or alert.article.key in seen:
            continue
        seen.add(alert.article.key)
        articles.append(alert.article)
    archive.hold(articles)
    return archive
