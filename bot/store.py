"""The state database (SQLite): seen articles, alerts, outbox, subscriptions, source state.

The only module that speaks SQL. Crash safety rests on two rules: an article is marked
seen in the same transaction that commits its alerts and their outbox rows, and an outbox
row is claimed (committed as `sending`) before the send and marked `sent` only after
Telegram accepted it. A row found `sending` at start-up was interrupted mid-send and is
resent marked as a possible repeat.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.enums import AlertAction, AlertKind, AlertStatus, Channel, EventStatus, NotifyKind, OutboxStatus, UpdateKind
from bot.errors import StoreError
from bot.escalation import ESCALATION_RULE, EscalationState, Notify, Step, escalation_alert
from bot.models import (
    Alert,
    Article,
    Delivery,
    Event,
    EventRule,
    EventUpdate,
    Evidence,
    Match,
    Severity,
    Target,
    Validators,
)
from bot.routing import Mute, Subscription, incident_of, mute_for, region_key, select, selected_rules
from bot.state_check import opening

__all__ = ["Store", "Subscription", "region_key"]   # Subscription and region_key live in bot.routing

SCHEMA_VERSION = 9

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    seen_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_by_time ON seen (seen_at);
CREATE TABLE IF NOT EXISTS source_state (
    name TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_poll REAL,
    last_success REAL,
    last_error TEXT,
    last_error_at REAL,
    failures INTEGER NOT NULL DEFAULT 0,
    items_seen INTEGER NOT NULL DEFAULT 0,
    next_poll REAL
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL,
    article_key TEXT NOT NULL,
    created_at REAL NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts (id),
    channel TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | sending | sent | dead
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,
    possible_repeat INTEGER NOT NULL DEFAULT 0,
    parts_sent INTEGER NOT NULL DEFAULT 0,    -- of a message split into several parts
    last_error TEXT,
    message_id INTEGER,
    sent_at REAL,
    UNIQUE (alert_id, channel, chat_id, thread_id)
);
CREATE INDEX IF NOT EXISTS outbox_queue ON outbox (status, channel, chat_id, id);
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL DEFAULT 0,
    selector TEXT NOT NULL,                   -- a rule id, or 'all'
    active INTEGER NOT NULL DEFAULT 1,
    created_at REAL NOT NULL,
    PRIMARY KEY (chat_id, thread_id, selector)
);
CREATE TABLE IF NOT EXISTS chats (
    chat_id INTEGER PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'active',    -- active | gone
    reason TEXT,
    updated_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class SourceState:
    name: str
    validators: Validators
    last_poll: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    failures: int
    items_seen: int
    next_poll: datetime | None
    disabled: str | None = None
    failing_since: datetime | None = None


@dataclass(frozen=True)
class StoryMember:
    """An article's place in a story of syndicated copies, with its signature for rebuilding the index."""

    article_key: str
    story_id: str
    source: str
    signature: bytes


@dataclass(frozen=True)
class ChatSettings:
    """A chat's delivery preferences; None means Beacon's default."""

    chat_id: int
    timezone: str | None = None       # IANA name, e.g. "Europe/Belgrade"; times are shown in it
    quiet: str | None = None          # "23:00-07:00": non-critical alerts held, then sent as one digest
    digest: str | None = None         # "hourly" | "daily": low-severity alerts gathered into a digest
    silent_below: str | None = None   # severities below this one are sent without a notification sound
    max_per_hour: int | None = None   # ceiling on new alerts per hour; the overflow is summarised


CHAT_SETTING_FIELDS = ("timezone", "quiet", "digest", "silent_below", "max_per_hour")


@dataclass(frozen=True)
class DeadDelivery:
    """An outbox row given up (a reason of its own, such as a 400 for this message): what and where, and why."""

    id: int
    rule_title: str
    title: str
    target: Target
    attempts: int
    error: str


# Each step upgrades the schema by one version; a database keeps its data across upgrades.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE alerts ADD COLUMN key TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE alerts ADD COLUMN status TEXT NOT NULL DEFAULT 'queued'",  # queued | suppressed
        "ALTER TABLE alerts ADD COLUMN reason TEXT",
        "CREATE INDEX IF NOT EXISTS alerts_by_key ON alerts (rule_id, key, created_at)"),
    3: ("ALTER TABLE source_state ADD COLUMN disabled TEXT",        # why, when a source said it is gone
        "ALTER TABLE source_state ADD COLUMN failing_since REAL"),  # first failure of the current run
    4: ("CREATE TABLE IF NOT EXISTS mutes (chat_id INTEGER NOT NULL, selector TEXT NOT NULL, until REAL NOT NULL, "
        "created_by TEXT, created_at REAL NOT NULL, PRIMARY KEY (chat_id, selector))",
        "CREATE TABLE IF NOT EXISTS acks (alert_id INTEGER NOT NULL, chat_id INTEGER NOT NULL, user TEXT NOT NULL, "
        "at REAL NOT NULL, PRIMARY KEY (alert_id, chat_id))"),
    5: ("CREATE TABLE IF NOT EXISTS story_members (article_key TEXT PRIMARY KEY, story_id TEXT NOT NULL, "
        "source TEXT NOT NULL, signature BLOB NOT NULL, seen_at REAL NOT NULL)",
        "CREATE INDEX IF NOT EXISTS story_members_by_story ON story_members (story_id)"),
    6: (# events: one incident, clustered across reports; `state` is its JSON snapshot (facts, sources, ...)
        "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, key TEXT NOT NULL, "
        "status TEXT NOT NULL, severity TEXT NOT NULL, first_at REAL NOT NULL, last_at REAL NOT NULL, "
        "alert_id INTEGER, state TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS events_by_rule ON events (rule_id, last_at)",
        "ALTER TABLE alerts ADD COLUMN event_id TEXT",
        # what a row does: send a new message, update (edit + threaded reply), edit only, or a digest
        "ALTER TABLE outbox ADD COLUMN action TEXT NOT NULL DEFAULT 'send'",
        "ALTER TABLE outbox ADD COLUMN event_id TEXT",
        # a subscription narrowed to regions: comma-separated region names or slugs, '' = anywhere
        "ALTER TABLE subscriptions ADD COLUMN regions TEXT NOT NULL DEFAULT ''",
        # per-chat delivery settings; NULL = the default
        "CREATE TABLE IF NOT EXISTS chat_settings (chat_id INTEGER PRIMARY KEY, timezone TEXT, quiet TEXT, "
        "digest TEXT, silent_below TEXT, max_per_hour INTEGER)"),
    7: (# on-call escalation (bot/escalation.py): one row per escalated alert. `since` is when the wait for
        # the next step began, so the wait follows the config in force when it ends
        "CREATE TABLE IF NOT EXISTS escalations (alert_id INTEGER PRIMARY KEY REFERENCES alerts (id), "
        "step INTEGER NOT NULL DEFAULT 0, chats TEXT NOT NULL, started_at REAL NOT NULL, since REAL NOT NULL, "
        "done_at REAL, acknowledged_by TEXT)",
        "CREATE INDEX IF NOT EXISTS escalations_open ON escalations (done_at, since)",
        # the alert an escalation message (re-notification, mention, the alert in another chat) is for:
        # an acknowledgement drops those not sent yet
        "ALTER TABLE outbox ADD COLUMN escalates INTEGER",
        "CREATE INDEX IF NOT EXISTS outbox_escalates ON outbox (escalates) WHERE escalates IS NOT NULL"),
    8: (# lookups that scanned whole tables as history grew (found by bench/soak.py)
        "CREATE INDEX IF NOT EXISTS events_by_status ON events (status)",
        "CREATE INDEX IF NOT EXISTS alerts_by_event ON alerts (event_id)",
        "CREATE INDEX IF NOT EXISTS alerts_by_article ON alerts (article_key)",
        "CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (created_at)"),
    9: (# an incident may be matched by several rules: how clustering finds it, by each of its rules
        # ("rule:<id>") and their tags ("tag:<tag>"); see bot/events.py
        "CREATE TABLE IF NOT EXISTS event_lookup (event_id TEXT NOT NULL, lookup TEXT NOT NULL, "
        "PRIMARY KEY (lookup, event_id))",
        "CREATE INDEX IF NOT EXISTS event_lookup_by_event ON event_lookup (event_id)",
        "INSERT OR IGNORE INTO event_lookup SELECT id, 'rule:' || rule_id FROM events"),
}


