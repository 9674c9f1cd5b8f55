"""JSON Lines read one way everywhere (bot/sources/files.py `json_lines`): a bad line is named, never a crash.

`beacon match`, `beacon rules eval`, backtest archives and JSON Lines sources all read through it, so a
line nested too deeply for the parser, bytes that are not UTF-8 or a line that is not an object get the same
clear `file:line: reason` and the good lines around them are still read. (Last, what `beacon rules eval`
prints for a rule the corpus gives nothing to score.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import cli
from bot.errors import BeaconError
from bot.evaluation import read_labeled
from bot.sources.files import json_lines, parse_jsonl

DEEP = "[" * 100_000 + "]" * 100_000
GOOD = '{"title": "Ceasefire holds along the line"}'


def test_each_line_is_a_value_or_a_reason() -> None:
    body = ("\ufeff" + GOOD + "\n\n" + "not json\n" + DEEP + "\n").encode() + b'{"title": "caf\xe9"}\n'
    lines = list(json_lines(body.split(b"\n")))
    assert [line.number for line in lines] == [1, 3, 4, 5]    # the blank line 2 and the empty end are skipped
    assert lines[0].value == {"title": "Ceasefire holds along the line"} and lines[0].error is None
    assert lines[1].error is not None and lines[1].error.startswith("not valid JSON: Expecting value")
    assert lines[2].error == "not valid JSON: nested too deeply"
    assert lines[3].error == "not valid JSON: not UTF-8 text"


def test_a_number_too_long_to_convert_is_a_bad_line_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    huge = '{"title": "Truce", "count": ' + "9" * 5_000 + "}"
    (line,) = json_lines([huge])
    assert line.error is not None and line.error.startswith("not valid JSON: Exceeds the limit"), line.error
    articles = parse_jsonl("demo", "\n".join([huge, GOOD]).encode(), "archive.jsonl", datetime(2026, 12, 7, tzinfo=UTC))
    assert [a.title for a in articles] == ["Ceasefire holds along the line"]
    assert "archive.jsonl:1: skipped: not valid JSON: Exceeds the limit" in caplog.text


def test_text_lines_drop_the_byte_order_mark_of_the_first_line_only() -> None:
    lines = list(json_lines(["\ufeff1\n", "\ufeff2\n"]))
    assert lines[0].value == 1
    assert lines[1].error is not None   # a mark inside the file is not whitespace JSON allows


def test_a_source_file_skips_bad_lines_and_keeps_the_good(caplog: pytest.LogCaptureFixture) -> None:
    body = "\n".join([GOOD, DEEP, "[1, 2]", GOOD.replace("Ceasefire", "Truce")]).encode()
    articles = parse_jsonl("demo", body, "archive.jsonl", datetime(2026, 12, 7, tzinfo=UTC))
    assert [a.title for a in articles] == ["Ceasefire holds along the line", "Truce holds along the line"]
    assert "archive.jsonl:2: skipped: not valid JSON: nested too deeply" in caplog.text
    assert "archive.jsonl:3: skipped: a line must be a JSON object, not list" in caplog.text


def test_beacon_match_names_a_line_nested_too_deeply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "truce.yaml").write_text("id: truce\ntitle: Truce\nwhen: {terms: [ceasefire]}\n")
    (tmp_path / "in.jsonl").write_text(DEEP + "\n" + GOOD + "\n")
    status = cli.main(["match", "--rules", str(rules), str(tmp_path / "in.jsonl")])
    out, err = capsys.readouterr()
    assert status == 1
    assert f"{tmp_path / 'in.jsonl'}:1: not valid JSON: nested too deeply" in err
    assert [m["rule"] for m in json.loads(out.splitlines()[0])["matches"]] == ["truce"]


def test_rules_eval_stops_at_a_line_that_is_not_an_object(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"title": "A", "labels": {"truce": true}}\n["not", "an", "object"]\n')
    with pytest.raises(BeaconError, match=r"corpus.jsonl:2: a line must be a JSON object, not list"):
        read_labeled(corpus)
    corpus.write_text('{"title": "A", "labels": {"truce": true}}\n' + DEEP + "\n")
    with pytest.raises(BeaconError, match=r"corpus.jsonl:2: not valid JSON: nested too deeply"):
        read_labeled(corpus)


def test_a_line_that_is_not_utf8_is_named_and_the_next_is_read(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Latin-1 bytes in a file: `beacon match` used to die with a UnicodeDecodeError traceback."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "truce.yaml").write_text("id: truce\ntitle: Truce\nwhen: {terms: [ceasefire]}\n")
    (tmp_path / "in.jsonl").write_bytes(b'{"title": "Ceasefire at the caf\xe9"}\n' + GOOD.encode() + b"\n")
    status = cli.main(["match", "--rules", str(rules), str(tmp_path / "in.jsonl")])
    out, err = capsys.readouterr()
    assert status == 1
    assert f"{tmp_path / 'in.jsonl'}:1: not valid JSON: not UTF-8 text" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == [2]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b'{"title": "caf\xe9", "labels": {"truce": false}}\n')
    with pytest.raises(BeaconError, match=r"corpus.jsonl:1: not valid JSON: not UTF-8 text"):
        read_labeled(corpus)


def test_rules_eval_shows_no_score_for_a_rule_with_nothing_to_score(tmp_path: Path) -> None:
    """A rule with no labelled positive and no alert was not measured: "-", not a perfect 1.000 / 1.000."""
    from bot.engine import compile_rules, load_rules_text
    from bot.evaluation import evaluate, format_report

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"title": "Ceasefire holds", "labels": {"truce": true, "raid": false}}\n')
    ruleset = compile_rules(load_rules_text("- {id: truce, title: T, when: {terms: [ceasefire]}}\n"
                                            "- {id: raid, title: R, when: {terms: [raid]}}\n"))
    rows = {line.split()[0]: line.split()[1:] for line in format_report(evaluate(ruleset, read_labeled(corpus)))
            .splitlines()[1:]}
    assert rows["truce"][:5] == ["1", "0", "0", "1.000", "1.000"]
    assert rows["raid"][:5] == ["0", "0", "0", "-", "-"]
