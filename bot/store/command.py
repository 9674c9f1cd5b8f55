"""`beacon db migrate` and `beacon db status`: the state database's schema version, and its upgrade.

`beacon run` applies pending migrations itself when it opens the database; these commands let an
operator see and do it beforehand (after a backup, before starting the new version).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from bot.config import load_config
from bot.errors import StoreError
from bot.store import migrations
from bot.store.database import Database


def add_arguments(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    for name, text in (("migrate", "apply the pending schema migrations, and say which"),
                       ("status", "the schema version, and the migrations still to apply")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("--database", metavar="PATH", help="this SQLite file instead of the config's")


def run(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.database) if args.database else load_config(args.config).database
    if args.db_command == "status" and not path.exists():
        raise StoreError(path, "no database here yet (`beacon db migrate` or `beacon run` creates it)")
    database = Database(path)
    try:
        if args.db_command == "migrate":
            before = migrations.current_version(database)
            applied = migrations.migrate(database)
            for migration in applied:
                out.write(f"applied {migration.version:04d} {migration.name}\n")
            after = migrations.current_version(database)
            if applied:
                out.write(f"{path}: schema version {before} -> {after}\n")
            else:
                out.write(f"{path}: schema version {after}, up to date\n")
            return 0
        schema = migrations.status(database)
        out.write(f"{path}: schema version {schema.current} of {schema.latest}\n")
        for migration in schema.pending:
            out.write(f"pending {migration.version:04d} {migration.name}\n")
        return 0
    finally:
        database.close()
