"""Trend alerts as `beacon events` lists them: the rule, the region, the window and the incidents counted.

A trend alert is not an incident of its own (it counts incidents), so the events table does not hold it;
its alert row does, with the firing kept as the alert's evidence (bot/trends/alerts.py). This reads that
back into plain records, for a table beside the incidents' and for JSON Lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.models import Alert
from bot.render import format_time
from bot.trends.alerts import INCIDENT_EVIDENCE, SILENCE_EVIDENCE, WINDOW_EVIDENCE

RECORD_KIND = "trend_alert"   # `"kind"` of a trend alert's line in `beacon events --format json`


@dataclass(frozen=True)
class CountedIncident:
    """One incident a trend alert counted, as its evidence recorded it."""

    id: str
    at: datetime | None
    source: str
    headline: str
    step: str = ""     # in a sequence: "first" or "then"


@dataclass(frozen=True)
class TrendRecord:
    """One trend alert: which rule fired, where, over which window, and on what."""

    alert_id: int | None
    rule: str
    title: str
    severity: str
    region: str               # the region's name, or the silent source's
    at: datetime | None       # when the pattern became true
    decided_at: datetime      # when Beacon decided the alert
    window: str
    headline: str
    incidents: tuple[CountedIncident, ...] = ()
    silent_since: datetime | None = None


def trend_record(alert: Alert) -> TrendRecord:
    """A trend alert read back from its row."""
    match = alert.match
    window = ""
    silent_since = None
    incidents = []
    for item in match.evidence:
        if item.kind == WINDOW_EVIDENCE:
            window = item.value
        elif item.kind == SILENCE_EVIDENCE:
            silent_since = _time(item.value)
        elif item.kind.endswith(INCIDENT_EVIDENCE):   # "incident", or a sequence's "first incident"
            step = item.kind.removesuffix(INCIDENT_EVIDENCE).strip()
            incidents.append(_incident(item.value, step, item.snippet))
    region = match.regions[0] if match.regions else match.key.partition("|source=")[2]
    return TrendRecord(alert.id, match.rule_id, match.rule_title, match.severity.label, region,
                       alert.article.published, alert.created_at, window, alert.article.title, tuple(incidents),
                       silent_since)


def _incident(incident_id: str, step: str, snippet: str) -> CountedIncident:
    """`2026-03-03T12:00:00+00:00 · sahel-wire: Eight worshippers shot dead ...` (a source name holds no ': ')."""
    when, _, rest = snippet.partition(" · ")
    source, _, headline = rest.partition(": ")
    return CountedIncident(incident_id, _time(when), source, headline, step)


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def trend_json(record: TrendRecord) -> dict[str, Any]:
    """One trend alert as JSON data: a line of `beacon events --format json`, told apart by its `kind`."""
    return {
        "kind": RECORD_KIND,
        "alert": record.alert_id,
        "rule": record.rule,
        "title": record.title,
        "severity": record.severity,
        "region": record.region,
        "at": record.at.isoformat() if record.at else None,
        "decided_at": record.decided_at.isoformat(),
        "window": record.window,
        "headline": record.headline,
        "silent_since": record.silent_since.isoformat() if record.silent_since else None,
        "incidents": [{"id": i.id, "at": i.at.isoformat() if i.at else None, "source": i.source,
                       "headline": i.headline, "step": i.step or None} for i in record.incidents],
    }


def trends_table(records: Sequence[TrendRecord], timezone: str | None = None) -> str:
    """Each trend alert on a line (time, rule, severity, region, window, headline), then one line per
    incident it counted; newest first."""
    if not records:
        return ""
    lines = ["", f"trend alerts ({len(records)})"]
    headers = ("time", "rule", "severity", "region", "window", "headline")
    rows = [headers] + [(_when(r.at or r.decided_at, timezone), r.rule, r.severity, r.region, r.window or "-",
                         r.headline) for r in records]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers) - 1)]
    for number, row in enumerate(rows):
        lines.append("  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip())
        if number == 0:
            continue
        record = records[number - 1]
        if record.silent_since is not None:
            lines.append(f"    silent since {_when(record.silent_since, timezone)}")
        for incident in record.incidents:
            step = f"{incident.step}: " if incident.step else ""
            when = _when(incident.at, timezone) if incident.at else "?"
            lines.append(f"    {step}{when}  {incident.id}  {incident.source}: {incident.headline}")
    return "\n".join(lines) + "\n"


def _when(at: datetime, timezone: str | None) -> str:
    return format_time(at, timezone, "%Y-%m-%d %H:%M")
