"""Recent events as people read them: a table for `beacon events`, a list for Telegram's `/events`."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.models import Event
from bot.render import format_time


def _facts(event: Event) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) else f"{k.replace('_', ' ')} {v}"
                     for k, v in event.facts.items())


def _status(event: Event) -> str:
    if event.status == "held":
        return f"held (waiting for sources, {len(event.sources)} so far)"
    updates = len(event.updates)
    return "alerted" + (f", {updates} update{'s' if updates != 1 else ''}" if updates else "")


def events_table(events: Sequence[Event], timezone: str | None = None) -> str:
    """One line per event: time, rule, severity, regions, facts, sources, status; newest first."""
    headers = ("time", "event", "rule", "severity", "regions", "facts", "sources", "status", "headline")
    rows = [headers] + [(format_time(e.first_at, timezone, "%Y-%m-%d %H:%M"), e.id, e.rule_id, e.severity.label,
                         ", ".join(e.regions) or "-", _facts(e) or "-", str(len(e.sources)), _status(e),
                         str(e.headline.get("title", ""))[:70]) for e in events]
    if len(rows) == 1:
        return "no events in this period\n"
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers) - 1)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip()
             for row in rows]
    return "\n".join(lines) + "\n"


def events_html(events: Sequence[Event], timezone: str | None = None, limit: int = 20) -> str:
    """The `/events` answer: the last day's events, newest first, each with its facts and sources."""
    if not events:
        return "No events in the last 24 hours."
    lines = [f"<b>Events, last 24 hours</b> ({len(events)})"]
    for e in events[:limit]:
        facts = _facts(e)
        lines.append(
            f"• {format_time(e.first_at, timezone, '%H:%M')} <b>{html.escape(e.rule_id)}</b> · {e.severity.label}"
            + (f" · {html.escape(', '.join(e.regions))}" if e.regions else "")
            + f"\n  {html.escape(str(e.headline.get('title', '')))}"
            + (f"\n  {html.escape(facts)}" if facts else "")
            + f"\n  {len(e.sources)} source{'s' if len(e.sources) != 1 else ''} · {html.escape(_status(e))}")
    if len(events) > limit:
        lines.append(f"… and {len(events) - limit} more (beacon events lists them all)")
    return "\n".join(lines)
