"""Logs as a collector reads them: JSON lines, one object per record, secrets never written."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import REPO_ROOT
from bot.logs import setup_logging
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import CLASH, rss

TOKEN = "987654:SECRET-TOKEN-abcdefghijklmnop"
USER = 4242


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """setup_logging changes the whole process's logging: undo it, so no handler outlives capsys's stream."""
    root = logging.getLogger()
    level, handlers, hook = root.level, list(root.handlers), sys.excepthook
    noisy = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "telegram", "apscheduler", "hpack")}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name, old in noisy.items():
        logging.getLogger(name).setLevel(old)
    logging.captureWarnings(False)
    sys.excepthook = hook


def json_lines(text: str) -> list[dict[str, str]]:
    """Every non-empty line parsed as JSON; fails naming the first line that is not."""
    records = []
    for line in text.splitlines():
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                pytest.fail(f"not a JSON line: {line!r}")
    return records


def test_json_record_fields_and_redacted_exception(capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    setup_logging("INFO", secrets=[TOKEN], fmt="json")
    log = logging.getLogger("beacon.test")
    log.info("plain %s", "message")
    try:
        raise ValueError(f"bad URL https://api.telegram.org/bot{TOKEN}/getMe")
    except ValueError:
        log.exception("call failed for %s", TOKEN)
    err = capsys.readouterr().err
    first, second = json_lines(err)
    assert first["message"] == "plain message"
    assert first["level"] == "INFO" and first["logger"] == "beacon.test"
    assert first["time"].endswith("+00:00")
    assert "exception" not in first
    assert second["level"] == "ERROR"
    assert second["message"] == "call failed for [REDACTED]"
    assert "Traceback" in second["exception"] and "ValueError: bad URL" in second["exception"]
    assert "bot[REDACTED]/getMe" in second["exception"]
    assert TOKEN not in err and "SECRET-TOKEN" not in err


def test_json_exception_without_secrets(capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    """With no secret known the redactor leaves the record alone; the traceback still lands in the object."""
    setup_logging("INFO", fmt="json")
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        logging.getLogger("beacon.test").exception("oops")
    [record] = json_lines(capsys.readouterr().err)
    assert "ZeroDivisionError" in record["exception"]


def test_json_mode_logs_a_crash_as_one_record(capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    """An uncaught exception would print a bare traceback; in JSON mode it is one CRITICAL record."""
    setup_logging("INFO", secrets=[TOKEN], fmt="json")
    try:
        raise RuntimeError(f"token {TOKEN} in a crash")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    [record] = json_lines(capsys.readouterr().err)
    assert record["level"] == "CRITICAL"
    assert record["message"] == "crashed: RuntimeError: token [REDACTED] in a crash"
    assert "Traceback" in record["exception"] and TOKEN not in record["exception"]


async def beacon_async(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """`python -m bot ARGS` without blocking the loop that runs the test's fake servers."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_DATA_DIR",
                                                                 "BEACON_LOG_FORMAT")}
    full_env.update(env)
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, cwd=cwd, env=full_env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_run_once_json_logs_never_show_the_token(tmp_path: Path, feed_server: FeedServer) -> None:
    """A real `beacon run --once --log-format json` with a token in the environment: it connects to a
    loopback Bot API (whose URLs hold the token), sends an alert, and logs a source error whose text
    holds the token too (a file path). Every stderr line is JSON; the token is nowhere."""
    feed_server.serve("/feed", rss(CLASH))
    missing = tmp_path / TOKEN / "missing.xml"
    async with FakeBotAPI(token=TOKEN) as bot_api:
        (tmp_path / "beacon.yaml").write_text(
            f"sources:\n"
            f"  - {{name: wire, url: \"{feed_server.url('/feed')}\"}}\n"
            f"  - {{name: broken, url: \"file://{missing}\"}}\n"
            f"rules_dir: {REPO_ROOT / 'rules'}\ntemplates_dir: {REPO_ROOT / 'templates'}\n"
            f"polling: {{allow_private: true}}\n"
            f"telegram: {{base_url: \"{bot_api.base_url}\", chats: [{USER}]}}\n"
            f"delivery: {{chat_interval: 0.05}}\n")
        status, out, err = await beacon_async("run", "--once", "--log-format", "json", cwd=tmp_path,
                                              env={"TELEGRAM_BOT_TOKEN": TOKEN, "BEACON_DATA_DIR": str(tmp_path / "d")})
        assert status == 0, err
        assert any(m.chat_id == USER and "Banjska" in m.text for m in bot_api.sent)
    records = json_lines(err)
    assert {"time", "level", "logger", "message"} <= set(records[0])
    messages = [r["message"] for r in records]
    assert any("connected to Telegram" in m for m in messages)
    assert any(m.startswith("source broken: cannot read") and "[REDACTED]" in m for m in messages)
    assert TOKEN not in out + err
    assert "SECRET-TOKEN" not in out + err


async def test_env_selects_json_and_errors_are_json_too(tmp_path: Path) -> None:
    (tmp_path / "beacon.yaml").write_text("sources:\n  - name: x\n    url: gopher://x\n")
    status, _, err = await beacon_async("run", "--once", cwd=tmp_path, env={"BEACON_LOG_FORMAT": "json"})
    assert status == 1
    [record] = json_lines(err)
    assert record["level"] == "ERROR"
    assert "sources[0].url: unsupported URL scheme 'gopher'" in record["message"]


async def test_unknown_log_format_in_env_is_refused(tmp_path: Path) -> None:
    status, _, err = await beacon_async("check", cwd=tmp_path, env={"BEACON_LOG_FORMAT": "xml"})
    assert status == 2
    assert "BEACON_LOG_FORMAT='xml'" in err
