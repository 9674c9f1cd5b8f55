"""`beacon backtest --compare`: a rule change shown article by article, in the text, the JSON and the report."""

from __future__ import annotations

import contextlib
import io
import json
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.backtest.compare import compare
from bot.backtest.results import NEW, UPDATE, Decision, Replay
from bot.backtest.text import format_comparison
from bot.cli import main

BEFORE = {
    "clash.yaml": """
        id: clash
        title: Deadly clash
        severity: high
        when:
          all:
            - terms: [killed]
            - terms: [gunmen, ambush]
        """,
    "strike.yaml": """
        id: strike
        title: Labour strike
        severity: low
        when:
          terms: [strike]
        """,
}
AFTER = {
    "clash.yaml": BEFORE["clash.yaml"].replace("[gunmen, ambush]", "[gunmen, shelling]"),
    "floods.yaml": """
        id: floods
        title: Floods
        severity: medium
        when:
          terms: [flood, floods, flooding]
        """,
}
# two days apart each, so no report joins an earlier one's event: each alerting article is a new alert
ARTICLES = [
    ("Three killed as gunmen attack village", "Gunmen killed three villagers overnight."),
    ("Two killed in ambush on convoy", "An ambush on a supply convoy killed two drivers."),
    ("Shelling hits market", "Four people were killed when shelling hit the market."),
    ("Flooding closes valley road", "Floods cut the only road after days of rain."),
    ("Dock workers strike over pay", "Port staff began a strike on Monday."),
    ("<b>Gunmen</b> kill two & flee", "Two guards were killed by gunmen who fled."),
]


def _rules(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """(standard output, standard error, the report) of one text-mode run with --compare and --report."""
    tmp_path = tmp_path_factory.mktemp("compare")
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps({"id": str(n), "source": f"wire-{n}", "title": title, "text": text,
                                            "url": f"https://news.example/{n}",
                                            "published": f"2026-10-{1 + 2 * n:02d}T09:00:00Z"}) + "\n"
                               for n, (title, text) in enumerate(ARTICLES)), encoding="utf-8")
    before, after = _rules(tmp_path / "before", BEFORE), _rules(tmp_path / "after", AFTER)
    report = tmp_path / "compare.html"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--log-level", "WARNING", "backtest", "--articles", str(archive), "--rules", str(before),
                       "--compare", str(after), "--report", str(report)])
    assert status == 0, err.getvalue()
    return out.getvalue(), err.getvalue(), report.read_text(encoding="utf-8")


def test_compare_in_text_lists_the_articles_a_rule_change_adds_and_removes(compared: tuple[str, str, str]) -> None:
    lines = compared[0].splitlines()
    # the changed rule: one article alerts only with the new wording, one only with the old
    assert "  clash: 3 -> 3 alerting articles, +1 -1" in lines
    added = [line for line in lines if line.startswith("  +")]
    removed = [line for line in lines if line.startswith("  -")]
    assert [line.split("  ")[-1].strip() for line in added] == ["Shelling hits market", "Flooding closes valley road"]
    assert [line.split("  ")[-1].strip() for line in removed] == ["Two killed in ambush on convoy",
                                                                  "Dock workers strike over pay"]
    assert all("2026-10-" in line for line in added + removed)
    # a rule only in the current rules loses its alerts; a new rule brings its own
    assert "  strike (not in the other rules): 1 -> 0 alerting articles, +0 -1" in lines
    assert "  floods (new rule): 0 -> 1 alerting articles, +1 -0" in lines


def test_compare_in_the_report_with_escaped_titles(compared: tuple[str, str, str]) -> None:
    page = compared[2]
    section = page[page.index("Compared with the rules in"):]
    assert "Shelling hits market" in section and "Two killed in ambush on convoy" in section
    assert section.count("class=added>+</span>") == 2 and section.count("class=removed>−</span>") == 2
    assert "&lt;b&gt;Gunmen&lt;/b&gt; kill two &amp; flee" in page and "<b>Gunmen" not in page


