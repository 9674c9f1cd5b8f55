"""The outbox: one row per (alert, chat), queued in the transaction that records the alert, claimed
before the send and completed after it.

Crash safety: a row is claimed (committed `sending`) before the send and marked `sent` only after
Telegram accepted it; a row found `sending` at start-up was interrupted mid-send and is resent
marked as a possible repeat. Each chat's rows go out in order: only a chat's oldest waiting row
is ever due.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.enums import AlertAction, AlertKind, AlertStatus, Channel, EventStatus, OutboxStatus
from bot.escalation import ESCALATION_RULE
from bot.holds import Hold, held_by_settings
from bot.models import Alert, Article, Delivery, Event, Match, Severity, Target
from bot.routing import incident_of, not_yet_holding, raised_as_new, silencer
from bot.store.codec import alert_from
from bot.store.database import Database, Row, dt, marks, ts, utc

if TYPE_CHECKING:
    from bot.store.alerts import AlertStore
    from bot.store.chats import ChatStore
    from bot.store.escalations import EscalationStore
    from bot.store.events import EventStore

Route = Callable[[Alert], Iterable[Target]]
NOTICE_RULE = "beacon-notice"      # the rule id of Beacon's notices to its admins
DIGEST_RULE = "beacon-digest"      # the rule id of digests of held alerts
_WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


@dataclass(frozen=True)
class OutboxRow:
    """One outbox row as it stands: for `/status`, `beacon explain-delivery`, tests and debugging."""

    id: int
    alert_id: int
    channel: Channel
    chat_id: int
    thread_id: int                 # 0: no forum topic
    status: OutboxStatus
    action: AlertAction
    attempts: int
    next_attempt: datetime
    possible_repeat: bool
    parts_sent: int
    last_error: str | None
    message_id: int | None
    sent_at: datetime | None
    event_id: str | None
    escalates: int | None          # the alert an escalation message is for
    claimed_by: str | None = None  # several instances: the one that claimed it last (bot/instances.py)


def outbox_row(row: Row) -> OutboxRow:
    return OutboxRow(row["id"], row["alert_id"], Channel(row["channel"]), row["chat_id"], row["thread_id"],
                     OutboxStatus(row["status"]), AlertAction(row["action"]), row["attempts"],
                     utc(row["next_attempt"]), bool(row["possible_repeat"]), row["parts_sent"], row["last_error"],
                     row["message_id"], dt(row["sent_at"]), row["event_id"], row["escalates"], row["claimed_by"])


@dataclass(frozen=True)
class DeadDelivery:
    """An outbox row given up (a reason of its own, such as a 400 for this message): what and where, and why."""

    id: int
    rule_title: str
    title: str
    target: Target
    attempts: int
    error: str


@dataclass(frozen=True)
class HeldRow:
    """A row kept back (quiet hours, a digest, the hourly ceiling) whose hold is over."""

    id: int
    alert: Alert
    event_id: str | None
    reason: str


class _DigestedElsewhere(Exception):
    """Rolls a digest back: another instance took its held rows first."""


def add_row(db: Database, alert_id: int, target: Target, status: OutboxStatus, action: AlertAction,
            event_id: str | None, due: datetime, *, escalates: int | None = None) -> bool:
    """Queue one row (inside the caller's transaction); False if the alert already had a row for that target."""
    return db.changed(
        "INSERT INTO outbox (alert_id, channel, chat_id, thread_id, status, action, event_id, next_attempt, "
        "escalates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (alert_id, target.channel, target.chat_id, target.thread_id or 0, status, action, event_id, ts(due),
         escalates)) > 0


def _target(row: Row) -> Target:
    return Target(Channel(row["channel"]), row["chat_id"], row["thread_id"] or None)


class OutboxStore:
    """Queue, claim, complete; holds and digests; the counts `/status` shows."""

    def __init__(self, database: Database, alerts: AlertStore, events: EventStore, chats: ChatStore,
                 escalations: EscalationStore) -> None:
        self._db = database
        self._alerts = alerts
        self._events = events
        self._chats = chats
        self._escalations = escalations

    # -- queueing -------------------------------------------------------------------------------

    def queue(self, alert: Alert, route: Route) -> int:
        """Record one alert decision (and its event) and queue its rows, inside the caller's transaction.

        A new alert goes to every routed target; an event's update or edit goes to the chats
        that were sent the event's first alert, where its message is edited.
        """
        event = alert.event
        if event is not None:
            self._events.save(event)
        alert_id = self._alerts.record(alert, event.id if event else None)
        if alert.suppressed or alert.held:
            return alert_id
        if alert.action == AlertAction.SEND:
            if event is not None:
                self._events.set_message(event.id, alert_id)
            delay = alert.match.policy.group_wait if event is not None else 0.0
            routed = list(route(alert))
            targets = routed
        else:
            delay, routed = 0.0, []
            targets = self._event_targets(alert, event, route)
        due = alert.created_at + timedelta(seconds=delay)
        muted = self._silencer(alert, alert.created_at)
        for target in targets:
            if alert.action == AlertAction.EDIT and self._edit_pending(event, target):
                continue  # a pending edit renders the event as it is when sent: one is enough
            # a muted chat still gets the row, recorded as muted: visible in history, never sent
            status = OutboxStatus.MUTED if muted(target) else OutboxStatus.PENDING
            add_row(self._db, alert_id, target, status, alert.action, event.id if event else None, due)
        self._escalations.start(alert_id, routed, due)
        self._queue_raised(alert, route, due)
        return alert_id

    def _queue_raised(self, alert: Alert, route: Route, due: datetime) -> None:
        """An update that lifted its incident to the on-call line (`bot.routing.raised_as_new`): the incident's
        message goes to the on-call chats and its escalation starts, in this same transaction, so a crash
        cannot keep the update and lose the escalation. Once: an on-call chat that has the message gets no
        second row, nor does one this same update brings in as a subscriber (`bot.routing.not_yet_holding`), and an
        escalation already started is not started again."""
        event = alert.event
        as_new = raised_as_new(alert)
        if as_new is None or event is None or not event.alert_id:
            return
        oncall = [t for t in route(as_new) if t.oncall]
        for target in not_yet_holding(oncall, self._holding(event.id)):
            add_row(self._db, event.alert_id, target, OutboxStatus.PENDING, AlertAction.SEND, event.id, due)
        self._escalations.start(event.alert_id, oncall, due)

    def _holding(self, event_id: str) -> list[Target]:
        """The targets that hold (or are about to be sent) an event's message: any row of it not given up,
        of its first alert or of an update that brought it to a chat later (queued in this transaction too)."""
        rows = self._db.rows("SELECT DISTINCT channel, chat_id, thread_id FROM outbox WHERE event_id=? AND status<>?",
                             (event_id, OutboxStatus.DEAD))
        return [_target(r) for r in rows]

    def _event_targets(self, alert: Alert, event: Event | None, route: Route) -> list[Target]:
        """Where an event's update or edit goes: the chats the event reached (a row not given up, of its first
        alert or of an update that brought it to a chat later), and a chat the incident now reaches that it did
        not (a report moved it into the chat's region, or added a rule the chat follows): it is sent the whole
        incident there, once, as a new alert for that chat; later reports edit that message."""
        event_id = event.id if event else ""
        rows = self._db.rows("SELECT channel, chat_id, thread_id, status FROM outbox WHERE alert_id IN "
                             "(SELECT id FROM alerts WHERE event_id = ?) AND event_id = ? ORDER BY id",
                             (event_id, event_id))
        reached = {_target(r): None for r in rows if r["status"] != OutboxStatus.DEAD}
        had = {(r["chat_id"], r["thread_id"]) for r in rows}
        newly = [t for t in route(alert) if t.channel == Channel.TELEGRAM and (t.chat_id, t.thread_id or 0) not in had]
        return [*reached, *newly]

    def _edit_pending(self, event: Event | None, target: Target) -> bool:
        return self._db.row("SELECT 1 FROM outbox WHERE event_id=? AND chat_id=? AND thread_id=? AND status=? "
                            "AND action IN (?, ?) LIMIT 1",
                            (event.id if event else "", target.chat_id, target.thread_id or 0, OutboxStatus.PENDING,
                             AlertAction.EDIT, AlertAction.UPDATE)) is not None

    def _silencer(self, alert: Alert, at: datetime) -> Callable[[Target], bool]:
        """Does a mute cover this alert in a target's chat then? `bot.routing` decides, on the mutes and
        subscriptions read once here; only Telegram chats are muted."""
        mutes = self._chats.active_mutes(at)
        if not mutes:
            return lambda _target: False
        muted = silencer(incident_of(alert), self._chats.subscriptions(), mutes, at)
        return lambda target: target.channel == Channel.TELEGRAM and muted(target.chat_id)

    def queue_notice(self, text: str, targets: Sequence[Target], now: datetime) -> None:
        """A message from Beacon to its admins (a failing source, a rejected rule edit), through the outbox."""
        if not targets:
            return
        notice = Alert(Article("beacon", "Beacon notice", text), Match(NOTICE_RULE, "Beacon notice", Severity.INFO),
                       now, kind=AlertKind.NOTICE)
        with self._db.transaction():
            self.queue(notice, lambda _alert: targets)

    def queue_digest(self, target: Target, title: str, text: str, severity: Severity, row_ids: Sequence[int],
                     now: datetime) -> int | None:
        """One digest message in place of the held rows it summarises (marked `digested`), atomically.

        None, and nothing written, when another instance digested any of those rows first."""
        digest = Alert(Article("beacon", title, text), Match(DIGEST_RULE, title, severity), now,
                       kind=AlertKind.DIGEST)
        try:
            with self._db.transaction():
                alert_id = self.queue(digest, lambda _alert: [target])
                taken = self._db.changed(f"UPDATE outbox SET status=?, last_error=? WHERE status=? "
                                         f"AND id IN ({marks(len(row_ids))})",
                                         (OutboxStatus.DIGESTED, f"in digest alert {alert_id}", OutboxStatus.HELD,
                                          *row_ids))
                if taken != len(row_ids):
                    raise _DigestedElsewhere
        except _DigestedElsewhere:
            return None
        return alert_id

    def release_held_event(self, event: Event, route: Route, now: datetime) -> int | None:
        """Send a held event on what it has (its wait is over): its first held alert is queued."""
        with self._db.transaction():
            held = self._alerts.first_held(event.id)
            if held is None or held.id is None:
                return None
            opened = dataclasses.replace(event, status=EventStatus.OPEN, hold_until=None, updates=())
            self._events.save(opened)
            alert = dataclasses.replace(held, event=opened, created_at=now)
            self._alerts.decide(held.id, AlertStatus.QUEUED,
                                f"sent after waiting for more sources ({len(event.sources)} reported)")
            self._events.set_message(event.id, held.id)
            routed = list(route(alert))
            self._escalations.start(held.id, routed, now)
            muted = self._silencer(alert, now)
            for target in routed:
                add_row(self._db, held.id, target, OutboxStatus.MUTED if muted(target) else OutboxStatus.PENDING,
                        AlertAction.SEND, event.id, now)
            return held.id

    # -- delivery -------------------------------------------------------------------------------

    def recover_interrupted(self, expired_at: datetime | None = None) -> int:
        """Rows left `sending` by a crash may have reached Telegram: resend, marked as such.

        With several instances (`expired_at`), only rows whose claim's lease ran out by then: a row
        another live instance is sending is its own, and it renews the lease while it works."""
        with self._db.transaction():
            if expired_at is None:
                return self._db.changed("UPDATE outbox SET status=?, possible_repeat=1, claimed_by=NULL, "
                                        "lease_until=NULL WHERE status=?", (OutboxStatus.PENDING, OutboxStatus.SENDING))
            return self._db.changed("UPDATE outbox SET status=?, possible_repeat=1, claimed_by=NULL, lease_until=NULL "
                                    "WHERE status=? AND (lease_until IS NULL OR lease_until < ?)",
                                    (OutboxStatus.PENDING, OutboxStatus.SENDING, ts(expired_at)))

    def due(self, now: datetime, limit: int = 100, channel: Channel | None = None) -> list[Delivery]:
        """The oldest waiting row of each chat, if due: per-chat order is kept by construction."""
        rows = self._db.rows(
            """
            SELECT o.*, a.payload, a.created_at FROM outbox o JOIN alerts a ON a.id = o.alert_id
            WHERE o.status = ? AND (CAST(? AS TEXT) IS NULL OR o.channel = ?)
              AND o.id = (SELECT MIN(id) FROM outbox q WHERE q.status IN (?, ?)
                          AND q.channel = o.channel AND q.chat_id = o.chat_id)
              AND o.next_attempt <= ?
            ORDER BY o.id LIMIT ?
            """,
            (OutboxStatus.PENDING, channel, channel, *_WAITING, ts(now), limit))
        return [Delivery(r["id"], alert_from(r["payload"], r["alert_id"], r["created_at"]), _target(r),
                         r["attempts"], bool(r["possible_repeat"]), r["parts_sent"], AlertAction(r["action"]),
                         r["event_id"]) for r in rows]

    def next_due_time(self, exclude_channels: Collection[str] = ()) -> datetime | None:
        """When the next pending row is due; rows of `exclude_channels` (an API that is down) are not counted."""
        excluded = f"AND channel NOT IN ({marks(len(exclude_channels))})" if exclude_channels else ""
        row = self._db.row(f"SELECT MIN(next_attempt) FROM outbox WHERE status=? {excluded}",
                           (OutboxStatus.PENDING, *exclude_channels))
        return dt(row[0]) if row else None

    def claim(self, delivery_id: int, holder: str | None = None, lease_until: datetime | None = None) -> bool:
        """Commit `sending` before the send; False if someone else took the row, or it is no longer its
        chat's oldest waiting row (so two instances never send to one chat at once, and order holds).

        `holder` and `lease_until` say which instance sends it and until when the claim stands
        (`renew_claim` extends it); past that, any instance's `recover_interrupted` resends it."""
        skip = self._db.dialect.lock_rows(skip_locked=True)   # PostgreSQL: a row being claimed elsewhere is skipped
        with self._db.transaction():
            return self._db.changed(
                "UPDATE outbox SET status=?, attempts=attempts+1, claimed_by=?, lease_until=? WHERE id = "
                "(SELECT o.id FROM outbox o WHERE o.id=? AND o.status=? AND o.id = (SELECT MIN(q.id) FROM outbox q "
                f"WHERE q.status IN (?, ?) AND q.channel = o.channel AND q.chat_id = o.chat_id){skip})",
                (OutboxStatus.SENDING, holder, ts(lease_until) if lease_until else None, delivery_id,
                 OutboxStatus.PENDING, *_WAITING)) == 1

    def renew_claim(self, delivery_id: int, holder: str, lease_until: datetime) -> bool:
        """A long send (several parts, a flood wait) keeps its claim; False if the claim was lost meanwhile."""
        with self._db.transaction():
            return self._db.changed("UPDATE outbox SET lease_until=? WHERE id=? AND status=? AND claimed_by=?",
                                    (ts(lease_until), delivery_id, OutboxStatus.SENDING, holder)) == 1

    def mark_sent(self, delivery_id: int, now: datetime, message_id: int | None = None) -> None:
        with self._db.transaction():
            self._db.execute("UPDATE outbox SET status=?, sent_at=?, message_id=?, last_error=NULL WHERE id=?",
                             (OutboxStatus.SENT, ts(now), message_id, delivery_id))

    def mark_progress(self, delivery_id: int, parts_sent: int, message_id: int | None) -> None:
        """Parts already accepted are not resent after a failure on a later part."""
        with self._db.transaction():
            self._db.execute("UPDATE outbox SET parts_sent=?, message_id=COALESCE(message_id, ?) WHERE id=?",
                             (parts_sent, message_id, delivery_id))

    def mark_retry(self, delivery_id: int, error: str, at: datetime, *, possible_repeat: bool = False,
                   count_attempt: bool = True) -> None:
        repeat = self._db.dialect.greatest("possible_repeat", "?")
        with self._db.transaction():
            self._db.execute(
                f"UPDATE outbox SET status=?, last_error=?, next_attempt=?, possible_repeat={repeat}, "
                "attempts=attempts-? WHERE id=?",
                (OutboxStatus.PENDING, error, ts(at), int(possible_repeat), 0 if count_attempt else 1, delivery_id))

    def mark_dead(self, delivery_id: int, error: str) -> None:
        with self._db.transaction():
            self._db.execute("UPDATE outbox SET status=?, last_error=? WHERE id=?",
                             (OutboxStatus.DEAD, error, delivery_id))

    def mark_skipped(self, delivery_id: int, now: datetime, why: str) -> None:
        """Nothing to send after all (an event's first message already shows this report): done, with why."""
        with self._db.transaction():
            self._db.execute("UPDATE outbox SET status=?, sent_at=?, last_error=? WHERE id=?",
                             (OutboxStatus.SKIPPED, ts(now), why, delivery_id))

    def dead(self, limit: int = 100) -> list[DeadDelivery]:
        """Rows given up, newest first: for `/status`, `beacon outbox` and the admins' notice."""
        rows = self._db.rows(
            "SELECT o.id, o.alert_id, o.channel, o.chat_id, o.thread_id, o.attempts, o.last_error, a.payload, "
            "a.created_at FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.status=? "
            "ORDER BY o.id DESC LIMIT ?", (OutboxStatus.DEAD, limit))
        dead = []
        for r in rows:
            alert = alert_from(r["payload"], r["alert_id"], r["created_at"])
            dead.append(DeadDelivery(r["id"], alert.match.rule_title, alert.article.title, _target(r),
                                     r["attempts"], r["last_error"] or ""))
        return dead

    def requeue_dead(self, ids: Sequence[int] | None = None) -> list[int]:
        """Give rows that were given up a fresh start (an operator's `beacon outbox retry`): pending, due now,
        attempts reset. `ids=None` requeues every dead row. Returns the ids requeued (others were not dead)."""
        with self._db.transaction():
            if ids is None:
                found = [r[0] for r in self._db.rows("SELECT id FROM outbox WHERE status=? ORDER BY id",
                                                     (OutboxStatus.DEAD,))]
            elif not ids:
                return []
            else:
                found = [r[0] for r in self._db.rows(
                    f"SELECT id FROM outbox WHERE status=? AND id IN ({marks(len(ids))}) ORDER BY id",
                    (OutboxStatus.DEAD, *ids))]
            if not found:
                return []
            self._db.execute(f"UPDATE outbox SET status=?, attempts=0, next_attempt=0, "
                             f"last_error='requeued by an operator' WHERE id IN ({marks(len(found))})",
                             (OutboxStatus.PENDING, *found))
        return found

    # -- holds ----------------------------------------------------------------------------------

    def mark_held(self, delivery_id: int, until: datetime, reason: str) -> None:
        """Keep a row back (quiet hours, digest, hourly ceiling) until `until`; it then joins a digest."""
        with self._db.transaction():
            self._db.execute("UPDATE outbox SET status=?, next_attempt=?, last_error=? WHERE id=?",
                             (OutboxStatus.HELD, ts(until), reason, delivery_id))

    def rehold(self, chat_id: int, now: datetime, decide: Callable[[str, Severity], Hold | None]) -> int:
        """A chat changed its quiet hours, time zone or digest: its rows held by those settings are decided again
        (`decide(reason, severity)`: the new hold, or None to release them now as one digest). Rows held by the
        hourly ceiling keep their hold. Returns how many rows are released now."""
        released = 0
        with self._db.transaction():
            rows = self._db.rows("SELECT o.id, o.event_id, o.last_error, o.alert_id, a.payload, a.created_at "
                                 "FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.status=? AND o.chat_id=?",
                                 (OutboxStatus.HELD, chat_id))
            for r in rows:
                reason = r["last_error"] or ""
                if not held_by_settings(reason):
                    continue
                event = self._events.get(r["event_id"]) if r["event_id"] else None
                severity = alert_from(r["payload"], r["alert_id"], r["created_at"]).match.severity
                if event is not None:
                    severity = event.severity
                hold = decide(reason, severity)
                if hold is None:
                    released += 1
                    self._db.execute("UPDATE outbox SET next_attempt=? WHERE id=?", (ts(now), r["id"]))
                else:
                    self._db.execute("UPDATE outbox SET next_attempt=?, last_error=? WHERE id=?",
                                     (ts(hold.until), hold.reason, r["id"]))
        return released

    def next_hold_release(self) -> datetime | None:
        row = self._db.row("SELECT MIN(next_attempt) FROM outbox WHERE status=?", (OutboxStatus.HELD,))
        return dt(row[0]) if row else None

    def held_due(self, now: datetime) -> dict[Target, list[HeldRow]]:
        """Held rows whose hold is over, per target, oldest first."""
        rows = self._db.rows(
            "SELECT o.id, o.channel, o.chat_id, o.thread_id, o.event_id, o.last_error, o.alert_id, a.payload, "
            "a.created_at FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.status=? "
            "AND o.next_attempt <= ? ORDER BY o.id", (OutboxStatus.HELD, ts(now)))
        due: dict[Target, list[HeldRow]] = {}
        for r in rows:
            alert = alert_from(r["payload"], r["alert_id"], r["created_at"])
            due.setdefault(_target(r), []).append(HeldRow(r["id"], alert, r["event_id"], r["last_error"] or "held"))
        return due

    def sent_since(self, channel: Channel, chat_id: int, since: datetime) -> list[datetime]:
        """When new alerts (not updates, notices, digests or escalations) were sent to a chat since then:
        the hourly ceiling."""
        rows = self._db.rows(
            "SELECT o.sent_at FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.channel=? AND o.chat_id=? "
            "AND o.status=? AND o.action=? AND a.rule_id NOT IN (?, ?, ?) AND o.sent_at >= ?",
            (channel, chat_id, OutboxStatus.SENT, AlertAction.SEND, NOTICE_RULE, DIGEST_RULE, ESCALATION_RULE,
             ts(since)))
        return [utc(r[0]) for r in rows]

    def last_message_id(self, channel: Channel) -> int:
        """The highest message id a channel's sender returned so far (0 if none): a sender that numbers its own
        messages, like the dry run's terminal, continues from it so that ids never repeat across runs."""
        rows = self._db.rows("SELECT MAX(message_id) FROM outbox WHERE channel=?", (channel,))
        return int(rows[0][0] or 0) if rows else 0

    # -- views ----------------------------------------------------------------------------------

    def counts(self) -> dict[OutboxStatus, int]:
        return {OutboxStatus(r[0]): r[1] for r in self._db.rows("SELECT status, COUNT(*) FROM outbox GROUP BY status")}

    def rows(self, channel: Channel | None = None) -> list[OutboxRow]:
        """Every outbox row, oldest first; for tests, `/status` and debugging."""
        return [outbox_row(r) for r in self._db.rows("SELECT * FROM outbox WHERE "
                                                     "(CAST(? AS TEXT) IS NULL OR channel = ?) "
                                                     "ORDER BY id", (channel, channel))]

    def shift(self, seconds: float, now: datetime) -> int:
        """After a wall-clock jump, future retries keep the delay they had (inside the caller's transaction).

        Holds are not moved: quiet hours and digests are times of day on the new clock.
        """
        return self._db.changed("UPDATE outbox SET next_attempt = next_attempt + ? WHERE status=? "
                                "AND next_attempt > ?", (seconds, OutboxStatus.PENDING, ts(now) - seconds))
