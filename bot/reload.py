"""Hot reload: notice edits under rules_dir and templates_dir, and swap in what still validates.

Polling file stamps every few seconds needs no extra dependency and works on every file
system (inotify does not see edits on some network and container mounts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import LocatedError

log = logging.getLogger(__name__)

Stamp = tuple[tuple[str, int, int], ...]


def stamp(*folders: Path) -> Stamp:
    """Every file's path, modification time and size: changes when anything is edited, added or removed."""
    entries = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            try:
                if path.is_file():
                    info = path.stat()
                    entries.append((str(path), info.st_mtime_ns, info.st_size))
            except OSError:
                continue
    return tuple(entries)


@dataclass
class ReloadOutcome:
    changed: bool
    error: str | None = None
    loaded: Any = None   # what `load` returned, for the caller to swap in


class Reloader:
    """Calls `load` when the watched folders change; the caller keeps the last good result on failure.

    `check` does no I/O beyond reading the folders, so it can run in a worker thread. It returns
    in bounded time: templates are test-rendered under the render budget (`bot/sandbox.py`),
    so a template that loops forever is refused in well under a second instead of holding the
    thread, and with it every later reload.
    """

    def __init__(self, folders: tuple[Path, ...], load: Callable[[], Any]) -> None:
        self.folders = folders
        self.load = load
        self.last = stamp(*folders)
        self.last_error: str | None = None

    def check(self) -> ReloadOutcome:
        current = stamp(*self.folders)
        if current == self.last:
            return ReloadOutcome(False)
        self.last = current
        try:
            loaded = self.load()
        except LocatedError as exc:
            self.last_error = str(exc)
            log.error("rules or templates changed but are invalid; the last good ones keep running:\n%s", exc)
            return ReloadOutcome(True, self.last_error)
        except Exception as exc:   # any failure refuses this edit; the next edit is still tried
            self.last_error = f"could not load the edit: {type(exc).__name__}: {exc}"
            log.exception("rules or templates changed but could not be loaded; the last good ones keep running")
            return ReloadOutcome(True, self.last_error)
        self.last_error = None
        return ReloadOutcome(True, loaded=loaded)
