"""Recent incidents as people and scripts read them: a table or JSON Lines for `beacon events`, a list for
Telegram's `/events`."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from bot.enums import EventStatus, OutboxStatus
from bot.models import Event
from bot.render import format_time

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import EventReport
    from bot.trends.listing import TrendRecord


def _facts(event: Event) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:,}" if isinstance(v, int) else f"{k.replace('_', ' ')} {v}"
                     for k, v in event.facts.items())


def _status(event: Event) -> str:
    if event.status == EventStatus.HELD:
        return f"held (waiting for sources, {len(event.sources)} so far)"
    updates = len(event.updates)
    return "alerted" + (f", {updates} update{'s' if updates != 1 else ''}" if updates else "")


def status_here(event: Event, rows: Sequence[tuple[OutboxStatus, str | None]]) -> str:
    """An incident's status as one chat lived it, from its outbox rows there ((status, last error) oldest first):
    `/events` says "alerted" only where the chat was sent it, and otherwise what became of it there (held for
    quiet hours, told in a digest, muted, not sent to this chat)."""
    statuses = [status for status, _error in rows]
    if event.status == EventStatus.HELD or OutboxStatus.SENT in statuses:
        return _status(event)
    held = [error for status, error in rows if status == OutboxStatus.HELD]
    if held:
        return f"held here ({held[0] or 'quiet hours, digest or hourly ceiling'}), not sent yet"
    if OutboxStatus.DIGESTED in statuses:
        return "told here in a digest"
    if OutboxStatus.PENDING in statuses or OutboxStatus.SENDING in statuses:
        return "queued here, not sent yet"
    if OutboxStatus.MUTED in statuses:
        return "muted here"
    if OutboxStatus.DEAD in statuses:
        return "not delivered here (given up)"
    return "not sent to this chat"


def events_table(events: Sequence[Event], timezone: str | None = None) -> str:
    """One line per event: time, rule, severity, regions, facts, sources, status; newest first."""
    headers = ("time", "event", "rule", "severity", "regions", "facts", "sources", "status", "headline")
    rows = [headers] + [(format_time(e.first_at, timezone, "%Y-%m-%d %H:%M"), e.id, ",".join(e.rule_ids),
                         e.severity.label,
                         ", ".join(e.regions) or "-", _facts(e) or "-", str(len(e.sources)), _status(e),
                         str(e.headline.get("title", ""))[:70]) for e in events]
    if len(rows) == 1:
        return "no events in this period\n"
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers) - 1)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip()
             for row in rows]
    return "\n".join(lines) + "\n"


def events_html(events: Sequence[Event], timezone: str | None = None, limit: int = 20,
                trends: Sequence[TrendRecord] = (), here: Callable[[Event], str] | None = None) -> str:
    """The `/events` answer: the last day's events, newest first, each with its facts and sources; then the
    trend alerts decided in that time (as `beacon events` lists them). `here`: each event's status in the chat
    asking (`status_here`), in place of the incident's own."""
    status = here or _status
    if not events:
        return "No events in the last 24 hours." + trends_html(trends, timezone)
    lines = [f"<b>Events, last 24 hours</b> ({len(events)})"]
    for e in events[:limit]:
        facts = _facts(e)
        lines.append(
            f"• {format_time(e.first_at, timezone, '%H:%M')} <b>{html.escape(', '.join(e.rule_ids))}</b> · "
            f"{e.severity.label}"
            + (f" · {html.escape(', '.join(e.regions))}" if e.regions else "")
            + f"\n  {html.escape(str(e.headline.get('title', '')))}"
            + (f"\n  {html.escape(facts)}" if facts else "")
            + f"\n  {len(e.sources)} source{'s' if len(e.sources) != 1 else ''} · {html.escape(status(e))}"
            + f" · <code>{html.escape(e.id)}</code>")
    if len(events) > limit:
        lines.append(f"… and {len(events) - limit} more (beacon events lists them all)")
    return "\n".join(lines) + trends_html(trends, timezone)


