"""Is the state database the one Beacon left, and whole? Checked each time it is opened.

Starting on an empty, vanished or damaged file as if it were a fresh install forgets every
subscription and sends again every alert already sent, and nobody is told. So the file is
checked before SQLite touches it (missing although this data dir held state, 0 bytes, not a
SQLite file) and after it opens (`PRAGMA quick_check`: about 0.3 s on a 175 MiB database),
and a damaged one stops Beacon with a paragraph that names the file and the ways out
(docs/operations.md, "Restoring state"). `beacon run --reset-state` starts empty on purpose,
moving the old file aside, never deleting it.

"Held state before" is told by a marker file in the data dir (`.beacon-state`), one line per
database created there, written once the database first opened whole.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import BeaconError, StoreError

MARKER_NAME = ".beacon-state"
SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_BYTES = 100                       # a SQLite file is never shorter than its header
QUICK_CHECK_ROWS = 5                     # enough problems to show what is wrong
FULL_BELOW = 64 * 1024                   # free bytes under which an error at open is put down to a full disk
_DAMAGED_CODES = {11: "SQLite reports the file is damaged", 26: "the file is not a SQLite database"}
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


class StateDamaged(BeaconError):
    """The state database is missing, empty or damaged: Beacon must not start on it as if it were new."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(restore_advice(path, problem))


def restore_advice(path: Path, problem: str) -> str:
    """One paragraph: what is wrong with which file, why Beacon stopped, and the ways out."""
    return (f"state database {path}: {problem}. Beacon does not start on it: starting empty would forget every "
            f"subscription and send again alerts already sent. Stop every Beacon that uses {path.parent}, "
            f"then either restore {path.name} from a backup (together with its {path.name}-wal file if the backup "
            f"has one) and start again, or start empty on purpose with `beacon run --reset-state`, which moves "
            f"the file aside as {path.name}.damaged-<time> and keeps it. Details: docs/operations.md, "
            f"\"Restoring state\".")


def disk_error(path: Path, exc: OSError, doing: str) -> StoreError:
    """An OSError met while opening, in one line (a full disk says so)."""
    if exc.errno in _NO_SPACE:
        return StoreError(path, f"no space left on the disk: cannot {doing}; free some space and start again")
    return StoreError(path, f"cannot {doing}: {exc.strerror or exc}")


def marker_path(path: Path) -> Path:
    return path.parent / MARKER_NAME


def _marker_lines(path: Path) -> list[str]:
    try:
        return marker_path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError):
        return []   # an unreadable marker must not stop a healthy database from opening


def _marked_line(path: Path) -> str | None:
    """The marker's line for this database ("beacon.sqlite3 created 2024-05-01T10:00:00Z"), if any."""
    for line in _marker_lines(path):
        if line.split(" ", 1)[0] == path.name:
            return line
    return None


def _write_marker(path: Path, lines: list[str]) -> None:
    marker = marker_path(path)
    if not lines:
        marker.unlink(missing_ok=True)
        return
    temporary = marker.with_name(marker.name + ".tmp")
    temporary.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(temporary, marker)


def note_in_use(path: Path, now: datetime) -> None:
    """Record in the marker that this data dir holds this database (once; existing installs get it here)."""
    if _marked_line(path) is not None:
        return
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        _write_marker(path, [*_marker_lines(path), f"{path.name} created {stamp}"])
    except OSError as exc:
        raise disk_error(path, exc, f"write {marker_path(path)}") from exc


def file_problem(path: Path) -> str | None:
    """What is wrong with the file before SQLite reads it; None when it looks like a database (or is new)."""
    if not path.exists():
        line = _marked_line(path)
        if line is None:
            return None
        created = line.split(" created ", 1)[1] if " created " in line else "earlier"
        return (f"the file is missing, but this data dir held Beacon's state (created {created}, "
                f"according to {marker_path(path)})")
    if not path.is_file():
        return "it is not a regular file"
    size = path.stat().st_size
    if size == 0:
        return "the file is empty (0 bytes)"
    with path.open("rb") as file:
        head = file.read(len(SQLITE_HEADER))
    if head != SQLITE_HEADER:
        return "the file is not a SQLite database (it does not start with SQLite's header)"
    if size < HEADER_BYTES:
        return f"the file is cut short ({size} bytes, shorter than a SQLite header)"
    return None


