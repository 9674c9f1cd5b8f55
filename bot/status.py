"""What Beacon knows about its sources, as rows for `beacon sources` (and Telegram's /status later)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from bot.durations import format_duration
from bot.store import SourceState, Store


@dataclass(frozen=True)
class SourceRow:
    name: str
    type: str
    health: str
    last_success: str
    last_error: str
    items_seen: int
    next_poll: str


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = (now - when).total_seconds()
    return "just now" if seconds < 1 else f"{format_duration(seconds)} ago"


def _health(state: SourceState) -> str:
    if state.disabled:
        return "disabled"
    if state.last_poll is None:
        return "not polled yet"
    if state.failures:
        return f"failing ({state.failures} in a row)"
    return "ok"


def source_rows(config: Config, store: Store, now: datetime) -> list[SourceRow]:
    rows = []
    for source in config.sources:
        state = store.source_state(source.name)
        if state.disabled:
            next_poll = "disabled"
        elif state.next_poll and state.next_poll > now:
            next_poll = f"in {format_duration((state.next_poll - now).total_seconds())} (backoff)"
        elif state.last_poll:
            due = state.last_poll.timestamp() + source.interval - now.timestamp()
            next_poll = f"in about {format_duration(due)}" if due > 1 else "due"
        else:
            next_poll = "at start"
        error = ""
        if state.last_error and (state.failures or state.disabled):
            error = f"{state.last_error} ({_ago(state.last_error_at, now)})"
        rows.append(SourceRow(source.name, source.type, _health(state), _ago(state.last_success, now), error,
                              state.items_seen, next_poll))
    return rows


def format_rows(rows: list[SourceRow]) -> str:
    headers = ("source", "type", "health", "last success", "items seen", "next poll", "last error")
    table = [headers] + [(r.name, r.type, r.health, r.last_success, str(r.items_seen), r.next_poll, r.last_error)
                         for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers) - 1)]
    lines = []
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"
