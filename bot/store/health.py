"""`beacon check` and `beacon run`'s first look at the state, whichever backend holds it.

SQLite: the file checks of bot/state_check.py (missing after use, empty, not SQLite, quick_check).
PostgreSQL: the server answers, and the schema is one this Beacon can use (not newer than its own).
"""

from __future__ import annotations

from bot.database_location import DatabaseLocation
from bot.errors import StoreError


def state_report(location: DatabaseLocation) -> tuple[str | None, str | None]:
    """(problem, ok line): exactly one of them is None; both are None for a SQLite file not created yet."""
    if location.sqlite_path is not None:
        from bot.state_check import health, restore_advice

        path = location.sqlite_path
        problem = health(path)
        if problem is not None:
            return restore_advice(path, problem), None
        if path.exists():
            return None, f"ok: state database {path} passed SQLite's quick_check"
        return None, None
    return _postgres_report(location)


def _postgres_report(location: DatabaseLocation) -> tuple[str | None, str | None]:
    from bot.store import migrations
    from bot.store.database import Database

    try:
        database = Database.at(location)
    except StoreError as exc:
        return str(exc), None
    try:
        schema = migrations.status(database)
    except StoreError as exc:
        return str(exc), None
    finally:
        database.close()
    if schema.current > schema.latest:
        return (f"state database {location}: schema version {schema.current} is newer than this Beacon "
                f"({schema.latest}); upgrade Beacon"), None
    pending = f", {len(schema.pending)} migrations to apply at start" if schema.pending else ""
    return None, f"ok: state database {location}: PostgreSQL answers, schema version {schema.current} of " \
                 f"{schema.latest}{pending}"
