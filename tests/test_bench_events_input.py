"""bench/events.py reads labeled streams: a broken line stops it with the file and line, not a traceback; --explain
records what clustering weighed through deciding's observer hook."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.events import decide_alerts, deciding, joining
from bot.models import Article, EventPolicy, Match, Severity
from tests.test_events import Book

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "events.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_events", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_events"] = module  # dataclasses look their module up by name
    sys.path.insert(0, str(SCRIPT.parent))   # its helpers (benchlib), as when run as a script
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCRIPT.parent))
    return module


events = _load()

GOOD = ('{"incident": "a", "source": "wire", "published": "2024-03-02T10:00:00Z", "title": "Two killed in raid",'
        ' "text": "Gunmen killed two guards."}')


def test_a_stream_is_read_oldest_first_with_its_labels(tmp_path: Path) -> None:
    later = GOOD.replace("10:00", "12:00").replace('"a"', '"b"')
    stream = tmp_path / "stream.jsonl"
    stream.write_text(later + "\n\n" + GOOD + "\n", encoding="utf-8")
    reports = events.load_reports(stream)
    assert [r.incident for r in reports] == ["a", "b"]
    assert reports[0].article.title == "Two killed in raid"


def test_a_line_that_is_not_json_names_its_file_and_line(tmp_path: Path) -> None:
    stream = tmp_path / "stream.jsonl"
    stream.write_text(GOOD + '\n{"incident": "b", title\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"stream\.jsonl:2: not valid JSON"):
        events.load_reports(stream)


@pytest.mark.parametrize(
    ("line", "why"),
    [('["a", "b"]', "not a JSON object"),
     (GOOD.replace("2024-03-02T10:00:00Z", "yesterday"), "published is no ISO 8601 time: 'yesterday'"),
     (GOOD.replace("2024-03-02T10:00:00Z", "2024-03-02T10:00:00"), "published has no time zone")],
)
def test_a_line_that_is_no_report_says_why(tmp_path: Path, line: str, why: str) -> None:
    stream = tmp_path / "stream.jsonl"
    stream.write_text(GOOD + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        events.load_reports(stream)
    assert str(stop.value).startswith(f"{stream}:2: {why}")


def test_a_report_without_its_time_or_label_names_what_is_missing(tmp_path: Path) -> None:
    stream = tmp_path / "stream.jsonl"
    stream.write_text(GOOD.replace('"published": "2024-03-02T10:00:00Z", ', "").replace('"a"', '""') + "\n",
                      encoding="utf-8")
    with pytest.raises(SystemExit, match=r"stream\.jsonl:1: the report has no incident, published"):
        events.load_reports(stream)


def test_explaining_records_each_weighing_through_deciding_s_observer_and_leaves_deciding_as_it_was() -> None:
    def raid(source: str, at: datetime) -> Article:
        return Article(source, "Gunmen kill 7 guards at Kidal checkpoint",
                       "Gunmen killed seven guards at a checkpoint outside Kidal, officials said.", published=at)

    match = Match("fatal-clash", "Fatal clash", Severity.HIGH, ("conflict",), ("Kidal", "Mali"), {"killed": 7},
                  key="rule=fatal-clash|region=Mali", policy=EventPolicy())
    at = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    book = Book()
    log: list[Any] = []
    current = ["first"]
    with events.recording(log, current):
        decide_alerts(raid("sahel-wire", at), [match], at, book=book)
        current[0] = "second"
        [joined] = decide_alerts(raid("desert-post", at + timedelta(hours=1)), [match], at + timedelta(hours=1),
                                 book=book)
    decide_alerts(raid("third-daily", at + timedelta(hours=2)), [match], at + timedelta(hours=2), book=book)
    assert [(d.report, d.rule, len(d.scores)) for d in log] == [("first", "fatal-clash", 0),
                                                                ("second", "fatal-clash", 1)]
    assert joined.event is not None and log[1].reasons[joined.event.id].startswith("joins")
    assert vars(deciding)["find_event"] is joining.find_event and not deciding._OBSERVERS