def integrity_problem(db: sqlite3.Connection) -> str | None:
    """SQLite's quick_check (pages, cells, indexes' order; not index contents): None when it answers ok."""
    rows = [str(r[0]) for r in db.execute(f"PRAGMA quick_check({QUICK_CHECK_ROWS})").fetchall()]
    if rows == ["ok"]:
        return None
    # a row may hold several lines ("*** in database main ***\nPage 119: ..."); the message stays one paragraph
    lines = [line.strip() for row in rows for line in row.splitlines()]
    found = "; ".join([line for line in lines if line and not line.startswith("***")][:3])
    return f"SQLite's integrity check found damage ({found})"


def health(path: Path) -> str | None:
    """For `beacon check`: the problem with an existing state database, read-only; None when healthy or absent."""
    problem = file_problem(path)
    if problem is not None or not path.exists():
        return problem
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as exc:
        return f"cannot open it: {exc}"
    try:
        return integrity_problem(db)
    except sqlite3.Error as exc:
        return _sqlite_problem(exc) or f"cannot read it: {exc}"
    finally:
        db.close()


def _sqlite_problem(exc: sqlite3.Error) -> str | None:
    """The damage an error from SQLite reports, or None when the error means something else."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int) or code & 0xFF not in _DAMAGED_CODES:
        return None
    return f"{_DAMAGED_CODES[code & 0xFF]} ({exc})"


def _opening_error(path: Path, exc: BaseException) -> BaseException:
    """The error to raise for one met while opening: damage -> StateDamaged, a storage fault -> StoreError."""
    cause = exc.__cause__ if isinstance(exc, StoreError) else exc
    if isinstance(cause, sqlite3.Error):
        damage = _sqlite_problem(cause)
        if damage is not None:
            return StateDamaged(path, damage)
        if _disk_full(path.parent):
            # SQLite reports a full disk met while opening as SQLITE_FULL or as an I/O error (its -shm file)
            return StoreError(path, "no space left on the disk: cannot open the state database; free some space "
                                    "and start again", str(cause))
        if not isinstance(exc, StoreError):
            return StoreError.from_sqlite(path, cause) or exc
    if isinstance(exc, OSError):
        return disk_error(path, exc, "open the state database")
    return exc


def _disk_full(folder: Path) -> bool:
    """Less than 64 KiB left for an unprivileged writer: too little for SQLite's -wal and -shm files."""
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < FULL_BELOW


def refuse_a_damaged_file(path: Path) -> None:
    """The file checks (missing after use, empty, not SQLite) as an exception: StateDamaged, or a disk error."""
    try:
        problem = file_problem(path)
    except OSError as exc:
        raise disk_error(path, exc, "read the state database") from exc
    if problem is not None:
        raise StateDamaged(path, problem)


@contextmanager
def opening(path: Path, now: Callable[[], datetime] = lambda: datetime.now(UTC),
            ) -> Iterator[Callable[[], sqlite3.Connection]]:
    """`with opening(path) as connect: db = connect(); ...set up...`: the checked way to open the state database.

    Refuses (StateDamaged) a file missing although the data dir held state, an empty file, a
    file that is not SQLite's, or one quick_check finds damaged. An error inside the block is
    reported the same way; a file this open created and left empty is removed again, so a
    first start that failed (disk full) does not leave a 0-byte file that later reads as damage.
    When the block ends well, the marker notes that this data dir now holds state.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise disk_error(path, exc, f"create the folder {path.parent}") from exc
    refuse_a_damaged_file(path)
    existed = path.exists()
    opened: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        opened.append(db)
        if existed:
            damage = integrity_problem(db)
            if damage is not None:
                raise StateDamaged(path, damage)
        return db

    try:
        yield connect
    except BaseException as exc:
        for db in opened:
            db.close()
        if not existed and path.exists() and path.stat().st_size == 0:
            path.unlink()   # created by this failed open and never written: not state, nothing lost
        error = _opening_error(path, exc)
        if error is exc:
            raise
        raise error from exc
    note_in_use(path, now())


def set_aside(path: Path, now: datetime) -> list[Path]:
    """Move the database (with its -wal and -shm files) to `<name>.damaged-<time>`, for `--reset-state`.

    Never deletes: the file may hold subscriptions someone can still recover. The WAL keeps
    SQLite's naming next to its database, so the moved copy opens with its last commits.
    """
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    moved = []
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            destination = target.with_name(target.name + suffix)
            os.replace(source, destination)
            moved.append(destination)
    _write_marker(path, [line for line in _marker_lines(path) if line.split(" ", 1)[0] != path.name])
    return moved
