"""Named leases and instances' signs of life: what lets several Beacons share one database.

A lease is a row (`leases`: name, holder, until). It is taken with one conditional upsert that
succeeds only when the row is free, expired, or already this holder's, so two instances can
never both hold it: SQLite runs the statement inside its one writer lock, PostgreSQL locks the
row for the upsert. A holder that dies simply stops renewing and the lease is free once `until`
is past; nothing has to notice the death. Every instance also writes `instances.seen_at` on
each renewal, so `/status` can list who is running and what each holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.enums import LeaseName
from bot.store.database import Database, ts, utc


@dataclass(frozen=True)
class Lease:
    """Who holds a named lease, since when and until when."""

    name: LeaseName
    holder: str
    since: datetime
    until: datetime


@dataclass(frozen=True)
class InstanceSeen:
    """A `beacon run` that shares the database, as it last reported itself."""

    id: str
    started_at: datetime
    seen_at: datetime


class LeaseStore:
    """Take, renew and release named leases; record and list instances."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def acquire(self, name: LeaseName, holder: str, duration: timedelta, now: datetime) -> bool:
        """Take or renew `name` for `duration` from `now`; False while another holder's lease runs."""
        with self._db.transaction():
            return self._db.changed(
                "INSERT INTO leases (name, holder, until, since) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET holder=excluded.holder, until=excluded.until, "
                "since=CASE WHEN leases.holder = excluded.holder THEN leases.since ELSE excluded.since END "
                "WHERE leases.holder = excluded.holder OR leases.until < excluded.since",
                (name, holder, ts(now + duration), ts(now))) > 0

    def release(self, name: LeaseName, holder: str) -> bool:
        """Give `name` up at once (a clean stop), if this holder has it."""
        with self._db.transaction():
            return self._db.changed("DELETE FROM leases WHERE name=? AND holder=?", (name, holder)) > 0

    def holder(self, name: LeaseName, now: datetime) -> Lease | None:
        """The lease's current holder; None when free or expired."""
        row = self._db.row("SELECT * FROM leases WHERE name=? AND until >= ?", (name, ts(now)))
        if row is None:
            return None
        return Lease(LeaseName(row["name"]), row["holder"], utc(row["since"]), utc(row["until"]))

    def record(self, holder: str, claimed: Lease | None) -> None:
        """Write who holds a lease decided elsewhere (a PostgreSQL advisory lock), for `/status` to show."""
        if claimed is None:
            return
        # `since` as the caller says: the same holder taking the lock again (its connection was lost) leads anew
        with self._db.transaction():
            self._db.execute("INSERT INTO leases (name, holder, until, since) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT(name) DO UPDATE SET holder=excluded.holder, until=excluded.until, "
                             "since=excluded.since",
                             (claimed.name, holder, ts(claimed.until), ts(claimed.since)))

    def seen(self, instance_id: str, started_at: datetime, now: datetime) -> None:
        """This instance is alive (written on every renewal)."""
        with self._db.transaction():
            self._db.execute("INSERT INTO instances (id, started_at, seen_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(id) DO UPDATE SET seen_at=excluded.seen_at, started_at=excluded.started_at",
                             (instance_id, ts(started_at), ts(now)))

    def gone(self, instance_id: str) -> None:
        """A clean stop: the instance leaves the list at once."""
        with self._db.transaction():
            self._db.execute("DELETE FROM instances WHERE id=?", (instance_id,))

    def instances(self, since: datetime) -> list[InstanceSeen]:
        """Instances seen alive since then, oldest first."""
        rows = self._db.rows("SELECT * FROM instances WHERE seen_at >= ? ORDER BY started_at, id", (ts(since),))
        return [InstanceSeen(r["id"], utc(r["started_at"]), utc(r["seen_at"])) for r in rows]
