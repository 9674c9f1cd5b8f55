"""Alerts: every decision recorded (queued, update, edit, held, suppressed), and the alert read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.enums import AlertStatus, Channel, OutboxStatus
from bot.models import Alert
from bot.store.codec import alert_from, alert_payload, alert_status
from bot.store.database import Database, ts, utc


@dataclass(frozen=True)
class AlertRecord:
    """One alert row as history shows it: what was decided about it, and why."""

    id: int
    rule_id: str
    key: str
    status: AlertStatus
    reason: str | None
    created_at: datetime


class AlertStore:
    """The `alerts` table."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def record(self, alert: Alert, event_id: str | None) -> int:
        """Write one alert decision (inside the caller's transaction); its new id."""
        return self._db.insert_id(
            "INSERT INTO alerts (rule_id, article_key, created_at, payload, key, status, reason, event_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (alert.rule_id, alert.article.key, ts(alert.created_at), alert_payload(alert), alert.match.key,
             alert_status(alert), alert.suppressed, event_id))

    def get(self, alert_id: int) -> Alert | None:
        row = self._db.row("SELECT id, payload, created_at FROM alerts WHERE id=?", (alert_id,))
        return alert_from(row["payload"], row["id"], row["created_at"]) if row else None

    def sent_to(self, alert_id: int, chat_id: int) -> bool:
        """Was this Telegram chat sent the alert, its incident's message or an escalation of it? A button names an
        alert by id, and a forged or stale one must not act on an alert of another chat."""
        return self._db.row(
            "SELECT 1 FROM outbox WHERE status=? AND channel=? AND chat_id=? AND (alert_id=? OR escalates=? "
            "OR event_id=(SELECT event_id FROM alerts WHERE id=?)) LIMIT 1",
            (OutboxStatus.SENT, Channel.TELEGRAM, chat_id, alert_id, alert_id, alert_id)) is not None

    def event_id(self, alert_id: int) -> str | None:
        row = self._db.row("SELECT event_id FROM alerts WHERE id=?", (alert_id,))
        return row[0] if row else None

    def first_held(self, event_id: str) -> Alert | None:
        """An event's first alert held back for more sources, if it still is."""
        row = self._db.row("SELECT id, payload, created_at FROM alerts WHERE event_id=? AND status=? "
                           "ORDER BY id LIMIT 1", (event_id, AlertStatus.HELD))
        return alert_from(row["payload"], row["id"], row["created_at"]) if row else None

    def decide(self, alert_id: int, status: AlertStatus, reason: str | None) -> None:
        """Change what was decided about an alert (a held one released); inside the caller's transaction."""
        self._db.execute("UPDATE alerts SET status=?, reason=? WHERE id=?", (status, reason, alert_id))

    def alerted_since(self, rule_id: str, key: str, since: datetime) -> bool:
        """Was an alert with this rule and key queued since then? (for throttles)

        Only a new alert counts: an event's updates and edits do not restart a throttle.
        """
        return self._db.row("SELECT 1 FROM alerts WHERE rule_id=? AND key=? AND status=? AND created_at >= ? "
                            "LIMIT 1", (rule_id, key, AlertStatus.QUEUED, ts(since))) is not None

    def sent_from_source(self, source: str, since: datetime, limit: int = 200) -> list[Alert]:
        """New alerts (not updates, not suppressed) whose article came from `source` since then, newest first:
        the trend alerts, whose articles Beacon writes under a source of its own (`beacon events`)."""
        pattern = "guid:" + source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%"
        rows = self._db.rows("SELECT id, payload, created_at FROM alerts WHERE created_at >= ? AND status=? "
                             "AND article_key LIKE ? ESCAPE '\\' ORDER BY created_at DESC, id DESC LIMIT ?",
                             (ts(since), AlertStatus.QUEUED, pattern, limit))
        return [alert_from(r["payload"], r["id"], r["created_at"]) for r in rows]

    def recent(self, limit: int = 100) -> list[AlertRecord]:
        """The newest alerts with their decisions, newest first: for history views and tests."""
        rows = self._db.rows("SELECT id, rule_id, key, status, reason, created_at FROM alerts "
                             "ORDER BY id DESC LIMIT ?", (limit,))
        return [AlertRecord(r[0], r[1], r[2], AlertStatus(r[3]), r[4], utc(r[5])) for r in rows]
