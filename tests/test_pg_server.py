"""The test PostgreSQL (tests/pg_server.py): a working server, a database per test, loud failures."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.pg_server import (
    PostgresServer,
    PostgresUnavailable,
    others_can_reach,
    reachable_bin_dir,
    started_server,
    unprivileged_user,
)


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


def _fake_install(bin_dir: Path) -> None:
    """An initdb that fails the way a full disk makes it fail, and a postgres that is never reached."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, body in (("initdb", "echo 'initdb: could not create directory: No space left on device' >&2\n"
                                  "exit 1\n"), ("postgres", "exit 1\n")):
        tool = bin_dir / name
        tool.write_text("#!/bin/sh\n" + body)
        tool.chmod(0o755)


def test_a_server_that_cannot_start_fails_with_its_own_words() -> None:
    """An initdb that exits non-zero: its output is in the error, not swallowed. (The scripts live in a
    folder any user may read: as root, the server tools run as `nobody`.)"""
    with tempfile.TemporaryDirectory() as folder:
        bin_dir = Path(folder)
        bin_dir.chmod(0o755)
        _fake_install(bin_dir)
        with pytest.raises(PostgresUnavailable, match=r"(?s)initdb failed \(exit 1\).*No space left on device"), \
                started_server(bin_dir):
            pass


def test_binaries_behind_a_closed_folder_run_from_a_copy_the_server_account_reaches() -> None:
    """A checkout under /root (mode 700): as root the server runs as `nobody`, who cannot get to the
    binaries there, so the install is copied to /tmp once and run from the copy."""
    with tempfile.TemporaryDirectory() as folder:
        closed = Path(folder)
        closed.chmod(0o700)
        bin_dir = closed / "install" / "bin"
        _fake_install(bin_dir)
        assert not others_can_reach(bin_dir)
        run_as = unprivileged_user()
        reachable = reachable_bin_dir(bin_dir, run_as)
        try:
            if run_as is None:       # not root: the server runs as us, from where the binaries are
                assert reachable == bin_dir
            else:
                assert reachable != bin_dir and others_can_reach(reachable)
                assert (reachable / "initdb").read_bytes() == (bin_dir / "initdb").read_bytes()
            with pytest.raises(PostgresUnavailable, match=r"(?s)initdb failed \(exit 1\).*No space left"), \
                    started_server(bin_dir):
                pass
        finally:
            if reachable != bin_dir:
                shutil.rmtree(Path("/tmp") / reachable.relative_to("/tmp").parts[0])
