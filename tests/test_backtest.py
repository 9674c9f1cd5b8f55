"""`beacon backtest` over a generated month of wire copy: the report, the JSON, bad lines, the progress bar."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.backtest.progress import Progress
from bot.cli import main
from bot.config import REPO_ROOT

BENCH = REPO_ROOT / "bench" / "backtest.py"
HOSTILE_TITLE = "<script>alert('x')</script> Seven killed as gunmen attack checkpoint near Gao"
HOSTILE = {"id": "hostile-1", "source": "feed-x", "title": HOSTILE_TITLE,
           "text": "At least seven people were killed when gunmen attacked an army checkpoint near Gao in Mali early "
                   "on Monday, local officials said. <img src=x onerror=alert(1)>",
           "url": "javascript:alert(1)", "published": "2026-10-15T12:00:00+00:00"}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_backtest", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_backtest"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A month of 8 feeds (2 items a day each, one incident a day), no verbatim copies, one hostile item."""
    path = tmp_path_factory.mktemp("month") / "month.jsonl"
    count = _bench().write_month(path, feeds=8, per_day=2, days=30, copy_rate=0.0)
    assert count > 500
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(HOSTILE) + "\n")
    return path


@pytest.fixture(scope="module")
def replayed(month: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    """(the JSON output, the HTML report) of one backtest of the month with the shipped rules."""
    report = tmp_path_factory.mktemp("report") / "month.html"
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        status = main(["--log-level", "WARNING", "backtest", "--articles", str(month), "--rules",
                       str(REPO_ROOT / "rules"), "--format", "json", "--report", str(report)])
    finally:
        sys.stdout = stdout
    assert status == 0
    return json.loads(out.getvalue()), report.read_text(encoding="utf-8")


def _matches_per_rule(path: Path) -> tuple[Counter[str], int]:
    """What `beacon match` says of the same file: matches per rule, and the number of articles."""
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        assert main(["--log-level", "WARNING", "match", "--rules", str(REPO_ROOT / "rules"), str(path)]) == 0
    finally:
        sys.stdout = stdout
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return Counter(m["rule"] for line in lines for m in line["matches"]), len(lines)


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text, of a report."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_counts_per_rule_are_what_the_rules_give(month: Path, replayed: tuple[dict[str, Any], str]) -> None:
    result = replayed[0]["backtest"]
    expected, articles = _matches_per_rule(month)
    assert result["articles"] == articles and result["duplicates"] == 0 and result["problems"] == []
    assert {rule: c["matches"] for rule, c in result["per_rule"].items() if c["matches"]} == dict(expected)
    # each matched article is one decision per incident it reports: related rules (fatal-clash and
    # kosovo-fatal-clash share a tag) are one incident, so there are at most as many decisions as matches
    decisions = [d for d in result["decisions"] if not d["released"]]
    assert result["matched_articles"] <= len(decisions) <= sum(expected.values())
    assert len({d["article"] for d in decisions}) == result["matched_articles"]
    for rule, c in result["per_rule"].items():
        assert c["alerts"] + c["updates"] + c["edits"] + c["suppressed"] == sum(
            1 for d in decisions if d["rule"] == rule), rule
        assert c["incidents"] <= c["alerts"]
    # several outlets report each incident: the events stage folds them, so there are fewer alerts than matches
    assert result["totals"]["alerts"] < sum(expected.values())
    assert result["totals"]["updates"] > 0


def test_json_tallies_agree_with_the_decisions(replayed: tuple[dict[str, Any], str]) -> None:
    result = replayed[0]["backtest"]
    alerts = [d for d in result["decisions"] if d["action"] == "alert"]
    assert len(alerts) == result["totals"]["alerts"]
    assert sum(result["per_region"].values()) == len(alerts)
    per_day = result["per_day"]
    assert len(per_day) == 30 and min(per_day) == "2026-10-01" and max(per_day) == "2026-10-30"
    assert sum(sum(rules.values()) for rules in per_day.values()) == len(alerts)
    assert Counter(d["rule"] for d in alerts) == Counter(
        {rule: sum(day.get(rule, 0) for day in per_day.values()) for rule in result["per_rule"]})
    assert "Mali" in result["per_region"]
    chat = result["chats"][0]
    assert chat["chat"] == "one chat subscribed to all"
    assert chat["alerts"] == len(alerts) and chat["updates"] == result["totals"]["updates"]
    times = [d["at"] for d in result["decisions"]]
    assert times == sorted(times)   # publication order, on the simulated clock
    assert replayed[0]["compare"] is None


def test_report_is_one_self_contained_page_with_plots_and_escaped_titles(
        replayed: tuple[dict[str, Any], str]) -> None:
    result, page = replayed
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert all(not (attrs.get("src") or "") for _, attrs in parsed.tags)
    assert tags.count("svg") == 2
    lines = {attrs["data-rule"] for tag, attrs in parsed.tags if tag == "polyline"}
    assert lines == set(result["backtest"]["per_rule"])
    bars = [attrs for tag, attrs in parsed.tags if tag == "rect" and attrs.get("class") == "bar"]
    assert len(bars) == min(20, len(result["backtest"]["per_region"]))
    # the hostile headline is shown as text, never as markup, and its javascript: link is not a link
    hostile = [d for d in result["backtest"]["decisions"] if d["title"] == HOSTILE_TITLE]
    assert [d["action"] for d in hostile] in (["alert"], ["update"])
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert HOSTILE_TITLE in "".join(parsed.text)
    assert all(not (attrs.get("href") or "").lower().startswith("javascript") for _, attrs in parsed.tags)
    text = "".join(parsed.text)
    assert f"{result['backtest']['totals']['alerts']:,}" in text


def test_text_output_names_rules_regions_days_and_chats(month: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--log-level", "WARNING", "backtest", "--articles", str(month), "--rules",
                   str(REPO_ROOT / "rules")])
    out = capsys.readouterr()
    assert status == 0
    assert "would have sent" in out.out and "fatal-clash" in out.out and "Mali" in out.out
    assert "2026-10-30" in out.out and "busiest chats (one chat subscribed to all)" in out.out
    assert "\r" not in out.err   # no progress bar when standard error is not a terminal


