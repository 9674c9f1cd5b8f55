"""Resident memory of a running `beacon run` daemon on the embedded default (shipped rules).

Starts the real command with a fresh data folder, in dry-run mode and then connected to a
loopback fake Bot API, waits until it has polled (its CPU time stops growing), samples VmRSS a
few times, then stops it with SIGTERM; each twice, the second time a restart in the same data
folder, which reads the compiled rules back from the cache the first start wrote.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MB = 150.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def settle(pid: int, timeout: float = 90.0) -> float:
    """Wait until the daemon has started and polled: its CPU time stops growing (under 0.05 s in
    2 s). On a loaded machine start-up takes far longer than a fixed few seconds. Returns the wait."""
    start = time.monotonic()
    last = cpu_seconds(pid)
    await asyncio.sleep(3.0)
    while time.monotonic() - start < timeout:
        await asyncio.sleep(2.0)
        now = cpu_seconds(pid)
        if now - last < 0.05:
            break
        last = now
    return time.monotonic() - start


async def measure(label: str, args: list[str], env: dict[str, str], cwd: str) -> None:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=env, cwd=cwd,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        waited = await settle(proc.pid)
        samples = []
        for _ in range(5):
            samples.append(rss_mb(proc.pid))
            await asyncio.sleep(1.0)
    finally:
        proc.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(proc.wait(), 20)
    peak = max(samples)
    print(f"{label}: RSS {min(samples):.1f}-{peak:.1f} MB over {len(samples)} samples after {waited:.0f} s; "
          f"target < {TARGET_MB:.0f} MB: {'met' if peak < TARGET_MB else 'MISSED'}; exit after SIGTERM: {status}")


async def run() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.fakes.bot_api import FakeBotAPI

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BEACON_DATA_DIR": tmp + "/dry"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        await measure("beacon run, embedded default, dry run, first start", ["run"], env, tmp)
        await measure("beacon run, embedded default, dry run, restart (compiled-rules cache)", ["run"], env, tmp)
        async with FakeBotAPI() as fake:
            config = Path(tmp) / "beacon.yaml"
            repo = Path(__file__).resolve().parent.parent
            config.write_text(
                f"sources:\n  - {{name: wire, url: 'file://{repo}/examples/feeds/balkans-wire.xml', interval: 60}}\n"
                f"rules_dir: {repo}/rules\ntemplates_dir: {repo}/templates\ndata_dir: {tmp}/tg\n"
                f"telegram:\n  base_url: {fake.base_url}\n  chats: [4242]\n")
            env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token}
            env.pop("BEACON_DATA_DIR", None)
            for start in ("first start", "restart (compiled-rules cache)"):
                await measure(f"beacon run, shipped rules, Telegram (loopback fake Bot API), {start}",
                              ["run", "-c", str(config)], env, tmp)
            print(f"messages the fake Bot API received: {len(fake.sent)}")


def main() -> int:
    asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
