"""Start-up cost of `beacon run --once` on the embedded default, with and without the compiled-rules cache.

Run from the repository root:

    .venv/bin/python bench/startup.py            # 5 runs of each kind
    .venv/bin/python bench/startup.py --runs 3

Each run is a new process polling the embedded default's feeds once (files shipped with Beacon,
no network) in dry-run mode and exiting. "Cold" runs delete the data folder's compiled-rules cache
first (the rules are loaded and compiled, as every start did before the cache); "warm" runs find it.
CPU seconds (user + system of the child) are the figure that counts on a shared machine; wall
seconds are printed beside them. Medians of the runs, and the warm/cold ratio of the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import machine

from bot.engine.cache import CACHE_PATTERN

TARGET_CPU_S = 3.0


@dataclass
class Run:
    """One `beacon run --once`: CPU seconds of the child, wall seconds, peak resident memory."""

    cpu: float
    wall: float
    peak_mb: float


def run_once(data_dir: Path, env: dict[str, str]) -> Run:
    """Start `beacon run --once` in dry-run mode on the embedded default and wait for it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", "run", "--once"], env={**env, "BEACON_DATA_DIR": str(data_dir)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"beacon run --once failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(cpu, wall, after.ru_maxrss / 1024)


def measure(runs: int, env: dict[str, str]) -> tuple[list[Run], list[Run]]:
    """`runs` cold starts (cache deleted first) and `runs` warm ones, alternating, in one data folder."""
    cold: list[Run] = []
    warm: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        run_once(data_dir, env)   # creates the state and the cache; not counted
        for n in range(runs):
            for cached in data_dir.glob(CACHE_PATTERN):
                cached.unlink()
            cold.append(run_once(data_dir, env))
            warm.append(run_once(data_dir, env))
            print(f"  run {n + 1}: cold {cold[-1].cpu:.2f} s CPU ({cold[-1].wall:.2f} s wall), "
                  f"warm {warm[-1].cpu:.2f} s CPU ({warm[-1].wall:.2f} s wall)", file=sys.stderr)
    return cold, warm


def report(cold: Sequence[Run], warm: Sequence[Run]) -> None:
    def median(values: Sequence[float]) -> float:
        return statistics.median(values)

    print(f"`beacon run --once`, embedded default, dry run; median of {len(cold)} runs each")
    print(f"{'start':<28}  {'cpu_s':>6}  {'wall_s':>6}  {'cpu range':>11}")
    for label, runs in (("cold (rules compiled)", cold), ("warm (compiled-rules cache)", warm)):
        cpu = [r.cpu for r in runs]
        print(f"{label:<28}  {median(cpu):>6.2f}  {median([r.wall for r in runs]):>6.2f}  "
              f"{min(cpu):>5.2f}-{max(cpu):<5.2f}")
    ratio = median([r.cpu for r in warm]) / median([r.cpu for r in cold])
    print(f"warm / cold CPU: {ratio:.2f}x")
    rate = median([r.cpu for r in warm])
    verdict = "MISSED"
    if rate <= TARGET_CPU_S:
        verdict = "MET"
    print(f"target <= {TARGET_CPU_S:.0f} s of CPU (warm start): {rate:.2f} -> {verdict}")
    print(f"bytecode caching: {'off (PYTHONDONTWRITEBYTECODE)' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'on'}")
    print(f"machine: {machine()}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind (default 5)")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    cold, warm = measure(args.runs, env)
    report(cold, warm)


if __name__ == "__main__":
    main()
