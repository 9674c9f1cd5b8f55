"""The test PostgreSQL (tests/pg_server.py): a working server, a database per test, loud failures."""

from __future__ import annotations

import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.pg_server import PostgresServer, PostgresUnavailable, started_server


def test_a_fresh_database_stores_and_returns_rows(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
        conn.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, seen_at DOUBLE PRECISION NOT NULL)")
        conn.execute("INSERT INTO seen VALUES (%s, %s), (%s, %s)", ("guid:a", 1.5, "url:b", 2.25))
        conn.commit()
    with psycopg.connect(postgres_url) as again:
        rows = again.execute("SELECT key, seen_at FROM seen ORDER BY key").fetchall()
    assert rows == [("guid:a", 1.5), ("url:b", 2.25)]


def test_each_test_gets_its_own_database_and_it_is_dropped(pg_server: PostgresServer) -> None:
    first, second = pg_server.create_database(), pg_server.create_database()
    assert first != second
    with psycopg.connect(first) as conn:
        conn.execute("CREATE TABLE only_here (n INTEGER)")
    with psycopg.connect(second) as conn:
        assert conn.execute("SELECT to_regclass('only_here')").fetchone() == (None,)
    pg_server.drop_database(first)
    pg_server.drop_database(second)
    with psycopg.connect(pg_server.url()) as admin:
        left = admin.execute("SELECT datname FROM pg_database WHERE datname = ANY(%s)",
                             ([first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]],)).fetchall()
    assert left == []


def test_missing_server_binaries_fail_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(PostgresUnavailable, match=r"initdb is missing or not executable"), started_server(tmp_path):
        pass


def test_a_server_that_cannot_start_fails_with_its_own_words() -> None:
    """An initdb that exits non-zero: its output is in the error, not swallowed. (The scripts live in a
    folder any user may read: as root, the server tools run as `nobody`.)"""
    with tempfile.TemporaryDirectory() as folder:
        bin_dir = Path(folder)
        bin_dir.chmod(0o755)
        for name, body in (("initdb", "echo 'initdb: could not create directory: No space left on device' >&2\n"
                                      "exit 1\n"), ("postgres", "exit 1\n")):
            tool = bin_dir / name
            tool.write_text("#!/bin/sh\n" + body)
            tool.chmod(0o755)
        with pytest.raises(PostgresUnavailable, match=r"(?s)initdb failed \(exit 1\).*No space left on device"), \
                started_server(bin_dir):
            pass
