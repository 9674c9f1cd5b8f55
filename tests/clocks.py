"""Clocks the tests hand to Beacon instead of the system's."""

from __future__ import annotations

import time
from datetime import datetime, timedelta


class SkippingClock:
    """Wall and monotonic time moving together from `start` as they pass for the test, which may skip
    minutes at will: time passing faster, not a wall-clock jump (which Beacon would correct for), and never
    frozen (a fixed clock would send a reply and its first message in the same instant)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.skipped = 0.0
        self.started = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=self.monotonic() - self.started)

    def monotonic(self) -> float:
        return time.monotonic() + self.skipped

    def skip(self, delta: timedelta) -> None:
        self.skipped += delta.total_seconds()
