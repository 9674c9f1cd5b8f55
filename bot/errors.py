"""One small hierarchy of errors a user can cause, each able to say where and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class BeaconError(Exception):
    """Base of every error Beacon raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a user's file: `file:line:column: message (hint)`."""

    file: Path | str | None
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class LocatedError(BeaconError):
    """An error made of one or more problems, each with file and line."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(LocatedError):
    """The configuration file is missing, malformed or invalid."""


class RuleError(LocatedError):
    """A rule file is malformed or invalid; the message names file, line and column."""


class TemplateError(LocatedError):
    """A template is missing or does not render against sample data."""


class SourceError(BeaconError):
    """A source could not be fetched or did not contain a feed."""

    def __init__(self, source: str, message: str, *, retry_after: float | None = None,
                 permanent: bool = False) -> None:
        self.source = source
        self.reason = message
        self.retry_after = retry_after
        self.permanent = permanent
        super().__init__(f"{source}: {message}")


class DeliveryError(BeaconError):
    """A message could not be delivered to a chat."""


class StoreError(BeaconError):
    """The state database refused a read or write (full, locked, read-only, damaged): nothing was changed.

    Raised instead of sqlite3's own errors so that callers can keep running (a poll counts as
    its source's failure, a delivery is retried) and the log says which file and why.
    """

    def __init__(self, path: Path | str, reason: str, detail: str = "") -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"state database {path}: {reason}" + (f" (SQLite: {detail})" if detail else ""))

    @classmethod
    def from_sqlite(cls, path: Path | str, exc: Exception) -> StoreError | None:
        """The readable error for a storage fault, by SQLite's result code; None for a bug (bad SQL, constraint)."""
        code = getattr(exc, "sqlite_errorcode", None)
        reason = _STORAGE_FAULTS.get(code & 0xFF) if isinstance(code, int) else None
        return None if reason is None else cls(path, reason, str(exc))


# SQLite primary result codes that mean "the storage refused", not "the program is wrong".
_STORAGE_FAULTS = {
    3: "permission denied",                                                   # SQLITE_PERM
    5: "database is locked by another process",                               # SQLITE_BUSY
    6: "database is locked by another connection",                            # SQLITE_LOCKED
    8: "database is read-only (check the permissions of the file and its folder)",  # SQLITE_READONLY
    10: "disk I/O error (the disk may be full or failing)",                   # SQLITE_IOERR
    11: "database file is damaged",                                           # SQLITE_CORRUPT
    13: "database is full (no space left on the disk, or its size limit reached)",  # SQLITE_FULL
    14: "cannot open the database file",                                      # SQLITE_CANTOPEN
    26: "file is not a SQLite database",                                      # SQLITE_NOTADB
}
