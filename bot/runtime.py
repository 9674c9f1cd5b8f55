"""Process-wide settings that keep the event loop responsive while worker threads do CPU work.

- Full garbage collections. A full (generation 2) collection walks every tracked object while
  holding the GIL, so the event loop stands still meanwhile. With the shipped rules and
  gazetteer loaded that is about 190,000 objects: 0.1-0.5 s per collection on a busy 2-core
  machine (bench/stall.py), and a poll that creates many objects triggers several. Frozen
  objects are never walked again; they are still freed by reference counting when dropped.
  Loading the rules again leaves no reference cycles behind (measured: 0 objects found after
  three reloads), so freezing after a reload leaks nothing.
- The GIL switch interval. A thread that wants the GIL waits up to this long before asking the
  holder to let go. The loop thread gives it up at every SQLite step and socket call, so with
  the matching thread busy each of those could cost it 5 ms (Python's default); 1 ms halves
  the 99th-percentile loop lateness under hostile feeds (bench/stall.py) for a small cost in
  the worker's throughput.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL = 0.001   # seconds


def freeze_long_lived() -> int:
    """Move every object alive now out of future collections; returns how many are frozen."""
    gc.freeze()
    return gc.get_freeze_count()


def keep_loop_responsive() -> None:
    """At start, once the rules are loaded: freeze the long-lived heap and shorten the GIL switch interval."""
    freeze_long_lived()
    sys.setswitchinterval(SWITCH_INTERVAL)
