"""A hostile template through the `beacon` command: `check` and `run --once` fail fast, naming file and line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import REPO_ROOT

HOSTILE = {
    "nested-loops": "{% set s='x'*99999 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
    "center": "{{ 'x'|center(10**9) }}",
    "format-width": "{{ '{:>1000000000}'.format(1) }}",
    "percent-format": "{{ '%01000000000d'|format(1) }}",
}


def setup(tmp_path: Path, body: str) -> Path:
    """A config whose only template has the hostile statement on line 2."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "default.html.j2").write_text("{{ rule.title }}\n" + body + "\n", encoding="utf-8")
    feed = REPO_ROOT / "examples" / "feeds" / "balkans-wire.xml"
    config = tmp_path / "beacon.yaml"
    config.write_text(f"sources:\n  - {{name: wire, type: file, url: 'file://{feed}'}}\n"
                      f"rules_dir: {REPO_ROOT / 'rules'}\ntemplates_dir: {templates}\ndata_dir: {tmp_path / 'data'}\n",
                      encoding="utf-8")
    return config


def beacon(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_DATA_DIR")}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)
    return done, time.monotonic() - started


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_check_refuses_a_hostile_template_fast(tmp_path: Path, body: str) -> None:
    config = setup(tmp_path, body)
    done, elapsed = beacon("check", "-c", str(config), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{tmp_path / 'templates' / 'default.html.j2'}:2: does not render: BudgetExceeded" in done.stderr
    assert elapsed < 60   # start-up and loading the rules (seconds on a busy machine); the template: milliseconds


def test_run_once_fails_fast_at_start_up_with_file_and_line(tmp_path: Path) -> None:
    config = setup(tmp_path, HOSTILE["nested-loops"])
    done, elapsed = beacon("run", "--once", "-c", str(config), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{tmp_path / 'templates' / 'default.html.j2'}:2: does not render: BudgetExceeded: over 50,000" \
        in done.stderr
    assert "Traceback" not in done.stderr
    assert elapsed < 60   # was: no end (10**10 empty iterations, never checked against the clock)
