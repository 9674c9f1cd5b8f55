"""YAML that would crash the loader (deep nesting, huge numbers) is refused with `file:line:col`, never a traceback.

Both files operators write go through `bot/yamldoc.py`: the config and the rules. Each case runs
`beacon check` (cli.main) on real files.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot import cli
from bot.yamldoc import MAX_DEPTH, MAX_INT_CHARS, YamlLoadError, load_yaml_text
from tests.conftest import DATA, TEMPLATES_DIR

DEEP_FLOW = "[" * 200_000 + "]" * 200_000
DEEP_BLOCK = "\n" + "".join("  " * (i + 1) + f"level{i}:\n" for i in range(300)) + "  " * 301 + "bottom\n"
HUGE_INT = "9" * 900_000


def check(config: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """`beacon check` must exit 1; its stderr lines."""
    started = time.monotonic()
    assert cli.main(["check", "-c", str(config)]) == 1
    assert time.monotonic() - started < 20
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()


def write_config(tmp_path: Path, extra: str = "", rules_dir: Path = DATA / "rules") -> Path:
    config = tmp_path / "beacon.yaml"
    config.write_text(f"rules_dir: {rules_dir}\ntemplates_dir: {TEMPLATES_DIR}\n{extra}", encoding="utf-8")
    return config


@pytest.mark.parametrize(("value", "line", "column", "problem"), [
    # the top mapping and `telegram` are two levels; the first `[` (column 20) the third
    (DEEP_FLOW, 3, 20 + MAX_DEPTH - 2, f"values nested more than {MAX_DEPTH} levels deep"),
    (HUGE_INT, 3, 20, f"number too long (900000 characters; at most {MAX_INT_CHARS})"),
])
def test_config_refuses_with_file_line_column(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str,
                                              line: int, column: int, problem: str) -> None:
    config = write_config(tmp_path, f"telegram: {{admins: {value}}}\n")
    assert check(config, capsys) == [f"{config}:{line}:{column}: {problem}"]


def test_config_refuses_deep_block_nesting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, "polling:" + DEEP_BLOCK)
    [line] = check(config, capsys)
    assert line.startswith(f"{config}:{MAX_DEPTH + 2}:")
    assert line.endswith(f"values nested more than {MAX_DEPTH} levels deep")


@pytest.mark.parametrize(("body", "problem"), [
    (f"id: deep\ntitle: Deep\nwhen:\n  terms: {DEEP_FLOW}\n", f"4:{10 + MAX_DEPTH - 2}: values nested more than"),
    (f"id: big\ntitle: Big\nwhen:\n  terms: [x]\npriority: {HUGE_INT}\n", "5:11: number too long"),
])
def test_rules_refuse_with_file_line_column(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str,
                                            problem: str) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "hostile.yaml").write_text(body, encoding="utf-8")
    lines = check(write_config(tmp_path, rules_dir=rules), capsys)
    assert any(line.startswith(f"{rules / 'hostile.yaml'}:{problem}") for line in lines), lines


def test_nesting_up_to_the_limit_and_ordinary_numbers_still_load() -> None:
    depth = MAX_DEPTH - 2   # the mapping holding `a` is the first level, the number `1` the last
    doc = load_yaml_text("a: " + "[" * depth + "1" + "]" * depth + "\nb: -123_456\nc: 0x1F\nd: 1e99999\n")
    value = doc.data["a"]
    for _ in range(depth):
        [value] = value
    assert value == 1
    assert (doc.data["b"], doc.data["c"], doc.data["d"]) == (-123456, 31, "1e99999")
    with pytest.raises(YamlLoadError, match="nested more than"):
        load_yaml_text("a: " + "[" * (depth + 1) + "1" + "]" * (depth + 1))


@pytest.mark.parametrize("number", ["0b" + "1" * 64, "1" + ":59" * 20, "-" + "7" * 41])
def test_long_numbers_in_any_notation_are_refused(number: str) -> None:
    with pytest.raises(YamlLoadError, match="number too long") as refused:
        load_yaml_text(f"x: 1\ny: {number}\n", "n.yaml")
    assert str(refused.value).startswith("n.yaml:2:4: ")