def trends_html(trends: Sequence[TrendRecord], timezone: str | None = None, limit: int = 10,
                incidents_shown: int = 5) -> str:
    """The trend alerts part of `/events`, newest first: each one's rule, severity, region and what it said,
    its window and how many incidents it counted, then those incidents (time, id, source, headline); a
    sequence's say which came first. A trend alert counts incidents rather than being one, so it is listed
    apart from them. Empty when there were none."""
    if not trends:
        return ""
    lines = ["", f"<b>Trend alerts, last 24 hours</b> ({len(trends)})"]
    for record in trends[:limit]:
        region = f" · {html.escape(record.region)}" if record.region else ""
        lines.append(f"• {format_time(record.at or record.decided_at, timezone, '%H:%M')} "
                     f"<b>{html.escape(record.rule)}</b> · {html.escape(record.severity)}{region}"
                     f"\n  {html.escape(record.headline)}")
        window = f"window {html.escape(record.window)}" if record.window else "no window"
        if record.silent_since is not None:
            lines.append(f"  {window} · silent since {format_time(record.silent_since, timezone, '%d %b %H:%M')}")
        else:
            count = len(record.incidents)
            lines.append(f"  {window} · counted {count} incident{'s' if count != 1 else ''}")
        for incident in record.incidents[:incidents_shown]:
            step = f"{html.escape(incident.step)}: " if incident.step else ""
            when = format_time(incident.at, timezone, "%d %b %H:%M") if incident.at else "?"
            lines.append(f"  – {step}{when} <code>{html.escape(incident.id)}</code> "
                         f"{html.escape(incident.source)}: {html.escape(incident.headline)}")
        if len(record.incidents) > incidents_shown:
            lines.append(f"  – … and {len(record.incidents) - incidents_shown} more")
    if len(trends) > limit:
        lines.append(f"… and {len(trends) - limit} more (beacon events lists them all)")
    return "\n".join(lines)


def event_record(event: Event, reports: Sequence[EventReport]) -> dict[str, Any]:
    """One incident as plain JSON data: what Beacon grouped, for scripts, dashboards and outside checks.

    Report times are publication times (the arrival time where a feed gave none, or a date in the future: that
    date is kept as the report's `claimed_published`); each report is listed once; `first_seen_at` and
    `last_seen_at` are when Beacon read its first and latest report. Reports are listed in the order
    they were published, not the order two feeds polled at once happened to be read in."""
    reports = sorted(reports, key=lambda r: (r.published or r.arrived, r.arrived))
    times = [r.published or r.arrived for r in reports]
    rules = event.rules or ()
    return {
        "id": event.id,
        "rules": list(event.rule_ids),
        "titles": [r.title for r in rules] or [event.rule_title],
        "severity": event.severity.label,
        "status": event.status,
        "facts": dict(event.facts),
        "regions": list(event.regions),
        "sources": list(event.sources),
        "headline": {k: v for k, v in event.headline.items()
                     if k in ("title", "url", "source", "published", "claimed_published")},
        "first_report_at": times[0] if times else None,
        "last_report_at": times[-1] if times else None,
        "first_seen_at": event.first_at.isoformat(),
        "last_seen_at": event.last_at.isoformat(),
        "updates": [{"at": u.at.isoformat(), "published": u.published.isoformat() if u.published else None,
                     "kind": u.kind, "changes": list(u.changes), "source": u.source} for u in event.updates],
        "reports": [{"article_id": r.article_id, "source": r.source, "title": r.title, "url": r.url,
                     "published": r.published, "claimed_published": r.claimed_published, "arrived": r.arrived,
                     "decision": r.decision} for r in reports],
    }


def events_json(events: Sequence[Event], reports: Callable[[str], Sequence[EventReport]]) -> str:
    """JSON Lines: one object per incident (`event_record`), newest first."""
    return "".join(json.dumps(event_record(e, reports(e.id)), ensure_ascii=False, default=_plain) + "\n"
                   for e in events)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def events_command(config: Config, since: float, timezone: str | None, form: str, out: TextIO) -> int:
    """`beacon events`: the incidents with a report in the last `since` seconds, then the trend alerts decided
    in that time, as a table or JSON Lines."""
    from bot.store import Store
    from bot.trends.alerts import TREND_SOURCE
    from bot.trends.listing import trend_json, trend_record, trends_table

    store = Store(config.store_location)
    try:
        start = datetime.now(UTC) - timedelta(seconds=since)
        events = store.events.recent(start)
        # trend alerts count incidents rather than being one: listed after them, from their alert rows
        trends = [trend_record(alert) for alert in store.alerts.sent_from_source(TREND_SOURCE, start)]
        if form == "json":
            out.write(events_json(events, store.events.reports))
            out.write("".join(json.dumps(trend_json(t), ensure_ascii=False) + "\n" for t in trends))
        else:
            out.write(events_table(events, timezone) + trends_table(trends, timezone))
    finally:
        store.close()
    return 0


def explain_command(config: Config, event_id: str, chat_id: int, out: TextIO) -> int:
    """`beacon explain-delivery INCIDENT CHAT`: 0 when the incident exists, 1 when it does not."""
    from bot.store import Store
    from bot.why import explain_delivery

    store = Store(config.store_location)
    try:
        text, found = explain_delivery(store, event_id, chat_id, datetime.now(UTC), config.oncall)
    finally:
        store.close()
    out.write(text)
    return 0 if found else 1
