"""What Beacon knows about its sources, as rows for `beacon sources` (and Telegram's /status later)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from bot.durations import format_duration
from bot.enums import OutboxStatus, SourceHealth
from bot.store import SourceState, Store


@dataclass(frozen=True)
class SourceRow:
    name: str
    type: str
    health: str           # `state`, with the run of failures counted when failing
    last_success: str
    last_error: str
    items_seen: int
    next_poll: str
    state: SourceHealth = SourceHealth.OK


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = (now - when).total_seconds()
    return "just now" if seconds < 1 else f"{format_duration(seconds)} ago"


def _health(state: SourceState) -> SourceHealth:
    if state.disabled:
        return SourceHealth.DISABLED
    if state.last_poll is None:
        return SourceHealth.NOT_POLLED
    if state.failures:
        return SourceHealth.FAILING
    return SourceHealth.OK


def source_rows(config: Config, store: Store, now: datetime) -> list[SourceRow]:
    rows = []
    for source in config.sources:
        state = store.sources.state(source.name)
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
        health = _health(state)
        shown = f"{health} ({state.failures} in a row)" if health == SourceHealth.FAILING else str(health)
        rows.append(SourceRow(source.name, source.type, shown, _ago(state.last_success, now), error,
                              state.items_seen, next_poll, health))
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


def status_html(config: Config, store: Store, rules_loaded: int, now: datetime, dry_run: bool) -> str:
    """The `/status` answer: sources' health, rules loaded, last poll, outbox depth."""
    rows = source_rows(config, store, now)
    healthy = sum(r.state == SourceHealth.OK for r in rows)
    states = [store.sources.state(s.name) for s in config.sources]
    polls = [s.last_poll for s in states if s.last_poll]
    counts = store.outbox.counts()
    lines = [
        "<b>Beacon status</b>",
        f"Sources: {healthy}/{len(rows)} healthy" + "".join(
            f"\n• {html.escape(r.name)}: {html.escape(r.health)}" for r in rows if r.state != SourceHealth.OK),
        f"Rules loaded: {rules_loaded}",
        f"Last poll: {_ago(max(polls), now) if polls else 'none yet'}",
        f"Queue: {counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)} waiting, "
        f"{counts.get(OutboxStatus.SENT, 0)} sent, {counts.get(OutboxStatus.DEAD, 0)} given up",
    ]
    if counts.get(OutboxStatus.DEAD):
        lines.append(given_up_html(store, counts[OutboxStatus.DEAD]))
    if dry_run:
        lines.append("Mode: dry run")
    return "\n".join(lines)


def given_up_html(store: Store, total: int, shown: int = 3) -> str:
    """The newest alerts given up, with why and how to send them again: an alert is never lost silently."""
    lines = [f"<b>Given up</b> (newest {min(shown, total)} of {total}; <code>beacon outbox retry --id N</code> "
             "or <code>--all-dead</code> sends them again):"]
    for dead in store.outbox.dead(limit=shown):
        lines.append(f"• #{dead.id} to chat {dead.target.chat_id}: {html.escape(dead.title[:80])}\n"
                     f"  {html.escape(dead.error[:200])}")
    return "\n".join(lines)


def sources_html(config: Config, store: Store, now: datetime) -> str:
    """The `/sources` answer: one line per source with health, last success, last error and next poll."""
    lines = ["<b>Sources</b>"]
    for r in source_rows(config, store, now):
        line = (f"• <b>{html.escape(r.name)}</b> ({r.type}): {html.escape(r.health)}; last success "
                f"{html.escape(r.last_success)}; {r.items_seen} items; next poll {html.escape(r.next_poll)}")
        if r.last_error:
            line += f"\n  last error: {html.escape(r.last_error)}"
        lines.append(line)
    return "\n".join(lines)
