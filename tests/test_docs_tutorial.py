"""The tutorial of docs/rules.md runs as written: every file it shows is written, every command it shows is
run (in order, in a folder holding the shipped rules and examples), and each prints what the page shows.

The page's `console` blocks hold `$ command` lines, each followed by its output; `...` stands for lines
(or, inside a line, text) left out. A `yaml` block whose first line is `# path` is a file to write there.
The commands are the few the tutorial needs: `mkdir`, `cp`, `echo '...' |` and `beacon`, which runs in
this process (its rules compile once per folder, not once per command).
"""

from __future__ import annotations

import contextlib
import glob
import io
import re
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "rules.md"
HEADING = "## Tutorial: from a first rule to a trend on top"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Step:
    """A file the page shows (`path`, `text`), or a command and the output the page shows for it."""

    path: str | None = None
    text: str = ""
    command: str | None = None
    output: tuple[str, ...] = ()


def tutorial_steps() -> list[Step]:
    page = PAGE.read_text(encoding="utf-8")
    assert HEADING in page, f"docs/rules.md has no section {HEADING!r}"
    section = page.split(HEADING, 1)[1].split("\n## ", 1)[0]
    steps: list[Step] = []
    for language, body in BLOCK.findall(section):
        if language == "yaml" and body.startswith("# ") and "\n" in body:
            first, rest = body.split("\n", 1)
            steps.append(Step(path=first[2:].strip(), text=rest))
        elif language == "console":
            steps.extend(_commands(body))
    return steps


def _commands(body: str) -> list[Step]:
    steps: list[Step] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append(Step(command=line[2:]))
        else:
            assert steps, f"output before any command in a console block: {line!r}"
            steps[-1] = Step(command=steps[-1].command, output=(*steps[-1].output, line))
    return steps


def shown(output: tuple[str, ...]) -> re.Pattern[str]:
    """The output the page shows as a pattern: a line `...` is any lines, `...` in a line any text."""
    parts = []
    for line in output:
        if line == "...":
            parts.append(r"(?:.*\n)*?")
        else:
            parts.append(re.escape(line).replace(re.escape("..."), ".*") + r"\n")
    return re.compile("".join(parts))


def run(command: str) -> str:
    return "".join(_run_one(part) for part in command.split(" && "))


def _run_one(part: str) -> str:
    stdin = ""
    if " | " in part:
        feed, part = part.split(" | ", 1)
        words = shlex.split(feed)
        assert words[0] == "echo", f"the tutorial pipes only echo into beacon: {feed!r}"
        stdin = " ".join(words[1:]) + "\n"
    words = shlex.split(part)
    if words[0] == "mkdir":
        for folder in words[1:]:
            Path(folder).mkdir()
        return ""
    if words[0] == "cp":
        _copy(words[1:])
        return ""
    assert words[0] == "beacon", f"the tutorial runs only mkdir, cp, echo and beacon: {part!r}"
    out = io.StringIO()
    stdin_before = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")   # with .buffer, as a real stdin
    try:
        with contextlib.redirect_stdout(out):
            main(["--log-level", "WARNING", *words[1:]])
    finally:
        sys.stdin = stdin_before
    return out.getvalue()


def _copy(words: list[str]) -> None:
    recursive = "-r" in words
    names = [word for word in words if word != "-r"]
    *sources, target = names
    paths = [Path(p) for word in sources for p in (sorted(glob.glob(word)) if "*" in word else [word])]
    assert paths, f"cp: nothing matches {sources}"
    for path in paths:
        if recursive:
            shutil.copytree(path, target)
        elif Path(target).is_dir():
            shutil.copy(path, Path(target) / path.name)
        else:
            shutil.copy(path, target)


def test_the_tutorial_runs_as_the_page_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules").symlink_to(REPO_ROOT / "rules")
    (tmp_path / "examples").symlink_to(REPO_ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BEACON_DATA_DIR", str(tmp_path / "data"))
    steps = tutorial_steps()
    assert sum(1 for s in steps if s.command and s.command.split()[0] == "beacon") >= 10
    for step in steps:
        if step.path is not None:
            target = tmp_path / step.path
            assert target.parent.is_dir(), f"the page writes {step.path} before making its folder"
            target.write_text(step.text, encoding="utf-8")
            continue
        assert step.command is not None
        output = run(step.command)
        assert shown(step.output).fullmatch(output), (
            f"$ {step.command}\n--- the page shows:\n" + "\n".join(step.output) + f"\n--- it prints:\n{output}")
    # what the page says the reader will find in the report
    report = (tmp_path / "raids.html").read_text(encoding="utf-8")
    for day in (4, 5, 6, 7):
        assert f"<title>raid 2026-03-0{day}: 1</title>" in report
    assert "<title>fatal-clash 2026-03-03: 2</title>" in report and "<title>fatal-clash 2026-03-04: 2</title>" in report
    for heading in ("Alerts over time", "Top regions", "Alerts and updates"):
        assert f"<h2>{heading}</h2>" in report
    assert report.index(">Nigeria<") < report.index(">Mali<")


def test_a_line_of_dots_stands_for_any_lines() -> None:
    pattern = shown(("first", "...", "last ... end"))
    assert pattern.fullmatch("first\nlast and so on end\n")
    assert pattern.fullmatch("first\na\nb\nlast x end\n")
    assert not pattern.fullmatch("first\nlast\n")
