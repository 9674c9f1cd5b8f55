"""The PostgreSQL backend: the same store parts over psycopg 3 and a connection pool.

Only what PostgreSQL spells differently lives here (`PostgresDialect`): placeholders, a JSON
array as rows, the larger of two values, how to ask whether a table exists. `PostgresDatabase`
is the connection side: a pool (psycopg_pool; a connection the server closed is seen before use and
replaced, so a restarted server is reconnected to), one connection bound to the thread for the
length of a transaction, and server faults turned into `StoreError`s that name the database without
its password. While the server is away (stopped, restarting, crashed) calls fail at once instead of
each waiting for the pool, and a probe at growing intervals finds it back (postgres_reach.py).
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any, TypeVar

import psycopg
from psycopg.rows import RowMaker
from psycopg_pool import ConnectionPool

from bot.database_location import redact_url
from bot.errors import StoreError
from bot.store.database import Database, Dialect, Params
from bot.store.postgres_reach import ServerReach, connection_lost

T = TypeVar("T")

POOL_SIZE = 4              # the event loop's writes, the match thread's reads, a scrape, a command
CONNECT_TIMEOUT = 10.0     # seconds to reach the server at start
POOL_WAIT = 3.0            # seconds a call waits for a pooled connection (one is free at once, server up)
PROBE_TIMEOUT = 2.0        # seconds a probe of a server found away waits for it to answer
# The pool's own reconnection gives up quickly: how often a server that went away is tried again is
# ServerReach's backoff (at most every 5 s), not the pool's, which doubles up to minutes.
RECONNECT_TIMEOUT = 2.0

# A connection to a host that vanished (power, network) fails within ~25 s instead of TCP's two hours; the server
# that restarted or crashed closes its connections, which `closed_by_server` sees without a round trip.
KEEPALIVES: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3}

# The pool logs each failed connection attempt on several lines; ServerReach says it once, and when it ends.
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)


class PostgresDialect(Dialect):
    """PostgreSQL's spelling of what the dialects disagree on."""

    name = "postgresql"
    max_params = 30000             # under the protocol's 65,535 bound values per statement

    def sql(self, text: str) -> str:
        return _placeholders(text)

    def json_keys(self) -> str:
        return "jsonb_array_elements_text(CAST(? AS jsonb))"

    def greatest(self, left: str, right: str) -> str:
        return f"GREATEST({left}, {right})"

    def has_table(self) -> str:
        return ("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_name = ?")

    def lock_rows(self, *, skip_locked: bool = False) -> str:
        return " FOR UPDATE SKIP LOCKED" if skip_locked else " FOR UPDATE"

    def migration_lock(self) -> str | None:
        # a transaction-scoped advisory lock: several Beacons starting at once on a new database
        return "SELECT pg_advisory_xact_lock(7311520)"


def _is_read(sql: str) -> bool:
    """A plain SELECT: running it twice changes nothing."""
    return sql.lstrip()[:6].upper() == "SELECT"


