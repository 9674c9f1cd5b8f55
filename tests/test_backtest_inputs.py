"""What `beacon backtest` reads: a folder as a dir source reads it, and a file or dir source of the config."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli import main
from bot.config import REPO_ROOT, Config

RULES = REPO_ROOT / "rules"
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Sahel desk</title><link>https://sahel.example/</link><description>d</description>
<item><title>Two soldiers killed in clash with rebels near Gao</title><link>https://sahel.example/1</link>
<guid>sahel-1</guid><pubDate>Mon, 05 Oct 2026 08:00:00 GMT</pubDate>
<description>Two soldiers were killed when rebels attacked a patrol near Gao in Mali, the army said.</description>
</item></channel></rss>
"""


def _line(n: int, title: str, text: str, day: int) -> str:
    return json.dumps({"id": f"a{n}", "title": title, "text": text, "url": f"https://wire.example/{n}",
                       "published": f"2026-10-{day:02d}T09:00:00Z"}) + "\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        _line(1, "Sudan masses troops near border with Chad",
              "Satellite images show a large deployment of Sudanese forces and tanks along the border with Chad.", 2)
        + "{not json\n"
        + _line(2, "Harvest festival opens in Mopti", "Farmers sold grain and fruit at the market.", 3),
        encoding="utf-8")
    (folder / "b.xml").write_text(RSS, encoding="utf-8")
    (folder / "notes.txt").write_text("remember to renew the feed list\n", encoding="utf-8")
    (folder / ".draft.jsonl").write_text("{broken\n", encoding="utf-8")   # hidden: never read
    return folder


def _backtest(*args: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--log-level", "WARNING", *args, "--format", "json"])
    return status, json.loads(out.getvalue())["backtest"] if out.getvalue() else {}, err.getvalue()


def test_a_folder_is_read_as_a_dir_source_reads_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    status, result, err = _backtest("backtest", "--dir", str(folder), "--rules", str(RULES))
    assert status == 1   # two inputs were skipped, and said so
    assert f"{folder / 'a.jsonl'}:2: not valid JSON" in err
    assert f"{folder / 'notes.txt'}: skipped:" in err
    assert ".draft" not in err
    assert result["articles"] == 3 and len(result["problems"]) == 2
    alerts = [d for d in result["decisions"] if d["action"] == "alert"]
    assert [(d["rule"], d["source"]) for d in alerts] == [("troop-buildup", "archive"), ("fatal-clash", "archive")]
    assert result["first"].startswith("2026-10-02") and result["last"].startswith("2026-10-05")


def test_a_dir_source_of_the_config_is_replayed_under_its_name(
        tmp_path: Path, write_config: Callable[..., Config]) -> None:
    folder = _folder(tmp_path)
    config = write_config(f"""
        sources:
          - {{name: sahel-archive, type: dir, url: "file://{folder}", pattern: "*.xml"}}
          - {{name: wire, type: rss, url: "https://wire.example/feed"}}
        """)
    assert config.file is not None
    status, result, err = _backtest("-c", str(config.file), "backtest", "--source", "sahel-archive")
    assert status == 0, err
    assert result["articles"] == 1
    assert [(d["rule"], d["source"], d["title"]) for d in result["decisions"]] == [
        ("fatal-clash", "sahel-archive", "Two soldiers killed in clash with rebels near Gao")]
    status, _, err = _backtest("-c", str(config.file), "backtest", "--source", "wire")
    assert status == 1
    assert "--source: wire is a rss source; only file and dir sources can be replayed" in err
    status, _, err = _backtest("-c", str(config.file), "backtest", "--source", "nothing")
    assert status == 1 and "no source named 'nothing'" in err