def test_comparing_a_replay_with_itself_changes_nothing() -> None:
    at = datetime(2026, 10, 1, 9, tzinfo=UTC)
    alert = Decision("clash", NEW, at, "url:https://news.example/1", "Three killed", "wire-1", None, at, "Mali")
    update = Decision("clash", UPDATE, at, "url:https://news.example/2", "Toll rises", "wire-2", None, at, "Mali")
    replay = Replay("archive.jsonl", "rules", rule_ids=["clash", "quiet"], decisions=[alert, update])
    comparison = compare(replay, replay)
    assert comparison.unchanged
    assert [(c.rule_id, c.alerts_before, c.alerts_after, c.added, c.removed) for c in comparison.changes] == [
        ("clash", 1, 1, [], []), ("quiet", 0, 0, [], [])]
    assert "  the same alerts, article by article" in format_comparison(comparison).splitlines()


def test_comparison_as_json_lists_each_rule_with_its_articles() -> None:
    at = datetime(2026, 10, 1, 9, tzinfo=UTC)
    old = Decision("clash", NEW, at, "k1", "Two killed in ambush", "wire-1", None, at, "Mali")
    new = Decision("clash", NEW, at, "k2", "Shelling hits market", "wire-2", "https://news.example/2", at, "Mali")
    before = Replay("a.jsonl", "before", rule_ids=["clash", "strike"], decisions=[old])
    after = Replay("a.jsonl", "after", rule_ids=["clash", "floods"], decisions=[new])
    document = compare(before, after).as_dict()
    assert (document["rules_before"], document["rules_after"]) == ("before", "after")
    rules = {r["rule"]: r for r in document["rules"]}
    assert [d["title"] for d in rules["clash"]["added"]] == ["Shelling hits market"]
    assert [d["title"] for d in rules["clash"]["removed"]] == ["Two killed in ambush"]
    assert rules["clash"]["added"][0]["url"] == "https://news.example/2"
    assert (rules["strike"]["status"], rules["floods"]["status"]) == ("gone", "new")


def test_an_incident_told_under_another_rule_is_shown_as_moved() -> None:
    at = datetime(2026, 10, 4, 4, tzinfo=UTC)
    regional = Decision("kosovo-fatal-clash", NEW, at, "k1", "Ambush near Zvecan", "wire-1", None, at, "Kosovo")
    general = Decision("fatal-clash", NEW, at, "k1", "Ambush near Zvecan", "wire-1", None, at, "Kosovo")
    before = Replay("a.jsonl", "before", rule_ids=["fatal-clash", "kosovo-fatal-clash"], decisions=[regional])
    after = Replay("a.jsonl", "after", rule_ids=["fatal-clash"], decisions=[general])
    comparison = compare(before, after)
    lines = format_comparison(comparison).splitlines()
    assert "  + 2026-10-04 04:00  wire-1               Ambush near Zvecan  (was under kosovo-fatal-clash)" in lines
    assert "  - 2026-10-04 04:00  wire-1               Ambush near Zvecan  (now under fatal-clash)" in lines
    rules = {r["rule"]: r for r in comparison.as_dict()["rules"]}
    assert rules["fatal-clash"]["added"][0]["other_rule"] == "kosovo-fatal-clash"
    assert rules["kosovo-fatal-clash"]["removed"][0]["other_rule"] == "fatal-clash"


def test_titles_cannot_move_the_terminal() -> None:
    at = datetime(2026, 10, 4, 4, tzinfo=UTC)
    hostile = Decision("clash", NEW, at, "k1", "Two killed\x1b[2J\x1b[31m in\r\nGao\x07", "wire\x1b]0;x\x07", None, at,
                       "Mali")
    before = Replay("a.jsonl", "before", rule_ids=["clash"])
    after = Replay("a.jsonl", "after", rule_ids=["clash"], decisions=[hostile])
    text = format_comparison(compare(before, after))
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "Two killed [2J [31m in Gao" in text
