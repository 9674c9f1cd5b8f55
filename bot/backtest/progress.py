"""A one-line progress bar on standard error for long replays (a month of feeds takes minutes)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 30
EVERY = 0.25   # seconds between redraws: drawing per article would cost more than matching some


class Progress:
    """`step()` per article; redraws `done/total, bar, rate, time left` at most four times a second."""

    def __init__(self, total: int, stream: TextIO, label: str = "backtest",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.label = label
        self.clock = clock
        self.done = 0
        self.started = clock()
        self.drawn = self.started - EVERY

    def step(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if now - self.drawn >= EVERY:
            self.drawn = now
            self.draw(now)

    def draw(self, now: float) -> None:
        share = min(1.0, self.done / self.total)
        filled = int(share * WIDTH)
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done:,}/{self.total:,} "
                          f"articles {share:4.0%}, {rate:,.0f}/s, {_duration(left)} left ")
        self.stream.flush()

    def finish(self) -> None:
        self.draw(self.clock())
        self.stream.write("\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
