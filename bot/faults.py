"""Fault points: let a test kill Beacon at a named place, exactly as `kill -9` would.

Crash safety is a promise about what survives a process dying between two steps (fetch,
match, commit, send, record). The only honest test is to die there for real, so a few
places call `fault_point(name)`. With the environment variable `BEACON_FAULT=name` (or
`name:N`, on the N-th time the point is reached) the process ends on the spot with
`os._exit(137)`: no `finally`, no atexit, no flush, no SQLite close. Without it the call
does nothing; the variable is read once, at import.
"""

from __future__ import annotations

import os

POINTS = frozenset({"after_fetch", "after_match", "after_outbox_commit", "after_claim", "after_send"})
KILLED_STATUS = 137   # what a shell reports for a process killed by SIGKILL (128 + 9)


def parse_fault_spec(spec: str) -> tuple[str, int] | None:
    """`"after_send:2"` -> ("after_send", 2); "" -> None. Raises ValueError naming what is wrong."""
    spec = spec.strip()
    if not spec:
        return None
    name, sep, nth = spec.partition(":")
    if name not in POINTS:
        raise ValueError(f"BEACON_FAULT={spec!r}: unknown fault point {name!r} (known: {', '.join(sorted(POINTS))})")
    if not sep:
        return name, 1
    if not nth.isdigit() or int(nth) < 1:
        raise ValueError(f"BEACON_FAULT={spec!r}: expected NAME or NAME:N with N a whole number from 1")
    return name, int(nth)


# A typo in BEACON_FAULT must fail loudly: a crash test whose fault never fires would pass for the wrong reason.
_ARMED = parse_fault_spec(os.environ.get("BEACON_FAULT", ""))
_reached = 0


def fault_point(name: str) -> None:
    """Die here, as if killed with SIGKILL, when BEACON_FAULT names this point (and its count is reached)."""
    global _reached
    if _ARMED is None or _ARMED[0] != name:
        return
    _reached += 1
    if _reached >= _ARMED[1]:
        # os.write, not print: stderr's buffer must not be flushed, and this line is unbuffered
        os.write(2, f"beacon: BEACON_FAULT: killed at fault point {name} (time {_reached})\n".encode())
        os._exit(KILLED_STATUS)