def _ts(dt: datetime) -> float:
    return dt.timestamp()


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _split_regions(value: str | None) -> tuple[str, ...]:
    return tuple(r for r in (value or "").split(",") if r)


class Store:
    """A SQLite file in WAL mode; every method is one short transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # a missing-after-use, empty or damaged file stops here (StateDamaged), never opens as a fresh install
        with opening(path) as connect:
            self.db = connect()
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            # FULL: an acknowledged outbox commit survives power loss (measured ~0.2 ms per commit).
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=10000")
            self._migrate()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

        A storage fault (disk full, locked by another process past busy_timeout, read-only,
        damaged file) becomes a StoreError naming this file and the cause, so callers can
        report it and keep running; other sqlite3 errors are bugs and pass through as they are.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (it does on SQLITE_FULL and I/O errors)
                if self.db.in_transaction:
                    with suppress(sqlite3.Error):   # the first error is the one worth reporting
                        self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            readable = StoreError.from_sqlite(self.path, exc)
            if readable is None:
                raise
            raise readable from exc

    def _migrate(self) -> None:
        with self.transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 1
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} has schema version {version}, newer than this Beacon "
                                   f"({SCHEMA_VERSION}); upgrade Beacon")
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step]:
                    self.db.execute(statement)
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE "
                            "SET value=excluded.value", (str(SCHEMA_VERSION),))

    # -- seen set -----------------------------------------------------------------------------

    def is_seen(self, article: Article) -> bool:
        keys = article.identity_keys
        marks = ",".join("?" * len(keys))
        return self.db.execute(f"SELECT 1 FROM seen WHERE key IN ({marks}) LIMIT 1", keys).fetchone() is not None

    def unseen(self, articles: Iterable[Article]) -> list[Article]:
        """Articles none of whose identity keys is known, without repeats within the batch.

        One query per batch (in chunks under SQLite's parameter limit), not one per article.
        """
        articles = list(articles)
        keys = list({k for a in articles for k in a.identity_keys})
        known: set[str] = set()
        for i in range(0, len(keys), 900):
            chunk = keys[i:i + 900]
            marks = ",".join("?" * len(chunk))
            known.update(r[0] for r in self.db.execute(f"SELECT key FROM seen WHERE key IN ({marks})", chunk))
        fresh = []
        for article in articles:
            article_keys = article.identity_keys
            if known.intersection(article_keys):
                continue
            known.update(article_keys)  # a repeat later in the same batch
            fresh.append(article)
        return fresh

    def prune_history(self, before: datetime) -> int:
        """Forget alerts decided before then whose deliveries are all over (sent, dead, muted, skipped,
        digested), with their outbox rows, acknowledgements and escalations, and events quiet since then.

        Alerts still waiting somewhere (pending, sending, held) are kept, whatever their age.
        """
        cutoff = _ts(before)
        with self.transaction():
            self.db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS old_alerts (id INTEGER PRIMARY KEY)")
            self.db.execute("DELETE FROM old_alerts")
            self.db.execute(
                "INSERT INTO old_alerts SELECT a.id FROM alerts a WHERE a.created_at < ? AND NOT EXISTS "
                "(SELECT 1 FROM outbox o WHERE o.alert_id = a.id AND o.status IN ('pending', 'sending', 'held'))",
                (cutoff,))
            for table in ("outbox", "acks", "escalations"):
                self.db.execute(f"DELETE FROM {table} WHERE alert_id IN (SELECT id FROM old_alerts)")
            removed = self.db.execute("DELETE FROM alerts WHERE id IN (SELECT id FROM old_alerts)").rowcount
            self.db.execute("DELETE FROM events WHERE last_at < ? AND status != 'held'", (cutoff,))
            self.db.execute("DELETE FROM event_lookup WHERE event_id NOT IN (SELECT id FROM events)")
            self.db.execute("DELETE FROM old_alerts")
        return removed

    def prune_seen(self, before: datetime) -> int:
        with self.transaction():
            return self.db.execute("DELETE FROM seen WHERE seen_at < ?", (_ts(before),)).rowcount

    # -- stories (syndicated copies of one article) -------------------------------------------

    def story_members(self, since: datetime) -> list[tuple[str, str, str, bytes, float]]:
        """(article key, story id, source, signature, seen at) of recent articles, to rebuild the index."""
        return [tuple(r) for r in self.db.execute(
            "SELECT article_key, story_id, source, signature, seen_at FROM story_members WHERE seen_at >= ? "
            "ORDER BY seen_at", (_ts(since),)).fetchall()]

    def story_rules(self, story_id: str) -> set[str]:
        """Rules that already alerted on some copy of this story."""
        rows = self.db.execute("SELECT DISTINCT a.rule_id FROM alerts a JOIN story_members m "
                               "ON a.article_key = m.article_key WHERE m.story_id = ? AND a.status = 'queued'",
                               (story_id,)).fetchall()
        return {r[0] for r in rows}

    def prune_stories(self, before: datetime) -> int:
        with self.transaction():
            return self.db.execute("DELETE FROM story_members WHERE seen_at < ?", (_ts(before),)).rowcount

    # -- the pipeline's one commit ----------------------------------------------------------

    def commit_articles(self, source: str, articles: Sequence[Article], alerts: Sequence[Alert],
                        route: Callable[[Alert], Iterable[Target]], now: datetime,
                        members: Sequence[StoryMember] = (), validators: Validators | None = None) -> list[int]:
        """Mark articles seen, record their stories and queue their alerts for every target, in one transaction.

        With `validators`, the poll's success (validators, last poll, failures reset) goes into the
        same transaction: one commit, so one fsync (synchronous=FULL) per poll instead of two.
        """
        alert_ids = []
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO story_members (article_key, story_id, source, signature, seen_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(m.article_key, m.story_id, m.source, m.signature, _ts(now)) for m in members])
            # one statement and one step for the whole batch: executemany releases and retakes the GIL per
            # row, and with a worker thread matching, each retake on the event loop could wait (bench/stall.py)
            keys = json.dumps([k for article in articles for k in article.identity_keys])
            self.db.execute("INSERT OR IGNORE INTO seen (key, source, seen_at) SELECT value, ?, ? FROM json_each(?)",
                            (source, _ts(now), keys))
            for alert in alerts:
                alert_ids.append(self._queue_alert(alert, route))
            if articles:
                self.db.execute(
                "INSERT INTO source_state (name, items_seen) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET items_seen = items_seen + excluded.items_seen",
                (source, len(articles)),
                )
            if validators is not None:
                self._record_success(source, validators, now)
        return alert_ids

    def _queue_alert(self, alert: Alert, route: Callable[[Alert], Iterable[Target]]) -> int:
        """Record one alert decision (and its event) and queue its outbox rows; inside a transaction.

        A new alert goes to every routed target; an event's update or edit goes to the chats
        that were sent the event's first alert, where its message is edited.
        """
        event = alert.event
        if event is not None:
            self._save_event(event)
        cur = self.db.execute(
            "INSERT INTO alerts (rule_id, article_key, created_at, payload, key, status, reason, event_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (alert.rule_id, alert.article.key, _ts(alert.created_at), json.dumps(_alert_payload(alert)),
             alert.match.key, _alert_status(alert), alert.suppressed, event.id if event else None),
        )
        alert_id = int(cur.lastrowid or 0)
        if alert.suppressed or alert.held:
            return alert_id
        at = _ts(alert.created_at)
        routed: list[Target] = []
        if alert.action == AlertAction.SEND:
            if event is not None:
                self.db.execute("UPDATE events SET alert_id=? WHERE id=?", (alert_id, event.id))
            delay = alert.match.policy.group_wait if event is not None else 0.0
            routed = list(route(alert))
            targets = [(t.channel, t.chat_id, t.thread_id or 0) for t in routed]
        else:
            delay = 0.0
            targets = [tuple(r) for r in self.db.execute(
                "SELECT o.channel, o.chat_id, o.thread_id FROM outbox o JOIN events e ON e.alert_id = o.alert_id "
                "WHERE e.id = ? AND o.status NOT IN ('dead')", (event.id if event else "",)).fetchall()]
            if alert.action == AlertAction.UPDATE:
                # an incident that now reaches a chat it did not (a rule it subscribed to matched a later
                # report): the outbox sends that chat the whole incident, as its first message there
                had = {(r[0], r[1]) for r in self.db.execute(
                    "SELECT o.chat_id, o.thread_id FROM outbox o JOIN events e ON e.alert_id = o.alert_id "
                    "WHERE e.id = ?", (event.id if event else "",))}
                targets += [(t.channel, t.chat_id, t.thread_id or 0) for t in route(alert)
                            if t.channel == Channel.TELEGRAM and (t.chat_id, t.thread_id or 0) not in had]
        silenced = self._silence(alert, at)
        for channel, chat_id, thread_id in targets:
            if alert.action == AlertAction.EDIT and self.db.execute(
                    "SELECT 1 FROM outbox WHERE event_id=? AND chat_id=? AND thread_id=? AND status='pending' "
                    "AND action IN ('edit', 'update') LIMIT 1", (event.id if event else "", chat_id, thread_id)
            ).fetchone():
                continue  # a pending edit renders the event as it is when sent: one is enough
            # a muted chat still gets the row, recorded as muted: visible in history, never sent
            muted = channel == Channel.TELEGRAM and silenced(chat_id)
            status = OutboxStatus.MUTED if muted else OutboxStatus.PENDING
            self.db.execute(
                "INSERT OR IGNORE INTO outbox (alert_id, channel, chat_id, thread_id, status, action, event_id, "
                "next_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (alert_id, channel, chat_id, thread_id, status, alert.action, event.id if event else None, at + delay))
        self._start_escalation(alert_id, routed, at + delay)
        return alert_id

    # -- events -------------------------------------------------------------------------------

    def _save_event(self, event: Event) -> None:
        self.db.execute(
            "INSERT INTO events (id, rule_id, key, status, severity, first_at, last_at, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status=excluded.status, "
            "severity=excluded.severity, last_at=excluded.last_at, state=excluded.state",
            (event.id, event.rule_id, event.key, event.status, event.severity.label, _ts(event.first_at),
             _ts(event.last_at), json.dumps(_event_state(event))))
        lookups = [f"rule:{rule_id}" for rule_id in event.rule_ids] + [f"tag:{tag}" for tag in event.tags]
        self.db.executemany("INSERT OR IGNORE INTO event_lookup (event_id, lookup) VALUES (?, ?)",
                            [(event.id, lookup) for lookup in lookups])

    def open_events(self, rule_id: str, since: datetime, known: dict[str, Event] | None = None) -> list[Event]:
        """Events one of whose rules is this one (or, given `tag:<tag>`, carries the tag) with a report since
        then, newest first: the candidates a new report may join.

        `known` caches decoded events by id: a row whose last report and status are unchanged is
        not decoded again (the state JSON is most of the cost of clustering a busy first cycle).
        """
        lookup = rule_id if rule_id.startswith("tag:") else f"rule:{rule_id}"
        rows = self.db.execute("SELECT e.id, e.last_at, e.status FROM event_lookup k JOIN events e "
                               "ON e.id = k.event_id WHERE k.lookup=? AND e.last_at >= ? "
                               "ORDER BY e.last_at DESC LIMIT 100",
                               (lookup, _ts(since))).fetchall()
        known = {} if known is None else known
        stale = [r["id"] for r in rows if (cached := known.get(r["id"])) is None
                 or cached.last_at.timestamp() != r["last_at"] or cached.status != r["status"]]
        for i in range(0, len(stale), 500):
            chunk = stale[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT * FROM events WHERE id IN ({marks})", chunk):
                known[row["id"]] = _event_from_row(row)
        return [known[r["id"]] for r in rows]

    def event(self, event_id: str) -> Event | None:
        row = self.db.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone()
        return _event_from_row(row) if row else None

    def events(self, since: datetime, limit: int = 200) -> list[Event]:
        """Events with a report since then, newest first: for `beacon events` and `/events`."""
        rows = self.db.execute("SELECT * FROM events WHERE last_at >= ? ORDER BY first_at DESC LIMIT ?",
                               (_ts(since), limit)).fetchall()
        return [_event_from_row(r) for r in rows]

    def event_reports(self, event_id: str) -> list[dict[str, Any]]:
        """Every report folded into an event, in arrival order: article key, source, title, URL, publication
        and arrival times, and what was decided (queued, update, edit, held, suppressed)."""
        rows = self.db.execute("SELECT article_key, created_at, status, reason, payload FROM alerts WHERE event_id=? "
                               "ORDER BY id", (event_id,)).fetchall()
        reports = []
        for row in rows:
            article = json.loads(row["payload"])["article"]
            reports.append({"article_id": row["article_key"], "source": article["source"], "title": article["title"],
                            "url": article["url"], "published": article["published"],
                            "arrived": datetime.fromtimestamp(row["created_at"], UTC).isoformat(),
                            "decision": row["status"], "reason": row["reason"]})
        return reports

    def event_deliveries(self, event_id: str, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The outbox rows of an event (in one chat, if given), oldest first: what delivery did with it."""
        rows = self.db.execute("SELECT id, chat_id, thread_id, action, status, last_error, sent_at, message_id "
                               "FROM outbox WHERE event_id=? AND (? IS NULL OR chat_id=?) ORDER BY id",
                               (event_id, chat_id, chat_id)).fetchall()
        return [dict(r) for r in rows]

    def held_events_due(self, now: datetime) -> list[Event]:
        """Held events (waiting for more sources) whose longest wait has passed."""
        rows = self.db.execute("SELECT * FROM events WHERE status='held'").fetchall()
        events = [_event_from_row(r) for r in rows]
        return [e for e in events if e.hold_until is not None and e.hold_until <= now]

    def release_event(self, event: Event, route: Callable[[Alert], Iterable[Target]], now: datetime) -> int | None:
        """Send a held event on what it has (its wait is over): its first held alert is queued."""
        with self.transaction():
            row = self.db.execute("SELECT id, payload, created_at FROM alerts WHERE event_id=? AND status='held' "
                                  "ORDER BY id LIMIT 1", (event.id,)).fetchone()
            if row is None:
                return None
            opened = dataclasses.replace(event, status=EventStatus.OPEN, hold_until=None, updates=())
            self._save_event(opened)
            alert = dataclasses.replace(_alert_from_payload(json.loads(row["payload"]), row["id"], row["created_at"]),
                                        event=opened, created_at=now)
            self.db.execute("UPDATE alerts SET status='queued', reason=? WHERE id=?",
                            (f"sent after waiting for more sources ({len(event.sources)} reported)", row["id"]))
            self.db.execute("UPDATE events SET alert_id=? WHERE id=?", (row["id"], event.id))
            routed = list(route(alert))
            self._start_escalation(row["id"], routed, _ts(now))
            silenced = self._silence(alert, _ts(now))
            for target in routed:
                muted = target.channel == Channel.TELEGRAM and silenced(target.chat_id)
                self.db.execute(
                    "INSERT OR IGNORE INTO outbox (alert_id, channel, chat_id, thread_id, status, action, event_id, "
                    "next_attempt) VALUES (?, ?, ?, ?, ?, 'send', ?, ?)",
                    (row["id"], target.channel, target.chat_id, target.thread_id or 0,
                     OutboxStatus.MUTED if muted else OutboxStatus.PENDING, event.id, _ts(now)))
            return int(row["id"])

    def original_delivery(self, event_id: str, channel: str, chat_id: int,
                          thread_id: int | None) -> dict[str, Any] | None:
        """The row that carried an event's first alert to this chat (status, message id, when sent)."""
        row = self.db.execute(
            "SELECT o.status, o.message_id, o.sent_at FROM outbox o JOIN events e ON e.alert_id = o.alert_id "
            "WHERE e.id=? AND o.channel=? AND o.chat_id=? AND o.thread_id=?",
            (event_id, channel, chat_id, thread_id or 0)).fetchone()
        return dict(row) if row else None

    def acknowledgement(self, alert_id: int, chat_id: int) -> tuple[str, datetime] | None:
        row = self.db.execute("SELECT user, at FROM acks WHERE alert_id=? AND chat_id=?",
                              (alert_id, chat_id)).fetchone()
        return (row[0], datetime.fromtimestamp(row[1], UTC)) if row else None

    def queue_notice(self, text: str, targets: Sequence[Target], now: datetime) -> None:
        """A message from Beacon to its admins (a failing source, a rejected rule edit), through the outbox."""
        if not targets:
            return
        notice = Alert(Article("beacon", "Beacon notice", text), Match("beacon-notice", "Beacon notice",
                                                                        Severity.INFO), now, kind=AlertKind.NOTICE)
        self.commit_articles("beacon", [], [notice], lambda _alert: targets, now)

    def alerted_since(self, rule_id: str, key: str, since: datetime) -> bool:
        """Was an alert with this rule and key queued since then? (for throttles)"""
        row = self.db.execute("SELECT 1 FROM alerts WHERE rule_id=? AND key=? AND status='queued' "
                              "AND created_at >= ? LIMIT 1", (rule_id, key, _ts(since))).fetchone()
        # 'queued' is a new alert; an event's updates ('update', 'edit') do not restart a throttle
        return row is not None

    def alerts(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest alerts with their status, for history views and tests."""
        rows = self.db.execute("SELECT id, rule_id, key, status, reason, created_at FROM alerts "
                               "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

    # -- outbox -------------------------------------------------------------------------------

    def recover_interrupted(self) -> int:
        """Rows left `sending` by a crash may have reached Telegram: resend, marked as such."""
        with self.transaction():
            return self.db.execute(
                "UPDATE outbox SET status='pending', possible_repeat=1 WHERE status='sending'").rowcount

    def due_deliveries(self, now: datetime, limit: int = 100, channel: str | None = None) -> list[Delivery]:
        """The oldest pending row of each chat, if due: per-chat order is kept by construction."""
        rows = self.db.execute(
            """
            SELECT o.*, a.payload, a.created_at FROM outbox o JOIN alerts a ON a.id = o.alert_id
            WHERE o.status = 'pending' AND (? IS NULL OR o.channel = ?)
              AND o.id = (SELECT MIN(id) FROM outbox q WHERE q.status IN ('pending', 'sending')
                          AND q.channel = o.channel AND q.chat_id = o.chat_id)
              AND o.next_attempt <= ?
            ORDER BY o.id LIMIT ?
            """,
            (channel, channel, _ts(now), limit),
        ).fetchall()
        return [self._delivery(r) for r in rows]

    def next_due_time(self, exclude_channels: Collection[str] = ()) -> datetime | None:
        """When the next pending row is due; rows of `exclude_channels` (an API that is down) are not counted."""
        marks = ",".join("?" * len(exclude_channels))
        row = self.db.execute("SELECT MIN(next_attempt) FROM outbox WHERE status='pending' "
                              f"AND channel NOT IN ({marks})", tuple(exclude_channels)).fetchone()
        return _dt(row[0]) if row and row[0] is not None else None

    def _delivery(self, row: sqlite3.Row) -> Delivery:
        alert = _alert_from_payload(json.loads(row["payload"]), row["alert_id"], row["created_at"])
        target = Target(Channel(row["channel"]), row["chat_id"], row["thread_id"] or None)
        return Delivery(row["id"], alert, target, row["attempts"], bool(row["possible_repeat"]),
                        row["parts_sent"], AlertAction(row["action"]), row["event_id"])

    def claim(self, delivery_id: int) -> bool:
        """Commit `sending` before the send; False if someone else took the row."""
        with self.transaction():
            cur = self.db.execute(
                "UPDATE outbox SET status='sending', attempts=attempts+1 WHERE id=? AND status='pending'",
                (delivery_id,))
            return cur.rowcount == 1

    def mark_sent(self, delivery_id: int, now: datetime, message_id: int | None = None) -> None:
        with self.transaction():
            self.db.execute("UPDATE outbox SET status='sent', sent_at=?, message_id=?, last_error=NULL "
                            "WHERE id=?", (_ts(now), message_id, delivery_id))

    def mark_progress(self, delivery_id: int, parts_sent: int, message_id: int | None) -> None:
        """Parts already accepted are not resent after a failure on a later part."""
        with self.transaction():
            self.db.execute("UPDATE outbox SET parts_sent=?, message_id=COALESCE(message_id, ?) WHERE id=?",
                            (parts_sent, message_id, delivery_id))

    def mark_retry(self, delivery_id: int, error: str, at: datetime, *, possible_repeat: bool = False,
                   count_attempt: bool = True) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET status='pending', last_error=?, next_attempt=?, "
                "possible_repeat=MAX(possible_repeat, ?), attempts=attempts-? WHERE id=?",
                (error, _ts(at), int(possible_repeat), 0 if count_attempt else 1, delivery_id))

    def mark_dead(self, delivery_id: int, error: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE outbox SET status='dead', last_error=? WHERE id=?", (error, delivery_id))

    def dead_deliveries(self, limit: int = 100) -> list[DeadDelivery]:
        """Rows given up, newest first: for `/status`, `beacon outbox` and the admins' notice."""
        rows = self.db.execute(
            "SELECT o.id, o.alert_id, o.channel, o.chat_id, o.thread_id, o.attempts, o.last_error, a.payload, "
            "a.created_at FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.status='dead' "
            "ORDER BY o.id DESC LIMIT ?", (limit,)).fetchall()
        dead = []
        for r in rows:
            alert = _alert_from_payload(json.loads(r["payload"]), r["alert_id"], r["created_at"])
            dead.append(DeadDelivery(r["id"], alert.match.rule_title, alert.article.title,
                                     Target(Channel(r["channel"]), r["chat_id"], r["thread_id"] or None),
                                     r["attempts"], r["last_error"] or ""))
        return dead

    def requeue_dead(self, ids: Sequence[int] | None = None) -> list[int]:
        """Give rows that were given up a fresh start (an operator's `beacon outbox retry`): pending, due now,
        attempts reset. `ids=None` requeues every dead row. Returns the ids requeued (others were not dead)."""
        with self.transaction():
            if ids is None:
                found = [r[0] for r in self.db.execute("SELECT id FROM outbox WHERE status='dead' ORDER BY id")]
            else:
                marks = ",".join("?" * len(ids))
                found = [r[0] for r in self.db.execute(
                    f"SELECT id FROM outbox WHERE status='dead' AND id IN ({marks}) ORDER BY id", tuple(ids))]
            marks = ",".join("?" * len(found))
            self.db.execute(f"UPDATE outbox SET status='pending', attempts=0, next_attempt=0, "
                            f"last_error='requeued by an operator' WHERE id IN ({marks})", tuple(found))
        return found

    def mark_skipped(self, delivery_id: int, now: datetime, why: str) -> None:
        """Nothing to send after all (an event's first message already shows this report): done, with why."""
        with self.transaction():
            self.db.execute("UPDATE outbox SET status='skipped', sent_at=?, last_error=? WHERE id=?",
                            (_ts(now), why, delivery_id))

    def next_hold_release(self) -> datetime | None:
        row = self.db.execute("SELECT MIN(next_attempt) FROM outbox WHERE status='held'").fetchone()
        return _dt(row[0]) if row and row[0] is not None else None

    def shift_schedules(self, seconds: float, now: datetime) -> int:
        """After a wall-clock jump: future retries, source backoffs and on-call escalation waits keep the
        delay they had.

        Holds are not moved: quiet hours and digests are times of day on the new clock.
        """
        with self.transaction():
            rows = self.db.execute("UPDATE outbox SET next_attempt = next_attempt + ? WHERE status='pending' "
                                   "AND next_attempt > ?", (seconds, _ts(now) - seconds)).rowcount
            rows += self.db.execute("UPDATE source_state SET next_poll = next_poll + ? WHERE next_poll > ?",
                                    (seconds, _ts(now) - seconds)).rowcount
            rows += self.db.execute("UPDATE escalations SET since = since + ? WHERE done_at IS NULL",
                                    (seconds,)).rowcount
        return rows

    def mark_held(self, delivery_id: int, until: datetime, reason: str) -> None:
        """Keep a row back (quiet hours, digest, hourly ceiling) until `until`; it then joins a digest."""
        with self.transaction():
            self.db.execute("UPDATE outbox SET status='held', next_attempt=?, last_error=? WHERE id=?",
                            (_ts(until), reason, delivery_id))

    def held_due(self, now: datetime) -> dict[Target, list[tuple[int, Alert, str | None, str]]]:
        """Held rows whose hold is over, per target: (row id, alert, event id, why it was held)."""
        rows = self.db.execute(
            "SELECT o.id, o.channel, o.chat_id, o.thread_id, o.event_id, o.last_error, o.alert_id, a.payload, "
            "a.created_at FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.status='held' "
            "AND o.next_attempt <= ? ORDER BY o.id", (_ts(now),)).fetchall()
        due: dict[Target, list[tuple[int, Alert, str | None, str]]] = {}
        for r in rows:
            alert = _alert_from_payload(json.loads(r["payload"]), r["alert_id"], r["created_at"])
            target = Target(Channel(r["channel"]), r["chat_id"], r["thread_id"] or None)
            due.setdefault(target, []).append((r["id"], alert, r["event_id"], r["last_error"] or "held"))
        return due

    def queue_digest(self, target: Target, title: str, text: str, severity: Severity, row_ids: Sequence[int],
                     now: datetime) -> int:
        """One digest message in place of the held rows it summarises (marked `digested`), atomically."""
        digest = Alert(Article("beacon", title, text), Match("beacon-digest", title, severity), now,
                       kind=AlertKind.DIGEST)
        with self.transaction():
            alert_id = self._queue_alert(digest, lambda _alert: [target])
            marks = ",".join("?" * len(row_ids))
            self.db.execute(f"UPDATE outbox SET status='digested', last_error=? WHERE id IN ({marks})",
                            (f"in digest alert {alert_id}", *row_ids))
        return alert_id

    def sent_since(self, channel: str, chat_id: int, since: datetime) -> list[datetime]:
        """When new alerts (not updates, notices or digests) were sent to a chat since then: the hourly ceiling."""
        rows = self.db.execute(
            "SELECT o.sent_at FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.channel=? AND o.chat_id=? "
            "AND o.status='sent' AND o.action='send' AND a.rule_id NOT IN ('beacon-notice', 'beacon-digest', "
            f"'{ESCALATION_RULE}') "
            "AND o.sent_at >= ?", (channel, chat_id, _ts(since))).fetchall()
        return [datetime.fromtimestamp(r[0], UTC) for r in rows]

    def alert(self, alert_id: int) -> Alert | None:
        row = self.db.execute("SELECT id, payload, created_at FROM alerts WHERE id=?", (alert_id,)).fetchone()
        return _alert_from_payload(json.loads(row["payload"]), row["id"], row["created_at"]) if row else None

    def outbox_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        return {r[0]: r[1] for r in rows}

    def deliveries(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Every outbox row as a dict, oldest first; for tests, `/status` and debugging."""
        rows = self.db.execute("SELECT * FROM outbox WHERE (? IS NULL OR channel = ?) ORDER BY id",
                               (channel, channel)).fetchall()
        return [dict(r) for r in rows]

    # -- mutes and acknowledgements ---------------------------------------------------------

    def _silence(self, alert: Alert, at: float) -> Callable[[int], bool]:
        """Is this incident muted in a chat then? The silence stage of `bot.routing` (`mute_for`) on the
        chats' mutes, for the rules each chat receives it for; the mutes and subscriptions are read once."""
        incident = incident_of(alert)
        when = datetime.fromtimestamp(at, UTC)
        mutes = self.active_mutes(when)
        if not mutes:
            return lambda _chat_id: False
        rules: dict[int, list[str]] = {}
        for sub in self.subscriptions():
            rules.setdefault(sub.chat_id, []).extend(selected_rules(sub, incident))

        def muted(chat_id: int) -> bool:
            return mute_for(chat_id, incident, rules.get(chat_id, []), mutes, when) is not None

        return muted

    def mute(self, chat_id: int, selector: str, until: datetime, by: str, now: datetime) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO mutes (chat_id, selector, until, created_by, created_at) VALUES (?,?,?,?,?) "
                            "ON CONFLICT(chat_id, selector) DO UPDATE SET until=excluded.until, "
                            "created_by=excluded.created_by, created_at=excluded.created_at",
                            (chat_id, selector, _ts(until), by, _ts(now)))

    def unmute(self, chat_id: int, selector: str) -> int:
        with self.transaction():
            if selector == "all":
                return self.db.execute("DELETE FROM mutes WHERE chat_id=?", (chat_id,)).rowcount
            return self.db.execute("DELETE FROM mutes WHERE chat_id=? AND selector=?", (chat_id, selector)).rowcount

    def set_config_mutes(self, mutes: Sequence[tuple[str, datetime]], now: datetime) -> None:
        """The config's silences replace the previous config's (kept as chat 0, `created_by` 'config')."""
        with self.transaction():
            self.db.execute("DELETE FROM mutes WHERE chat_id=0")
            self.db.executemany("INSERT OR REPLACE INTO mutes (chat_id, selector, until, created_by, created_at) "
                                "VALUES (0, ?, ?, 'config', ?)", [(s, _ts(u), _ts(now)) for s, u in mutes])

    def mutes(self, chat_id: int, now: datetime) -> list[tuple[str, datetime, str]]:
        """Active mutes for a chat, the config's (for every chat) included."""
        rows = self.db.execute("SELECT selector, until, created_by FROM mutes WHERE chat_id IN (?, 0) AND until > ? "
                               "ORDER BY until", (chat_id, _ts(now))).fetchall()
        return [(r[0], datetime.fromtimestamp(r[1], UTC), r[2] or "") for r in rows]

    def acknowledge(self, alert_id: int, chat_id: int, user: str, now: datetime) -> tuple[str, datetime] | None:
        """Record the first acknowledgement of an alert in a chat; returns who acknowledged first, and when.

        None, and nothing written, when this chat was never sent the alert, its event or an escalation of it
        (a forged or stale button)."""
        with self.transaction():
            if not self.db.execute("SELECT 1 FROM outbox WHERE status='sent' AND channel='telegram' AND chat_id=? "
                                   "AND (alert_id=? OR escalates=? OR event_id=(SELECT event_id FROM alerts "
                                   "WHERE id=?)) LIMIT 1", (chat_id, alert_id, alert_id, alert_id)).fetchone():
                return None
            self.db.execute("INSERT OR IGNORE INTO acks (alert_id, chat_id, user, at) VALUES (?, ?, ?, ?)",
                            (alert_id, chat_id, user, _ts(now)))
            row = self.db.execute("SELECT user, at FROM acks WHERE alert_id=? AND chat_id=?",
                                  (alert_id, chat_id)).fetchone()
            self._stop_escalation(alert_id, chat_id, user, now)
        return row[0], datetime.fromtimestamp(row[1], UTC)

    # -- on-call escalation (bot/escalation.py) -----------------------------------------------

    def _start_escalation(self, alert_id: int, routed: Sequence[Target], since: float) -> None:
        """An alert routed to on-call chats escalates until acknowledged; inside the transaction that queues it,
        so a crash cannot queue the alert and lose its escalation."""
        chats = sorted({t.chat_id for t in routed if t.oncall})
        if chats:
            self.db.execute("INSERT OR IGNORE INTO escalations (alert_id, step, chats, started_at, since) "
                            "VALUES (?, 0, ?, ?, ?)", (alert_id, ",".join(map(str, chats)), since, since))

    def escalations(self, *, waiting_since: datetime | None = None) -> list[EscalationState]:
        """Every escalation, oldest first; with `waiting_since`, only running ones whose wait began by then."""
        if waiting_since is None:
            rows = self.db.execute("SELECT * FROM escalations ORDER BY alert_id").fetchall()
        else:
            rows = self.db.execute("SELECT * FROM escalations WHERE done_at IS NULL AND since <= ? ORDER BY alert_id",
                                   (_ts(waiting_since),)).fetchall()
        return [_escalation_from_row(r) for r in rows]

    def escalate(self, step: Step, now: datetime) -> int:
        """Queue a due step's messages and advance the escalation, in one transaction; returns messages queued.

        Nothing happens if the escalation moved meanwhile (acknowledged, or another run took the step).
        """
        with self.transaction():
            moved = self.db.execute(
                "UPDATE escalations SET step=step+1, since=?, done_at=? WHERE alert_id=? AND step=? "
                "AND done_at IS NULL", (_ts(now), _ts(now) if step.last else None, step.alert_id, step.step)).rowcount
            original = self.alert(step.alert_id) if moved else None
            if original is None:
                return 0
            for notify in step.messages:
                self._queue_escalation_message(original, notify, now, step=step.step, waited=step.waited)
            return len(step.messages)

    def _queue_escalation_message(self, original: Alert, notify: Notify, now: datetime, **facts: object) -> None:
        """One escalation message as an outbox row marked `escalates`; mutes do not apply (it is an escalation).

        The alert itself goes to a chat as a new row of the original alert (updates then follow it
        there); a chat that already has it gets a re-notification under it instead.
        """
        alert_id = original.id
        row = self.db.execute("SELECT event_id FROM alerts WHERE id=?", (alert_id,)).fetchone()
        event_id = row["event_id"] if row else None
        if notify.kind == NotifyKind.ALERT:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO outbox (alert_id, channel, chat_id, thread_id, status, action, event_id, "
                "next_attempt, escalates) VALUES (?, 'telegram', ?, 0, 'pending', 'send', ?, ?, ?)",
                (alert_id, notify.chat_id, event_id, _ts(now), alert_id))
            if cur.rowcount:
                return
            notify = Notify(NotifyKind.RENOTIFY, notify.chat_id)
        event = self.event(event_id) if event_id else None
        message = escalation_alert(original, event.severity if event else original.match.severity, notify, now,
                                   **facts)
        cur = self.db.execute(
            "INSERT INTO alerts (rule_id, article_key, created_at, payload, key, status) VALUES (?, ?, ?, ?, ?, ?)",
            (message.rule_id, message.article.key, _ts(now), json.dumps(_alert_payload(message)), message.match.key,
             AlertStatus.QUEUED))
        self.db.execute(
            "INSERT INTO outbox (alert_id, channel, chat_id, thread_id, status, action, next_attempt, escalates) "
            "VALUES (?, 'telegram', ?, 0, 'pending', 'send', ?, ?)",
            (cur.lastrowid, notify.chat_id, _ts(now), alert_id))

    def _stop_escalation(self, alert_id: int, chat_id: int, user: str, now: datetime) -> None:
        """The first acknowledgement, in any chat that received the alert (or one of its escalation messages),
        ends the chain; escalation messages not sent yet are dropped, and on-call chats that did not
        acknowledge are told who did, under the alert."""
        if not self.db.execute("SELECT 1 FROM outbox WHERE (alert_id=? OR escalates=?) AND chat_id=? "
                               "AND status='sent' LIMIT 1", (alert_id, alert_id, chat_id)).fetchone():
            return   # a button for an alert this chat never had (forged callback data)
        stopped = self.db.execute(
            "UPDATE escalations SET acknowledged_by=?, done_at=COALESCE(done_at, ?) WHERE alert_id=? "
            "AND acknowledged_by IS NULL", (user, _ts(now), alert_id)).rowcount
        if not stopped:
            return
        self.db.execute("UPDATE outbox SET status='skipped', sent_at=?, last_error='acknowledged before it was sent' "
                        "WHERE escalates=? AND status='pending'", (_ts(now), alert_id))
        row = self.db.execute("SELECT * FROM escalations WHERE alert_id=?", (alert_id,)).fetchone()
        original = self.alert(alert_id)
        for chat in _escalation_from_row(row).chats:
            sent = self.db.execute("SELECT 1 FROM outbox WHERE alert_id=? AND chat_id=? AND status='sent'",
                                   (alert_id, chat)).fetchone()
            if original is not None and chat != chat_id and sent:
                self._queue_escalation_message(original, Notify(NotifyKind.ACKNOWLEDGED, chat), now, by=user,
                                               at=now.isoformat())

    def escalated_message_id(self, delivery_id: int) -> int | None:
        """For an escalation message: the message of the alert it escalates in the same chat, to reply under."""
        row = self.db.execute(
            "SELECT a.message_id FROM outbox o JOIN outbox a ON a.alert_id = o.escalates AND a.channel = o.channel "
            "AND a.chat_id = o.chat_id AND a.thread_id = o.thread_id WHERE o.id=? AND a.status='sent'",
            (delivery_id,)).fetchone()
        return row[0] if row else None

    # -- chats and subscriptions ------------------------------------------------------------

    def subscribe(self, chat_id: int, selector: str, now: datetime, thread_id: int | None = None,
                  regions: Sequence[str] | None = None) -> bool:
        """Subscribe a chat or topic. `regions` narrows it, replacing an earlier narrowing (`()`:
        anywhere); None keeps an existing subscription's regions (start-up re-subscribing
        `telegram.chats` must not undo what a user narrowed).

        True if anything changed: a new or re-activated subscription, or other regions.
        """
        keys = None if regions is None else ",".join(dict.fromkeys(k for k in map(region_key, regions) if k))
        with self.transaction():
            self.db.execute("INSERT INTO chats (chat_id, status, updated_at) VALUES (?, 'active', ?) "
                            "ON CONFLICT(chat_id) DO UPDATE SET status='active', reason=NULL, "
                            "updated_at=excluded.updated_at", (chat_id, _ts(now)))
            cur = self.db.execute(
                "INSERT INTO subscriptions (chat_id, thread_id, selector, active, created_at, regions) "
                "VALUES (?,?,?,1,?,COALESCE(?, '')) ON CONFLICT DO UPDATE SET active=1, "
                "regions=COALESCE(?, regions) WHERE active=0 OR regions != COALESCE(?, regions)",
                (chat_id, thread_id or 0, selector, _ts(now), keys, keys, keys))
            return cur.rowcount > 0

    def unsubscribe(self, chat_id: int, selector: str, thread_id: int | None = None,
                    regions: Sequence[str] = ()) -> bool:
        """Remove a subscription (every one here for `all`), or only some regions of a narrowed one.

        Removing a narrowed subscription's last region removes the subscription: it never widens
        to "anywhere". Regions cannot be taken out of an unnarrowed subscription (returns False).
        """
        with self.transaction():
            if regions:
                row = self.db.execute("SELECT regions FROM subscriptions WHERE chat_id=? AND thread_id=? "
                                      "AND selector=?", (chat_id, thread_id or 0, selector)).fetchone()
                current = _split_regions(row[0]) if row else ()
                drop = {region_key(r) for r in regions}
                left = [r for r in current if r not in drop]
                if not current or len(left) == len(current):
                    return False
                if left:
                    self.db.execute("UPDATE subscriptions SET regions=? WHERE chat_id=? AND thread_id=? "
                                    "AND selector=?", (",".join(left), chat_id, thread_id or 0, selector))
                    return True
            if selector == "all" and not regions:
                cur = self.db.execute("DELETE FROM subscriptions WHERE chat_id=? AND thread_id=?",
                                      (chat_id, thread_id or 0))
            else:
                cur = self.db.execute("DELETE FROM subscriptions WHERE chat_id=? AND thread_id=? AND selector=?",
                                      (chat_id, thread_id or 0, selector))
            return cur.rowcount > 0

    def subscriptions(self, chat_id: int | None = None) -> list[Subscription]:
        rows = self.db.execute(
            "SELECT chat_id, thread_id, selector, regions FROM subscriptions WHERE active=1 "
            "AND (? IS NULL OR chat_id=?) ORDER BY chat_id, thread_id, selector", (chat_id, chat_id)).fetchall()
        return [Subscription(r[0], r[1] or None, r[2], _split_regions(r[3])) for r in rows]

    def subscribers_for(self, rule_id: str | Sequence[str], tags: Iterable[str] = (),
                        regions: Iterable[str] = ()) -> list[Target]:
        """Telegram targets for an alert of this rule (or these rules), with these tags, about these regions.

        A subscription matches through `all`, a rule id or `tag:<tag>`; one narrowed to regions
        matches only if one of the alert's regions is one of its own (case and accents ignored).
        A chat or topic subscribed several ways is one target: one delivery (`bot.routing`).
        """
        from bot.routing import Incident, dedup

        ids = [rule_id] if isinstance(rule_id, str) else list(rule_id)
        rules = tuple(EventRule(r, r, Severity.INFO, tuple(tags)) for r in ids)
        incident = Incident(rules, tuple(regions), Severity.INFO, new=True)
        subscriptions, gone = self.routable()
        taken, _ = select(incident, subscriptions, gone)
        return [p.target for p in dedup(taken)]

    def routable(self) -> tuple[list[Subscription], frozenset[int]]:
        """Every active subscription, and the chats that are gone: what routing plans from."""
        gone = frozenset(r[0] for r in self.db.execute("SELECT chat_id FROM chats WHERE status != 'active'"))
        return self.subscriptions(), gone

    def active_mutes(self, at: datetime, chat_id: int | None = None) -> list[Mute]:
        """Mutes in force then (chat 0: the operator's, for every chat); of one chat and the operator's if given."""
        rows = self.db.execute("SELECT chat_id, selector, until FROM mutes WHERE until > ? "
                               "AND (? IS NULL OR chat_id IN (?, 0))", (_ts(at), chat_id, chat_id)).fetchall()
        return [Mute(r[0], r[1], datetime.fromtimestamp(r[2], UTC)) for r in rows]

    def subscribers(self, rule_id: str) -> list[Target]:
        """Targets subscribed to this rule directly or through `all`, for an alert without tags or
        regions (so tag and region-narrowed subscriptions do not match); routing uses `subscribers_for`."""
        return self.subscribers_for(rule_id)

    def chat_settings(self, chat_id: int) -> ChatSettings:
        row = self.db.execute("SELECT * FROM chat_settings WHERE chat_id=?", (chat_id,)).fetchone()
        if row is None:
            return ChatSettings(chat_id)
        return ChatSettings(chat_id, *(row[f] for f in CHAT_SETTING_FIELDS))

    def set_chat_setting(self, chat_id: int, name: str, value: str | int | None) -> None:
        """Set (or with None, reset to the default) one of a chat's delivery settings."""
        if name not in CHAT_SETTING_FIELDS:
            raise ValueError(f"unknown chat setting {name!r}")
        with self.transaction():
            self.db.execute(f"INSERT INTO chat_settings (chat_id, {name}) VALUES (?, ?) "
                            f"ON CONFLICT(chat_id) DO UPDATE SET {name}=excluded.{name}", (chat_id, value))

    def mark_chat_gone(self, chat_id: int, reason: str, now: datetime) -> int:
        """The bot can no longer write here: pause its subscriptions, park its pending rows."""
        with self.transaction():
            self.db.execute("INSERT INTO chats (chat_id, status, reason, updated_at) VALUES (?, 'gone', ?, ?) "
                            "ON CONFLICT(chat_id) DO UPDATE SET status='gone', reason=excluded.reason, "
                            "updated_at=excluded.updated_at", (chat_id, reason, _ts(now)))
            self.db.execute("UPDATE subscriptions SET active=0 WHERE chat_id=?", (chat_id,))
            return self.db.execute(
                "UPDATE outbox SET status='dead', last_error=? WHERE chat_id=? AND channel='telegram' "
                "AND status IN ('pending', 'sending')", (reason, chat_id)).rowcount

    def move_chat(self, old_chat_id: int, new_chat_id: int, now: datetime) -> None:
        """A group became a supergroup: rewrite its subscriptions and pending rows atomically."""
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO chats (chat_id, status, updated_at) VALUES (?, 'active', ?)",
                            (new_chat_id, _ts(now)))
            self.db.execute("UPDATE OR IGNORE subscriptions SET chat_id=? WHERE chat_id=?",
                            (new_chat_id, old_chat_id))
            self.db.execute("DELETE FROM subscriptions WHERE chat_id=?", (old_chat_id,))
            self.db.execute("UPDATE OR IGNORE outbox SET chat_id=? WHERE chat_id=? AND channel='telegram' "
                            "AND status IN ('pending', 'sending')", (new_chat_id, old_chat_id))
            self.db.execute("UPDATE chats SET status='gone', reason='migrated', updated_at=? WHERE chat_id=?",
                            (_ts(now), old_chat_id))

    # -- sources ------------------------------------------------------------------------------

    def source_state(self, name: str) -> SourceState:
        row = self.db.execute("SELECT * FROM source_state WHERE name=?", (name,)).fetchone()
        if row is None:
            return SourceState(name, Validators(), None, None, None, None, 0, 0, None)
        return SourceState(name, Validators(row["etag"], row["last_modified"]), _dt(row["last_poll"]),
                           _dt(row["last_success"]), row["last_error"], _dt(row["last_error_at"]),
                           row["failures"], row["items_seen"], _dt(row["next_poll"]), row["disabled"],
                           _dt(row["failing_since"]))

    def disable_source(self, name: str, reason: str, now: datetime) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO source_state (name, disabled, last_error, last_error_at, last_poll, failures) "
                "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT(name) DO UPDATE SET disabled=excluded.disabled, "
                "last_error=excluded.last_error, last_error_at=excluded.last_error_at, "
                "last_poll=excluded.last_poll, failures=failures+1", (name, reason, reason, _ts(now), _ts(now)))

    def enable_source(self, name: str) -> bool:
        with self.transaction():
            return self.db.execute("UPDATE source_state SET disabled=NULL, failures=0, next_poll=NULL "
                                   "WHERE name=? AND disabled IS NOT NULL", (name,)).rowcount > 0

    def record_source_success(self, name: str, validators: Validators, now: datetime) -> None:
        """A poll that brought nothing to commit (304): its own transaction. Otherwise see commit_articles."""
        with self.transaction():
            self._record_success(name, validators, now)

    def _record_success(self, name: str, validators: Validators, now: datetime) -> None:
        """Store the validators and reset the failure count; inside a transaction."""
        self.db.execute(
            "INSERT INTO source_state (name, etag, last_modified, last_poll, last_success, failures) "
            "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(name) DO UPDATE SET etag=excluded.etag, "
            "last_modified=excluded.last_modified, last_poll=excluded.last_poll, "
            "last_success=excluded.last_success, failures=0, failing_since=NULL, next_poll=NULL",
            (name, validators.etag, validators.last_modified, _ts(now), _ts(now)))

    def record_source_failure(self, name: str, error: str, now: datetime, next_poll: datetime | None) -> int:
        """Record a failed poll; returns the number of failures in a row."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO source_state (name, last_poll, last_error, last_error_at, failures, next_poll, "
                "failing_since) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "last_poll=excluded.last_poll, last_error=excluded.last_error, last_error_at=excluded.last_error_at, "
                "failures=failures+1, next_poll=excluded.next_poll, "
                "failing_since=COALESCE(failing_since, excluded.failing_since)",
                (name, _ts(now), error, _ts(now), _ts(next_poll) if next_poll else None, _ts(now)))
            row = self.db.execute("SELECT failures FROM source_state WHERE name=?", (name,)).fetchone()
            return int(row[0])

    def source_states(self) -> dict[str, SourceState]:
        names = [r[0] for r in self.db.execute("SELECT name FROM source_state").fetchall()]
        return {name: self.source_state(name) for name in names}

    def set_next_poll(self, name: str, when: datetime | None) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO source_state (name, next_poll) VALUES (?, ?) "
                            "ON CONFLICT(name) DO UPDATE SET next_poll=excluded.next_poll",
                            (name, _ts(when) if when else None))


# -- alert (de)serialisation ------------------------------------------------------------------


def _alert_payload(alert: Alert) -> dict[str, Any]:
    a, m = alert.article, alert.match
    update = alert.update
    return {
        "kind": alert.kind,
        "update": {"at": _ts(update.at), "kind": update.kind, "changes": list(update.changes), "source": update.source,
                   "title": update.title, "published": _ts(update.published) if update.published else None}
        if update else None,
        "article": {"source": a.source, "title": a.title, "text": a.text, "url": a.url, "guid": a.guid,
                    "published": a.published.isoformat() if a.published else None, "language": a.language,
                    "id": a.id},
        "match": {"rule_id": m.rule_id, "rule_title": m.rule_title, "severity": m.severity.label,
                  "tags": list(m.tags), "regions": list(m.regions), "facts": dict(m.facts),
                  "evidence": [e.as_dict() for e in m.evidence], "template": m.template, "key": m.key},
    }


def _alert_status(alert: Alert) -> AlertStatus:
    """A new alert is queued; an event's later report is an update or an edit of its message."""
    if alert.suppressed:
        return AlertStatus.SUPPRESSED
    if alert.held:
        return AlertStatus.HELD
    if alert.action == AlertAction.SEND:
        return AlertStatus.QUEUED
    return AlertStatus(alert.action)


