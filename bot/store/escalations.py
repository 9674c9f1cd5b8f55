"""Escalations: one row per escalated alert, its steps, acknowledgements, and the messages they queue.

What a step sends and what an acknowledgement tells whom is `bot.escalation`'s; this part keeps
the rows and writes the messages as outbox rows marked `escalates`, each step in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.enums import AlertAction, Channel, NotifyKind, OutboxStatus
from bot.escalation import EscalationState, Notify, Step, acknowledged_notices, escalation_alert, in_chat
from bot.models import Alert, Target
from bot.store.alerts import AlertStore
from bot.store.database import Database, Row, dt, ts, utc
from bot.store.events import EventStore
from bot.store.outbox import add_row


def _state_from(row: Row) -> EscalationState:
    return EscalationState(row["alert_id"], row["step"], tuple(int(c) for c in row["chats"].split(",") if c),
                           utc(row["started_at"]), utc(row["since"]), dt(row["done_at"]), row["acknowledged_by"])


class EscalationStore:
    """Escalation rows and acknowledgements; reads alerts and events to word the messages."""

    def __init__(self, database: Database, alerts: AlertStore, events: EventStore) -> None:
        self._db = database
        self._alerts = alerts
        self._events = events

    def start(self, alert_id: int, routed: Sequence[Target], since: datetime) -> None:
        """An alert routed to on-call chats escalates until acknowledged; inside the transaction that queues it,
        so a crash cannot queue the alert and lose its escalation."""
        chats = sorted({t.chat_id for t in routed if t.oncall})
        if chats:
            self._db.execute("INSERT INTO escalations (alert_id, step, chats, started_at, since) "
                             "VALUES (?, 0, ?, ?, ?) ON CONFLICT DO NOTHING",
                             (alert_id, ",".join(map(str, chats)), ts(since), ts(since)))

    def states(self, *, waiting_since: datetime | None = None) -> list[EscalationState]:
        """Every escalation, oldest first; with `waiting_since`, only running ones whose wait began by then."""
        if waiting_since is None:
            rows = self._db.rows("SELECT * FROM escalations ORDER BY alert_id")
        else:
            rows = self._db.rows("SELECT * FROM escalations WHERE done_at IS NULL AND since <= ? ORDER BY alert_id",
                                 (ts(waiting_since),))
        return [_state_from(r) for r in rows]

    def escalate(self, step: Step, now: datetime) -> int:
        """Queue a due step's messages and advance the escalation, in one transaction; returns messages queued.

        Nothing happens if the escalation moved meanwhile (acknowledged, or another run took the step).
        """
        with self._db.transaction():
            moved = self._db.changed(
                "UPDATE escalations SET step=step+1, since=?, done_at=? WHERE alert_id=? AND step=? "
                "AND done_at IS NULL", (ts(now), ts(now) if step.last else None, step.alert_id, step.step))
            original = self._alerts.get(step.alert_id) if moved else None
            if original is None:
                return 0
            for notify in step.messages:
                self._queue_message(original, notify, now, step=step.step, waited=step.waited)
            return len(step.messages)

    def _queue_message(self, original: Alert, notify: Notify, now: datetime, **facts: object) -> None:
        """One escalation message as an outbox row marked `escalates`; mutes do not apply (it is an escalation)."""
        alert_id = original.id or 0
        event_id = self._alerts.event_id(alert_id)
        thread = self._message_thread(alert_id, event_id, notify.chat_id)
        notify = in_chat(notify, thread is not None)
        # in the topic that holds the alert's message, so that the reply sits under it
        target = Target(Channel.TELEGRAM, notify.chat_id, thread or None)
        if notify.kind == NotifyKind.ALERT:
            add_row(self._db, alert_id, target, OutboxStatus.PENDING, AlertAction.SEND, event_id, now,
                    escalates=alert_id)
            return
        event = self._events.get(event_id) if event_id else None
        severity = event.severity if event else original.match.severity
        message = escalation_alert(original, severity, notify, now, **facts)
        message_id = self._alerts.record(message, None)
        add_row(self._db, message_id, target, OutboxStatus.PENDING, AlertAction.SEND, None, now, escalates=alert_id)

    def _message_thread(self, alert_id: int, event_id: str | None, chat_id: int) -> int | None:
        """Where this chat holds the alert's message (the forum topic, 0 for none), or None when it does not:
        a row of the alert, or of its incident not given up (a chat a later report brought in as a subscriber
        holds the incident's message through that update's row); the chat's oldest, General first."""
        row = self._db.row("SELECT thread_id FROM outbox WHERE channel=? AND chat_id=? AND (alert_id=? "
                           "OR (event_id=? AND escalates IS NULL AND status<>?)) ORDER BY thread_id <> 0, id LIMIT 1",
                           (Channel.TELEGRAM, chat_id, alert_id, event_id or "", OutboxStatus.DEAD))
        return int(row[0]) if row else None

    def acknowledge(self, alert_id: int, chat_id: int, user: str, now: datetime) -> tuple[str, datetime] | None:
        """Record the first acknowledgement of an alert in a chat; returns who acknowledged first, and when.

        None, and nothing written, when this chat was never sent the alert, its event or an escalation of it
        (a forged or stale button)."""
        with self._db.transaction():
            if not self._db.row("SELECT 1 FROM outbox WHERE status=? AND channel=? AND chat_id=? "
                                "AND (alert_id=? OR escalates=? OR event_id=(SELECT event_id FROM alerts "
                                "WHERE id=?)) LIMIT 1",
                                (OutboxStatus.SENT, Channel.TELEGRAM, chat_id, alert_id, alert_id, alert_id)):
                return None
            self._db.execute("INSERT INTO acks (alert_id, chat_id, \"user\", at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT DO NOTHING", (alert_id, chat_id, user, ts(now)))
            first = self.acknowledgement(alert_id, chat_id)
            self._stop(alert_id, chat_id, user, now)
        return first

    def acknowledgement(self, alert_id: int, chat_id: int) -> tuple[str, datetime] | None:
        row = self._db.row("SELECT \"user\", at FROM acks WHERE alert_id=? AND chat_id=?", (alert_id, chat_id))
        return (row[0], utc(row[1])) if row else None

    def _stop(self, alert_id: int, chat_id: int, user: str, now: datetime) -> None:
        """The first acknowledgement, in any chat that received the alert (or one of its escalation messages),
        ends the chain; escalation messages not sent yet are dropped, and the other on-call chats are told."""
        if not self._db.row("SELECT 1 FROM outbox WHERE (alert_id=? OR escalates=? OR event_id=(SELECT event_id "
                            "FROM alerts WHERE id=?)) AND chat_id=? AND status=? LIMIT 1",
                            (alert_id, alert_id, alert_id, chat_id, OutboxStatus.SENT)):
            return   # a button for an alert this chat never had (forged callback data)
        stopped = self._db.changed(
            "UPDATE escalations SET acknowledged_by=?, done_at=COALESCE(done_at, ?) WHERE alert_id=? "
            "AND acknowledged_by IS NULL", (user, ts(now), alert_id))
        if not stopped:
            return
        self._db.execute("UPDATE outbox SET status=?, sent_at=?, last_error='acknowledged before it was sent' "
                         "WHERE escalates=? AND status=?", (OutboxStatus.SKIPPED, ts(now), alert_id,
                                                            OutboxStatus.PENDING))
        row = self._db.row("SELECT * FROM escalations WHERE alert_id=?", (alert_id,))
        original = self._alerts.get(alert_id)
        if row is None or original is None:
            return
        had = [r[0] for r in self._db.rows("SELECT chat_id FROM outbox WHERE (alert_id=? OR event_id=(SELECT "
                                           "event_id FROM alerts WHERE id=?)) AND status=?",
                                           (alert_id, alert_id, OutboxStatus.SENT))]
        for notify in acknowledged_notices(_state_from(row), chat_id, had):
            self._queue_message(original, notify, now, by=user, at=now.isoformat())

    def escalated_message_id(self, delivery_id: int) -> int | None:
        """For an escalation message: the message of the alert it escalates in the same chat, to reply under;
        in a chat a later report brought the incident to, the update that sent it there whole (the chat's oldest
        sent row of the incident, as `EventStore.original_delivery` finds it)."""
        row = self._db.row(
            "SELECT a.message_id FROM outbox o JOIN outbox a ON a.channel = o.channel AND a.chat_id = o.chat_id "
            "AND a.thread_id = o.thread_id AND (a.alert_id = o.escalates OR (a.escalates IS NULL AND "
            "a.event_id = (SELECT event_id FROM alerts WHERE id = o.escalates))) "
            "WHERE o.id=? AND a.status=? ORDER BY a.id LIMIT 1",
            (delivery_id, OutboxStatus.SENT))
        return row[0] if row else None

    def shift(self, seconds: float) -> int:
        """After a wall-clock jump, running escalations keep the wait they had (inside the caller's transaction)."""
        return self._db.changed("UPDATE escalations SET since = since + ? WHERE done_at IS NULL", (seconds,))
