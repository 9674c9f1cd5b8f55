"""Versioned schema migrations: numbered SQL files applied in order, each recorded once.

`<dialect>/NNNN_<what>.sql` holds the statements that bring the schema from version NNNN-1 to
NNNN. A database records each version applied in `schema_migrations`; one created before
this table existed (`meta.schema_version`, up to 9) is adopted as having had its versions
applied, then upgraded like any other. A database newer than this Beacon is refused, never
downgraded.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from importlib import resources

from bot.errors import StoreError
from bot.store.database import Database

_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str                      # the file's name without the number, e.g. "event_lookup"
    statements: tuple[str, ...]


@dataclass(frozen=True)
class SchemaStatus:
    current: int                   # 0: an empty database
    latest: int                    # what this Beacon's migrations reach
    pending: tuple[Migration, ...]


def _statements(text: str) -> tuple[str, ...]:
    """One SQL file as its statements, ended at each complete `;`."""
    statements, buffer = [], ""
    for line in text.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n;") and not all(
                    part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()):
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()):
        raise ValueError(f"unterminated SQL statement: {buffer.strip()[:80]!r}")
    return tuple(statements)


def available(dialect: str) -> list[Migration]:
    """Every migration shipped for this dialect, in version order, numbered 1, 2, ... without gaps."""
    found = []
    for entry in resources.files(__package__).joinpath(dialect).iterdir():
        matched = _FILE.match(entry.name)
        if matched:
            found.append(Migration(int(matched[1]), matched[2], _statements(entry.read_text(encoding="utf-8"))))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise ValueError(f"{dialect} migrations are not numbered 1..{len(found)}: {[m.version for m in found]}")
    return found


def _has_table(database: Database, name: str) -> bool:
    return database.row(database.dialect.has_table(), (name,)) is not None


def current_version(database: Database) -> int:
    """The schema version the database is at: recorded migrations, else the old `meta` scheme, else 0."""
    if _has_table(database, "schema_migrations"):
        row = database.row("SELECT MAX(version) FROM schema_migrations")
        return int(row[0]) if row and row[0] is not None else 0
    if _has_table(database, "meta"):
        row = database.row("SELECT value FROM meta WHERE key='schema_version'")
        return int(row[0]) if row else 1
    return 0


def status(database: Database) -> SchemaStatus:
    migrations = available(database.dialect.name)
    current = current_version(database)
    return SchemaStatus(current, len(migrations), tuple(m for m in migrations if m.version > current))


def migrate(database: Database) -> list[Migration]:
    """Apply every pending migration in one transaction; returns those applied (none when up to date)."""
    with database.transaction():
        lock = database.dialect.migration_lock()
        if lock is not None:     # several instances starting together: one migrates, the others then see it done
            database.execute(lock)
        schema = status(database)
        if schema.current > schema.latest:
            raise StoreError(database.path, f"schema version {schema.current} is newer than this Beacon "
                             f"({schema.latest}); upgrade Beacon")
        adopted = not _has_table(database, "schema_migrations") and schema.current > 0
        database.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                         "name TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL)")
        if adopted:
            # a database from before versioned migrations: its versions were applied by the old scheme
            database.executemany("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                 [(m.version, m.name, time.time()) for m in available(database.dialect.name)
                                  if m.version <= schema.current])
        for migration in schema.pending:
            for statement in migration.statements:
                database.execute(statement)
            database.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (migration.version, migration.name, time.time()))
        # what a Beacon from before versioned migrations reads: it refuses a schema newer than its own
        database.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE "
                         "SET value=excluded.value", (str(schema.latest),))
    return list(schema.pending)
