"""A private copy of the state database, so a backtest reads history and subscriptions without touching it.

Opening the live file as a `Store` would run migrations and switch journal modes on a database a
running `beacon run` may be writing. So the `Store` is opened on a copy, in a temporary folder
removed after. A database closed cleanly (no `-wal` file beside it) is copied byte for byte: even
a read-only SQLite connection would leave `-wal` and `-shm` files next to it. One in use (a
`-wal` file is there) is copied with SQLite's online backup through a read-only connection, which
reads what the running daemon committed to the write-ahead log too.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from bot.errors import BeaconError
from bot.state_check import refuse_a_damaged_file
from bot.store import Store


@contextmanager
def state_snapshot(database: Path) -> Iterator[Store]:
    """A `Store` on a snapshot of `database`, which is only read (never written, never migrated)."""
    if not database.is_file():
        raise BeaconError(f"no state database at {database}")
    refuse_a_damaged_file(database)
    with tempfile.TemporaryDirectory(prefix="beacon-backtest-") as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        try:
            if database.with_name(database.name + "-wal").exists():
                with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as live, \
                        closing(sqlite3.connect(copy)) as target:
                    live.backup(target)
            else:
                shutil.copyfile(database, copy)
        except (sqlite3.Error, OSError) as exc:
            raise BeaconError(f"cannot read the state database {database}: {exc}") from exc
        store = Store(copy)
        try:
            yield store
        finally:
            store.close()
