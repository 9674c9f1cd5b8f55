"""How alerts and events are kept as JSON in the state database, and read back.

The stored form is a contract with every database written before: never rename a key; a key
added later is read with a default (`.get`) so older rows still load.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.enums import AlertAction, AlertKind, AlertStatus, EventStatus, UpdateKind
from bot.models import Alert, Article, Event, EventRule, EventUpdate, Evidence, Match, Severity
from bot.store.database import Row, dt, ts, utc


def _update_json(update: EventUpdate) -> dict[str, Any]:
    return {"at": ts(update.at), "kind": update.kind, "changes": list(update.changes), "source": update.source,
            "title": update.title, "published": ts(update.published) if update.published else None}


def _update_from(u: dict[str, Any]) -> EventUpdate:
    return EventUpdate(utc(u["at"]), UpdateKind(u["kind"]), tuple(u["changes"]), u["source"], u["title"],
                       dt(u.get("published")))


def alert_payload(alert: Alert) -> str:
    a, m = alert.article, alert.match
    return json.dumps({
        "kind": alert.kind,
        "update": _update_json(alert.update) if alert.update else None,
        "article": {"source": a.source, "title": a.title, "text": a.text, "url": a.url, "guid": a.guid,
                    "published": a.published.isoformat() if a.published else None, "language": a.language,
                    "id": a.id,
                    "claimed_published": a.claimed_published.isoformat() if a.claimed_published else None},
        "match": {"rule_id": m.rule_id, "rule_title": m.rule_title, "severity": m.severity.label,
                  "tags": list(m.tags), "regions": list(m.regions), "facts": dict(m.facts),
                  "evidence": [e.as_dict() for e in m.evidence], "template": m.template, "key": m.key,
                  "region_keys": list(m.region_keys)},
    })


def alert_status(alert: Alert) -> AlertStatus:
    """A new alert is queued; an event's later report is an update or an edit of its message."""
    if alert.suppressed:
        return AlertStatus.SUPPRESSED
    if alert.held:
        return AlertStatus.HELD
    if alert.action == AlertAction.SEND:
        return AlertStatus.QUEUED
    return AlertStatus(alert.action)


def alert_from(payload: str, alert_id: int, created_at: float) -> Alert:
    """An alert read back from its row (`payload`, `id`, `created_at`)."""
    stored = json.loads(payload)
    a, m = stored["article"], stored["match"]
    article = Article(source=a["source"], title=a["title"], text=a["text"], url=a["url"], guid=a["guid"],
                      published=datetime.fromisoformat(a["published"]) if a["published"] else None,
                      language=a["language"], id=a.get("id"),
                      claimed_published=datetime.fromisoformat(a["claimed_published"])
                      if a.get("claimed_published") else None)
    match = Match(rule_id=m["rule_id"], rule_title=m["rule_title"], severity=Severity.parse(m["severity"]),
                  tags=tuple(m["tags"]), regions=tuple(m["regions"]), facts=m["facts"],
                  evidence=tuple(Evidence(**e) for e in m["evidence"]), template=m["template"],
                  key=m.get("key", ""), region_keys=tuple(m.get("region_keys", ())))
    u = stored.get("update")
    return Alert(article, match, utc(created_at), alert_id, kind=AlertKind(stored.get("kind", AlertKind.ALERT)),
                 update=_update_from(u) if u else None)


def article_of(payload: str) -> dict[str, Any]:
    """Only the article part of an alert's payload (source, title, url, published as ISO text)."""
    article: dict[str, Any] = json.loads(payload)["article"]
    return article


def event_state(event: Event) -> str:
    return json.dumps({
        "rule_title": event.rule_title, "headline": dict(event.headline), "facts": dict(event.facts),
        "regions": list(event.regions), "sources": list(event.sources), "reports": event.reports,
        "names": list(event.names), "words": list(event.words), "stories": list(event.stories),
        "source_killed": dict(event.source_killed),
        "updates": [_update_json(u) for u in event.updates],
        "hold_until": ts(event.hold_until) if event.hold_until else None,
        "rules": [{"id": r.id, "title": r.title, "severity": r.severity.label, "tags": list(r.tags),
                   "supersedes": list(r.supersedes)} for r in event.rules],
        "latest_at": ts(event.latest_at) if event.latest_at else None,
        "places": list(event.places), "languages": list(event.languages),
        "earliest_at": ts(event.earliest_at) if event.earliest_at else None,
        "region_keys": list(event.region_keys),
    })


def event_from(row: Row) -> Event:
    state = json.loads(row["state"])
    return Event(
        id=row["id"], rule_id=row["rule_id"], rule_title=state["rule_title"], key=row["key"],
        status=EventStatus(row["status"]),
        severity=Severity.parse(row["severity"]), first_at=utc(row["first_at"]),
        last_at=utc(row["last_at"]), headline=state["headline"], facts=state["facts"],
        regions=tuple(state["regions"]), sources=tuple(state["sources"]), reports=state["reports"],
        names=tuple(state["names"]), words=tuple(state["words"]), stories=tuple(state["stories"]),
        source_killed=state.get("source_killed", {}),
        updates=tuple(_update_from(u) for u in state["updates"]),
        alert_id=row["alert_id"], hold_until=dt(state["hold_until"]),
        rules=tuple(EventRule(r["id"], r["title"], Severity.parse(r["severity"]), tuple(r["tags"]),
                              tuple(r.get("supersedes", ()))) for r in state.get("rules", ())),
        latest_at=dt(state.get("latest_at")), places=tuple(state.get("places", ())),
        languages=tuple(state.get("languages", ())), earliest_at=dt(state.get("earliest_at")),
        region_keys=tuple(state.get("region_keys", ())))
