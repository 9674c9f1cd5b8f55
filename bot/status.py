"""What Beacon knows about its sources, as rows for `beacon sources` (and Telegram's /status later)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Config
from bot.durations import format_duration
from bot.enums import LeaseName, OutboxStatus, SourceHealth
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
    polled_by: str = ""   # several instances (bot/instances.py): the one polling it now, or that polled it last


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
    pollers = store.sources.pollers() if config.shared else {}
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
        poller = pollers.get(source.name)
        polled_by = ""
        if poller is not None:
            polling_now = poller.lease_until is not None and poller.lease_until >= now
            polled_by = f"{poller.instance_id} ({'now' if polling_now else _ago(poller.started_at, now)})"
        rows.append(SourceRow(source.name, source.type, shown, _ago(state.last_success, now), error,
                              state.items_seen, next_poll, health, polled_by))
    return rows


def format_rows(rows: list[SourceRow]) -> str:
    headers: tuple[str, ...] = ("source", "type", "health", "last success", "items seen", "next poll", "last error")
    table = [headers] + [(r.name, r.type, r.health, r.last_success, str(r.items_seen), r.next_poll, r.last_error)
                         for r in rows]
    if any(r.polled_by for r in rows):   # several instances share the work: which one polls each source
        table = [(*row[:-1], polled, row[-1]) for row, polled in zip(table, ["polled by", *(r.polled_by for r in rows)],
                                                                        strict=True)]
        headers = table[0]
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
    if config.shared:
        lines.append(instances_html(config, store, now))
    if dry_run:
        lines.append("Mode: dry run")
    return "\n".join(lines)


def instances_html(config: Config, store: Store, now: datetime) -> str:
    """Several instances on one database: each one seen lately, the leader and the timers marked, and how
    many sources each polled last."""
    lease = timedelta(seconds=config.cluster.lease)
    instances = store.leases.instances(now - lease * 3)
    leader = store.leases.holder(LeaseName.COMMANDS, now)
    timers = store.leases.holder(LeaseName.TIMERS, now)
    polled: dict[str, int] = {}
    for poller in store.sources.pollers().values():
        polled[poller.instance_id] = polled.get(poller.instance_id, 0) + 1
    lines = [f"Instances: {len(instances)}"]
    for instance in instances:
        roles = []
        if leader is not None and leader.holder == instance.id:
            roles.append("leader, answers commands")
        if timers is not None and timers.holder == instance.id:
            roles.append("timers")
        roles.append(f"polled {polled.get(instance.id, 0)} sources last")
        lines.append(f"• {html.escape(instance.id)}: {', '.join(roles)}; seen {_ago(instance.seen_at, now)}")
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
        if r.polled_by:
            line += f"; polled by {html.escape(r.polled_by)}"
        if r.last_error:
            line += f"\n  last error: {html.escape(r.last_error)}"
        lines.append(line)
    return "\n".join(lines)
