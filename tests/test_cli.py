"""The `beacon` command as a user runs it: real subprocesses, real files."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.app import TELEGRAM_RETRY_ENV, telegram_retry_delay
from bot.config import REPO_ROOT


def beacon(*args: str, cwd: Path, env: dict[str, str] | None = None, input: str | None = None,
           timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_DATA_DIR")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=full_env, input=input,
                          capture_output=True, text=True, timeout=timeout)


def test_run_once_on_the_embedded_default_prints_both_kinds_of_alert(tmp_path: Path) -> None:
    env = {"BEACON_DATA_DIR": str(tmp_path / "data")}
    first = beacon("run", "--once", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "no Telegram token configured" in first.stderr
    assert "Troop build-up near a border" in first.stdout
    assert "Fatal armed clash" in first.stdout
    assert "Banjska" in first.stdout
    assert "Belgrade derby" not in first.stdout  # a sports "clash" is not an alert
    second = beacon("run", "--once", cwd=tmp_path, env=env)
    assert second.returncode == 0
    assert "──── alert" not in second.stdout  # nothing is alerted twice


def test_events_lists_the_incidents_of_a_run(tmp_path: Path) -> None:
    env = {"BEACON_DATA_DIR": str(tmp_path / "data")}
    assert beacon("run", "--once", cwd=tmp_path, env=env).returncode == 0
    listed = beacon("events", "--tz", "Europe/Belgrade", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    header, *rows = listed.stdout.splitlines()
    assert header.split()[:4] == ["time", "event", "rule", "severity"]
    assert any("fatal-clash" in r and "Banjska" in r and "alerted" in r for r in rows), listed.stdout
    assert any("troop-buildup" in r for r in rows)
    bad = beacon("events", "--since", "soon", cwd=tmp_path, env=env)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_check_reports_file_and_line_and_exits_1(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "good.yaml").write_text("id: good\ntitle: Good\nwhen: {terms: [x]}\n")
    (rules / "bad.yaml").write_text("id: bad\ntitle: Bad\nseverity: urgent\nwhen:\n  terms: [x]\n  inn: title\n")
    (tmp_path / "beacon.yaml").write_text(f"rules_dir: rules\ntemplates_dir: {REPO_ROOT / 'templates'}\n")
    result = beacon("check", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert f"{rules / 'bad.yaml'}:3:11: unknown severity 'urgent'" in lines[0]
    assert f"{rules / 'bad.yaml'}:6:3: unknown condition 'inn'" in lines[1]
    assert "did you mean 'in'?" in lines[1]


def test_check_passes_on_the_shipped_setup(tmp_path: Path) -> None:
    result = beacon("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 sources" in result.stdout


def test_check_reports_config_errors(tmp_path: Path) -> None:
    (tmp_path / "beacon.yaml").write_text("sources:\n  - name: x\n    url: gopher://x\n")
    result = beacon("check", "-c", "beacon.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "beacon.yaml:3:10: sources[0].url: unsupported URL scheme 'gopher'" in result.stderr


def test_match_contract(tmp_path: Path) -> None:
    articles = [
        {"id": "a1", "title": "Gunmen kill police officer in ambush near Banjska",
         "text": "One officer was killed and another wounded when about 30 gunmen opened fire.",
         "source": "wire", "published": "2023-09-24T06:00:00Z"},
        {"id": "a2", "text": "The city opened a new library."},
        {"title": "Troops massing at the border"},
    ]
    result = beacon("match", "-", cwd=tmp_path, input="\n".join(json.dumps(a) for a in articles) + "\n\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a1", "a2", 3]
    assert [m["rule"] for m in out[0]["matches"]] == ["fatal-clash", "kosovo-fatal-clash"]
    clash = out[0]["matches"][0]
    assert clash["regions"] == ["north-kosovo", "Kosovo"]
    assert clash["facts"]["killed"] == 1
    assert clash["severity"] == "high"
    assert isinstance(clash["regions"], list) and isinstance(clash["facts"], dict)
    assert clash["explanation"], "a match explains itself"
    assert all(set(e) == {"kind", "value", "field", "snippet"} for e in clash["explanation"])
    assert any("ambush" in e["snippet"] for e in clash["explanation"])
    assert out[1]["matches"] == []
    assert [m["rule"] for m in out[2]["matches"]] == ["troop-buildup"]


def test_match_reports_bad_lines_and_uses_rules_dir(tmp_path: Path) -> None:
    rules = tmp_path / "r"
    rules.mkdir()
    (rules / "one.yaml").write_text("id: one\ntitle: One\nwhen: {terms: [ceasefire]}\n")
    (tmp_path / "in.jsonl").write_text('{"title": "Ceasefire holds"}\nnot json\n{"url": "x"}\n')
    result = beacon("match", "--rules", str(rules), "in.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout.splitlines()[0])["matches"][0]["rule"] == "one"
    assert "in.jsonl:2: not valid JSON" in result.stderr
    assert "in.jsonl:3: an article needs 'title' or 'text'" in result.stderr


def test_match_reads_the_compiled_rules_back(tmp_path: Path) -> None:
    """`beacon match` keeps its compiled rules as `beacon run` does (bot/engine/cache.py), in the folder
    $BEACON_RULES_CACHE_DIR names when given `--rules` (a changed rule file: tests/test_engine_cache.py)."""
    rules = tmp_path / "r"
    rules.mkdir()
    (rules / "one.yaml").write_text("id: one\ntitle: One\nwhen: {terms: [ceasefire]}\n")
    cache = tmp_path / "cache"
    env = {"BEACON_RULES_CACHE_DIR": str(cache)}
    article = '{"title": "Ceasefire holds"}\n'
    first = beacon("match", "--rules", str(rules), "-", cwd=tmp_path, env=env, input=article)
    assert first.returncode == 0, first.stderr
    assert [m["rule"] for m in json.loads(first.stdout)["matches"]] == ["one"]
    [kept] = cache.glob("rules-cache-*.pickle")
    written = kept.stat().st_ino
    again = beacon("match", "--rules", str(rules), "-", cwd=tmp_path, env=env, input=article)
    assert again.returncode == 0 and again.stdout == first.stdout
    assert kept.stat().st_ino == written   # read back: a compile would have written the file anew


def _imports(*args: str, cwd: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """`beacon ARGS` run under `python -X importtime`: its result and every module it imported."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_DATA_DIR")}
    full_env.update(env)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=60)
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done, modules


