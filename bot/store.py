"""The state database (SQLite): seen articles, alerts, outbox, subscriptions, source state.

The only module that speaks SQL. Crash safety rests on two rules: an article is marked
seen in the same transaction that commits its alerts and their outbox rows, and an outbox
row is claimed (committed as `sending`) before the send and marked `sent` only after
Telegram accepted it. A row found `sending` at start-up was interrupted mid-send and is
resent marked as a possible repeat.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.models import Alert, Article, Delivery, Evidence, Match, Severity, Target, Validators

SCHEMA_VERSION = 6

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
class Subscription:
    chat_id: int
    thread_id: int | None
    selector: str


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
        "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, rule_id TEXT NOT NULL, key TEXT NOT NULL, "
        "status TEXT NOT NULL, severity TEXT NOT NULL, first_at REAL NOT NULL, last_at REAL NOT NULL, "
        "alert_id INTEGER, state TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS events_by_rule ON events (rule_id, last_at)",
        "ALTER TABLE alerts ADD COLUMN event_id INTEGER",
        # what a row does: send a new message, update (edit + threaded reply), edit only, or a digest
        "ALTER TABLE outbox ADD COLUMN action TEXT NOT NULL DEFAULT 'send'",
        "ALTER TABLE outbox ADD COLUMN event_id INTEGER",
        # a subscription narrowed to regions: comma-separated region names or slugs, '' = anywhere
        "ALTER TABLE subscriptions ADD COLUMN regions TEXT NOT NULL DEFAULT ''",
        # per-chat delivery settings; NULL = the default
        "CREATE TABLE IF NOT EXISTS chat_settings (chat_id INTEGER PRIMARY KEY, timezone TEXT, quiet TEXT, "
        "digest TEXT, silent_below TEXT, max_per_hour INTEGER)"),
}


def _ts(dt: datetime) -> float:
    return dt.timestamp()


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


class Store:
    """A SQLite file in WAL mode; every method is one short transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
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
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

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
                        members: Sequence[StoryMember] = ()) -> list[int]:
        """Mark articles seen, record their stories and queue their alerts for every target, in one transaction."""
        alert_ids = []
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO story_members (article_key, story_id, source, signature, seen_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(m.article_key, m.story_id, m.source, m.signature, _ts(now)) for m in members])
            for article in articles:
                self.db.executemany("INSERT OR IGNORE INTO seen (key, source, seen_at) VALUES (?, ?, ?)",
                                    [(k, source, _ts(now)) for k in article.identity_keys])
            for alert in alerts:
                cur = self.db.execute(
                    "INSERT INTO alerts (rule_id, article_key, created_at, payload, key, status, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (alert.rule_id, alert.article.key, _ts(alert.created_at), json.dumps(_alert_payload(alert)),
                     alert.match.key, "suppressed" if alert.suppressed else "queued", alert.suppressed),
                )
                alert_id = int(cur.lastrowid or 0)
                alert_ids.append(alert_id)
                if alert.suppressed:
                    continue
                for target in route(alert):
                    # a muted chat still gets the row, recorded as muted: visible in history, never sent
                    muted = target.channel == "telegram" and self._muted(target.chat_id, alert, _ts(alert.created_at))
                    self.db.execute(
                        "INSERT OR IGNORE INTO outbox (alert_id, channel, chat_id, thread_id, status) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (alert_id, target.channel, target.chat_id, target.thread_id or 0,
                         "muted" if muted else "pending"),
                    )
            if articles:
                self.db.execute(
                "INSERT INTO source_state (name, items_seen) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET items_seen = items_seen + excluded.items_seen",
                (source, len(articles)),
                )
        return alert_ids

    def queue_notice(self, text: str, targets: Sequence[Target], now: datetime) -> None:
        """A message from Beacon to its admins (a failing source, a rejected rule edit), through the outbox."""
        if not targets:
            return
        notice = Alert(Article("beacon", "Beacon notice", text), Match("beacon-notice", "Beacon notice",
                                                                        Severity.INFO), now, kind="notice")
        self.commit_articles("beacon", [], [notice], lambda _alert: targets, now)

    def alerted_since(self, rule_id: str, key: str, since: datetime) -> bool:
        """Was an alert with this rule and key queued since then? (for throttles)"""
        row = self.db.execute("SELECT 1 FROM alerts WHERE rule_id=? AND key=? AND status='queued' "
                              "AND created_at >= ? LIMIT 1", (rule_id, key, _ts(since))).fetchone()
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

    def next_due_time(self) -> datetime | None:
        row = self.db.execute("SELECT MIN(next_attempt) FROM outbox WHERE status='pending'").fetchone()
        return _dt(row[0]) if row and row[0] is not None else None

    def _delivery(self, row: sqlite3.Row) -> Delivery:
        alert = _alert_from_payload(json.loads(row["payload"]), row["alert_id"], row["created_at"])
        target = Target(row["channel"], row["chat_id"], row["thread_id"] or None)
        return Delivery(row["id"], alert, target, row["attempts"], bool(row["possible_repeat"]),
                        row["parts_sent"])

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

    def outbox_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        return {r[0]: r[1] for r in rows}

    def deliveries(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Every outbox row as a dict, oldest first; for tests, `/status` and debugging."""
        rows = self.db.execute("SELECT * FROM outbox WHERE (? IS NULL OR channel = ?) ORDER BY id",
                               (channel, channel)).fetchall()
        return [dict(r) for r in rows]

    # -- mutes and acknowledgements ---------------------------------------------------------

    def _muted(self, chat_id: int, alert: Alert, at: float) -> bool:
        selectors = ["all", alert.rule_id, *(f"tag:{t}" for t in alert.match.tags)]
        marks = ",".join("?" * len(selectors))
        row = self.db.execute(f"SELECT 1 FROM mutes WHERE chat_id=? AND until > ? AND selector IN ({marks}) LIMIT 1",
                              (chat_id, at, *selectors)).fetchone()
        return row is not None

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

    def mutes(self, chat_id: int, now: datetime) -> list[tuple[str, datetime, str]]:
        rows = self.db.execute("SELECT selector, until, created_by FROM mutes WHERE chat_id=? AND until > ? "
                               "ORDER BY until", (chat_id, _ts(now))).fetchall()
        return [(r[0], datetime.fromtimestamp(r[1], UTC), r[2] or "") for r in rows]

    def acknowledge(self, alert_id: int, chat_id: int, user: str, now: datetime) -> tuple[str, datetime]:
        """Record the first acknowledgement of an alert in a chat; returns who acknowledged first, and when."""
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO acks (alert_id, chat_id, user, at) VALUES (?, ?, ?, ?)",
                            (alert_id, chat_id, user, _ts(now)))
            row = self.db.execute("SELECT user, at FROM acks WHERE alert_id=? AND chat_id=?",
                                  (alert_id, chat_id)).fetchone()
        return row[0], datetime.fromtimestamp(row[1], UTC)

    # -- chats and subscriptions ------------------------------------------------------------

    def subscribe(self, chat_id: int, selector: str, now: datetime, thread_id: int | None = None) -> bool:
        """True if this is a new (or re-activated) subscription."""
        with self.transaction():
            self.db.execute("INSERT INTO chats (chat_id, status, updated_at) VALUES (?, 'active', ?) "
                            "ON CONFLICT(chat_id) DO UPDATE SET status='active', reason=NULL, "
                            "updated_at=excluded.updated_at", (chat_id, _ts(now)))
            cur = self.db.execute(
                "INSERT INTO subscriptions (chat_id, thread_id, selector, active, created_at) VALUES (?,?,?,1,?) "
                "ON CONFLICT DO UPDATE SET active=1 WHERE active=0",
                (chat_id, thread_id or 0, selector, _ts(now)))
            return cur.rowcount > 0

    def unsubscribe(self, chat_id: int, selector: str, thread_id: int | None = None) -> bool:
        with self.transaction():
            if selector == "all":
                cur = self.db.execute("DELETE FROM subscriptions WHERE chat_id=? AND thread_id=?",
                                      (chat_id, thread_id or 0))
            else:
                cur = self.db.execute("DELETE FROM subscriptions WHERE chat_id=? AND thread_id=? AND selector=?",
                                      (chat_id, thread_id or 0, selector))
            return cur.rowcount > 0

    def subscriptions(self, chat_id: int | None = None) -> list[Subscription]:
        rows = self.db.execute(
            "SELECT chat_id, thread_id, selector FROM subscriptions WHERE active=1 AND (? IS NULL OR chat_id=?) "
            "ORDER BY chat_id, thread_id, selector", (chat_id, chat_id)).fetchall()
        return [Subscription(r[0], r[1] or None, r[2]) for r in rows]

    def subscribers(self, rule_id: str) -> list[Target]:
        """Telegram targets subscribed to this rule (directly or through 'all')."""
        rows = self.db.execute(
            "SELECT DISTINCT s.chat_id, s.thread_id FROM subscriptions s LEFT JOIN chats c ON c.chat_id = s.chat_id "
            "WHERE s.active=1 AND s.selector IN ('all', ?) AND COALESCE(c.status, 'active') = 'active' "
            "ORDER BY s.chat_id, s.thread_id", (rule_id,)).fetchall()
        return [Target("telegram", r[0], r[1] or None) for r in rows]

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
        with self.transaction():
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
    return {
        "kind": alert.kind,
        "article": {"source": a.source, "title": a.title, "text": a.text, "url": a.url, "guid": a.guid,
                    "published": a.published.isoformat() if a.published else None, "language": a.language,
                    "id": a.id},
        "match": {"rule_id": m.rule_id, "rule_title": m.rule_title, "severity": m.severity.label,
                  "tags": list(m.tags), "regions": list(m.regions), "facts": dict(m.facts),
                  "evidence": [e.as_dict() for e in m.evidence], "template": m.template, "key": m.key},
    }


def _alert_from_payload(payload: dict[str, Any], alert_id: int, created_at: float) -> Alert:
    a, m = payload["article"], payload["match"]
    article = Article(source=a["source"], title=a["title"], text=a["text"], url=a["url"], guid=a["guid"],
                      published=datetime.fromisoformat(a["published"]) if a["published"] else None,
                      language=a["language"], id=a.get("id"))
    match = Match(rule_id=m["rule_id"], rule_title=m["rule_title"], severity=Severity.parse(m["severity"]),
                  tags=tuple(m["tags"]), regions=tuple(m["regions"]), facts=m["facts"],
                  evidence=tuple(Evidence(**e) for e in m["evidence"]), template=m["template"],
                  key=m.get("key", ""))
    return Alert(article, match, datetime.fromtimestamp(created_at, UTC), alert_id,
                 kind=payload.get("kind", "alert"))
