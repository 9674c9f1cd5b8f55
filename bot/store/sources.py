"""Sources' state: conditional-GET validators, failures in a row, backoff, and why a source is disabled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.models import Validators
from bot.store.database import Database, Row, dt, ts, utc


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


def _state_from(row: Row) -> SourceState:
    return SourceState(row["name"], Validators(row["etag"], row["last_modified"]), dt(row["last_poll"]),
                       dt(row["last_success"]), row["last_error"], dt(row["last_error_at"]),
                       row["failures"], row["items_seen"], dt(row["next_poll"]), row["disabled"],
                       dt(row["failing_since"]))


class SourceStore:
    """One row per source, written by the poller (through ingest's commit or on its own)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def state(self, name: str) -> SourceState:
        row = self._db.row("SELECT * FROM source_state WHERE name=?", (name,))
        if row is None:
            return SourceState(name, Validators(), None, None, None, None, 0, 0, None)
        return _state_from(row)

    def states(self) -> dict[str, SourceState]:
        return {row["name"]: _state_from(row) for row in self._db.rows("SELECT * FROM source_state")}

    def disable(self, name: str, reason: str, now: datetime) -> None:
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO source_state (name, disabled, last_error, last_error_at, last_poll, failures) "
                "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT(name) DO UPDATE SET disabled=excluded.disabled, "
                "last_error=excluded.last_error, last_error_at=excluded.last_error_at, "
                "last_poll=excluded.last_poll, failures=source_state.failures+1",
                (name, reason, reason, ts(now), ts(now)))

    def enable(self, name: str) -> bool:
        with self._db.transaction():
            return self._db.changed("UPDATE source_state SET disabled=NULL, failures=0, next_poll=NULL "
                                    "WHERE name=? AND disabled IS NOT NULL", (name,)) > 0

    def record_success(self, name: str, validators: Validators, now: datetime) -> None:
        """Store the validators and reset the failure count: its own transaction, or ingest's one commit."""
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO source_state (name, etag, last_modified, last_poll, last_success, failures) "
                "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT(name) DO UPDATE SET etag=excluded.etag, "
                "last_modified=excluded.last_modified, last_poll=excluded.last_poll, "
                "last_success=excluded.last_success, failures=0, failing_since=NULL, next_poll=NULL",
                (name, validators.etag, validators.last_modified, ts(now), ts(now)))

    def record_failure(self, name: str, error: str, now: datetime, next_poll: datetime | None) -> int:
        """Record a failed poll; returns the number of failures in a row."""
        with self._db.transaction():
            self._db.execute(
                "INSERT INTO source_state (name, last_poll, last_error, last_error_at, failures, next_poll, "
                "failing_since) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "last_poll=excluded.last_poll, last_error=excluded.last_error, last_error_at=excluded.last_error_at, "
                "failures=source_state.failures+1, next_poll=excluded.next_poll, "
                "failing_since=COALESCE(source_state.failing_since, excluded.failing_since)",
                (name, ts(now), error, ts(now), ts(next_poll) if next_poll else None, ts(now)))
            row = self._db.row("SELECT failures FROM source_state WHERE name=?", (name,))
            return int(row[0]) if row else 0

    def count_items(self, name: str, items: int) -> None:
        """Add to a source's count of new items (inside ingest's commit)."""
        self._db.execute("INSERT INTO source_state (name, items_seen) VALUES (?, ?) "
                         "ON CONFLICT(name) DO UPDATE SET items_seen = source_state.items_seen + excluded.items_seen",
                         (name, items))

    def set_next_poll(self, name: str, when: datetime | None) -> None:
        with self._db.transaction():
            self._db.execute("INSERT INTO source_state (name, next_poll) VALUES (?, ?) "
                             "ON CONFLICT(name) DO UPDATE SET next_poll=excluded.next_poll",
                             (name, ts(when) if when else None))

    def shift(self, seconds: float, now: datetime) -> int:
        """After a wall-clock jump, backoffs keep the delay they had (inside the caller's transaction)."""
        return self._db.changed("UPDATE source_state SET next_poll = next_poll + ? WHERE next_poll > ?",
                                (seconds, ts(now) - seconds))

    # -- several instances (bot/instances.py): one poller per source at a time ----------------------------

    def acquire(self, name: str, instance_id: str, lease: timedelta, now: datetime, min_gap: float) -> bool:
        """Take the source for one poll: False while another instance's lease runs, or when any instance
        started a poll of it less than `min_gap` seconds ago (its interval's job fired there first)."""
        with self._db.transaction():   # one statement: SQLite's writer lock or PostgreSQL's row lock decides
            return self._db.changed(
                "INSERT INTO source_state (name, leased_by, lease_until, leased_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET leased_by=excluded.leased_by, lease_until=excluded.lease_until, "
                "leased_at=excluded.leased_at WHERE (source_state.lease_until IS NULL "
                "OR source_state.lease_until < excluded.leased_at OR source_state.leased_by = excluded.leased_by) "
                "AND (source_state.leased_at IS NULL OR source_state.leased_at <= ?)",
                (name, instance_id, ts(now + lease), ts(now), ts(now) - min_gap)) > 0

    def release(self, name: str, instance_id: str) -> None:
        """The poll is over: the lease ends (who polled last, and when, stay for `beacon sources`)."""
        with self._db.transaction():
            self._db.execute("UPDATE source_state SET lease_until=NULL WHERE name=? AND leased_by=?",
                             (name, instance_id))

    def pollers(self) -> dict[str, SourcePoller]:
        """Which instance polled each source last, and whether it is polling it now."""
        rows = self._db.rows("SELECT name, leased_by, leased_at, lease_until FROM source_state "
                             "WHERE leased_by IS NOT NULL")
        return {r["name"]: SourcePoller(r["leased_by"], utc(r["leased_at"]), dt(r["lease_until"])) for r in rows}


@dataclass(frozen=True)
class SourcePoller:
    """The instance that polls (or last polled) a source."""

    instance_id: str
    started_at: datetime
    lease_until: datetime | None     # None: the poll is over
