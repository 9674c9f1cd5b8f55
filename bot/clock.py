"""Wall-clock jumps (an NTP step, a resumed VM, `date -s`) must not silence Beacon or burst its polls.

APScheduler and our retry times are wall-clock datetimes: after the clock jumps back an hour,
every next run is an hour away (an hour of silence); after a jump forward, everything is due
at once. `ClockWatch` compares the wall clock with the monotonic one; when they disagree, the
schedules are shifted by the jump so each keeps the delay it had.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

JUMP_TOLERANCE = 5.0   # seconds of disagreement before it counts as a jump (not scheduling noise)


class ClockWatch:
    """Reports by how many seconds the wall clock jumped since the last check (0.0: it did not)."""

    def __init__(self, wall: Callable[[], datetime], monotonic: Callable[[], float],
                 tolerance: float = JUMP_TOLERANCE) -> None:
        self.wall = wall
        self.monotonic = monotonic
        self.tolerance = tolerance
        self._last_wall = wall()
        self._last_mono = monotonic()

    def check(self) -> float:
        wall, mono = self.wall(), self.monotonic()
        jump = (wall - self._last_wall).total_seconds() - (mono - self._last_mono)
        self._last_wall, self._last_mono = wall, mono
        return jump if abs(jump) > self.tolerance else 0.0


def shift_jobs(scheduler: Any, seconds: float) -> int:
    """Move every scheduled job's next run by the jump, so it keeps the delay it had."""
    moved = 0
    for job in scheduler.get_jobs():
        if job.next_run_time is not None:
            job.modify(next_run_time=job.next_run_time + timedelta(seconds=seconds))
            moved += 1
    return moved