def test_commands_that_read_no_rules_never_import_the_rules_engine(tmp_path: Path) -> None:
    """`beacon events` and a start refused at the instance lock answer without the engine's import (the facts'
    regular expressions: about a second of CPU), which only commands that read rules need."""
    from bot.instance_lock import InstanceLock

    env = {"BEACON_DATA_DIR": str(tmp_path / "data")}
    listed, modules = _imports("events", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "bot.history" in modules
    assert "bot.engine.facts" not in modules and "bot.engine.compile" not in modules
    with InstanceLock(tmp_path / "data"):
        refused, modules = _imports("run", "--once", cwd=tmp_path, env=env)
    assert refused.returncode == 1 and "is already running on" in refused.stderr, refused.stderr[-2000:]
    assert "bot.instance_lock" in modules
    assert "bot.app" not in modules and "bot.engine.facts" not in modules


def test_rules_test_runs_examples(tmp_path: Path) -> None:
    rules = tmp_path / "r"
    rules.mkdir()
    (rules / "one.yaml").write_text("id: one\ntitle: One\nwhen: {terms: [ceasefire]}\n"
                                    "examples:\n  match: ['Ceasefire holds']\n  no_match: ['A ceasefire']\n")
    result = beacon("rules", "test", "--rules", str(rules), cwd=tmp_path)
    assert result.returncode == 1
    assert "one should not match: 'A ceasefire'" in result.stdout
    assert "1 passed, 1 failed" in result.stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_daemon_stops_cleanly_on_signal(tmp_path: Path, sig: signal.Signals) -> None:
    """Signalled once every source's first poll is logged: waited for on the log, not guessed with a fixed
    second after the state file appeared (slower, and on a loaded machine sometimes mid-poll)."""
    env = {**os.environ, "BEACON_DATA_DIR": str(tmp_path / "data")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    out_path, err_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out_path.open("w", encoding="utf-8") as out_file, err_path.open("w", encoding="utf-8") as err_file:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, text=True,
                                stdout=out_file, stderr=err_file)   # files: a chatty daemon never blocks on a pipe
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and not _every_source_polled(err_path):
            time.sleep(0.05)
        proc.send_signal(sig)
        proc.wait(timeout=20)
    finally:
        proc.kill()
    out, err = out_path.read_text(encoding="utf-8"), err_path.read_text(encoding="utf-8")
    assert proc.returncode == 0, err
    assert "stopping" in err
    assert "Traceback" not in err
    assert "Fatal armed clash" in out


def _every_source_polled(log: Path) -> bool:
    """The daemon's log names as many sources polled (bot/ingest.py's line) as it said it started with."""
    text = log.read_text(encoding="utf-8")
    started = re.search(r"Beacon started: (\d+) sources", text)
    return started is not None and text.count("bot.ingest: source ") >= int(started.group(1))


def test_telegram_retries_start_at_two_seconds_unless_the_environment_says_less(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TELEGRAM_RETRY_ENV, raising=False)
    assert [telegram_retry_delay(attempt) for attempt in (1, 2, 3, 6, 7, 20)] == [2, 4, 8, 60, 60, 60]
    for unusable in ("", "soon", "0", "-1"):
        monkeypatch.setenv(TELEGRAM_RETRY_ENV, unusable)
        assert telegram_retry_delay(1) == 2
    monkeypatch.setenv(TELEGRAM_RETRY_ENV, "0.05")
    assert [telegram_retry_delay(attempt) for attempt in (1, 2, 3)] == [0.05, 0.1, 0.2]


def test_token_never_appears_in_output(tmp_path: Path) -> None:
    """With a token and an unreachable Bot API, the logs talk about it without printing it."""
    token = "987654:SECRET-TOKEN-abcdefghijklmnop"
    (tmp_path / "beacon.yaml").write_text(
        f"sources: []\nrules_dir: {REPO_ROOT / 'rules'}\ntemplates_dir: {REPO_ROOT / 'templates'}\n"
        "telegram:\n  base_url: http://127.0.0.1:9/bot\n")
    # the three connection attempts of `run --once` retried after 0.05 and 0.1 s instead of 2 and 4 s
    result = beacon("--log-level", "DEBUG", "run", "--once", cwd=tmp_path,
                    env={"TELEGRAM_BOT_TOKEN": token, "BEACON_DATA_DIR": str(tmp_path / "d"),
                         TELEGRAM_RETRY_ENV: "0.05"}, timeout=120)
    assert result.returncode == 0
    assert "Telegram unreachable" in result.stderr
    assert re.findall(r"retrying in ([\d.]+)s", result.stderr) == ["0.05", "0.1"]
    assert token not in result.stdout + result.stderr
    assert "SECRET-TOKEN" not in result.stdout + result.stderr
