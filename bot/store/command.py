"""`beacon db migrate`, `beacon db status` and `beacon db copy`: the state database's schema version, its
upgrade, and a move from SQLite to PostgreSQL (bot/store/copy.py). Each works on either backend.

`beacon run` applies pending migrations itself when it opens the database; these commands let an
operator see and do it beforehand (after a backup, before starting the new version).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from bot.config import load_config
from bot.database_location import DatabaseLocation, parse_database
from bot.errors import StoreError


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    for name, text in (("migrate", "apply the pending schema migrations, and say which"),
                       ("status", "the schema version, and the migrations still to apply")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("--database", metavar="PATH|URL",
                            help="this SQLite file or postgresql:// URL instead of the config's")
    copy = actions.add_parser("copy", parents=[common], help="copy a SQLite state into an empty PostgreSQL "
                              "database: every table, every row, or nothing")
    copy.add_argument("--to", metavar="URL", help="the PostgreSQL database (default: the config's `database:` "
                      "when it is one); a password is better given as PGPASSWORD than on the command line")
    copy.add_argument("--from", dest="source", metavar="PATH",
                      help="the SQLite file (default: the config's, or data_dir/beacon.sqlite3)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    # here, not at the top: bot/cli.py imports this module to build its parser on every `beacon` start
    from bot.store import migrations
    from bot.store.database import Database

    if args.db_command == "copy":
        from bot.store.copy import run_copy

        return run_copy(args, out)
    location = _location(args)
    path = location.sqlite_path
    if args.db_command == "status" and path is not None and not path.exists():
        raise StoreError(path, "no database here yet (`beacon db migrate` or `beacon run` creates it)")
    database = Database.at(location)
    try:
        if args.db_command == "migrate":
            before = migrations.current_version(database)
            applied = migrations.migrate(database)
            for migration in applied:
                out.write(f"applied {migration.version:04d} {migration.name}\n")
            after = migrations.current_version(database)
            if applied:
                out.write(f"{location}: schema version {before} -> {after}\n")
            else:
                out.write(f"{location}: schema version {after}, up to date\n")
            return 0
        schema = migrations.status(database)
        out.write(f"{location}: schema version {schema.current} of {schema.latest}\n")
        for migration in schema.pending:
            out.write(f"pending {migration.version:04d} {migration.name}\n")
        return 0
    finally:
        database.close()


def _location(args: argparse.Namespace) -> DatabaseLocation:
    """`--database` (a path or a URL), else the config's `database:` (BEACON_DATABASE_URL applied)."""
    if not args.database:
        return load_config(args.config).store_location
    try:
        return parse_database(args.database, Path.cwd())
    except ValueError as exc:
        raise StoreError("--database", str(exc)) from exc
