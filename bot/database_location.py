"""Where the state lives: the `database:` setting read as a SQLite file or a PostgreSQL URL.

A PostgreSQL URL usually carries a password. It is kept only in `DatabaseLocation.postgres_url`
(what the driver is given); everything meant for people (`str()`, `repr()`, error messages, logs,
`/status`) shows the URL with the password replaced by `***`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql", "postgres")
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
HIDDEN = "***"
_EXAMPLE = "postgresql://beacon:PASSWORD@db.example:5432/beacon"


@dataclass(frozen=True, repr=False)
class DatabaseLocation:
    """A SQLite file (`sqlite_path`) or a PostgreSQL database (`postgres_url`, password included)."""

    sqlite_path: Path | None = None
    postgres_url: str | None = None

    @property
    def kind(self) -> Literal["sqlite", "postgresql"]:
        if self.postgres_url is not None:
            return "postgresql"
        return "sqlite"

    @property
    def password(self) -> str | None:
        """The URL's password (for the log redactor), from the user part or a `password=` parameter."""
        if self.postgres_url is None:
            return None
        return _password(self.postgres_url)

    def __str__(self) -> str:
        if self.postgres_url is not None:
            return redact_url(self.postgres_url)
        return str(self.sqlite_path)

    def __repr__(self) -> str:
        return f"DatabaseLocation({self.kind}: {self})"


def parse_database(setting: str, base: Path | None = None) -> DatabaseLocation:
    """`database:` (or BEACON_DATABASE_URL) -> a location; a relative SQLite path is taken from `base`.

    Raises ValueError with a message that says what is wrong and never contains the password.
    """
    text = setting.strip()
    if not text:
        raise ValueError(f"empty: give a SQLite file path or a PostgreSQL URL such as {_EXAMPLE}")
    if "://" in text:
        return DatabaseLocation(postgres_url=_checked_postgres_url(text))
    if text.lower().startswith(POSTGRES_SCHEMES):
        # not quoted: without '://' the password cannot be told from the rest
        raise ValueError(f"this looks like a PostgreSQL URL but has no '://': write it as {_EXAMPLE}")
    if text.endswith(("/", "\\")):
        raise ValueError(f"{text!r} is a folder: name the SQLite file, e.g. {text.rstrip('/')}/beacon.sqlite3")
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = (base / path).resolve()
    return DatabaseLocation(sqlite_path=path)


def redact_url(url: str) -> str:
    """The URL with its password (user part and `password=` parameter) shown as `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(a database URL that cannot be parsed)"
    netloc = parts.netloc
    if "@" in netloc:
        login, _, host = netloc.rpartition("@")
        user, has_password, _ = login.partition(":")
        netloc = f"{user}:{HIDDEN}@{host}" if has_password else f"{login}@{host}"
    query = parts.query
    if query:
        pairs = [(key, HIDDEN if key == "password" else value)
                 for key, value in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs, safe="*/", quote_via=quote)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _password(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.password:
        return unquote(parts.password)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "password" and value:
            return value
    return None


def _checked_postgres_url(url: str) -> str:
    shown = redact_url(url)
    scheme = url.split("://", 1)[0].lower()
    if scheme not in POSTGRES_SCHEMES:
        raise ValueError(f"unsupported database URL scheme {scheme!r} in {shown!r}: use a SQLite file path or a "
                         f"PostgreSQL URL such as {_EXAMPLE}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{shown!r} is not a valid URL ({_scrubbed(str(exc), url)}): write it as {_EXAMPLE}") from exc
    if port == 0:
        raise ValueError(f"{shown!r}: port 0 is not a port")
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if not parts.hostname and not params.get("host"):
        raise ValueError(f"{shown!r} names no server: write it as {_EXAMPLE} (or ?host=/socket/folder for a local "
                         "socket)")
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise ValueError(f"{shown!r} names no database: end it with /<database name>, as in {_EXAMPLE}")
    if "sslmode" in params and params["sslmode"] not in SSL_MODES:
        raise ValueError(f"{shown!r}: sslmode {params['sslmode']!r} is not one of {', '.join(SSL_MODES)}")
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        conninfo_to_dict(url)    # libpq's own reading: unknown parameters and bad escapes
    except ProgrammingError as exc:
        raise ValueError(f"{shown!r}: {_scrubbed(str(exc), url)}") from exc
    return url


def _scrubbed(message: str, url: str) -> str:
    """A library's message about the URL, without the password should it quote it."""
    password = _password(url)
    if password:
        message = message.replace(password, HIDDEN)
        message = message.replace(quote(password, safe=""), HIDDEN)
    return message