def test_a_bad_line_is_named_by_file_and_line_and_loses_nothing_else(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = [{"id": str(n), "source": f"wire{n}", "title": f"{n + 2} soldiers killed in clash with rebels near Gao",
             "text": f"At least {n + 2} soldiers were killed when rebels attacked an army patrol near Gao in Mali.",
             "published": f"2026-10-0{n + 1}T08:00:00Z"} for n in range(4)]
    lines = [json.dumps(good[0]), json.dumps(good[1]), '{"title": "cut off', "[1, 2]", json.dumps({"url": "x"}),
             json.dumps(good[2]), "", json.dumps(good[3])]
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = main(["--log-level", "WARNING", "backtest", "--articles", str(archive), "--rules",
                   str(REPO_ROOT / "rules"), "--format", "json", "--progress"])
    out = capsys.readouterr()
    assert status == 1
    assert f"{archive}:3: not valid JSON" in out.err
    assert f"{archive}:4: a line must be a JSON object, not list" in out.err
    assert f"{archive}:5: an article needs 'title' or 'text'" in out.err
    result = json.loads(out.out)["backtest"]
    assert result["articles"] == 4 and len(result["problems"]) == 3
    assert result["per_rule"]["fatal-clash"]["matches"] == 4   # every good line was replayed
    assert "\r" in out.err and "4/4 articles" in out.err   # --progress draws even when not a terminal


def test_progress_bar_redraws_at_most_four_times_a_second() -> None:
    stream = io.StringIO()
    now = [0.0]
    bar = Progress(100, stream, clock=lambda: now[0])
    for _ in range(40):
        now[0] += 1 / 64   # 40 articles in 0.625 s
        bar.step()
    assert stream.getvalue().count("\r") == 3   # at the first article, then after 0.25 and 0.5 s
    bar.finish()
    last = "\rbacktest [############..................] 40/100 articles  40%, 64/s, 1s left \n"
    assert stream.getvalue().endswith(last)