def _event_state(event: Event) -> dict[str, Any]:
    return {
        "rule_title": event.rule_title, "headline": dict(event.headline), "facts": dict(event.facts),
        "regions": list(event.regions), "sources": list(event.sources), "reports": event.reports,
        "names": list(event.names), "words": list(event.words), "stories": list(event.stories),
        "source_killed": dict(event.source_killed),
        "updates": [{"at": _ts(u.at), "kind": u.kind, "changes": list(u.changes), "source": u.source,
                     "title": u.title, "published": _ts(u.published) if u.published else None}
                    for u in event.updates],
        "hold_until": _ts(event.hold_until) if event.hold_until else None,
        "rules": [{"id": r.id, "title": r.title, "severity": r.severity.label, "tags": list(r.tags),
                   "supersedes": list(r.supersedes)} for r in event.rules],
        "latest_at": _ts(event.latest_at) if event.latest_at else None,
        "places": list(event.places), "languages": list(event.languages),
        "earliest_at": _ts(event.earliest_at) if event.earliest_at else None,
    }


def _event_from_row(row: sqlite3.Row) -> Event:
    state = json.loads(row["state"])
    return Event(
        id=row["id"], rule_id=row["rule_id"], rule_title=state["rule_title"], key=row["key"],
        status=EventStatus(row["status"]),
        severity=Severity.parse(row["severity"]), first_at=datetime.fromtimestamp(row["first_at"], UTC),
        last_at=datetime.fromtimestamp(row["last_at"], UTC), headline=state["headline"], facts=state["facts"],
        regions=tuple(state["regions"]), sources=tuple(state["sources"]), reports=state["reports"],
        names=tuple(state["names"]), words=tuple(state["words"]), stories=tuple(state["stories"]),
        source_killed=state.get("source_killed", {}),
        updates=tuple(EventUpdate(datetime.fromtimestamp(u["at"], UTC), UpdateKind(u["kind"]), tuple(u["changes"]),
                                  u["source"], u["title"], _dt(u.get("published"))) for u in state["updates"]),
        alert_id=row["alert_id"], hold_until=_dt(state["hold_until"]),
        rules=tuple(EventRule(r["id"], r["title"], Severity.parse(r["severity"]), tuple(r["tags"]),
                              tuple(r.get("supersedes", ()))) for r in state.get("rules", ())),
        latest_at=_dt(state.get("latest_at")), places=tuple(state.get("places", ())),
        languages=tuple(state.get("languages", ())), earliest_at=_dt(state.get("earliest_at")))


