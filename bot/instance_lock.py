"""One `beacon run` per data dir: two daemons on one database would both deliver every alert.

The guard is an exclusive `flock` on `<data_dir>/beacon.lock`, taken without waiting. The
kernel drops it when the process ends, however it ends (kill -9 included), so a crash never
leaves a stale lock behind; the pid written in the file only serves to name the holder.

Several instances sharing one database (`cluster.mode: shared`, the default on PostgreSQL; see
bot/instances.py) take the lock shared instead: any number of them may run on the data dir, while
a single-instance Beacon (which takes it exclusively) is refused next to them, and they next to it.
They also start one at a time (`beacon.start.lock`, held until `started()`): two first starts on a
SQLite file would otherwise see each other's half-created file and refuse it as damaged.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path
from types import TracebackType

from bot.errors import BeaconError

LOCK_NAME = "beacon.lock"
START_LOCK_NAME = "beacon.start.lock"


class AlreadyRunning(BeaconError):
    """Another Beacon holds the data dir's lock."""


class InstanceLock:
    """`with InstanceLock(data_dir):` holds the data dir for this process, or raises AlreadyRunning."""

    def __init__(self, data_dir: Path, *, shared: bool = False) -> None:
        self.path = data_dir / LOCK_NAME
        self.shared = shared
        self._start_fd: int | None = None
        self._fd: int | None = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()

    def acquire(self) -> None:
        try:
            self._acquire()
        except OSError as exc:   # disk full, permissions: one line, not a traceback
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise BeaconError(f"{self.path}: no space left on the disk: cannot write the lock file; "
                                  "free some space and start again") from exc
            raise BeaconError(f"{self.path}: cannot take the lock file: {exc.strerror or exc}") from exc

    def _acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.shared:   # waits for an instance that is opening the state now (a few seconds at most)
            self._start_fd = os.open(self.path.parent / START_LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._start_fd, fcntl.LOCK_EX)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            os.close(fd)
            self.started()
            if self.shared:
                raise AlreadyRunning(f"a single-instance Beacon{_pid(holder)} is running on {self.path.parent} "
                                     f"(lock file {self.path}); stop it first, or set cluster.mode: shared in "
                                     "its config too") from None
            if not holder:
                raise AlreadyRunning(f"Beacons sharing the database (cluster.mode: shared) are running on "
                                     f"{self.path.parent} (lock file {self.path}); stop them, or set "
                                     "cluster.mode: shared here too") from None
            raise AlreadyRunning(f"another Beacon{_pid(holder)} is already running on {self.path.parent} "
                                 f"(lock file {self.path}); stop it first, or give this one its own data_dir") from None
        except BaseException:
            os.close(fd)
            self.started()
            raise
        if self.shared:    # several holders: no one pid names them
            self._fd = fd
            return
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)   # also drops the lock just taken
            raise
        self._fd = fd

    def started(self) -> None:
        """The state is open: the next instance sharing the data dir may start."""
        fd, self._start_fd = self._start_fd, None
        if fd is not None:
            os.close(fd)

    def release(self) -> None:
        """Unlock (the file stays: deleting it would let a waiting process lock a file that is gone)."""
        self.started()
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if not self.shared:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
        os.close(fd)   # closing the descriptor releases the flock


def _pid(holder: str) -> str:
    return f" (pid {holder})" if holder.isdigit() else ""
