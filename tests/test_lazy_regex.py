"""Patterns compiled on first use (bot/engine/lazy_regex.py): the same answers as re.compile, and
every one of the facts readers' patterns compiles (an error in one would otherwise surface only
when an article first reaches it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from bot.engine.facts import casualties, dates, numbers, troops, vocabulary
from bot.engine.lazy_regex import _LazyPattern, lazy_compile

_READERS: tuple[ModuleType, ...] = (casualties, dates, numbers, troops, vocabulary)


def test_answers_as_the_compiled_pattern_does() -> None:
    source = r"(?P<num>\d+)\s(?:soldiers|troops)\b"
    text = "Officials said 12 soldiers and 40 troops were moved; 7 soldier"
    lazy, eager = lazy_compile(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert lazy.search(text.upper()) is not None
    assert lazy.search(text.upper()).span() == eager.search(text.upper()).span()  # type: ignore[union-attr]
    assert [m.span() for m in lazy.finditer(text, 20)] == [m.span() for m in eager.finditer(text, 20)]
    assert lazy.findall(text) == eager.findall(text) == ["12", "40"]
    assert lazy.match(text) is None
    assert lazy.match(text, 15) is not None
    assert lazy.sub("N", text) == eager.sub("N", text)
    assert lazy.split(text) == eager.split(text)
    assert lazy.groupindex == eager.groupindex
    assert lazy.groups == eager.groups == 1
    assert lazy.flags == eager.flags
    assert lazy.pattern == source


def _compiled(pattern: object) -> bool:
    """Whether the pattern's slots are filled (read past __getattr__, which would compile it)."""
    try:
        object.__getattribute__(pattern, "search")
    except AttributeError:
        return False
    return True


def test_compiles_once_at_the_first_use() -> None:
    pattern = lazy_compile(r"\bkilled\b")
    assert isinstance(pattern, _LazyPattern)
    assert not _compiled(pattern)
    assert pattern.pattern == r"\bkilled\b"   # the source is there without compiling
    assert not _compiled(pattern)
    first = pattern.search("two were killed")
    assert first is not None and first.span() == (9, 15)
    assert _compiled(pattern)
    bound = pattern.search
    assert pattern.search is bound   # held in its slot: no second compile, no lookup through __getattr__


def test_a_bad_pattern_fails_at_its_first_use() -> None:
    pattern = lazy_compile(r"(?P<open>")
    try:
        pattern.search("text")
    except re.error:
        return
    raise AssertionError("an unbalanced group compiled")


def test_unknown_attributes_stay_unknown() -> None:
    pattern = lazy_compile("a")
    assert not hasattr(pattern, "no_such_method")


def test_every_readers_pattern_compiles() -> None:
    patterns = [value for module in _READERS for value in vars(module).values() if isinstance(value, _LazyPattern)]
    assert len(patterns) > 100   # the readers' patterns are made here, not by re.compile
    for pattern in patterns:
        pattern.search("")   # compiles it; raises re.error for a broken one


def test_importing_the_engine_compiles_none_of_the_readers_patterns() -> None:
    """A fresh interpreter: after importing the matcher, no reader's pattern is compiled yet."""
    probe = (
        "import bot.engine.match\n"
        "from bot.engine.facts import casualties, vocabulary\n"
        "from bot.engine.lazy_regex import _LazyPattern\n"
        "from tests.test_lazy_regex import _compiled\n"
        "lazy = [v for m in (casualties, vocabulary) for v in vars(m).values() if isinstance(v, _LazyPattern)]\n"
        "print(len(lazy), sum(1 for p in lazy if _compiled(p)))\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=root, env=env)
    made, compiled = (int(field) for field in done.stdout.split())
    assert made > 100
    assert compiled == 0