def _escalation_from_row(row: sqlite3.Row) -> EscalationState:
    return EscalationState(row["alert_id"], row["step"], tuple(int(c) for c in row["chats"].split(",") if c),
                           datetime.fromtimestamp(row["started_at"], UTC), datetime.fromtimestamp(row["since"], UTC),
                           _dt(row["done_at"]), row["acknowledged_by"])


def _alert_from_payload(payload: dict[str, Any], alert_id: int, created_at: float) -> Alert:
    a, m = payload["article"], payload["match"]
    article = Article(source=a["source"], title=a["title"], text=a["text"], url=a["url"], guid=a["guid"],
                      published=datetime.fromisoformat(a["published"]) if a["published"] else None,
                      language=a["language"], id=a.get("id"))
    match = Match(rule_id=m["rule_id"], rule_title=m["rule_title"], severity=Severity.parse(m["severity"]),
                  tags=tuple(m["tags"]), regions=tuple(m["regions"]), facts=m["facts"],
                  evidence=tuple(Evidence(**e) for e in m["evidence"]), template=m["template"],
                  key=m.get("key", ""))
    u = payload.get("update")
    update = EventUpdate(datetime.fromtimestamp(u["at"], UTC), UpdateKind(u["kind"]), tuple(u["changes"]), u["source"],
                         u["title"], _dt(u.get("published"))) if u else None
    return Alert(article, match, datetime.fromtimestamp(created_at, UTC), alert_id,
                 kind=AlertKind(payload.get("kind", AlertKind.ALERT)), update=update)
