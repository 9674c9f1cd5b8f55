"""The connection every store part shares, its one transaction, and what differs between SQL dialects.

The parts (articles, events, outbox, ...) write SQL that SQLite and PostgreSQL both accept:
`?` placeholders, `ON CONFLICT ... DO NOTHING` / `DO UPDATE`, `RETURNING id`. What they do not
agree on is asked of the `Dialect` (a bulk list of keys, the larger of two values), and the
placeholders are rewritten by `Dialect.sql`, so a second backend is one more `Dialect` and one
more `Database` subclass (the connection and its errors), with nothing changed in the parts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from bot.database_location import DatabaseLocation
from bot.errors import StoreError
from bot.state_check import opening

Params = Sequence[Any]


class Row(Protocol):
    """A row read back, by column name or position: `sqlite3.Row`, or PostgreSQL's `PgRow`."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    """What a statement gives back: its rows and how many rows it changed (`sqlite3.Cursor`, or PostgreSQL's
    `Result`, read at once)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


def ts(dt: datetime) -> float:
    """How a time is stored: seconds since the epoch."""
    return dt.timestamp()


def dt(value: float | None) -> datetime | None:
    """A stored time read back (UTC), None for NULL."""
    return None if value is None else datetime.fromtimestamp(value, UTC)


def utc(value: float) -> datetime:
    """A stored time that is never NULL."""
    return datetime.fromtimestamp(value, UTC)


def marks(count: int) -> str:
    """`?, ?, ?` for an IN list of `count` values."""
    return ",".join("?" * count)


class Dialect:
    """SQLite's spelling of the few things the dialects disagree on."""

    name = "sqlite"
    max_params = 900               # bound values per statement, under SQLite's limit

    def sql(self, text: str) -> str:
        """The statement as this dialect's driver takes it (SQLite: `?` placeholders as written)."""
        return text

    def json_keys(self) -> str:
        """A FROM-able table of the strings in one JSON array parameter, as column `value`."""
        return "json_each(?)"

    def greatest(self, left: str, right: str) -> str:
        """The larger of two values in one row."""
        return f"MAX({left}, {right})"

    def has_table(self) -> str:
        """A query that returns a row when the table named by its one parameter exists."""
        return "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"

    def lock_rows(self, *, skip_locked: bool = False) -> str:
        """What ends a SELECT whose rows the transaction goes on to update, so that no other one takes them
        meanwhile (SQLite: nothing, BEGIN IMMEDIATE holds the one writer lock); with `skip_locked`, rows
        another transaction holds are left out at once instead of waited for."""
        return ""

    def migration_lock(self) -> str | None:
        """A statement that makes instances starting together migrate one after another, inside the
        migration's transaction (SQLite: none needed, BEGIN IMMEDIATE already does)."""
        return None


class Database:
    """One SQLite file in WAL mode: the connection, its transaction, and the storage-fault translation."""

    dialect = Dialect()
    path: Path | str     # the SQLite file; a PostgreSQL database's URL without its password

    def __init__(self, path: Path, *, connection: sqlite3.Connection | None = None) -> None:
        self.path = path
        if connection is not None:
            self.db = connection
            return
        # a missing-after-use, empty or damaged file stops here (StateDamaged), never opens as a fresh install
        with opening(path) as connect:
            self.db = connect()
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            # FULL: an acknowledged outbox commit survives power loss (measured ~0.2 ms per commit).
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=10000")

    @classmethod
    def at(cls, where: Path | DatabaseLocation) -> Database:
        """The database a config names: a SQLite file, or PostgreSQL (bot/store/postgres.py, imported only then)."""
        if isinstance(where, DatabaseLocation):
            if where.postgres_url is not None:
                from bot.store.postgres import PostgresDatabase

                return PostgresDatabase(where.postgres_url)
            assert where.sqlite_path is not None
            where = where.sqlite_path
        return cls(where)

    def reader(self) -> Database:
        """A read-only connection to the same file, opened in (and for) the calling thread.

        WAL: readers never block the writer. `query_only` makes a write through it an error
        instead of a second writer.
        """
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA query_only=ON")
        connection.execute("PRAGMA busy_timeout=10000")
        return Database(Path(self.path), connection=connection)

    def close(self) -> None:
        self.db.close()

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        return self.db.execute(self.dialect.sql(sql), params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        return self.db.executemany(self.dialect.sql(sql), rows)

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        return self.execute(sql, params).fetchall()

    def row(self, sql: str, params: Params = ()) -> Row | None:
        found: Row | None = self.execute(sql, params).fetchone()
        return found

    def changed(self, sql: str, params: Params = ()) -> int:
        """Run a write; how many rows it changed."""
        return int(self.execute(sql, params).rowcount)

    def insert_id(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT ... RETURNING id; the new row's id."""
        row = self.row(sql, params)
        if row is None:
            raise StoreError(self.path, "an insert returned no id")
        return int(row[0])

    @property
    def in_transaction(self) -> bool:
        return self.db.in_transaction

    @property
    def away(self) -> bool:
        """Whether the database server is known unreachable right now (never, for a SQLite file)."""
        return False

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; nested use joins the outer one.

        A storage fault (disk full, locked by another process past busy_timeout, read-only,
        damaged file) becomes a StoreError naming this file and the cause, so callers can
        report it and keep running; other sqlite3 errors are bugs and pass through as they are.
        """
        if self.in_transaction:
            yield self    # a part's write inside a caller's transaction (ingest's one commit)
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self
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
