"""Events (incidents): saved as their JSON snapshot, found again by rule or tag, with their reports and
deliveries for `beacon events` and `beacon explain-delivery`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from bot.enums import AlertStatus, Channel, EventStatus, OutboxStatus
from bot.models import Event
from bot.store.codec import article_of, event_from, event_state
from bot.store.database import Database, dt, marks, ts, utc
from bot.store.outbox import OutboxRow, outbox_row


@dataclass(frozen=True)
class EventReport:
    """One report folded into an event: the article, and what was decided about it."""

    article_id: str
    source: str
    title: str
    url: str | None
    published: str | None          # ISO 8601, as the feed gave it (normalised to UTC)
    arrived: str                   # ISO 8601, when Beacon read it
    decision: AlertStatus
    reason: str | None
    claimed_published: str | None = None   # the feed's date when it lay in the future (`published` is the arrival)


# which of two decisions about one report tells what it did: a new message, then an update, an edit, a hold, nothing
_DECISION_WEIGHT = {AlertStatus.QUEUED: 4, AlertStatus.UPDATE: 3, AlertStatus.EDIT: 2, AlertStatus.HELD: 1,
                    AlertStatus.SUPPRESSED: 0}


@dataclass(frozen=True)
class OriginalDelivery:
    """The row that carried an event's first message to one chat: its first alert, or the update that
    brought the incident to a chat that joined it later (then sent the whole incident)."""

    status: OutboxStatus
    message_id: int | None
    sent_at: datetime | None


class EventStore:
    """The `events` table and its lookup index."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def save(self, event: Event) -> None:
        """Insert or update an event and its lookups (inside the caller's transaction)."""
        self._db.execute(
            "INSERT INTO events (id, rule_id, key, status, severity, first_at, last_at, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status=excluded.status, "
            "severity=excluded.severity, last_at=excluded.last_at, state=excluded.state",
            (event.id, event.rule_id, event.key, event.status, event.severity.label, ts(event.first_at),
             ts(event.last_at), event_state(event)))
        lookups = [f"rule:{rule_id}" for rule_id in event.rule_ids] + [f"tag:{tag}" for tag in event.tags]
        self._db.executemany("INSERT INTO event_lookup (event_id, lookup) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             [(event.id, lookup) for lookup in lookups])

    def set_message(self, event_id: str, alert_id: int) -> None:
        """The alert whose message is edited as the event changes (inside the caller's transaction)."""
        self._db.execute("UPDATE events SET alert_id=? WHERE id=?", (alert_id, event_id))

    def open_events(self, rule_id: str, since: datetime, known: dict[str, Event] | None = None) -> list[Event]:
        """Events one of whose rules is this one (or, given `tag:<tag>`, carries the tag) with a report since
        then, newest first: the candidates a new report may join.

        `known` caches decoded events by id: a row whose last report and status are unchanged is
        not decoded again (the state JSON is most of the cost of clustering a busy first cycle).
        """
        lookup = rule_id if rule_id.startswith("tag:") else f"rule:{rule_id}"
        rows = self._db.rows("SELECT e.id, e.last_at, e.status FROM event_lookup k JOIN events e "
                             "ON e.id = k.event_id WHERE k.lookup=? AND e.last_at >= ? "
                             "ORDER BY e.last_at DESC LIMIT 100", (lookup, ts(since)))
        known = {} if known is None else known
        stale = [r["id"] for r in rows if (cached := known.get(r["id"])) is None
                 or cached.last_at.timestamp() != r["last_at"] or cached.status != r["status"]]
        step = self._db.dialect.max_params
        for i in range(0, len(stale), step):
            chunk = stale[i:i + step]
            for row in self._db.rows(f"SELECT * FROM events WHERE id IN ({marks(len(chunk))})", chunk):
                known[row["id"]] = event_from(row)
        return [known[r["id"]] for r in rows]

    def get(self, event_id: str) -> Event | None:
        row = self._db.row("SELECT * FROM events WHERE id=?", (event_id,))
        return event_from(row) if row else None

    def recent(self, since: datetime, limit: int = 200) -> list[Event]:
        """Events with a report since then, newest first: for `beacon events` and `/events`."""
        rows = self._db.rows("SELECT * FROM events WHERE last_at >= ? ORDER BY first_at DESC LIMIT ?",
                             (ts(since), limit))
        return [event_from(r) for r in rows]

    def held_due(self, now: datetime) -> list[Event]:
        """Held events (waiting for more sources) whose longest wait has passed."""
        events = [event_from(r) for r in self._db.rows("SELECT * FROM events WHERE status=?", (EventStatus.HELD,))]
        return [e for e in events if e.hold_until is not None and e.hold_until <= now]

    def reports(self, event_id: str) -> list[EventReport]:
        """Every report folded into an event, once each, in arrival order, with what was decided about it. A report
        telling two incidents of one event (a build-up answering the clash it joined) is decided twice, an update
        and "adds nothing": it is one report, listed with the decision that did the most (`_DECISION_WEIGHT`)."""
        rows = self._db.rows("SELECT article_key, created_at, status, reason, payload FROM alerts WHERE event_id=? "
                             "ORDER BY id", (event_id,))
        reports: dict[str, EventReport] = {}
        for row in rows:
            article = article_of(row["payload"])
            report = EventReport(row["article_key"], article["source"], article["title"], article["url"],
                                 article["published"], utc(row["created_at"]).isoformat(),
                                 AlertStatus(row["status"]), row["reason"], article.get("claimed_published"))
            known = reports.get(report.article_id)
            if known is None:
                reports[report.article_id] = report
            elif _DECISION_WEIGHT[report.decision] > _DECISION_WEIGHT[known.decision]:
                reports[report.article_id] = dataclasses.replace(report, arrived=known.arrived)
        return list(reports.values())

    def deliveries(self, event_id: str, chat_id: int | None = None) -> list[OutboxRow]:
        """The outbox rows of an event (in one chat, if given), oldest first: what delivery did with it."""
        rows = self._db.rows("SELECT * FROM outbox WHERE event_id=? AND (CAST(? AS BIGINT) IS NULL OR chat_id=?) "
                             "ORDER BY id",
                             (event_id, chat_id, chat_id))
        return [outbox_row(r) for r in rows]

    def original_delivery(self, event_id: str, channel: Channel, chat_id: int, thread_id: int | None, *,
                          before: int) -> OriginalDelivery | None:
        """The row that carried an event's first message to this chat (status, message id, when sent): the
        chat's oldest row of the event queued before row `before` and not given up. Usually its first alert's;
        for a chat the incident reached only through a later report, the update that sent it in full there,
        so further updates edit that message and reply under it instead of sending it whole again."""
        row = self._db.row(
            "SELECT status, message_id, sent_at FROM outbox WHERE alert_id IN (SELECT id FROM alerts "
            "WHERE event_id=?) AND event_id=? AND channel=? AND chat_id=? AND thread_id=? AND id < ? "
            "AND status <> ? ORDER BY id LIMIT 1",
            (event_id, event_id, channel, chat_id, thread_id or 0, before, OutboxStatus.DEAD))
        return OriginalDelivery(OutboxStatus(row[0]), row[1], dt(row[2])) if row else None