@lru_cache(maxsize=1024)
def _placeholders(text: str) -> str:
    """`?` -> `%s` outside quotes and comments; every `%` doubled (psycopg reads `%` everywhere, literals included)."""
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            out.append("%%")
        elif quote is not None:
            out.append(char)
            if char == quote:
                quote = None
        elif char in ("'", '"'):
            quote = char
            out.append(char)
        elif char == "-" and text.startswith("--", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            out.append(text[i:end].replace("%", "%%"))
            i = end
            continue
        elif char == "?":
            out.append("%s")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def closed_by_server(connection: psycopg.Connection[Any]) -> bool:
    """Whether an idle connection is dead: closed here, or the server wrote to it unasked (a shutdown's FATAL
    message, or the end of the stream when its backend died), seen without a round trip. An idle autocommit
    connection with no LISTEN gets nothing unasked otherwise; a rare notice only costs a new connection."""
    if connection.closed or connection.broken:
        return True
    waiting = select.poll()   # not select(): a busy Beacon's descriptors may pass its 1024 limit
    waiting.register(connection.fileno(), select.POLLIN)
    return bool(waiting.poll(0))


class PgRow:
    """A row read by column name or position, like `sqlite3.Row` (the parts read rows both ways)."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = tuple(values)
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PgRow):
            return self._values == other._values and self._index == other._index
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"PgRow({dict(zip(self._index, self._values, strict=True))!r})"


def _pg_rows(cursor: psycopg.Cursor[Any]) -> RowMaker[PgRow]:
    names = [column.name for column in cursor.description or ()]
    index = {name: position for position, name in enumerate(names)}

    def make(values: Sequence[Any]) -> PgRow:
        return PgRow(values, index)

    return make


class Result:
    """A statement's rows (read at once, so the connection can go back to the pool) and its row count."""

    def __init__(self, rows: list[PgRow], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def fetchone(self) -> PgRow | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[PgRow]:
        return list(self._rows)

    def __iter__(self) -> Iterator[PgRow]:
        return iter(self._rows)


class PostgresDatabase(Database):
    """A PostgreSQL database through a pool of connections; `path` is its URL without the password."""

    dialect = PostgresDialect()

    def __init__(self, url: str, *, pool: ConnectionPool[Any] | None = None, reach: ServerReach | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT) -> None:
        self.url = url
        self.path = redact_url(url)     # errors and logs name this, never the password
        self._local = threading.local()
        self._owns_pool = pool is None
        self._reach = ServerReach(redact_url(url)) if reach is None else reach
        if pool is None:
            pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=False, timeout=POOL_WAIT,
                                  name="beacon", reconnect_timeout=RECONNECT_TIMEOUT,
                                  kwargs={"autocommit": True, "connect_timeout": max(1, int(connect_timeout)),
                                          "application_name": "beacon", **KEEPALIVES})
            try:
                pool.open(wait=True, timeout=connect_timeout)
            except psycopg.OperationalError as exc:
                pool.close()
                raise StoreError(self.path, f"cannot connect to PostgreSQL: {self._scrub(exc)}") from exc
        self._pool = pool

    def reader(self) -> PostgresDatabase:
        """For another thread (the match thread): the same pool, each statement on a pooled connection."""
        return PostgresDatabase(self.url, pool=self._pool, reach=self._reach)

    def close(self) -> None:
        if self._owns_pool:
            self._pool.close()

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        bound: psycopg.Connection[Any] | None = getattr(self._local, "connection", None)
        if bound is not None:
            yield bound
            return
        with self._pooled() as connection:
            yield connection

    @contextmanager
    def _pooled(self) -> Iterator[psycopg.Connection[Any]]:
        """A working connection from the pool, given back after use."""
        connection = self._take()
        try:
            yield connection
        finally:
            self._pool.putconn(connection)   # one left broken is discarded there, and another opened in its place

    def _take(self) -> psycopg.Connection[Any]:
        """A pooled connection the server has not closed. While the server is known gone, a `StoreError` at once,
        except for the one call per backoff step that probes it. A connection the server closed (it was stopped,
        restarted or crashed since) is discarded, and the server probed at once: gone, the call fails now instead
        of waiting for the pool; back, the pool's other dead connections are replaced together."""
        if self._reach.before_connecting():
            self._probe()
        for _ in range(POOL_SIZE + 1):
            connection: psycopg.Connection[Any] = self._pool.getconn()
            if not closed_by_server(connection):
                return connection
            connection.close()
            self._pool.putconn(connection)
            self._probe()
        last: psycopg.Connection[Any] = self._pool.getconn()
        return last

    def _probe(self) -> None:
        """Is the server there? A connection of the probe's own says (refused at once when the server is down, an
        `OperationalError`); if it is, every idle pooled connection is checked and the dead ones replaced."""
        psycopg.connect(self.url, connect_timeout=max(1, int(PROBE_TIMEOUT)), application_name="beacon-probe",
                        **KEEPALIVES).close()
        self._pool.check()

    def _on_fresh(self, first: Callable[[psycopg.Connection[Any]], T], *,
                  repeatable: bool) -> tuple[psycopg.Connection[Any], T]:
        """Take a pooled connection and run `first` on it. The server may have closed the connection an instant
        ago (a shutdown under way, an administrator's pg_terminate_backend), too late for `_take` to see: when
        running `first` again does no harm (a BEGIN, a read), it runs once more on another connection."""
        connection = self._take()
        try:
            return connection, first(connection)
        except psycopg.OperationalError as exc:
            self._pool.putconn(connection)
            if not (repeatable and connection_lost(exc)):
                raise
        except BaseException:   # a bug (bad SQL, a constraint): the connection goes back all the same
            self._pool.putconn(connection)
            raise
        connection = self._take()
        try:
            return connection, first(connection)
        except BaseException:
            self._pool.putconn(connection)
            raise

    def execute(self, sql: str, params: Params = ()) -> Result:
        def run(connection: psycopg.Connection[Any]) -> Result:
            cursor = connection.cursor(row_factory=_pg_rows)
            cursor.execute(self.dialect.sql(sql), tuple(params))
            rows = cursor.fetchall() if cursor.description else []
            return Result(rows, cursor.rowcount)

        bound: psycopg.Connection[Any] | None = getattr(self._local, "connection", None)
        with self._faults():
            if bound is not None:
                return run(bound)
            connection, result = self._on_fresh(run, repeatable=_is_read(sql))
            self._pool.putconn(connection)
            return result

    def executemany(self, sql: str, rows: Iterable[Params]) -> Result:
        batch = [tuple(row) for row in rows]
        if not batch:
            return Result([], 0)
        with self._faults(), self._connection() as connection:
            cursor = connection.cursor()
            cursor.executemany(self.dialect.sql(sql), batch)
            return Result([], cursor.rowcount)

    @property
    def in_transaction(self) -> bool:
        return getattr(self._local, "connection", None) is not None

    @property
    def away(self) -> bool:
        return self._reach.down

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN ... COMMIT on one pooled connection, bound to this thread until it ends; rolled back on any
        exception; nested use joins the outer one."""
        if self.in_transaction:
            yield self
            return
        with self._faults():
            connection, _ = self._on_fresh(lambda fresh: fresh.execute("BEGIN"), repeatable=True)
            self._local.connection = connection
            try:
                yield self
                connection.execute("COMMIT")
            except BaseException:
                with suppress(psycopg.Error):   # a connection the server closed: it rolled back already
                    connection.execute("ROLLBACK")
                raise
            finally:
                self._local.connection = None
                self._pool.putconn(connection)   # a broken one is discarded and replaced there

    # -- for `beacon db copy` (bot/store/copy.py) -----------------------------------------------------------

    def column_types(self, table: str) -> dict[str, str]:
        """A table's columns and their types ("bigint", "text", ...); empty when there is no such table."""
        rows = self.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                         "current_schema() AND table_name = ? ORDER BY ordinal_position", (table,))
        return {row[0]: row[1] for row in rows}

    def copy_rows(self, table: str, columns: Sequence[str], types: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """COPY rows into a table inside the current transaction; how many were written."""
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(name) for name in columns))
        written = 0
        with self._faults(), self._connection() as connection, connection.cursor() as cursor, \
                cursor.copy(statement) as copy:
            copy.set_types(list(types))
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def restart_identity(self, table: str) -> None:
        """After rows were copied in with their ids: new ids continue after the largest one."""
        for row in self.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                             "current_schema() AND table_name = ? AND is_identity = 'YES'", (table,)):
            column = row[0]
            self.execute(f'SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX("{column}") '
                         f'FROM "{table}"), 0) + 1, false)', (table, column))

    @contextmanager
    def _faults(self) -> Iterator[None]:
        """The server gone, restarting, out of disk or out of connections: a StoreError naming the database (and,
        when the server cannot be reached, calls fail fast until it answers again: `ServerReach`); bad SQL and
        constraint violations are bugs and pass through as they are."""
        try:
            yield
        except psycopg.OperationalError as exc:
            cause = self._scrub(exc)
            if connection_lost(exc):
                self._reach.lost(cause)
            raise StoreError(self.path, f"PostgreSQL: {cause}") from exc
        self._reach.answered()

    def _scrub(self, exc: BaseException) -> str:
        """The error on one line (psycopg adds a hint on a second), without the password."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        password = _password_of(self.url)
        return text.replace(password, "***") if password else text


def _password_of(url: str) -> str | None:
    from bot.database_location import DatabaseLocation

    return DatabaseLocation(postgres_url=url).password
