"""`beacon db copy`: move a SQLite state to PostgreSQL, every table and every row, or nothing.

Subscriptions, chat settings, mutes, seen-marks, stories, alerts, events (open ones included),
the outbox (queued, held and sent rows), escalations, acknowledgements and sources' state all
go across with their ids, in one PostgreSQL transaction; the counts are compared table by table
before it commits. The target must be empty (a copy never merges into a state in use), and the
SQLite file is only read (after its own pending migrations, so that both schemas are the same).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.errors import StoreError
from bot.store import migrations
from bot.store.database import Database
from bot.store.postgres import PostgresDatabase

BOOKKEEPING = ("meta", "schema_migrations")     # each database keeps its own schema records
_PARENTS_FIRST = ("alerts",)                     # outbox and escalations refer to alerts
_CHUNK = 5000


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int


def run_copy(args: argparse.Namespace, out: TextIO) -> int:
    """`beacon db copy [--from PATH] [--to URL]`: the tables copied and their rows, then what to do next."""
    from bot.config import load_config
    from bot.database_location import parse_database
    from bot.instance_lock import InstanceLock
    from bot.logs import redactor

    config = load_config(args.config)
    target = parse_database(args.to) if args.to else config.store_location
    if target.postgres_url is None:
        raise StoreError(str(target), "not a PostgreSQL database: give --to postgresql://user@host:5432/beacon, "
                         "or set `database:` to that URL first")
    redactor().add(target.password)
    if args.source:
        source = Path(args.source).expanduser().resolve()
    else:
        source = config.store_location.sqlite_path or config.data_dir / "beacon.sqlite3"
    started = time.monotonic()
    with InstanceLock(source.parent):   # no `beacon run` may write the SQLite state while it is copied
        copied = copy_state(source, target.postgres_url)
    for done in copied:
        out.write(f"{done.table:<16} {done.rows:>9,} rows\n")
    total = sum(done.rows for done in copied)
    out.write(f"copied {total:,} rows in {len(copied)} tables from {source} to {target} "
              f"in {time.monotonic() - started:.1f} s\n")
    out.write(f"next: set `database: {target}` (or BEACON_DATABASE_URL) and start Beacon; {source} is unchanged\n")
    return 0


def copy_state(source: Path, target_url: str) -> list[TableCopy]:
    """Copy the SQLite state at `source` into the (empty) PostgreSQL database at `target_url`."""
    if not source.exists():
        raise StoreError(source, "no SQLite state here to copy")
    sqlite = Database(source)
    try:
        migrations.migrate(sqlite)
        postgres = PostgresDatabase(target_url)
        try:
            migrations.migrate(postgres)
            return _copy(sqlite, postgres)
        finally:
            postgres.close()
    finally:
        sqlite.close()


def _copy(sqlite: Database, postgres: PostgresDatabase) -> list[TableCopy]:
    tables = _tables(sqlite)
    target_columns = {table: postgres.column_types(table) for table in tables}
    missing = [table for table in tables if not target_columns[table]]
    if missing:
        raise StoreError(postgres.path, f"has no table {', '.join(missing)}: its schema is older than the "
                         "SQLite one's; upgrade Beacon")
    occupied = [f"{table} ({count} rows)" for table in tables if (count := _count(postgres, table))]
    if occupied:
        raise StoreError(postgres.path, "already holds state: " + ", ".join(occupied) + "; copy into an empty "
                         "database (a copy never merges two states)")
    copied = []
    with postgres.transaction():
        for table in tables:
            columns = _columns(sqlite, table)
            types = target_columns[table]
            lost = [name for name in columns if name not in types]
            if lost:
                raise StoreError(postgres.path, f"table {table} has no column {', '.join(lost)}")
            convert = [_converter(table, name, types[name]) for name in columns]
            rows = postgres.copy_rows(table, columns, [types[name] for name in columns],
                                      _converted(sqlite, table, columns, convert))
            postgres.restart_identity(table)
            copied.append(TableCopy(table, rows))
        for done in copied:
            arrived = _count(postgres, done.table)
            expected = _count(sqlite, done.table)
            if arrived != expected or done.rows != expected:
                raise StoreError(postgres.path, f"table {done.table}: {expected} rows in SQLite, {arrived} arrived; "
                                 "nothing was copied")
    return copied


def _tables(sqlite: Database) -> list[str]:
    names = [row[0] for row in sqlite.rows("SELECT name FROM sqlite_master WHERE type='table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    names = [name for name in names if name not in BOOKKEEPING]
    return sorted(names, key=lambda name: (name not in _PARENTS_FIRST, name))


def _columns(sqlite: Database, table: str) -> list[str]:
    return [row["name"] for row in sqlite.rows('SELECT name FROM pragma_table_info(?) ORDER BY cid', (table,))]


def _count(database: Database, table: str) -> int:
    row = database.row(f'SELECT COUNT(*) FROM "{table}"')
    return int(row[0]) if row else 0


def _converted(sqlite: Database, table: str, columns: Sequence[str],
               convert: Sequence[Callable[[Any, int], Any]]) -> Iterator[tuple[Any, ...]]:
    """The SQLite rows in rowid order, each value in the Python type of its PostgreSQL column."""
    listed = ", ".join(f'"{name}"' for name in columns)
    cursor = sqlite.db.execute(f'SELECT rowid, {listed} FROM "{table}" ORDER BY rowid')   # read in chunks
    while chunk := cursor.fetchmany(_CHUNK):
        for row in chunk:
            rowid = row[0]
            yield tuple(fix(row[i + 1], rowid) for i, fix in enumerate(convert))


def _converter(table: str, column: str, pg_type: str) -> Callable[[Any, int], Any]:
    """SQLite keeps whatever it is given; PostgreSQL wants the column's type. A value that cannot be one is
    a clear error naming the row, never a silently changed value."""
    def fail(value: Any, rowid: int, wanted: str) -> None:
        raise StoreError(table, f"row {rowid}, column {column}: {value!r} is not {wanted}; nothing was copied")

    def to_int(value: Any, rowid: int) -> Any:
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        fail(value, rowid, "a whole number")
        return None

    def to_float(value: Any, rowid: int) -> Any:
        if value is None or isinstance(value, float):
            return value
        if isinstance(value, int):
            return float(value)
        try:
            return float(value)
        except (TypeError, ValueError):
            fail(value, rowid, "a number")
            return None

    def to_text(value: Any, rowid: int) -> Any:
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bytes):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                fail(value, rowid, "UTF-8 text")
        return str(value)

    def to_bytes(value: Any, rowid: int) -> Any:
        if value is None or isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
        fail(value, rowid, "bytes")
        return None

    if pg_type in ("bigint", "integer", "smallint"):
        return to_int
    if pg_type in ("double precision", "real", "numeric"):
        return to_float
    if pg_type == "bytea":
        return to_bytes
    return to_text
