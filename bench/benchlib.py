"""What every benchmark prints about where it ran: the machine and the file system under the store."""

from __future__ import annotations

import contextlib
import os
import platform
from pathlib import Path


def machine(libraries: str = "") -> str:
    """CPU model, CPU count, Python and OS, and the library versions the caller names."""
    cpu = "unknown cpu"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    text = (f"{cpu}, {os.cpu_count()} cpus; Python {platform.python_version()} "
            f"({platform.python_implementation()}), {platform.system()} {platform.release()}")
    return f"{text}; {libraries}" if libraries else text


def fs_of(path: Path) -> str:
    """Filesystem type under a path (the store commits with synchronous=FULL, so fsync cost depends on it)."""
    best, kind = "", "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind
